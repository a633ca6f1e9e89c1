import pytest

from newslens.parties import PartiesError, load_parties, party_key
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
