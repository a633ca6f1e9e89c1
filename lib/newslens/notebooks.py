"""Execute the project's notebooks headless, in order, each from its own folder.

``python -m newslens.notebooks [NOTEBOOK ...] [--jobs N]`` runs every notebook (nbclient), one
per core at a time, never writes the notebooks back, and stops at the first error, naming the
notebook and the cell. The kernel sees ``NEWSLENS_HEADLESS=1``, so widgets fall back to static
tables.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from .paths import PROJECT_ROOT

__all__ = ["NotebookError", "list_notebooks", "run_notebook", "run_notebooks"]


class NotebookError(RuntimeError):
    """A notebook cell raised an error; the message names the notebook and the cell."""


def list_notebooks(folder: str | Path | None = None) -> list[Path]:
    """The notebooks in ``folder`` (default ``notebooks/``), in reading order (by file name)."""
    folder = Path(folder) if folder else PROJECT_ROOT / "notebooks"
    return sorted(p for p in folder.glob("[0-9]*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def run_notebook(path: str | Path, timeout: int = 600):
    """Execute one notebook top to bottom from its own folder; return the executed copy."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    path = Path(path).resolve()
    notebook = nbformat.read(path, as_version=4)
    os.environ["NEWSLENS_HEADLESS"] = "1"
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        index = next(
            (
                i
                for i, cell in enumerate(notebook.cells)
                if cell.cell_type == "code"
                and any(out.get("output_type") == "error" for out in cell.get("outputs", []))
            ),
            None,
        )
        where = f"cell {index + 1}" if index is not None else "a cell"
        source = notebook.cells[index].source.strip() if index is not None else ""
        first = source.splitlines()[0] if source else ""
        raise NotebookError(
            f"{path.name}, {where} ({first!r}) failed:\n{getattr(error, 'ename', '')}: "
            f"{getattr(error, 'evalue', '')}"
        ) from error
    return notebook


def _timed_run(path: Path, timeout: int) -> float:
    """Run one notebook (in a worker process); return the seconds it took."""
    started = time.perf_counter()
    run_notebook(path, timeout=timeout)  # the executed copy stays in the worker
    return time.perf_counter() - started


def run_notebooks(
    paths: list[Path] | None = None, timeout: int = 600, jobs: int | None = None
) -> None:
    """Execute ``paths`` (default: every notebook); stop at the first error.

    The notebooks do not read one another's results, so ``jobs`` of them (default: one per core)
    run at once, each with its own kernel; they are reported in reading order.
    """
    from concurrent.futures import ProcessPoolExecutor

    paths = list(paths or list_notebooks())
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(paths)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        runs = [pool.submit(_timed_run, Path(path), timeout) for path in paths]
        try:
            for path, run in zip(paths, runs, strict=True):
                seconds = run.result()
                print(f"ran {Path(path).name} in {seconds:.1f} s", file=sys.stderr)
        except BaseException:
            for run in runs:
                run.cancel()
            raise


def main(argv: list[str] | None = None) -> int:
    """Run notebooks from the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m newslens.notebooks", description=__doc__)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/*.ipynb")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument(
        "--jobs", type=int, default=None, help="notebooks run at once (default: one per core)"
    )
    args = parser.parse_args(argv)
    try:
        run_notebooks(args.notebooks or None, timeout=args.timeout, jobs=args.jobs)
    except NotebookError as error:
        print(f"newslens: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
