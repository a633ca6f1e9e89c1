"""Where the project's folders are, anchored to this file, never to the current directory.

``NEWSLENS_SEEDS`` and ``NEWSLENS_FIGURES`` point the notebooks at another corpus and another
figures folder (``make figures SEEDS=DIR FIGURES=DIR`` sets them).
"""

import os
from pathlib import Path

__all__ = ["PROJECT_ROOT", "DATA", "seeds_dir", "figures_dir", "cache_dir", "kept_dir"]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"


def seeds_dir() -> Path:
    """The folder of articles the notebooks read (``seeds/`` unless ``NEWSLENS_SEEDS`` is set)."""
    return Path(os.environ.get("NEWSLENS_SEEDS") or PROJECT_ROOT / "seeds").resolve()


def figures_dir() -> Path:
    """The folder the notebooks write figures to (``figures/`` unless ``NEWSLENS_FIGURES``)."""
    return Path(os.environ.get("NEWSLENS_FIGURES") or PROJECT_ROOT / "figures").resolve()


def cache_dir() -> Path:
    """The folder for per-article cached results (``.cache/`` unless ``NEWSLENS_CACHE``)."""
    return Path(os.environ.get("NEWSLENS_CACHE") or PROJECT_ROOT / ".cache").resolve()


def kept_dir() -> Path:
    """The folder for word lists built from the installed packages (``lexicons.kept``): beside
    the library's bytecode, as they depend on the code and the packages, not on the articles."""
    return Path(__file__).resolve().parent / "__pycache__"
