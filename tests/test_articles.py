import random
import re

import pytest

import newslens
from newslens.articles import ArticleError, _decode, find_layout

WIRE = (
    "Talks stall in Doha\n\nJan 5, 2024\n\n"
    "Doha [Qatar], January 5 : The talks stalled on Friday, officials said.\n"
    "A second round is planned.\n"
)


def test_seed_loads_with_title_date_and_dateline(seed_articles, seed_path):
    row = seed_articles.iloc[0]
    assert row["article"] == "000_abad502eff8d374b"
    assert row["title"].startswith("Despite recent diplomatic efforts, Pakistan-Taliban ties")
    assert row["date"].strftime("%Y-%m-%d") == "2023-03-27"
    assert (row["place"], row["country"]) == ("Kabul", "Afghanistan")
    assert row["text"] == seed_path.read_text(encoding="utf-8")


def test_layout_skips_date_line_and_dateline():
    layout = find_layout(WIRE)
    assert WIRE[slice(*layout.title)] == "Talks stall in Doha"
    assert WIRE[slice(*layout.date_line)] == "Jan 5, 2024"
    assert WIRE[slice(*layout.dateline)] == "Doha [Qatar], January 5 : "
    assert WIRE[slice(*layout.paragraphs[0])].startswith("The talks stalled")


def test_article_without_date_or_dateline(write):
    path = write("plain.txt", "A headline\n\nFirst paragraph here.\n\nSecond one.\n")
    row = newslens.load_article(path)
    assert row["title"] == "A headline"
    assert row["place"] == "" and row["country"] == ""
    articles = newslens.load_articles(path.parent)
    assert articles["date"].isna().all()


def test_caps_dateline(write):
    path = write("ap.txt", "Headline\n\nWASHINGTON (AP) -- The Senate voted on Monday.\n")
    row = newslens.load_article(path)
    assert row["place"] == "Washington"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"  \n\n \t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
    ],
)
def test_bad_file_is_named_and_explained(write, content, message):
    path = write("bad.txt", content)
    with pytest.raises(ArticleError, match=rf"bad\.txt: .*{message}"):
        newslens.load_article(path)


def test_control_characters_counted_as_in_the_decoded_text():
    # _decode counts them in the bytes: the same count as a pattern over the text it returns
    # (line endings repaired, a byte-order mark removed, UTF-8 or Windows-1252)
    control = re.compile(r"[\x00-\x08\x0b-\x1f]")
    pieces = [
        "word ",
        "\r\n",
        "\r",
        "\n",
        "\t",
        "é",
        "“quoted”",
        "\x1a",
        "\x0b",
        "\x0c",
        "\x1f",
        "\x07",
    ]
    rng = random.Random(7)
    for case in range(500):
        text = "Headline " + "".join(rng.choices(pieces, k=rng.randrange(1, 60)))
        encoding = "cp1252" if case % 3 == 0 else "utf-8"
        data = (b"\xef\xbb\xbf" if case % 5 == 0 else b"") + text.encode(encoding)
        try:
            decoded, _ = _decode(data, "x.txt")
        except ArticleError as error:
            counted = int(re.search(r"\((\d+) control", str(error)).group(1))
            found = len(control.findall(data.decode(encoding).lstrip("\ufeff").replace("\r", "\n")))
            assert counted == found > 2
        else:
            assert len(control.findall(decoded)) <= max(2, len(decoded) // 100)


def test_folder_reports_bad_files_and_loads_the_rest(write):
    write("a.txt", WIRE)
    write("b.txt", b"")
    write("c.txt", b"\x00\x01\x02binary")
    write("d.txt", "Other story\n\nSomething else happened.\n")
    write("e.txt", WIRE.replace("\n", "\r\n"))  # same text, Windows line endings
    write("notes.md", "not an article")
    with pytest.warns(UserWarning) as caught:
        corpus = newslens.load_corpus(write("a.txt", WIRE).parent)
    assert list(corpus.articles["article"]) == ["a", "d"]
    problems = corpus.problems.set_index("file")
    assert "empty" in problems.loc["b.txt", "problem"]
    assert "binary" in problems.loc["c.txt", "problem"]
    assert "same text as a.txt" in problems.loc["e.txt"].iloc[-1]["problem"]
    loaded_or_reported = set(corpus.articles["article"] + ".txt") | set(problems.index)
    assert loaded_or_reported == {"a.txt", "b.txt", "c.txt", "d.txt", "e.txt"}
    assert any("b.txt" in str(w.message) for w in caught)


def test_cp1252_is_read_and_reported(write):
    text = "Headline\n\n\u201cWe will not go,\u201d she said \u2013 firmly.\n"
    path = write("curly.txt", text.encode("cp1252"))
    corpus = newslens.load_corpus(path.parent)
    assert corpus.articles.iloc[0]["text"] == text
    assert "Windows-1252" in corpus.problems.iloc[0]["problem"]
    assert corpus.problems.iloc[0]["action"] == "loaded"


def test_bom_and_crlf_are_repaired(write):
    path = write("bom.txt", b"\xef\xbb\xbfHeadline\r\n\r\nBody text here.\r\n")
    with pytest.warns(UserWarning, match="byte-order mark"):
        row = newslens.load_article(path)
    assert row["text"] == "Headline\n\nBody text here.\n"
    assert row["title"] == "Headline"


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder"):
        newslens.load_articles(tmp_path / "nope")
    (tmp_path / "x.csv").write_text("a,b\n")
    with pytest.raises(ArticleError, match="no .txt files"):
        newslens.load_articles(tmp_path)


def test_date_formats_all_need_a_digit():
    # _parse_date answers "no date" for a line without a digit, without trying the formats:
    # right only while every format holds a number.
    from newslens.articles import _DATE_FORMATS, _parse_date

    assert all(any(f"%{c}" in fmt for c in "dmYy") for fmt in _DATE_FORMATS)
    assert _parse_date("March 27, 2023") is not None
    assert _parse_date("Monday, March 27, 2023") is not None
    assert _parse_date("March, the month") is None
    assert _parse_date("By a staff reporter") is None
