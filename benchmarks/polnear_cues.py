"""Count PolNeAR's gold cue words in a training split, to extend newslens' cue lexicon.

Usage::

    python -m benchmarks.polnear_cues SPLIT_DIR [--min-gold 4] [--min-ratio 0.5] [--write]

For every lower-case word of the training texts it counts how often the word sits inside a gold
cue (reference annotator only) and how often it occurs at all. Words that are a cue at least
``--min-gold`` times and in at least ``--min-ratio`` of their occurrences, that are letters
only, not adverbs in -ly and not yet in ``data/attribution_cues.csv``, are printed; ``--write``
saves them to ``lib/newslens/data/attribution_cues_polnear.csv`` with the counts and the command
as provenance.
The library treats these words as ``speech`` cues (a cue even with no source found), neutral.
Only counts are written, never text from the corpus.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from benchmarks.polnear import find_ann, read_ann, read_reference
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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", type=Path, help="a PolNeAR training split (text/, attributions/)")
    parser.add_argument("--min-gold", type=int, default=4)
    parser.add_argument("--min-ratio", type=float, default=0.5)
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
    rows.sort()
    for word, n, all_, ratio in rows:
        print(f"{word:16s} {n:5d} {all_:6d} {ratio:.2f}")
    print(f"{len(rows)} words")
    if args.write:
        lines = [
            "# Cue words counted in PolNeAR train (Newell, Margolin & Ruths, LREC 2018), reference",
            "# annotator only, by: python -m benchmarks.polnear_cues SPLIT_DIR"
            f" --min-gold {args.min_gold} --min-ratio {args.min_ratio} --write",
            "# gold: times inside a gold cue; total: times in the texts. Counts only, no text.",
            "# Used as 'speech' cues (a cue even when no source is found), of neutral stance.",
            "form,gold,total",
        ]
        lines += [f"{w},{n},{a}" for w, n, a, _ in rows]
        target = DATA / "attribution_cues_polnear.csv"
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
