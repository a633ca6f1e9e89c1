"""How well do the sentence-level lexicons agree with people on news prose?

    python -m benchmarks.vader_nyt ../shared/eval/vader-nyt/nytEditorialSnippets_GroundTruth.txt

The file (Hutto & Gilbert, ICWSM 2014; MIT) holds New York Times editorial snippets, each rated
by 20 people from -4 to 4: ``id <TAB> mean rating <TAB> text``. Prints the Pearson correlation of
``textblob-sentence`` and ``vader-sentence`` with the mean rating, and the share of snippets whose
sign (±0.05 thresholds; people: mean rating beyond ±0.5) agrees. The target method needs a target
and is not measured here.
"""

from __future__ import annotations

import argparse

import numpy as np

from newslens.sentiments import score_sentence

METHODS = ("textblob-sentence", "vader-sentence")


def read_snippets(path) -> list[tuple[float, str]]:
    """Return ``(mean rating, text)`` for each snippet of the file."""
    rows = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 3:
                rows.append((float(parts[1]), "\t".join(parts[2:])))
    return rows


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="path to nytEditorialSnippets_GroundTruth.txt")
    args = parser.parse_args(argv)
    rows = read_snippets(args.file)
    human = np.array([r for r, _ in rows])
    people = np.sign(human) * (np.abs(human) > 0.5)
    print(f"{len(rows)} snippets")
    for method in METHODS:
        results = [score_sentence(text, method) for _, text in rows]
        scores = np.array([r.score for r in results])
        labels = np.array([r.label for r in results])
        r = np.corrcoef(scores, human)[0, 1]
        print(
            f"{method:<20} Pearson r {r:.3f}   same sign as people {np.mean(labels == people):.3f}"
        )


if __name__ == "__main__":
    main()
