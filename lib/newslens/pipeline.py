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
import warnings
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
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
from .overview import describe_articles, describe_sentences
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
    sized = describe_sentences(sentences)
    mentions = find_mentions(article, sentences, parties)
    attributions = find_attributions(article, sentences, mentions)
    return {
        "articles": describe_articles(article, sized),
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
    lines = _csv_lines(frame)
    return frame.to_csv(header=False, **_CSV) if lines is None else _lines_text(lines)


def _lines_text(lines: list[str]) -> str:
    """Lines of CSV as text, each ending in "\\n"."""
    return "\n".join(lines) + "\n" if lines else ""


def _csv_lines(frame: pd.DataFrame) -> list[str] | None:
    """Each row of ``frame`` as a line of CSV (without its line end), or None to ask pandas.

    pandas turns each column into strings (floats through numpy's ``astype(str)``, missing
    values into "") and hands the rows to ``csv.writer``; this does the same, column by column,
    and joins the fields itself (``_join_fields``). A table with a column of another kind
    (dates) is left to pandas.
    """
    columns = []
    for _, series in frame.items():
        kind = series.dtype.kind
        if isinstance(series.dtype, np.dtype) and kind in "fiub":
            columns.append(_number_texts(series.to_numpy()))
        elif kind == "f":
            values = series.to_numpy().astype(str)
            values[series.isna().to_numpy()] = ""
            columns.append(values.tolist())
        elif kind in "iubO":
            # Speed: a column of strings only holds no missing value, so that is checked first
            # (asking pandas for missing values first cost as much again)
            values = series.to_numpy(dtype=object).tolist()
            if kind != "O" or not set(map(type, values)) <= {str}:
                missing = {"na_value": ""} if series.hasnans else {}
                values = series.to_numpy(dtype=object, **missing).tolist()
                values = list(map(str, values))  # what csv.writer makes of a number or a bool
            columns.append(values)
        else:
            return None
    return _join_fields(columns)


def _number_texts(values: np.ndarray) -> list[str]:
    """A numpy column of numbers or booleans as pandas writes it in CSV ("" for NaN).

    Floats are written as numpy's ``astype(str)`` writes them, the others as ``str`` writes their
    Python value. Speed: a column's values repeat (sentence numbers, labels, scores), and turning
    a float into text costs numpy thousands of instructions: each distinct value (by its bits,
    so that 0.0 and -0.0 stay apart) is written once and its text dealt out, the same texts.
    """
    bits = values.view(f"u{values.itemsize}") if values.dtype.kind == "f" else values
    distinct, where = np.unique(bits, return_inverse=True)
    distinct = distinct.view(values.dtype)
    if values.dtype.kind == "f":
        texts = distinct.astype(str).astype(object)
        texts[np.isnan(distinct)] = ""
    else:
        texts = np.array(list(map(str, distinct.tolist())), dtype=object)
    return texts[where].tolist()


def _join_fields(columns: list[list[str]]) -> list[str] | None:
    """The rows of ``columns`` (lists of strings) as ``csv.writer`` writes them, without line ends.

    ``csv.writer`` quotes a field holding a comma, a quote mark or a line break, doubling its
    quote marks, and joins the fields with commas. Each column is checked once, joined into one
    string, and only a column with such a character is quoted field by field; the rows are then
    joined in one pass. A carriage return (which Python versions quote differently) or a table
    of one column (where an empty field is quoted) gives None: the caller asks ``csv`` instead.
    """
    if len(columns) < 2:
        return None
    quoted = []
    for values in columns:
        joined = "".join(values)
        if "\r" in joined:
            return None
        if "," in joined or '"' in joined or "\n" in joined:
            values = [
                '"' + v.replace('"', '""') + '"' if "," in v or '"' in v or "\n" in v else v
                for v in values
            ]
        quoted.append(values)
    return list(map(",".join, zip(*quoted, strict=True)))


def _csv_by_article(tables: dict, names: list[str]) -> dict[str, dict]:
    """Each article's rows of each streamed table, as CSV text: what the cache keeps.

    The chunk's table is formatted once and its lines dealt out by article. A table that pandas
    formats (one with dates) is cut into lines at its line ends, or, should a field hold a line
    break, formatted article by article.
    """
    pieces: dict[str, dict] = {name: {} for name in names}
    for table in _STREAMED:
        frame = tables[table]
        columns = list(frame.columns)
        lines = _csv_lines(frame)
        if lines is None:
            lines = frame.to_csv(header=False, **_CSV).split("\n")[:-1]
        if len(lines) != len(frame):
            for name in names:
                rows = frame[frame["article"] == name]
                pieces[name][table] = (columns, rows.to_csv(header=False, **_CSV))
            continue
        dealt: dict[str, list[str]] = {name: [] for name in names}
        for key, line in zip(frame["article"].tolist(), lines, strict=True):
            dealt[key].append(line)
        for name in names:
            pieces[name][table] = (columns, _lines_text(dealt[name]))
    return pieces


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
    any(map(_blocking, set(columns["entity"][-len(rows) :])))
    any(map(_forms, set(columns["text"][-len(rows) :])))


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
            lines = _join_fields(texts)
            if lines is None:
                writer.writerows(zip(*table.values(), strict=True))
            else:
                handle.write(_lines_text(lines))


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
    if pool is not None:
        pool.shutdown(wait=False)  # the workers exit while the mentions are linked
    with _collector_paused():
        _write_linked(mentions, paths, parties)
    pd.DataFrame(problems, columns=PROBLEM_COLUMNS).to_csv(out / "problems.csv", **_CSV)
    paths["problems"] = out / "problems.csv"
    return paths
