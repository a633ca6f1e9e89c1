"""The house style of every figure: one colour per party, titled axes, PNG and CSV side by side.

``save_figure`` writes ``NAME.png`` and the table it plots as ``NAME.csv`` into the figures folder,
with fixed metadata so that a rerun gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from .paths import figures_dir

__all__ = [
    "NO_PARTY",
    "STATUS_COLOURS",
    "articles_label",
    "party_colour",
    "party_colours",
    "remove_figure",
    "save_figure",
    "set_style",
    "shorten_label",
]

NO_PARTY = "(no party)"

# Fixed colours for the seed's parties; any other party gets a stable colour from _SPARE.
_FIXED = {
    "Pakistan": "#1b7837",
    "Taliban": "#8c510a",
    "TTP": "#b2182b",
    "ISKP": "#542788",
    NO_PARTY: "#9e9e9e",
    "": "#9e9e9e",
}
_SPARE = [
    "#2166ac",
    "#e08214",
    "#c51b7d",
    "#01665e",
    "#762a83",
    "#d6604d",
    "#4393c3",
    "#7f3b08",
    "#35978f",
    "#de77ae",
]

# Colours for the sentence strips of notebook 04 (attributed sentences use their source's colour).
STATUS_COLOURS = {"hedged": "#fdb863", "unsourced": "#d9d9d9"}


def party_colour(party: str | None) -> str:
    """The colour of ``party`` in every figure: fixed for known parties, stable for the rest."""
    party = "" if party is None or (isinstance(party, float) and pd.isna(party)) else str(party)
    if party in _FIXED:
        return _FIXED[party]
    digest = hashlib.sha1(party.encode("utf-8")).digest()
    return _SPARE[digest[0] % len(_SPARE)]


def party_colours(parties) -> list[str]:
    """Colours for a sequence of party names."""
    return [party_colour(p) for p in parties]


def articles_label(n: int) -> str:
    """``"1 article"`` or ``"839 articles"``: the 'over which articles' part of a title."""
    return f"{n:,} article" if n == 1 else f"{n:,} articles"


def shorten_label(label: str, width: int = 40) -> str:
    """``label`` on one line, cut to at most ``width`` characters with an ellipsis when longer."""
    label = " ".join(str(label).split())
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"


def set_style() -> None:
    """Apply the house style to matplotlib (fonts, grid, sizes); call once per notebook."""
    import matplotlib.pyplot as plt  # here, so that the command line never pays for matplotlib

    plt.rcParams.update(
        {
            "figure.figsize": (8, 4.5),
            "figure.dpi": 100,
            "savefig.dpi": 120,
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "svg.hashsalt": "newslens",
        }
    )


def save_figure(
    fig,
    name: str,
    data: pd.DataFrame,
    *,
    source: str | None = None,
    folder: str | Path | None = None,
) -> Path:
    """Save ``fig`` as ``NAME.png`` and ``data`` as ``NAME.csv`` in the figures folder.

    ``name`` starts with the notebook's number (``01-article-length``). ``source`` is written as a
    footnote under the figure. The PNG carries no timestamp or software tag, so reruns are
    byte-identical. Returns the PNG's path.
    """
    folder = Path(folder) if folder is not None else figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    if source:
        fig.text(0.01, 0.005, source, fontsize=7, color="#555555", ha="left", va="bottom")
    fig.tight_layout(rect=(0, 0.03 if source else 0, 1, 1))
    png = folder / f"{name}.png"
    fig.savefig(png, metadata={"Software": None})
    data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    return png


def remove_figure(name: str, *, folder: str | Path | None = None) -> list[Path]:
    """Delete ``NAME.png`` and ``NAME.csv`` from the figures folder, for a figure not made this run.

    A notebook that skips a figure (one article, no dates) calls it, so that no stale copy from an
    earlier run is left beside the fresh ones. Returns the paths removed.
    """
    folder = Path(folder) if folder is not None else figures_dir()
    removed = []
    for path in (folder / f"{name}.png", folder / f"{name}.csv"):
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
