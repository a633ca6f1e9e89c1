"""Count PolNeAR's gold cue words in a training split, to extend newslens' cue lexicon.

Usage::

    python -m benchmarks.polnear_cues SPLIT_DIR [--min-gold 4] [--min-ratio 0.5]
        [--state-min 3] [--state-precision 0.5] [--write]

For every lower-case word of the training texts it counts how often the word sits inside a gold
cue (reference annotator only) and how often it occurs at all. Words that are a cue at least
``--min-gold`` times and in at least ``--min-ratio`` of their occurrences, that are letters
only, not adverbs in -ly and not yet in ``data/attribution_cues.csv``, are printed; ``--write``
saves them to ``lib/newslens/data/attribution_cues_polnear.csv`` with the counts and the command
as provenance.
The library treats these words as ``speech`` cues (a cue even with no source found), neutral.

Rarer words (inside a gold cue at least twice, below the ratio) are then tried as ``state`` cues
(a cue only after a subject): the detector runs over the split with all of them added, and a word
is kept when it was predicted at least ``--state-min`` times and at least ``--state-precision`` of
its predictions match a gold cue. Only counts are written, never text from the corpus.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

import pandas as pd

import newslens
from benchmarks.polnear import find_ann, predict, read_ann, read_reference
from benchmarks.polnear import match as match_cues
from newslens import attributions
from newslens.lexicons import read_table
from newslens.paths import DATA

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_FUNCTION = frozenset(
    """a an the of to in on at for by with from about as and or but that this it is was were are
    be been has have had not his her their its he she they we i you""".split()
)


def count_cues(split: Path) -> tuple[Counter, Counter]:
    """Per lower-case word: times inside a gold cue, and times in the texts."""
    reference = read_reference(split)
    gold, total = Counter(), Counter()
    for path in sorted((split / "text").glob("*.txt")):
        text = path.read_bytes().decode("utf-8")
        ann = find_ann(split, path.stem, reference)
        inside = set()
        for attribution in read_ann(ann):
            for start, end in attribution["cue"]:
                inside.update(range(start, end))
        for match in _WORD.finditer(text):
            word = match.group().lower()
            total[word] += 1
            if match.start() in inside:
                gold[word] += 1
    return gold, total


def score_state_cues(split: Path, words: list[str]) -> dict[str, tuple[int, int]]:
    """Run the detector with ``words`` added as ``state`` cues: per word, predicted and matched."""
    base = attributions._cues()
    cues = {form: list(forms) for form, forms in base.items()}
    for word in words:
        cues.setdefault(word, [attributions._Cue((word,), word, "state", "neutral")])
    saved = attributions._cues, attributions._first_words
    attributions._cues = lambda: cues
    attributions._first_words = lambda: frozenset(cues)
    try:
        reference = read_reference(split)
        paths = sorted((split / "text").glob("*.txt"))
        rows = [newslens.load_article(path) for path in paths]
        articles = pd.DataFrame(rows, columns=newslens.articles.ARTICLE_COLUMNS)
        pred = predict(articles)
    finally:
        attributions._cues, attributions._first_words = saved
    texts = dict(zip(articles["article"], articles["text"], strict=True))
    counts: dict[str, list[int]] = {}
    for path in paths:
        gold = read_ann(find_ann(split, path.stem, reference))
        matched = {id(p) for _, p in match_cues(gold, pred[path.stem])}
        for p in pred[path.stem]:
            start, end = p["cue"][0]
            word = texts[path.stem][start:end].lower()
            entry = counts.setdefault(word, [0, 0])
            entry[0] += 1
            entry[1] += id(p) in matched
    return {w: tuple(counts[w]) for w in words if w in counts}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", type=Path, help="a PolNeAR training split (text/, attributions/)")
    parser.add_argument("--min-gold", type=int, default=4)
    parser.add_argument("--min-ratio", type=float, default=0.5)
    parser.add_argument("--state-min", type=int, default=3)
    parser.add_argument("--state-precision", type=float, default=0.5)
    parser.add_argument("--write", action="store_true", help="write the CSV into the package")
    args = parser.parse_args(argv)
    gold, total = count_cues(args.split)
    hand = read_table("attribution_cues.csv")
    known = {w for column in ("lemma", "forms") for cell in hand[column] for w in cell.split()}
    rows = []
    for word, n in gold.most_common():
        ratio = n / total[word]
        if n >= args.min_gold and ratio >= args.min_ratio and word not in known:
            if word not in _FUNCTION and word.isalpha() and not word.endswith("ly"):
                rows.append((word, n, total[word], ratio))
    speech = {row[0] for row in rows}
    rare = [
        w
        for w, n in gold.items()
        if n >= 2
        and w not in known
        and w not in speech
        and w not in _FUNCTION
        and w.isalpha()
        and not w.endswith("ly")
        and w not in attributions._SKIP
        and w not in attributions._PASSIVE
    ]
    scored = score_state_cues(args.split, sorted(rare))
    states = [
        (w, gold[w], total[w], n_pred, n_match)
        for w, (n_pred, n_match) in scored.items()
        if n_pred >= args.state_min and n_match >= args.state_precision * n_pred
    ]
    table = [(w, "speech", n, all_, "", "") for w, n, all_, _ in rows]
    table += [(w, "state", n, all_, p, m) for w, n, all_, p, m in states]
    table.sort()
    for row in table:
        print(" ".join(f"{x!s:>8}" for x in row))
    print(f"{len(rows)} speech words, {len(states)} state words")
    if args.write:
        lines = [
            "# Cue words counted in PolNeAR train (Newell, Margolin & Ruths, LREC 2018), reference",
            "# annotator only, by: python -m benchmarks.polnear_cues SPLIT_DIR"
            f" --min-gold {args.min_gold} --min-ratio {args.min_ratio}"
            f" --state-min {args.state_min} --state-precision {args.state_precision} --write",
            "# gold: times inside a gold cue; total: times in the texts. Counts only, no text.",
            "# tier speech: a cue even when no source is found (gold/total >= min-ratio);",
            "# tier state: a cue only after a subject, kept when the detector with it predicted",
            "# it >= state-min times (predicted) and matched gold >= state-precision of them.",
            "form,tier,gold,total,predicted,matched",
        ]
        lines += [",".join(str(x) for x in row) for row in table]
        target = DATA / "attribution_cues_polnear.csv"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
