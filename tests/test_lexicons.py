"""The kept word lists: built once, read back from disk, built again when the file is no good."""

import pickle

import pytest

from newslens import entities, lexicons, sentiments


@pytest.fixture
def builds(tmp_path, monkeypatch):
    """A loader that counts its builds, kept in ``tmp_path``: returns (new kept loader, calls)."""
    monkeypatch.setattr(lexicons, "kept_dir", lambda: tmp_path)
    calls = []

    def _words():
        calls.append(1)
        return {"crisis": -0.5, "names": frozenset({"Kabul", "Islamabad"})}

    return (lambda: lexicons.kept(_words)), calls


def test_kept_value_is_built_once_then_read_back(builds, tmp_path):
    loader, calls = builds
    value = loader()()
    assert value == {"crisis": -0.5, "names": frozenset({"Kabul", "Islamabad"})}
    (path,) = tmp_path.glob("*.pickle")
    assert path.name.startswith("test_lexicons._words-")
    assert loader()() == value  # a new process would read the file: no second build
    assert len(calls) == 1
    assert not list(tmp_path.glob("*.tmp"))


def test_damaged_file_is_built_again_and_replaced(builds, tmp_path):
    loader, calls = builds
    value = loader()()
    (path,) = tmp_path.glob("*.pickle")
    path.write_bytes(b"not a pickle")
    assert loader()() == value
    assert len(calls) == 2
    assert pickle.loads(path.read_bytes()) == value


def test_files_of_other_versions_are_removed(builds, tmp_path):
    loader, _ = builds
    old = tmp_path / "test_lexicons._words-0123456789abcdef.pickle"
    old.write_bytes(pickle.dumps({"old": 1.0}))
    other = tmp_path / "test_lexicons._other-0123456789abcdef.pickle"
    other.write_bytes(b"")
    loader()()
    assert not old.exists() and other.exists()
    assert len(list(tmp_path.glob("test_lexicons._words-*.pickle"))) == 1


def test_unwritable_folder_still_gives_the_value(tmp_path, monkeypatch):
    blocked = tmp_path / "a file"
    blocked.write_text("")
    monkeypatch.setattr(lexicons, "kept_dir", lambda: blocked / "kept")

    def _places():
        return {"kabul": "Kabul"}

    assert lexicons.kept(_places)() == {"kabul": "Kabul"}


@pytest.mark.parametrize(
    "loader",
    [
        entities._places,
        entities._lexicon,
        sentiments._prior_lexicon,
        sentiments._textblob_entries,
    ],
)
def test_kept_word_lists_equal_a_fresh_build(loader):
    assert loader() == loader.__wrapped__()
