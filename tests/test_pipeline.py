import csv
import io
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing

import numpy as np
import pandas as pd
import pytest

from newslens import load_articles
from newslens.cli import main
from newslens.entities import ENTITY_COLUMNS, MENTION_COLUMNS
from newslens.pipeline import (
    _STREAMED,
    TABLES,
    _chunks,
    _csv_by_article,
    _csv_rows,
    _strings_csv,
    analyse,
    analyse_folder,
)


def test_analyse_returns_every_table(seed_articles):
    tables = analyse(seed_articles)
    assert set(TABLES) <= set(tables)
    articles = tables["articles"]
    assert articles.loc[0, "sentences"] == 16
    assert list(tables["sentences"].columns) == ["article", "sentence", "start", "end", "text"]


def test_cli_writes_csv_tables_and_reuses_its_cache(write, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSLENS_CACHE", str(tmp_path / "cache"))
    folder = write("a.txt", "First story\n\nOne thing happened. Then another.\n").parent
    write("b.txt", "Second story\n\nSomething else.\n")
    write("c.txt", b"")
    out = tmp_path / "out"
    assert main(["analyse", str(folder), "--out", str(out), "--quiet", "--jobs", "2"]) == 0
    articles = pd.read_csv(out / "articles.csv")
    assert articles["article"].tolist() == ["a", "b"]
    sentences = pd.read_csv(out / "sentences.csv")
    assert sentences.groupby("article").size().to_dict() == {"a": 3, "b": 2}
    problems = pd.read_csv(out / "problems.csv")
    assert problems["file"].tolist() == ["c.txt"]
    assert "c.txt" in capsys.readouterr().err
    assert _cached(tmp_path / "cache") == 2
    write("d.txt", "Third story\n\nA third thing.\n")
    assert main(["analyse", str(folder), "--out", str(out), "--quiet"]) == 0
    assert _cached(tmp_path / "cache") == 3
    assert pd.read_csv(out / "articles.csv")["article"].tolist() == ["a", "b", "d"]


def _cached(folder) -> int:
    """How many articles' results the cache in ``folder`` holds."""
    with closing(sqlite3.connect(folder / "articles.sqlite")) as db:
        return db.execute("SELECT COUNT(*) FROM results").fetchone()[0]


def test_a_damaged_cache_is_made_anew(write, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSLENS_CACHE", str(tmp_path / "cache"))
    folder = write("a.txt", "First story\n\nOne thing happened.\n").parent
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "articles.sqlite").write_bytes(b"not a database at all" * 100)
    out = tmp_path / "out"
    assert main(["analyse", str(folder), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert _cached(tmp_path / "cache") == 1
    first = (out / "sentences.csv").read_text()
    assert main(["analyse", str(folder), "--out", str(out), "--quiet", "--jobs", "1"]) == 0
    assert (out / "sentences.csv").read_text() == first


def test_cli_names_a_missing_folder(tmp_path, capsys):
    assert main(["analyse", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "missing: no such folder" in capsys.readouterr().err


def test_pool_cache_and_one_process_write_the_same_tables(write, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSLENS_CACHE", str(tmp_path / "cache"))
    stories = {
        "a.txt": "Talks fail\n\nMr. John Smith of the Example Agency said the talks failed.\n",
        "b.txt": "Aid arrives\n\nAid reached Kabul, the Red Cross said on Monday.\n",
        "c.txt": "A quiet day\n\nNothing happened, according to Reuters. Jane Doe agreed.\n",
        # "Clinton" alone is a town in the gazetteer; read with d.txt, it once passed for a person
        "d.txt": "Polls\n\nMrs. Clinton leads, a poll said on Friday. Mr. Clinton agreed.\n",
        "e.txt": "Polls again\n\nClinton leads again, the same poll found.\n",
    }
    for name, text in stories.items():
        folder = write(name, text).parent
    runs = {
        "one process": ["--jobs", "1", "--no-cache"],
        "pool, cold cache": ["--jobs", "2", "--chunk", "1"],
        "pool, warm cache": ["--jobs", "2", "--chunk", "2"],
    }
    written = {}
    for label, options in runs.items():
        out = tmp_path / label
        assert main(["analyse", str(folder), "--out", str(out), "--quiet", *options]) == 0
        written[label] = {path.name: path.read_bytes() for path in sorted(out.glob("*.csv"))}
    assert written["one process"] == written["pool, cold cache"] == written["pool, warm cache"]
    assert set(written["one process"]) == {f"{name}.csv" for name in TABLES} | {"problems.csv"}


def test_cli_says_when_no_article_could_be_loaded(write, tmp_path, capsys):
    folder = write("blank.txt", "   \n").parent
    assert main(["analyse", str(folder), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    error = capsys.readouterr().err
    assert "no article could be loaded" in error and "blank.txt: the file is empty" in error


def test_written_mentions_and_entities_match_the_in_process_tables(write, tmp_path):
    # the command line links the mentions file with plain lists and csv; analyse uses pandas
    stories = {
        "a.txt": 'Talks, again\n\nThe Afghan Diaspora Network (ADN) said "Khawaja Asif, the '
        'minister" met Mullah Baradar in Kabul.\n',
        "b.txt": "Later\n\nKhwaja Asif and the ADN met again, Reuters said.\n",
        "c.txt": "no names here\n\nnothing at all happened today.\n",
    }
    for name, text in stories.items():
        folder = write(name, text).parent
    out = tmp_path / "out"
    assert main(["analyse", str(folder), "--out", str(out), "--quiet", "--no-cache"]) == 0
    articles = load_articles(folder)
    tables = analyse(articles)
    assert len(tables["entities"]) >= 3
    for name in ("mentions", "entities"):
        expected = tables[name].to_csv(index=False, lineterminator="\n")
        assert (out / f"{name}.csv").read_bytes() == expected.encode("utf-8")


def test_a_folder_without_names_writes_empty_tables_with_headers(write, tmp_path):
    folder = write("a.txt", "quiet\n\nnothing at all happened today.\n").parent
    out = tmp_path / "out"
    assert main(["analyse", str(folder), "--out", str(out), "--quiet", "--no-cache"]) == 0
    assert pd.read_csv(out / "mentions.csv").columns.tolist() == MENTION_COLUMNS
    assert pd.read_csv(out / "entities.csv").columns.tolist() == ENTITY_COLUMNS
    assert len(pd.read_csv(out / "entities.csv")) == 0


@pytest.mark.parametrize(
    "total,chunk,jobs", [(1, 25, 2), (3, 1, 2), (10, 25, 2), (923, 25, 2), (50, 8, 4)]
)
def test_tasks_cover_every_article_once_and_shrink_toward_the_end(total, chunk, jobs):
    bounds = _chunks(total, chunk, jobs)
    assert [i for start, end in bounds for i in range(start, end)] == list(range(total))
    sizes = [end - start for start, end in bounds]
    assert max(sizes) <= chunk and min(sizes) >= 1
    assert sizes == sorted(sizes, reverse=True)
    if total > 4 * chunk * jobs:
        assert sizes[0] == chunk and sizes[-1] < chunk


def test_csv_rows_are_what_pandas_writes():
    frame = pd.DataFrame(
        {
            "text": pd.Series(['a, "b"', "line\nbreak", None, ""], dtype="str"),
            "score": [0.1 + 0.2, float("nan"), -0.0, 1e-05],
            "count": pd.Series([1, None, 3, 4], dtype="Int64"),
            "flag": [True, False, True, False],
            "number": [1, 2, 3, 4],
            "other": pd.Series(["x", 2, None, "y;z"], dtype=object),
        }
    )
    expected = frame.to_csv(header=False, index=False, lineterminator="\n")
    assert _csv_rows(frame) == expected
    dated = frame.assign(date=pd.to_datetime(["2023-03-27", None, "2020-01-01", "2021-05-05"]))
    assert _csv_rows(dated) == dated.to_csv(header=False, index=False, lineterminator="\n")


def test_number_columns_are_what_pandas_writes():
    rng = np.random.default_rng(0)
    scores = rng.choice([0.0, -0.0, 0.5, 1 / 3, 1e16, 1e-05, -2.5e-7, np.inf, np.nan], 200)
    frame = pd.DataFrame(
        {
            "score": scores,
            "noisy": rng.normal(size=200),
            "single": scores.astype(np.float32),
            "label": rng.integers(-3, 3, 200),
            "big": rng.integers(0, 2**63, 200, dtype=np.uint64),
            "flag": rng.integers(0, 2, 200).astype(bool),
        }
    )
    for rows in (frame, frame.iloc[:0], frame.iloc[::-3]):
        assert _csv_rows(rows) == rows.to_csv(header=False, index=False, lineterminator="\n")


def _random_table(rng: np.random.Generator, rows: int) -> pd.DataFrame:
    """A table of every kind of column the CSV shortcuts write, with random values: texts with
    quotes, commas and line breaks, missing values, floats of every size, integers inside and
    outside the table of small ones, booleans, nullable numbers and dates."""
    pieces = ["a", "Smith", ",", '"', "\n", " ", "’", "é", "x,y", '""', ";", "0", ""]
    texts = ["".join(rng.choice(pieces, rng.integers(0, 5))) for _ in range(rows)]
    floats = rng.choice(
        [0.0, -0.0, 0.5, 1 / 3, 1e16, 1e-05, 9.999e-05, 1e-4, -2.5e-7, np.inf, -np.inf, np.nan],
        rows,
    )
    floats = np.where(
        rng.random(rows) < 0.5,
        floats,
        rng.normal(size=rows) * 10.0 ** rng.integers(-300, 300, rows),
    )
    small = 1 << 16
    first, last = np.datetime64("1000-01-01"), np.datetime64("9999-12-31")
    days = rng.integers(first.astype(int), last.astype(int), rows).astype("datetime64[D]")
    days[rng.random(rows) < 0.2] = np.datetime64("NaT")
    return pd.DataFrame(
        {
            "article": pd.Series(rng.choice(["a", "b,c", 'd"', "e"], rows), dtype="str"),
            "text": pd.Series(texts, dtype="str"),
            "missing": pd.Series([t if t else None for t in texts], dtype="str"),
            "mixed": pd.Series([t if i % 3 else i for i, t in enumerate(texts)], dtype=object),
            "score": floats,
            "round": np.round(rng.normal(size=rows), 4),
            "tiny": rng.integers(-3, 3, rows),
            "offset": rng.integers(-small - 2, small + 2, rows),
            "huge": rng.integers(-(2**63), 2**63 - 1, rows),
            "unsigned": rng.integers(0, 2**64 - 1, rows, dtype=np.uint64),
            "byte": rng.integers(-128, 128, rows).astype(np.int8),
            "flag": rng.random(rows) < 0.5,
            "count": pd.Series(rng.integers(0, 100, rows), dtype="Int64").mask(
                rng.random(rows) < 0.3
            ),
            "maybe": pd.Series(rng.random(rows) < 0.5, dtype="boolean").mask(
                rng.random(rows) < 0.3
            ),
            "decimal": pd.Series(floats, dtype="Float64").mask(rng.random(rows) < 0.3),
            "date": days.astype("datetime64[s]"),
        }
    )


def test_csv_shortcuts_are_what_pandas_writes_on_random_tables():
    rng = np.random.default_rng(1)
    for rows in (0, 1, 2, 7, 50, 400):
        for _ in range(10):
            frame = _random_table(rng, rows)
            carriage = frame.assign(text=frame["text"] + "\r")  # left to csv
            one = frame[["text"]]  # one column: an empty field is quoted there
            for table in (frame, frame.iloc[::-1], frame.drop(columns=["date"]), carriage, one):
                expected = table.to_csv(header=False, index=False, lineterminator="\n")
                assert _csv_rows(table) == expected
            # no date at all, and dates with times (left to pandas)
            no_dates = np.full(rows, np.datetime64("NaT"), "datetime64[s]")
            early = frame["date"] - pd.Timedelta(days=365 * 1000)  # years before 1000 too
            for dates in (no_dates, early, frame["date"] + pd.Timedelta(seconds=1)):
                table = frame.assign(date=dates)
                expected = table.to_csv(header=False, index=False, lineterminator="\n")
                assert _csv_rows(table) == expected


def test_csv_by_article_deals_random_rows_to_their_articles():
    """Each article's rows, whether the rows of an article lie together (as the stages make them)
    or apart, and whichever kind of column the table holds."""
    rng = np.random.default_rng(2)
    names = ["a", "b,c", 'd"', "e", "none"]
    for rows in (0, 1, 5, 60):
        frame = _random_table(rng, rows)
        together = frame.sort_values("article", kind="stable", ignore_index=True)
        timed = together.assign(date=together["date"] + pd.Timedelta(seconds=1))
        for table in (frame, together, timed):
            pieces = _csv_by_article(dict.fromkeys(_STREAMED, table), names)
            for name in names:
                rows_of = table[table["article"] == name]
                expected = rows_of.to_csv(header=False, index=False, lineterminator="\n")
                assert pieces[name]["sentiment"] == (list(table.columns), expected), name


def test_strings_csv_is_what_csv_writes():
    columns = [
        ["plain", 'say "hi"', "a,b", "two\nlines", "", " spaced ", "’curly’", '""'],
        ["1", "", "-0.5", "True", "x", "y", "z", "w"],
    ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(zip(*columns, strict=True))
    assert _strings_csv(columns) == buffer.getvalue()
    assert _strings_csv([[], []]) == ""
    # left to csv: a carriage return, and a table of one column (an empty field is quoted there)
    assert _strings_csv([["a\rb"], ["c"]]) is None
    assert _strings_csv([["", "x"]]) is None


def test_cached_rows_are_each_articles_rows(seed_articles):
    """What the cache keeps of each article joins back into the table's CSV, line breaks and
    quotes inside fields included."""
    two = pd.concat([seed_articles, seed_articles.assign(article="copy")], ignore_index=True)
    tables = analyse(two)
    odd = tables["sentences"].copy()
    odd.loc[0, "text"] = 'a "quoted",\nbroken line'
    tables["sentences"] = odd
    pieces = _csv_by_article(tables, ["copy", seed_articles["article"][0]])
    for name in ("sentences", "sentiment", "attributions"):
        expected = tables[name].to_csv(header=False, index=False, lineterminator="\n")
        joined = "".join(pieces[a][name][1] for a in tables[name]["article"].unique())
        assert joined == expected
        assert pieces["copy"][name][0] == list(tables[name].columns)


def test_command_line_process_exits_with_its_status(tmp_path):
    """``python -m newslens`` leaves without Python's teardown: the tables are whole, the
    messages are out and the exit status is kept."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("A headline\n\nMr. John Smith said talks failed.\n")
    command = [sys.executable, "-m", "newslens", "analyse", str(folder), "--out"]
    done = subprocess.run([*command, str(tmp_path / "out")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "done in" in done.stderr
    assert pd.read_csv(tmp_path / "out" / "sentences.csv")["sentence"].tolist() == [0, 1]
    missing = [*command[:4], str(tmp_path / "none"), "--out", str(tmp_path / "x")]
    missing = subprocess.run(missing, capture_output=True)
    assert missing.returncode == 2
    assert subprocess.run([*command[:4]], capture_output=True).returncode == 2  # usage error


def test_the_worker_pool_is_closed_when_the_analysis_returns(write, tmp_path, monkeypatch):
    """The pool's manager thread has ended by the time ``analyse_folder`` returns: one still
    closing its pipes when Python exits made the exit print "Bad file descriptor" now and then."""
    monkeypatch.setenv("NEWSLENS_CACHE", str(tmp_path / "cache"))
    folder = write("a.txt", "First story\n\nMr. John Smith said talks failed.\n").parent
    write("b.txt", "Second story\n\nThe Example Agency said nothing.\n")
    for run in range(3):
        analyse_folder(folder, tmp_path / f"out{run}", jobs=2, use_cache=False, progress=False)
        managers = [
            t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"
        ]
        assert not [t for t in managers if t.is_alive()]
