"""Load news articles from ``.txt`` files into a table, reporting every file it cannot load.

An article file is a headline, a blank line, then the body, one paragraph per line (blank lines
between paragraphs are allowed). Two optional lines are recognised:

* a date line right after the headline, such as ``Mar 27, 2023``;
* a wire dateline opening the first paragraph, such as ``Kabul [Afghanistan], March 27 :`` or
  ``WASHINGTON (AP) --``.

The article's ``text`` is the file decoded, with a byte-order mark removed and Windows line endings
turned into ``\\n``; every character offset in the project points into that text.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd

__all__ = [
    "ARTICLE_COLUMNS",
    "PROBLEM_COLUMNS",
    "ArticleError",
    "Corpus",
    "Layout",
    "find_layout",
    "load_article",
    "load_articles",
    "load_corpus",
]

ARTICLE_COLUMNS = ["article", "title", "date", "place", "country", "text", "path"]
PROBLEM_COLUMNS = ["file", "problem", "action"]

_DATE_FORMATS = (
    "%b %d, %Y",
    "%B %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%A, %B %d, %Y",
    "%B %d %Y",
)

# "Kabul [Afghanistan], March 27 :", "Islamabad, Mar 27 (ANI):", "Delhi [India], March 27 (ANI):"
_DATELINE_PLACE = re.compile(
    r"^(?P<place>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
    r"(?:\s*\[(?P<country>[^\]\n]{2,40})\])?"
    r",\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)"
    r"\s*(?:\([A-Za-z]{2,10}\))?\s*[:–—-]+\s+"
)
# "WASHINGTON (AP) --", "LONDON, England (Reuters) -", "KABUL —"
_DATELINE_CAPS = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"
    r"(?:,\s*(?P<country>[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?))?"
    r"\s*(?:\((?:AP|Reuters|AFP|ANI|UPI|dpa|PTI|IANS)\))?\s*(?:--|[–—:-])\s+"
)


class ArticleError(ValueError):
    """An article file that cannot be loaded; the message names the file and the problem."""


class Corpus(NamedTuple):
    """The loaded articles and a table of the files that could not be loaded, or needed repair."""

    articles: pd.DataFrame
    problems: pd.DataFrame


@dataclass(frozen=True)
class Layout:
    """Character spans of an article's parts in its text: headline, date line, dateline, body."""

    title: tuple[int, int]
    date_line: tuple[int, int] | None
    dateline: tuple[int, int] | None
    paragraphs: tuple[tuple[int, int], ...]


# Every one of ``_DATE_FORMATS`` holds a number (``%d``, ``%m``, ``%y`` or ``%Y``), which
# ``strptime`` reads with ``\d``: a line without such a digit is no date, and is told so without
# trying each format.
_DIGIT = re.compile(r"\d")


def _parse_date(line: str) -> datetime | None:
    line = line.strip()
    if len(line) > 40 or not _DIGIT.search(line):
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(line, fmt)
        except ValueError:
            continue
    return None


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines, trimmed of surrounding whitespace."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if line.strip():
            start = match.start() + len(line) - len(line.lstrip())
            end = match.end() - (len(line) - len(line.rstrip()))
            spans.append((start, end))
    return spans


def find_layout(text: str) -> Layout:
    """Find the headline, the optional date line and dateline, and the body paragraphs."""
    spans = _line_spans(text)
    if not spans:
        raise ArticleError("the text is empty")
    title, rest = spans[0], spans[1:]
    date_line = None
    if rest and _parse_date(text[slice(*rest[0])]) is not None:
        date_line, rest = rest[0], rest[1:]
    dateline = None
    if rest:
        first = text[slice(*rest[0])]
        match = _DATELINE_PLACE.match(first) or _DATELINE_CAPS.match(first)
        if match and match.end() < len(first):
            start = rest[0][0]
            dateline = (start, start + match.end())
            rest = [(start + match.end(), rest[0][1]), *rest[1:]]
    return Layout(title, date_line, dateline, tuple(rest))


# Control characters other than tab and newline (and "\r", read as a line ending): many of them
# mean a binary file, not text. UTF-8 and Windows-1252 both write each of them as that one byte
# and use the byte for nothing else.
_CONTROL_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode a file's bytes, returning the text and the repairs made on the way."""
    repairs = []
    if not data.strip():
        raise ArticleError(f"{name}: the file is empty (or holds only whitespace)")
    if b"\x00" in data[:4096]:
        raise ArticleError(f"{name}: the file looks binary (it holds NUL bytes), not text")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        repairs.append("removed a UTF-8 byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ArticleError(
                f"{name}: the text is neither UTF-8 nor Windows-1252 (byte {error.start}); "
                "save it as UTF-8 and reload"
            ) from None
        repairs.append(
            f"not UTF-8 (byte {error.start}); read as Windows-1252 (cp1252): "
            "check its quotes and dashes, or save it as UTF-8"
        )
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repairs.append("turned Windows line endings into \\n")
    # Speed: counted in the bytes, which ``bytes.translate`` drops in one pass (a tenth of the
    # time a pattern takes to find them in the text): the same count, as the text holds no "\r"
    # and a removed mark or a decoded character holds none of these bytes.
    control = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if control > max(2, len(text) // 100):
        raise ArticleError(
            f"{name}: the file looks binary ({control} control characters), not text"
        )
    if not text.strip():
        raise ArticleError(f"{name}: the file is empty (or holds only whitespace)")
    return text, repairs


def _read(path: Path) -> tuple[dict, list[str]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ArticleError(f"{path.name}: cannot be read ({error.strerror})") from None
    text, repairs = _decode(data, path.name)
    layout = find_layout(text)
    date = _parse_date(text[slice(*layout.date_line)]) if layout.date_line else None
    place = country = ""
    if layout.dateline:
        head = text[slice(*layout.dateline)]
        match = _DATELINE_PLACE.match(head) or _DATELINE_CAPS.match(head)
        place = match.group("place").strip()
        place = place.title() if place.isupper() else place
        country = (match.group("country") or "").strip()
    row = {
        "article": path.stem,
        "title": text[slice(*layout.title)],
        "date": pd.Timestamp(date) if date else pd.NaT,
        "place": place,
        "country": country,
        "text": text,
        "path": str(path),
    }
    return row, repairs


def load_article(path: str | Path) -> dict:
    """Load one article file as a dict with the columns of ``ARTICLE_COLUMNS``.

    Raises ``ArticleError`` naming the file when it is empty, binary or undecodable.
    """
    path = Path(path)
    if not path.is_file():
        raise ArticleError(f"{path}: no such file")
    row, repairs = _read(path)
    for repair in repairs:
        warnings.warn(f"{path.name}: {repair}", stacklevel=2)
    return row


def load_corpus(folder: str | Path) -> Corpus:
    """Load every ``.txt`` file in ``folder``; report the ones that cannot be loaded.

    Returns the articles (sorted by file name) and a table of problems with columns
    ``file, problem, action``: ``skipped`` files are not in the articles, ``loaded`` ones were
    repaired on the way. Each problem is also issued as a warning. Raises ``FileNotFoundError``
    for a missing folder and ``ArticleError`` when the folder holds no ``.txt`` file.
    """
    problems: list[dict] = []
    rows = list(_read_corpus(_corpus_paths(folder), problems))
    _warn_problems(problems)
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    articles["date"] = pd.to_datetime(articles["date"])
    return Corpus(articles, pd.DataFrame(problems, columns=PROBLEM_COLUMNS))


def _corpus_paths(folder: str | Path) -> list[Path]:
    """The ``.txt`` files in ``folder``, sorted by name (what ``load_corpus`` reads).

    Raises ``FileNotFoundError`` for a missing folder and ``ArticleError`` when it holds none.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: no such folder (expected a folder of .txt articles)")
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".txt" and p.is_file())
    if not paths:
        raise ArticleError(f"{folder}: the folder holds no .txt files; add articles as .txt files")
    return paths


def _read_corpus(paths: list[Path], problems: list[dict]) -> Iterator[dict]:
    """Each loadable article of ``paths`` as a row (a dict), one file after another.

    A file that cannot be loaded, or holds the same text as one before it, is skipped; it and
    every repair made on the way are added to ``problems`` (``file, problem, action``). The
    command line reads a folder so, handing articles to its workers while it reads the rest.
    """
    seen: dict[bytes, str] = {}  # a digest of each text loaded (its words) -> its file's name
    for path in paths:
        try:
            row, repairs = _read(path)
        except ArticleError as error:
            problems.append({"file": path.name, "problem": str(error), "action": "skipped"})
            continue
        problems += [{"file": path.name, "problem": r, "action": "loaded"} for r in repairs]
        # Two texts are the same when their words are; the digest, not the text, is kept, so
        # that reading a large folder does not hold every text it has read.
        key = hashlib.blake2b(" ".join(row["text"].split()).encode(), digest_size=16).digest()
        if key in seen:
            problems.append(
                {
                    "file": path.name,
                    "problem": f"same text as {seen[key]}, which is loaded instead",
                    "action": "skipped",
                }
            )
            continue
        seen[key] = path.name
        yield row


def _warn_problems(problems: list[dict]) -> None:
    """Issue each problem ``_read_corpus`` found as a warning that names the file."""
    for problem in problems:
        message = problem["problem"]
        prefix = "" if message.startswith(problem["file"]) else f"{problem['file']}: "
        warnings.warn(f"{prefix}{message} ({problem['action']})", stacklevel=3)


def load_articles(folder: str | Path) -> pd.DataFrame:
    """Load every ``.txt`` file in ``folder`` as one row per article (see ``load_corpus``)."""
    return load_corpus(folder).articles
