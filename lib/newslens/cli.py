"""The command line: ``python -m newslens analyse FOLDER --out DIR``."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from .articles import ArticleError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m newslens", description="Take news articles apart into tables (CSV)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    analyse = commands.add_parser(
        "analyse", help="analyse every .txt article in FOLDER and write its tables as CSV"
    )
    analyse.add_argument("folder", type=Path, help="folder of .txt articles")
    analyse.add_argument(
        "--out", type=Path, required=True, help="folder to write the CSV tables to"
    )
    analyse.add_argument(
        "--parties",
        type=Path,
        default=None,
        help="parties table (default: FOLDER/parties.csv when it exists)",
    )
    analyse.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    analyse.add_argument(
        "--chunk", type=int, default=100, help="most articles a worker takes at once (default: 100)"
    )
    analyse.add_argument(
        "--no-cache", action="store_true", help="ignore cached per-article results"
    )
    analyse.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _load_parties(folder: Path, path: Path | None):
    """The table ``--parties`` names, else ``FOLDER/parties.csv``, else None (own parties)."""
    from .parties import find_parties, load_parties

    return load_parties(path) if path is not None else find_parties(folder)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    from .pipeline import analyse_folder

    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            parties = _load_parties(args.folder, args.parties)
            paths = analyse_folder(
                args.folder,
                args.out,
                parties=parties,
                jobs=args.jobs,
                chunk=args.chunk,
                use_cache=not args.no_cache,
                progress=not args.quiet,
            )
        except (FileNotFoundError, ArticleError, ValueError) as error:
            print(f"newslens: error: {error}", file=sys.stderr)
            return 2
    for warning in caught:
        print(f"newslens: warning: {warning.message}", file=sys.stderr)
    seconds = time.perf_counter() - started
    if not args.quiet:
        for path in paths.values():
            print(f"wrote {path}", file=sys.stderr)
        print(f"done in {seconds:.1f} s", file=sys.stderr)
    return 0
