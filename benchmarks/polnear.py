"""Score ``newslens.find_attributions`` against PolNeAR's hand-annotated attributions.

Usage::

    python -m benchmarks.polnear SPLIT_DIR [--predictions OUT.jsonl] [--metadata TSV] [--baseline]

``SPLIT_DIR`` holds ``text/*.txt`` and ``attributions/*.ann`` (brat standoff); the reference
annotator of each article is the first one listed in the ``annotators`` column of
``metadata.tsv`` (in ``SPLIT_DIR`` or its parent folder, or ``--metadata``), and its file is
``attributions/STEM_ANNOTATOR.ann``.

Matching: a prediction matches a gold attribution when their cue spans overlap (one to one, in
text order). For a matched pair, the source (and the content) count as found when both have one
and they overlap. Precision is over the predictions that have a cue / a source / a content,
recall over the gold attributions that have one. ``--baseline`` scores a said/according-to regex
instead of newslens, for comparison. Rows whose stance is ``quote`` (a quotation with no cue,
given to the previous sentence's speaker) are left out: PolNeAR makes such a sentence part of the
content of the attribution before it.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import time
from pathlib import Path

import pandas as pd

import newslens
from newslens.attributions import QUOTE_CUE, find_attributions

Spans = list[tuple[int, int]]


def read_reference(split: Path, metadata: Path | None = None) -> dict[str, str]:
    """Map each article stem to its reference annotator (first in ``metadata.tsv``).

    ``metadata.tsv`` is looked for in ``SPLIT_DIR``, then in its parent, unless given.
    """
    candidates = [metadata] if metadata else [split / "metadata.tsv", split.parent / "metadata.tsv"]
    table = next((p for p in candidates if p and p.is_file()), None)
    if table is None:
        raise SystemExit(f"no metadata.tsv in {split} or its parent; pass --metadata PATH")
    with table.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["filename"]: row["annotators"].split("|")[0] for row in rows}


def find_ann(split: Path, stem: str, reference: dict[str, str]) -> Path:
    """The reference annotator's ``.ann`` file: ``attributions/STEM_ANNOTATOR.ann``."""
    folder = split / "attributions"
    if stem in reference and (folder / f"{stem}_{reference[stem]}.ann").is_file():
        return folder / f"{stem}_{reference[stem]}.ann"
    found = sorted(folder.glob(f"{stem}_*.ann"))
    if not found:
        raise SystemExit(f"{stem}: no .ann file in {folder}")
    print(f"warning: {stem}: reference annotator's file missing; using {found[0].name}")
    return found[0]


def _spans(field: str) -> Spans:
    spans = []
    for part in field.split(" ", 1)[1].split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def read_ann(path: Path) -> list[dict]:
    """Gold attributions of one ``.ann`` file: ``cue``, ``source``, ``content`` as lists of spans.

    Every ``E`` event of type ``Attribution`` or ``Attribution-no-source`` that has a cue is one
    attribution; its source is empty (``None``) when it has none, and a second content
    (``Content2``) is merged into the first.
    """
    spans, events = {}, []
    for line in path.read_text(encoding="utf-8").split("\n"):
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2 and " " in fields[1]:
            spans[fields[0]] = _spans(fields[1])
        elif line.startswith("E") and len(fields) >= 2:
            events.append(dict(arg.split(":", 1) for arg in fields[1].split()))
    gold = []
    for args in events:
        kind = next(iter(args), "")
        if not kind.startswith("Attribution") or "Cue" not in args:
            continue
        content = [s for key in ("Content", "Content2") if key in args for s in spans[args[key]]]
        gold.append(
            {
                "cue": spans[args["Cue"]],
                "source": spans[args["Source"]] if "Source" in args else None,
                "content": content or None,
            }
        )
    return gold


def _overlap(a: Spans | None, b: Spans | None) -> bool:
    if not a or not b:
        return False
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


_BASELINE = re.compile(
    r"\b(?:said|says|say|according to)\b",
)


def predict_baseline(text: str) -> list[dict]:
    """The said/according-to regex: a cue, no source, no content."""
    return [
        {"cue": [(m.start(), m.end())], "source": None, "content": None}
        for m in _BASELINE.finditer(text)
    ]


def predict(articles: pd.DataFrame) -> dict[str, list[dict]]:
    """Run ``find_attributions`` and return each article's predictions as lists of spans."""
    table = find_attributions(articles)
    out = {article: [] for article in articles["article"]}
    for row in table.itertuples(index=False):
        if row.stance == QUOTE_CUE:
            continue  # PolNeAR folds a quote's next sentences into the first attribution
        source = (
            None if pd.isna(row.source_start) else [(int(row.source_start), int(row.source_end))]
        )
        content = (
            None if pd.isna(row.content_start) else [(int(row.content_start), int(row.content_end))]
        )
        out[row.article].append(
            {"cue": [(int(row.cue_start), int(row.cue_end))], "source": source, "content": content}
        )
    return out


def match(gold: list[dict], pred: list[dict]) -> list[tuple[dict, dict]]:
    """Pair predictions with gold attributions whose cue overlaps, one to one, in text order."""
    used, pairs = set(), []
    for p in sorted(pred, key=lambda a: a["cue"][0]):
        for i, g in enumerate(gold):
            if i not in used and _overlap(p["cue"], g["cue"]):
                used.add(i)
                pairs.append((g, p))
                break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> pd.DataFrame:
    """Precision, recall and F1 of cues, sources and contents over all articles."""
    counts = {part: [0, 0, 0] for part in ("cue", "source", "content")}  # tp, pred, gold
    for doc, gold_doc in gold.items():
        pred_doc = pred.get(doc, [])
        for part in counts:
            counts[part][1] += sum(1 for p in pred_doc if p[part])
            counts[part][2] += sum(1 for g in gold_doc if g[part])
        for g, p in match(gold_doc, pred_doc):
            counts["cue"][0] += 1
            for part in ("source", "content"):
                counts[part][0] += _overlap(g[part], p[part])
    rows = []
    for part, (tp, n_pred, n_gold) in counts.items():
        p, r, f = _prf(tp, n_pred, n_gold)
        rows.append((part, n_gold, n_pred, tp, round(p, 3), round(r, 3), round(f, 3)))
    return pd.DataFrame(rows, columns=["span", "gold", "predicted", "matched", "P", "R", "F1"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("split", type=Path, help="a PolNeAR split folder (text/, attributions/)")
    parser.add_argument("--predictions", type=Path, help="write the predictions here (JSON lines)")
    parser.add_argument("--metadata", type=Path, help="metadata.tsv (default: beside SPLIT_DIR)")
    parser.add_argument("--baseline", action="store_true", help="score the said/according-to regex")
    args = parser.parse_args(argv)

    reference = read_reference(args.split, args.metadata)
    paths = sorted((args.split / "text").glob("*.txt"))
    rows, gold = [], {}
    for path in paths:
        article = newslens.load_article(path)
        if article["text"] != path.read_bytes().decode("utf-8"):
            raise SystemExit(f"{path.name}: the loader changed the text; offsets would not match")
        rows.append(article)
        gold[path.stem] = read_ann(find_ann(args.split, path.stem, reference))
    articles = pd.DataFrame(rows, columns=newslens.articles.ARTICLE_COLUMNS)

    started = time.perf_counter()
    if args.baseline:
        pairs = zip(articles["article"], articles["text"], strict=True)
        pred = {article: predict_baseline(text) for article, text in pairs}
    else:
        pred = predict(articles)
    elapsed = time.perf_counter() - started

    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for doc, items in pred.items():
                for p in items:
                    record = {
                        "doc": doc,
                        "cue": list(p["cue"][0]),
                        "source": list(p["source"][0]) if p["source"] else None,
                        "content": list(p["content"][0]) if p["content"] else None,
                    }
                    out.write(json.dumps(record) + "\n")
    print(f"{args.split}: {len(paths)} articles, {sum(map(len, gold.values()))} gold attributions")
    print(score(gold, pred).to_string(index=False))
    print(
        f"detector time: {elapsed:.2f} s ({1000 * elapsed / max(len(paths), 1):.1f} ms per article)"
    )


if __name__ == "__main__":
    main()
