"""Read the table that maps entities and their aliases to parties (``seeds/parties.csv``).

The table has one row per name: ``party, name`` (the name as it is written in articles: a full
name, an acronym, a spelling variant or a nationality word such as "Pakistani"). Lines starting
with ``#`` are comments. An entity belongs to a party when its name or any of its aliases is in the
table; an entity with no match keeps an empty party.

A folder of articles may hold its own table: ``find_parties(folder)`` reads ``FOLDER/parties.csv``
and returns None when there is none. Without a table, ``assign_parties`` lets every person and
organisation stand as its own party (the rule of the command line and of every notebook).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

__all__ = [
    "OWN_PARTY_KINDS",
    "PARTY_COLUMNS",
    "PartiesError",
    "assign_parties",
    "describe_parties",
    "find_parties",
    "load_parties",
    "party_key",
]

PARTY_COLUMNS = ["party", "name"]
_OPTIONAL = ["note"]
PARTIES_FILE = "parties.csv"
# Without a parties table, the entities of these kinds stand as their own party.
OWN_PARTY_KINDS = ("person", "organisation")


class PartiesError(ValueError):
    """A parties table that cannot be used; the message names the file, the row and the problem."""


def party_key(name: str) -> str:
    """The form a name is compared in: case, spacing and curly apostrophes ignored."""
    return " ".join(name.replace("’", "'").replace("‐", "-").split()).casefold()


def load_parties(path: str | Path) -> pd.DataFrame:
    """Read a parties table: one row per ``party, name``, checked for problems.

    Raises ``PartiesError`` naming the file and line for an unknown or missing column, an empty
    party or name, and a name given to two different parties. Repeated rows are kept once.
    Returns a DataFrame with columns ``party, name`` (and ``note`` when the file has it).
    """
    path = Path(path)
    if not path.is_file():
        raise PartiesError(f"{path}: no such file (expected a CSV with columns party,name)")
    lines = [
        (number, line)
        for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not lines:
        raise PartiesError(f"{path}: the file has no header line (expected: party,name)")
    rows = list(csv.reader([line for _, line in lines]))
    header = [cell.strip() for cell in rows[0]]
    unknown = [c for c in header if c not in PARTY_COLUMNS + _OPTIONAL]
    if unknown:
        raise PartiesError(
            f"{path}, line {lines[0][0]}: unknown column {unknown[0]!r}; "
            f"the columns are {', '.join(PARTY_COLUMNS)} (and optionally {', '.join(_OPTIONAL)})"
        )
    missing = [c for c in PARTY_COLUMNS if c not in header]
    if missing:
        raise PartiesError(f"{path}, line {lines[0][0]}: missing column {missing[0]!r}")
    columns = [c for c in PARTY_COLUMNS + _OPTIONAL if c in header]
    records, owner = [], {}
    for (number, _), row in zip(lines[1:], rows[1:], strict=True):
        if len(row) > len(header):
            raise PartiesError(
                f"{path}, line {number}: {len(row)} cells but {len(header)} columns "
                "(put a name that holds a comma in double quotes)"
            )
        cells = dict(zip(header, [cell.strip() for cell in row], strict=False))
        party, name = cells.get("party", ""), cells.get("name", "")
        if not party:
            raise PartiesError(f"{path}, line {number}: empty party (for name {name!r})")
        if not name:
            raise PartiesError(f"{path}, line {number}: empty name (for party {party!r})")
        key = party_key(name)
        if key in owner:
            first_party, first_line = owner[key]
            if first_party != party:
                raise PartiesError(
                    f"{path}, line {number}: {name!r} is mapped to {party!r} but line "
                    f"{first_line} maps it to {first_party!r}; a name belongs to one party"
                )
            continue
        owner[key] = (party, number)
        records.append(tuple(cells.get(c, "") for c in columns))
    return pd.DataFrame(records, columns=columns)


def find_parties(folder: str | Path) -> pd.DataFrame | None:
    """The parties table of a folder of articles: ``FOLDER/parties.csv`` loaded, or None.

    None means the folder has no table; ``assign_parties`` then lets every person and organisation
    stand as its own party. A table that exists but has a problem raises ``PartiesError``.
    """
    path = Path(folder) / PARTIES_FILE
    return load_parties(path) if path.is_file() else None


def describe_parties(folder: str | Path, parties: pd.DataFrame | None) -> str:
    """One sentence for a notebook's paths cell: which parties table was read, or what its absence
    means."""
    path = Path(folder) / PARTIES_FILE
    if parties is None:
        return (
            f"no parties table ({path} does not exist): every person and organisation stands as "
            "its own party"
        )
    return f"{path} ({parties['party'].nunique()} parties, {len(parties)} names)"


def assign_parties(mentions: pd.DataFrame, parties: pd.DataFrame | None) -> pd.DataFrame:
    """The mentions with the party each one counts for.

    With a parties table, the ``party`` that ``find_mentions`` gave them (empty for entities in no
    party). Without one (``parties`` is None), every person and organisation stands as its own
    party: ``party`` holds the entity's name, and places and other names have none (""). Returns a
    copy; the columns are those of ``mentions``.
    """
    mentions = mentions.copy()
    if parties is None:
        own = mentions["kind"].isin(OWN_PARTY_KINDS)
        mentions["party"] = mentions["entity"].where(own, "")
    return mentions
