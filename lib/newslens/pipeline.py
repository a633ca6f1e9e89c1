"""One pipeline, two front ends: notebooks call ``analyse``, the command line ``analyse_folder``.

Every table is computed article by article, so a folder of thousands of articles streams through
a process pool, and each article's results are cached under a key made of its text, the parties
table and the library's own code: a rerun after adding one article analyses only that one.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import multiprocessing
import os
import pickle
import sqlite3
import sys
import threading
import warnings
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from itertools import groupby
from pathlib import Path

import numpy as np
import pandas as pd

from .articles import PROBLEM_COLUMNS, ArticleError, _corpus_paths, _read_corpus, _warn_problems
from .attributions import _collector_paused, classify_sentences, find_attributions
from .entities import (
    _blocking,
    _forms,
    count_columns,
    count_entities,
    find_mentions,
    link_columns,
    link_mentions,
)
from .lexicons import code_version
from .overview import describe_articles
from .parties import assign_parties
from .paths import cache_dir
from .sentiments import score_parties
from .tokenizers import SENTENCE_COLUMNS, find_sentences

__all__ = ["TABLES", "analyse", "analyse_article", "analyse_folder", "prepare", "sentiment_targets"]

# The tables ``analyse`` returns and ``analyse_folder`` writes, in order, as NAME.csv.
# ``entities`` is made from all the mentions at the end; the others are made article by article.
TABLES = ("articles", "sentences", "mentions", "entities", "sentiment", "attributions", "sourcing")
_STREAMED = ("articles", "sentences", "mentions", "sentiment", "attributions", "sourcing")


def analyse_article(article: pd.DataFrame, parties: pd.DataFrame | None = None) -> dict:
    """Run every per-article stage on a table of articles (usually one).

    Returns ``{table name: DataFrame}`` for the tables in ``_STREAMED``; the mentions are not yet
    linked across articles (``link_mentions`` does that over the whole corpus).
    """
    sentences = find_sentences(article)
    mentions = find_mentions(article, sentences, parties)
    attributions = find_attributions(article, sentences, mentions)
    return {
        "articles": describe_articles(article, sentences),  # (counts the words itself)
        "sentences": sentences[SENTENCE_COLUMNS],
        "mentions": mentions,
        "sentiment": score_parties(article, sentences, sentiment_targets(mentions, parties)),
        "attributions": attributions,
        "sourcing": classify_sentences(article, sentences, attributions),
    }


def sentiment_targets(mentions: pd.DataFrame, parties: pd.DataFrame | None) -> pd.DataFrame:
    """The mentions that sentiment is scored toward: every mention that counts for a party.

    With a parties table, the mentions of its parties. Without one, every person and organisation,
    each standing as its own party (``assign_parties``).
    """
    assigned = mentions if parties is not None else assign_parties(mentions, None)
    return assigned[assigned["party"] != ""]


def _finish(tables: dict, parties: pd.DataFrame | None) -> dict:
    """The corpus-wide steps: link mentions across articles, count the entities."""
    tables["mentions"] = link_mentions(tables["mentions"], parties)
    tables["entities"] = count_entities(tables["mentions"])
    return tables


def analyse(articles: pd.DataFrame, parties: pd.DataFrame | None = None) -> dict:
    """Run the whole pipeline on ``articles`` in this process; return ``{table: DataFrame}``."""
    return _finish(analyse_article(articles, parties), parties)


def _parties_key(parties: pd.DataFrame | None) -> str:
    if parties is None:
        return "none"
    return hashlib.sha256(parties.to_csv(index=False).encode()).hexdigest()[:16]


def _cache_key(row: dict, parties_key: str) -> str:
    """An article's key in the cache: its text, name and path, the parties, the library's code."""
    digest = hashlib.sha256()
    for part in (code_version(), parties_key, row["article"], row["path"], row["text"]):
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


# The cache is one SQLite file: an article's results are a row, written a task at a time (one
# file per article cost about 0.5 ms each to create, as much as a tenth of the analysis).
# Every process opens its own connection; the two workers' writes take turns (``_BUSY``).
_CACHE_FILE = "articles.sqlite"
_BUSY = 60.0  # seconds a process waits for the other's write before giving up on the cache
_CONNECTIONS: dict[tuple[int, Path], sqlite3.Connection | None] = {}


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=_BUSY)
    db.execute("PRAGMA synchronous = OFF")  # a cache: a file damaged in a crash is made anew
    db.execute(
        "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, version TEXT, value BLOB)"
    )
    return db


def _prepare_cache(folder: Path) -> bool:
    """Make the cache ready before the workers start: drop the results of other versions of the
    library (they can no longer be asked for), and start afresh if the file is damaged.

    Returns False (after a warning) when the cache cannot be used: the analysis goes on without.
    """
    path = folder / _CACHE_FILE
    for _ in range(2):  # a damaged file is removed, then made anew once
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with closing(_connect(path)) as db, db:
                db.execute("DELETE FROM results WHERE version != ?", (code_version(),))
            return True
        except sqlite3.OperationalError as error:  # locked, read-only, ...: left as it is
            problem = error
            break
        except sqlite3.DatabaseError as error:  # not a database, or a damaged one
            problem = error
            path.unlink(missing_ok=True)
        except OSError as error:
            problem = error
            break
    _warn_cache(path, problem)
    return False


def _cache(folder: Path) -> sqlite3.Connection | None:
    """This process's connection to the cache in ``folder`` (None once it has failed)."""
    key = (os.getpid(), folder)
    if key not in _CONNECTIONS:
        try:
            _CONNECTIONS[key] = _connect(folder / _CACHE_FILE)
        except sqlite3.Error as error:
            _cache_failed(key, error)
    return _CONNECTIONS[key]


def _cache_failed(key: tuple, error: Exception) -> None:
    """Stop using the cache in this process (``key``: its pid and the cache's folder)."""
    _warn_cache(key[1] / _CACHE_FILE, error)
    _CONNECTIONS[key] = None


def _warn_cache(path: Path, error: Exception) -> None:
    warnings.warn(f"{path}: the cache cannot be used ({error}); results are not kept", stacklevel=4)


def _load_many(folder: Path, keys: list[str]) -> dict[str, dict]:
    """The cached results of ``keys`` that are there (and can be read)."""
    db = _cache(folder)
    if db is None:
        return {}
    found = {}
    try:
        for i in range(0, len(keys), 500):  # SQLite takes at most 999 values in one query
            batch = keys[i : i + 500]
            marks = ",".join("?" * len(batch))
            query = f"SELECT key, value FROM results WHERE key IN ({marks})"
            for key, value in db.execute(query, batch):
                try:
                    found[key] = pickle.loads(value)
                except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
                    continue  # damaged: recomputed
    except sqlite3.Error as error:
        _cache_failed((os.getpid(), folder), error)
    return found


def _store_many(folder: Path, results: dict[str, dict]) -> None:
    """Keep ``results`` (key -> an article's results) in the cache, in one transaction."""
    db = _cache(folder)
    if db is None or not results:
        return
    version = code_version()
    rows = [
        (key, version, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
        for key, result in results.items()
    ]
    try:
        with db:
            db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?)", rows)
    except sqlite3.Error as error:
        _cache_failed((os.getpid(), folder), error)


_CSV = {"index": False, "lineterminator": "\n"}


def _csv(tables: dict) -> dict[str, tuple[list[str], str]]:
    """Each streamed table's columns and its rows as CSV text (no header)."""
    return {name: (list(tables[name].columns), _csv_rows(tables[name])) for name in _STREAMED}


def _csv_rows(frame: pd.DataFrame) -> str:
    """``frame.to_csv(header=False, index=False, lineterminator="\\n")``, with less machinery."""
    cells = _csv_cells(frame)
    return frame.to_csv(header=False, **_CSV) if cells is None else "".join(cells[0])


def _csv_cells(frame: pd.DataFrame) -> tuple[list[str], int] | None:
    """The rows of ``frame`` as CSV, cut into pieces, and the number of pieces in a row; or None
    to ask pandas.

    Each field comes as ``csv.writer`` writes it, followed by its separator: "," or, after a
    row's last field, "\\n"; a number or a date with its separator, as one piece ("12,"), a text
    as two ("a", ","). So ``"".join`` of the pieces is the CSV text (without a header), and of
    the pieces ``k * width`` to ``(k + 1) * width`` row ``k``'s line.

    pandas turns each column into strings (``_column_texts``) and hands the rows to
    ``csv.writer``; this does the same, column by column (``_cells``). A table with a column of
    another kind (dates with times) is left to pandas.
    """
    separators = [","] * (len(frame.columns) - 1) + ["\n"]
    columns = []
    for (_, series), separator in zip(frame.items(), separators, strict=True):
        texts = _column_texts(series, separator)
        if texts is None:
            return None
        columns.append(texts)
    return _cells(columns, separators)


def _column_texts(series: pd.Series, separator: str) -> tuple[list[str], str | None] | None:
    """A column as pandas writes its fields in CSV ("" for a missing value), or None to ask pandas.

    Returns the fields and, for a column that may need quoting, all of them joined. A column of
    numbers or dates, which never does, comes with ``separator`` after each field (and None).
    """
    dtype = series.dtype
    kind = dtype.kind
    if isinstance(dtype, np.dtype):
        if kind in "fiub":
            return _number_texts(series.to_numpy(), separator), None
        if kind == "M":
            texts = _date_texts(series.to_numpy(), separator)
            return None if texts is None else (texts, None)
    if isinstance(series.array, pd.arrays.IntegerArray | pd.arrays.BooleanArray):
        # nullable numbers (Int64, boolean): "" for a missing value
        numbers = series.to_numpy(dtype=dtype.numpy_dtype, na_value=0)
        texts = _number_texts(numbers, separator)
        for row in np.flatnonzero(series.isna().to_numpy()).tolist():
            texts[row] = separator
        return texts, None
    if kind == "f":
        values = series.to_numpy().astype(str).astype(object)
        values[series.isna().to_numpy()] = ""
        return (values + separator).tolist(), None
    if kind != "O":
        return None
    values = series.to_numpy(dtype=object).tolist()
    # Speed: a column of strings only (most) is joined to see whether it needs quoting; the
    # join also tells that it holds nothing else (it fails on a number or a missing value),
    # which asking pandas for missing values first cost as much again
    try:
        return values, "".join(values)
    except TypeError:
        missing = {"na_value": ""} if series.hasnans else {}
        values = series.to_numpy(dtype=object, **missing).tolist()
        values = list(map(str, values))  # what csv.writer makes of a number or a bool
        return values, "".join(values)


def _number_texts(values: np.ndarray, separator: str) -> list[str]:
    """A numpy column of numbers or booleans as pandas writes it in CSV ("" for NaN), each text
    followed by ``separator``.

    Floats are written as numpy's ``astype(str)`` writes them, the others as ``str`` writes their
    Python value. Speed: turning a number into text costs Python or numpy hundreds to thousands
    of instructions, and a column's values are small (sentence numbers, offsets, counts) or
    repeat (scores): integers are looked up in a table of texts (``_int_texts``), and each 64-bit
    float's text is written once and then looked up (``_float_texts``). The separator comes with
    the text, so that joining the CSV takes a piece fewer for each number.
    """
    kind = values.dtype.kind
    if kind == "b":
        texts = np.array(["False" + separator, "True" + separator], dtype=object)
        return texts[values.astype(np.uint8)].tolist()
    if kind in "iu":
        return _int_texts(values, separator)
    if values.dtype == np.float64:
        return _float_texts(values, separator)
    # other floats: each distinct value (by its bits, so that 0.0 and -0.0 stay apart) is written
    # once and its text dealt out
    bits = values.view(f"u{values.itemsize}")
    distinct, where = np.unique(bits, return_inverse=True)
    return (_written_floats(distinct.view(values.dtype)) + separator)[where].tolist()


def _written_floats(values: np.ndarray) -> np.ndarray:
    """Floats as numpy's ``astype(str)`` writes them, "" for NaN, in an object array."""
    texts = values.astype(str).astype(object)
    texts[np.isnan(values)] = ""
    return texts


_NEGATIVE = 1 << 8  # the tables of integers' texts start at -_NEGATIVE
_SMALL_INTS = 1 << 16  # and end before _SMALL_INTS, at most
# separator -> f"{i}{separator}" for each integer i from -_NEGATIVE on, made as needed
_INT_TEXTS: dict[str, np.ndarray] = {}


def _int_texts(values: np.ndarray, separator: str) -> list[str]:
    """A numpy column of integers as ``str`` writes them, each followed by ``separator``.

    A column between -``_NEGATIVE`` and ``_SMALL_INTS`` (sentence numbers, offsets, counts) takes
    its texts from a table, in one numpy step; the table grows to the largest value yet seen.
    """
    low, high = (int(values.min()), int(values.max())) if values.size else (0, 0)
    if not (-_NEGATIVE <= low and high < _SMALL_INTS):
        return [f"{value}{separator}" for value in values.tolist()]
    table = _INT_TEXTS.get(separator, np.array([], dtype=object))
    if high + _NEGATIVE >= len(table):
        end = min(_SMALL_INTS, (high // 4096 + 1) * 4096)
        more = [f"{i}{separator}" for i in range(len(table) - _NEGATIVE, end)]
        _INT_TEXTS[separator] = table = np.concatenate([table, np.array(more, dtype=object)])
    return table[values.astype(np.int64) + _NEGATIVE].tolist()


# separator -> {the bits of a 64-bit float -> its text and the separator} (``_float_texts``)
_FLOAT_TEXTS: dict[str, dict[int, str]] = {}
_FLOATS_KEPT = 1 << 16


def _float_texts(values: np.ndarray, separator: str) -> list[str]:
    """A numpy column of 64-bit floats as numpy's ``astype(str)`` writes them, "" for NaN, each
    followed by ``separator``.

    Each value's text is kept (``_FLOAT_TEXTS``, by its bits, so that 0.0 and -0.0 stay apart),
    and those not yet kept are written in one numpy step. Only the last ``_FLOATS_KEPT`` are
    kept, at most.
    """
    kept = _FLOAT_TEXTS.setdefault(separator, {})
    keys = values.view(np.uint64).tolist()
    try:
        return list(map(kept.__getitem__, keys))
    except KeyError:
        if len(kept) + len(keys) > _FLOATS_KEPT:
            kept.clear()
        new = np.array(list(set(keys).difference(kept)), dtype=np.uint64)
        texts = (_written_floats(new.view(np.float64)) + separator).tolist()
        kept.update(zip(new.tolist(), texts, strict=True))
        return list(map(kept.__getitem__, keys))


def _date_texts(values: np.ndarray, separator: str) -> list[str] | None:
    """A numpy column of dates (without times) as pandas writes it in CSV, each followed by
    ``separator``; or None to ask pandas.

    pandas writes a column whose values all fall at midnight as ``%Y-%m-%d`` and a missing date
    as ""; numpy's ``datetime_as_string`` writes the same, here for years 1000 to 9999 only.
    """
    days = values.astype("datetime64[D]")
    known = ~np.isnat(values)
    if not known.any():
        return [separator] * len(values)
    if (days[known] != values[known]).any() or not (
        _FIRST_DAY <= days[known].min() and days[known].max() < _LAST_DAY
    ):
        return None
    texts = np.datetime_as_string(days).astype(object)
    texts[~known] = ""
    return (texts + separator).tolist()


_FIRST_DAY, _LAST_DAY = np.datetime64("1000-01-01", "D"), np.datetime64("10000-01-01", "D")


def _cells(
    columns: list[tuple[list[str], str | None]], separators: list[str]
) -> tuple[list[str], int] | None:
    """The rows of ``columns`` as ``csv.writer`` writes them, in pieces, and the number of pieces
    in a row (see ``_csv_cells``).

    Each column comes as its fields and, for one that may need quoting, all of them joined;
    without that (None), its fields already end in their ``separators``. ``csv.writer`` quotes a
    field holding a comma, a quote mark or a line break, doubling its quote marks. Each column is
    checked once, in its joined text, and only a column with such a character is quoted field by
    field; each column then fills its places in the list of pieces in one step. A carriage
    return (which Python versions quote differently) or a table of one column (where an empty
    field is quoted) gives None: the caller asks ``csv`` instead.
    """
    if len(columns) < 2:
        return None
    row: list[str] = []  # a row's pieces: its places, filled below, and the separators after texts
    for (_, text), separator in zip(columns, separators, strict=True):
        row += [""] if text is None else ["", separator]
    width = len(row)
    cells = row * len(columns[0][0])
    place = 0
    for values, text in columns:
        if text is not None:
            if "\r" in text:
                return None
            values = _quoted(values, text)
        cells[place::width] = values
        place += 1 if text is None else 2
    return cells, width


def _csv_by_article(tables: dict, names: list[str]) -> dict[str, dict]:
    """Each article's rows of each streamed table, as CSV text: what the cache keeps.

    The chunk's table is formatted once and its rows dealt out by article. A table that pandas
    formats (one with dates and times) is cut into lines at its line ends, or, should a field
    hold a line break, formatted article by article.
    """
    pieces: dict[str, dict] = {name: {} for name in names}
    for table in _STREAMED:
        frame = tables[table]
        columns = list(frame.columns)
        pieces_of_rows = _csv_cells(frame)
        if pieces_of_rows is None:
            lines = frame.to_csv(header=False, **_CSV).split("\n")[:-1]
            if len(lines) != len(frame):
                for name in names:
                    rows = frame[frame["article"] == name]
                    pieces[name][table] = (columns, rows.to_csv(header=False, **_CSV))
                continue
            pieces_of_rows = [piece for line in lines for piece in (line, "\n")], 2
        texts = _rows_by_article(*pieces_of_rows, frame["article"].tolist(), names)
        for name in names:
            pieces[name][table] = (columns, texts[name])
    return pieces


def _rows_by_article(cells: list[str], width: int, keys: list[str], names: list[str]) -> dict:
    """Each article's rows joined into text, from the pieces of a table's rows (``width`` each)
    and the article of each row (``keys``)."""
    texts = dict.fromkeys(names, "")
    # Speed: the stages write each article's rows together, so each article's text is one slice
    # of the pieces, joined
    runs = [(key, len(list(rows))) for key, rows in groupby(keys)]
    if len(runs) == len({key for key, _ in runs}):
        start = 0
        for key, count in runs:
            end = start + count * width
            texts[key] = "".join(cells[start:end])
            start = end
        return texts
    dealt: dict[str, list[str]] = {name: [] for name in names}
    for row, key in enumerate(keys):
        dealt[key] += cells[row * width : (row + 1) * width]
    return {name: "".join(pieces) for name, pieces in dealt.items()}


def _strings_csv(columns: list[list[str]]) -> str | None:
    """The rows of ``columns`` (lists of strings) as ``csv.writer`` writes them, or None where
    ``_cells`` leaves them to ``csv`` (a carriage return, a table of one column)."""
    separators = [","] * (len(columns) - 1) + ["\n"]
    cells = _cells([(values, "".join(values)) for values in columns], separators)
    return None if cells is None else "".join(cells[0])


def _quoted(values: list[str], joined: str) -> list[str]:
    """A column's fields as ``csv.writer`` writes them: a field holding a comma, a quote mark or
    a line break in quotes, its quote marks doubled. ``joined`` is the fields joined: one look
    tells whether any field needs it (most columns need none)."""
    if "," in joined or '"' in joined or "\n" in joined:
        return [
            '"' + v.replace('"', '""') + '"' if "," in v or '"' in v or "\n" in v else v
            for v in values
        ]
    return values


def _work(task: tuple) -> dict[str, tuple[list[str], str]]:
    """Analyse a chunk of articles, reusing cached results and caching fresh ones.

    Returns each streamed table's columns and the chunk's rows as CSV text: the worker formats
    the CSV, so the main process only writes it out, and the cache holds that text, so a cached
    article costs a row read from the cache.
    """
    rows, parties, cache_folder, parties_key = task
    if cache_folder is None:  # every row fresh, in order, and nothing to keep
        return _csv(analyse_article(pd.DataFrame(rows), parties))
    keys = [_cache_key(row, parties_key) for row in rows]
    cached = _load_many(cache_folder, keys)
    results = [cached.get(key) for key in keys]
    todo = [row for row, result in zip(rows, results, strict=True) if result is None]
    if todo:
        tables = analyse_article(pd.DataFrame(todo), parties)
        fresh = _csv_by_article(tables, [row["article"] for row in todo])
        kept = {}
        for i, row in enumerate(rows):
            if results[i] is None:
                results[i] = kept[keys[i]] = fresh[row["article"]]
        _store_many(cache_folder, kept)
    return {
        name: (results[0][name][0], "".join(result[name][1] for result in results))
        for name in _STREAMED
    }


_START_METHODS = multiprocessing.get_all_start_methods()
_WARM_UP = "Warm-up\n\nMr. John Smith of the Example Agency said on Monday that talks failed.\n"


@_collector_paused()  # loading makes many objects and no reference cycle to collect
def prepare(parties: pd.DataFrame | None = None) -> None:
    """Load every lexicon, gazetteer and pattern the stages read, by running them once on a
    short text; the slow word lists are then kept on disk for later runs (``lexicons.kept``)."""
    row = {"article": "warm-up", "title": "Warm-up", "date": pd.NaT, "place": "", "country": ""}
    analyse_article(pd.DataFrame([{**row, "text": _WARM_UP, "path": ""}]), parties)


def _warm_up(parties: pd.DataFrame | None, inherited: bool = False) -> None:
    """Start a worker: ``prepare`` unless it ``inherited`` everything loaded (the main process
    prepares before the workers fork, so forked workers share its memory and need not run the
    stages on the warm-up text again; a spawned worker starts empty).

    The loaded word lists then live as long as the worker, so they are moved out of the garbage
    collector's sight (``gc.freeze``) rather than walked again on every collection. The worker
    also collects less often: the analysis makes and drops many small tuples and lists but
    hardly any reference cycles, and Python's default (a collection every 700 new objects)
    spends about 2% of the worker's instructions finding none.
    """
    if not inherited:
        prepare(parties)
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _pool(jobs: int, parties: pd.DataFrame | None) -> ProcessPoolExecutor | None:
    """A pool of ``jobs`` workers, started at once so that they warm up while the folder loads."""
    if jobs <= 1:
        return None
    context = multiprocessing.get_context("fork" if "fork" in _START_METHODS else None)
    forked = context.get_start_method() == "fork"  # then the workers inherit what is loaded
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_warm_up, initargs=(parties, forked)
    )
    for _ in range(jobs):
        pool.submit(int)  # starts the workers now rather than at the first chunk
    return pool


def _tasks(paths: list, problems: list[dict], chunk: int, jobs: int, extra: tuple) -> Iterator:
    """Tasks of articles, ``(rows, *extra)``, made as the files are read (``_read_corpus``).

    Their sizes follow ``_chunks`` over the number of files; a skipped file only leaves the last
    task shorter. The first task is ready after its articles are read, not the whole folder.
    """
    sizes = (end - start for start, end in _chunks(len(paths), chunk, jobs))
    size, rows = next(sizes), []
    for row in _read_corpus(paths, problems):
        rows.append(row)
        if len(rows) == size:
            yield (rows, *extra)
            size, rows = next(sizes, chunk), []
    if rows:
        yield (rows, *extra)


def _in_order(futures: deque) -> Iterator[dict]:
    """The results of ``futures`` in order, each let go of once it is taken, so that the results
    the main process has written are not held until the end."""
    while futures:
        yield futures.popleft().result()


def _progress(total: int, show: bool):
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="article", desc="analysing", file=sys.stderr)


def analyse_folder(
    folder: str | Path,
    out: str | Path,
    *,
    parties: pd.DataFrame | None = None,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: bool = True,
    chunk: int = 100,
) -> dict[str, Path]:
    """Analyse every article in ``folder`` and write each table to ``out/NAME.csv``.

    Articles go to ``jobs`` worker processes in chunks of at most ``chunk``; tables are written
    as they come, so memory stays bounded whatever the corpus size.

    Also writes ``problems.csv`` (files that were skipped or repaired). Returns the paths written.
    """
    jobs = jobs or min(os.cpu_count() or 1, 8)
    if jobs > 1:
        # The lexicons, gazetteer and word lists that the stages and the linking at the end
        # read: loaded once here, the workers inherit them (and share their memory) instead of
        # each loading them again.
        prepare(parties)
    pool = _pool(jobs, parties)
    try:
        return _analyse_folder(folder, out, parties, pool, use_cache, progress, chunk, jobs)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        for key in [key for key in _CONNECTIONS if key[0] == os.getpid()]:
            db = _CONNECTIONS.pop(key)
            if db is not None:
                db.close()


def _gather(columns: dict[str, list], text: str) -> None:
    """Add a chunk's mentions (CSV rows without a header) to ``columns``, in place.

    The fields stay the strings they are written as (linking reads only names), and each
    repeated one (an entity, a kind, a number) is kept once in memory, so that a corpus of many
    thousand articles holds its mentions in little space.
    """
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        return
    for column, values in zip(columns.values(), zip(*rows, strict=True), strict=True):
        column.extend(map(sys.intern, values))
    # Speed: what linking works out once per distinct name and written form (both remembered)
    # is worked out now, while the workers still analyse, rather than after them, when the
    # main process alone is at work and every moment it takes adds to the wall time.
    for name in set(columns["entity"][-len(rows) :]):
        _blocking(name)
    for text in set(columns["text"][-len(rows) :]):
        _forms(text)


_COUNTS = ("mentions", "articles")  # the entity table's columns of numbers (``count_columns``)


def _write_linked(columns: dict[str, list], paths: dict, parties: pd.DataFrame | None) -> None:
    """``_finish`` on the gathered mentions: write them linked, and the entity table.

    The columns go through as plain lists, and out as ``csv.writer`` writes them: the mentions'
    fields are strings already (as ``_gather`` read them), the entity table's counts are not.
    """
    linked = link_columns(columns, parties)
    for name, table in (("mentions", linked), ("entities", count_columns(linked))):
        with paths[name].open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(list(table))
            texts = [
                list(map(str, values)) if column in _COUNTS else values
                for column, values in table.items()
            ]
            text = _strings_csv(texts)
            if text is None:
                writer.writerows(zip(*table.values(), strict=True))
            else:
                handle.write(text)


_SMALLEST = 5  # the fewest articles a task takes near the end (unless fewer are left)


def _chunks(total: int, chunk: int, jobs: int) -> list[tuple[int, int]]:
    """Where each task starts and ends: ``chunk`` articles, fewer toward the end.

    A task costs a few milliseconds on top of its articles, so tasks are large; near the end
    each takes at most 1 / (2 ``jobs``) of what is left (but no fewer than ``_SMALLEST``
    articles), so that the workers finish at about the same time rather than one waiting for
    the other's last large task. A folder smaller than ``jobs`` tasks is shared out evenly.
    """
    largest = max(1, min(chunk, -(-total // jobs)))
    bounds, start = [], 0
    while start < total:
        size = min(largest, max(_SMALLEST, (total - start) // (2 * jobs)))
        bounds.append((start, min(total, start + size)))
        start += size
    return bounds


def _analyse_folder(folder, out, parties, pool, use_cache, progress, chunk, jobs) -> dict:
    problems: list[dict] = []
    cache_folder = cache_dir() if use_cache else None
    if cache_folder is not None and not _prepare_cache(cache_folder):
        cache_folder = None
    extra = (parties, cache_folder, _parties_key(parties))
    tasks = _tasks(_corpus_paths(folder), problems, chunk, jobs, extra)
    if pool is None:
        tasks = list(tasks)
        sizes = [len(task[0]) for task in tasks]
        results = map(_work, tasks)
    else:  # each task goes to the workers as soon as its files are read
        futures, sizes = deque(), []
        for task in tasks:
            futures.append(pool.submit(_work, task))
            sizes.append(len(task[0]))
        results = _in_order(futures)
    _warn_problems(problems)
    if not sizes:
        joined = "; ".join(problem["problem"] for problem in problems)
        raise ArticleError(f"{folder}: no article could be loaded ({joined})")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in TABLES}
    # the mentions are linked across articles at the end: they are gathered, the rest written
    written = [name for name in _STREAMED if name != "mentions"]
    handles = {name: paths[name].open("w", encoding="utf-8", newline="") for name in written}
    mentions: dict[str, list] = {}
    try:
        bar = _progress(sum(sizes), progress)
        for count, (size, result) in enumerate(zip(sizes, results, strict=True)):
            if count == 0:
                mentions = {name: [] for name in result["mentions"][0]}
                for name in written:
                    handles[name].write(pd.DataFrame(columns=result[name][0]).to_csv(**_CSV))
            for name in written:
                handles[name].write(result[name][1])
            with _collector_paused():
                _gather(mentions, result["mentions"][1])
            if bar is not None:
                bar.update(size)
        if bar is not None:
            bar.close()
    finally:
        for handle in handles.values():
            handle.close()
    # The workers exit while the mentions are linked: the pool is shut down in a thread, which is
    # waited for before returning. (Not ``shutdown(wait=False)``: its thread could still be closing
    # its pipes when Python exits, and Python's exit then writes to one of them, "Bad file
    # descriptor", about one run in twenty.)
    closing = threading.Thread(target=pool.shutdown) if pool is not None else None
    if closing is not None:
        closing.start()
    with _collector_paused():
        _write_linked(mentions, paths, parties)
    pd.DataFrame(problems, columns=PROBLEM_COLUMNS).to_csv(out / "problems.csv", **_CSV)
    paths["problems"] = out / "problems.csv"
    if closing is not None:
        closing.join()
    return paths
