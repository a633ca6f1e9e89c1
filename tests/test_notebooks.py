"""Every notebook runs top to bottom, from its own folder, and writes its figures with data."""

import pytest

from newslens.notebooks import NotebookError, list_notebooks, run_notebook, run_notebooks

NOTEBOOKS = list_notebooks()


def test_notebooks_are_committed_clean():
    import nbformat

    assert NOTEBOOKS, "no notebooks found"
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            if cell.cell_type == "code":
                assert not cell.outputs, f"{path.name} is committed with outputs"
                assert cell.execution_count is None, f"{path.name} has execution counts"


@pytest.mark.notebook
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_writes_its_figures(path, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSLENS_FIGURES", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    run_notebook(path)
    number = path.name.split("-")[0]
    pngs = sorted(tmp_path.glob(f"{number}-*.png"))
    if number != "05":  # the explore notebook shows widgets, not figures
        assert pngs, f"{path.name} wrote no figures"
    for png in pngs:
        assert png.with_suffix(".csv").exists(), f"{png.name} has no CSV beside it"


def test_a_failing_cell_is_named(tmp_path):
    import nbformat

    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    )
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path = tmp_path / "99-broken.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(NotebookError, match=r"(?s)99-broken\.ipynb, cell 2 .*ZeroDivisionError"):
        run_notebook(path)


def _write_notebook(path, *sources):
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)
    return path


def test_notebooks_run_side_by_side_and_report_in_reading_order(tmp_path, capsys):
    first = _write_notebook(tmp_path / "01-a.ipynb", "open('a.txt', 'w').write('a')")
    second = _write_notebook(tmp_path / "02-b.ipynb", "open('b.txt', 'w').write('b')")
    run_notebooks([first, second], jobs=2)
    assert (tmp_path / "a.txt").read_text() == "a" and (tmp_path / "b.txt").read_text() == "b"
    lines = capsys.readouterr().err.splitlines()
    assert [line.split()[1] for line in lines] == ["01-a.ipynb", "02-b.ipynb"]


def test_a_failing_notebook_among_several_is_named(tmp_path):
    good = _write_notebook(tmp_path / "01-good.ipynb", "x = 1")
    bad = _write_notebook(tmp_path / "02-bad.ipynb", "x = 1", "raise ValueError('no')")
    with pytest.raises(NotebookError, match=r"(?s)02-bad\.ipynb, cell 2 .*ValueError"):
        run_notebooks([good, bad], jobs=2)
