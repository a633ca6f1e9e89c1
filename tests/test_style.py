import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from newslens.style import (  # noqa: E402
    articles_label,
    party_colour,
    remove_figure,
    save_figure,
    shorten_label,
)


def _figure():
    fig, ax = plt.subplots()
    ax.bar(["Pakistan", "Taliban"], [3, 2], color=[party_colour("Pakistan"), party_colour("TTP")])
    ax.set_title("Mentions, 1 article")
    return fig


def test_figures_are_byte_identical_when_regenerated(tmp_path):
    data = pd.DataFrame({"party": ["Pakistan", "Taliban"], "mentions": [3, 2]})
    first = save_figure(_figure(), "01-test", data, source="test", folder=tmp_path / "a")
    second = save_figure(_figure(), "01-test", data, source="test", folder=tmp_path / "b")
    assert first.read_bytes() == second.read_bytes()
    assert first.with_suffix(".csv").read_text() == "party,mentions\nPakistan,3\nTaliban,2\n"


def test_party_colours_are_fixed_and_distinct():
    seed = [party_colour(p) for p in ("Pakistan", "Taliban", "TTP", "ISKP")]
    assert len(set(seed)) == 4
    assert party_colour("Hamas") == party_colour("Hamas")
    assert party_colour("") == party_colour(None)


def test_articles_label():
    assert articles_label(1) == "1 article"
    assert articles_label(1008) == "1,008 articles"


def test_remove_figure_deletes_both_files_and_nothing_else(tmp_path):
    data = pd.DataFrame({"party": ["Pakistan"], "mentions": [3]})
    save_figure(_figure(), "03-gone", data, folder=tmp_path)
    save_figure(_figure(), "03-kept", data, folder=tmp_path)
    removed = remove_figure("03-gone", folder=tmp_path)
    assert sorted(p.name for p in removed) == ["03-gone.csv", "03-gone.png"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["03-kept.csv", "03-kept.png"]
    assert remove_figure("03-gone", folder=tmp_path) == []


def test_shorten_label_cuts_long_labels_only():
    assert shorten_label("Short title") == "Short title"
    long = shorten_label("The Ninth Circle: The Hellish View from Inside the Beltway", 20)
    assert long == "The Ninth Circle: T…" and len(long) == 20
    assert shorten_label("two\nlines") == "two lines"
