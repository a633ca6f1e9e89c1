"""Read the package's word lists: small, commented CSV files in ``newslens/data``."""

from __future__ import annotations

import csv
from functools import cache
from io import StringIO

import pandas as pd

from .paths import DATA

__all__ = ["read_table", "read_words"]


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
