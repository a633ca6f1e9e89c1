"""Shared fixtures: the seed article and small corpora written for each test."""

from pathlib import Path

import pytest

import newslens
from newslens.paths import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "000_abad502eff8d374b.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article's file."""
    return SEED


@pytest.fixture(scope="session")
def seed_articles():
    """The seed corpus as loaded by the library."""
    return newslens.load_articles(SEED.parent)


@pytest.fixture(scope="session")
def seed_sentences(seed_articles):
    """The seed's sentences (headline = 0)."""
    return newslens.find_sentences(seed_articles)


@pytest.fixture
def write(tmp_path: Path):
    """Write a file into a temporary folder: ``write(name, text_or_bytes)`` returns its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        return path

    return _write
