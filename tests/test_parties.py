import pandas as pd
import pytest

from newslens.parties import (
    PartiesError,
    assign_parties,
    describe_parties,
    find_parties,
    load_parties,
    party_key,
)
from newslens.paths import PROJECT_ROOT


def write(tmp_path, text):
    path = tmp_path / "parties.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_table_has_the_four_parties_and_their_names():
    parties = load_parties(PROJECT_ROOT / "seeds" / "parties.csv")
    assert list(parties.columns[:2]) == ["party", "name"]
    assert set(parties["party"]) == {"Pakistan", "Taliban", "TTP", "ISKP"}
    names = parties.groupby("party")["name"].apply(set)
    assert {
        "Pakistan",
        "Pakistani",
        "Islamabad",
        "Inter-Services Intelligence",
        "Khawaja Asif",
        "Nadeem Anjum",
    } <= names["Pakistan"]
    assert {"Taliban", "Abdul Ghani Baradar"} <= names["Taliban"]
    assert "Tehrik-i-Taliban Pakistan" in names["TTP"]
    assert "Islamic State Khorasan Province" in names["ISKP"]
    assert "Afghan" not in set(parties["name"])  # Afghans are not the Taliban


def test_comments_blank_lines_and_repeats_are_skipped(tmp_path):
    path = write(tmp_path, "# a comment\n\nparty,name\n# another\nA,Alpha\nA, alpha \nB,Beta\n")
    parties = load_parties(path)
    assert parties.values.tolist() == [["A", "Alpha"], ["B", "Beta"]]


def test_a_name_in_two_parties_is_an_error(tmp_path):
    path = write(tmp_path, "party,name\nA,Alpha\nB,Beta\nB,ALPHA\n")
    with pytest.raises(
        PartiesError, match=r"parties\.csv, line 4: 'ALPHA' .* line 2 maps it to 'A'"
    ):
        load_parties(path)


def test_an_unknown_column_is_an_error(tmp_path):
    path = write(tmp_path, "# header below\nparty,name,colour\nA,Alpha,red\n")
    with pytest.raises(PartiesError, match=r"line 2: unknown column 'colour'"):
        load_parties(path)


def test_a_missing_column_is_an_error(tmp_path):
    with pytest.raises(PartiesError, match=r"missing column 'name'"):
        load_parties(write(tmp_path, "party\nA\n"))


def test_an_empty_name_or_party_is_an_error(tmp_path):
    with pytest.raises(PartiesError, match=r"line 3: empty name \(for party 'B'\)"):
        load_parties(write(tmp_path, "party,name\nA,Alpha\nB,\n"))
    with pytest.raises(PartiesError, match=r"line 2: empty party \(for name 'Alpha'\)"):
        load_parties(write(tmp_path, "party,name\n,Alpha\n"))


def test_a_missing_file_is_an_error(tmp_path):
    with pytest.raises(PartiesError, match="no such file"):
        load_parties(tmp_path / "nothing.csv")


def test_names_compare_without_case_spacing_or_curly_quotes():
    assert party_key("  Khawaja   ASIF ") == party_key("khawaja asif")
    assert party_key("Pakistan’s") == party_key("Pakistan's")


def test_find_parties_reads_the_folders_table(tmp_path):
    write(tmp_path, "party,name\nA,Alpha\nB,Beta\n")
    parties = find_parties(tmp_path)
    assert parties.values.tolist() == [["A", "Alpha"], ["B", "Beta"]]
    assert describe_parties(tmp_path, parties).endswith("parties.csv (2 parties, 2 names)")


def test_find_parties_gives_none_without_a_table(tmp_path):
    assert find_parties(tmp_path) is None
    assert "every person and organisation stands as its own party" in describe_parties(
        tmp_path, None
    )


def test_find_parties_reports_a_broken_table(tmp_path):
    write(tmp_path, "party,name\nA,\n")
    with pytest.raises(PartiesError, match="empty name"):
        find_parties(tmp_path)


def test_the_seed_folder_has_its_table():
    assert set(find_parties(PROJECT_ROOT / "seeds")["party"]) == {
        "Pakistan",
        "Taliban",
        "TTP",
        "ISKP",
    }


TEXT = "Talks\n\nJohn Smith of the Example Agency met officials in Kabul on Monday.\n"


def mentions_of(parties):
    import newslens
    from newslens.entities import find_mentions

    articles = pd.DataFrame(
        [{"article": "a", "title": "Talks", "date": pd.NaT, "place": "", "country": ""}]
    ).assign(text=TEXT, path="")
    sentences = newslens.find_sentences(articles)
    return find_mentions(articles, sentences, parties)


def test_without_a_table_people_and_organisations_are_their_own_party():
    mentions = mentions_of(None)
    assert set(mentions["party"]) == {""}
    assigned = assign_parties(mentions, None).set_index("entity")["party"]
    assert assigned["John Smith"] == "John Smith"
    assert assigned["Example Agency"] == "Example Agency"
    assert assigned["Kabul"] == ""  # a place is no party
    assert set(mentions["party"]) == {""}  # the input is left as it was


def test_own_parties_are_the_command_lines_sentiment_targets():
    from newslens.pipeline import sentiment_targets

    mentions = mentions_of(None)
    assigned = assign_parties(mentions, None)
    expected = sentiment_targets(mentions, None)
    assert assigned[assigned["party"] != ""].equals(expected)


def test_with_a_table_the_parties_are_those_of_the_table():
    parties = pd.DataFrame({"party": ["Agency"], "name": ["Example Agency"]})
    mentions = mentions_of(parties)
    assigned = assign_parties(mentions, parties).set_index("entity")["party"]
    assert assigned["Example Agency"] == "Agency"
    assert assigned["John Smith"] == ""  # not in the table: no party of its own


def test_the_command_line_uses_the_folders_table_or_none(tmp_path):
    from newslens.cli import _load_parties

    assert _load_parties(tmp_path, None) is None
    write(tmp_path, "party,name\nA,Alpha\n")
    assert _load_parties(tmp_path, None)["party"].tolist() == ["A"]
    with pytest.raises(PartiesError, match="no such file"):
        _load_parties(tmp_path, tmp_path / "other.csv")
