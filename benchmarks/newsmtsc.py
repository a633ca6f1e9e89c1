"""How well do the three sentiment methods agree with NewsMTSC's human labels?

    python -m benchmarks.newsmtsc FILE.jsonl --predictions OUT.jsonl [--results CSV]

FILE is a NewsMTSC split (``train.jsonl``, ``devtest_mt.jsonl``, ``devtest_rw.jsonl``): sentences
with target mentions labelled 2.0 negative / 4.0 neutral / 6.0 positive. Each target is scored
knowing where the sentence's other targets stand (``others``). Writes the ``target``
method's prediction for each target as one JSON line ``{"gid", "label", "score"}`` and prints
macro-F1 and accuracy for ``target``, ``textblob-sentence`` and ``vader-sentence``. ``--results``
appends those numbers (numbers only, no text from the data) to a CSV such as
``benchmarks/results/newsmtsc.csv``, replacing earlier rows for the same split.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

from newslens.sentiments import METHODS, score_sentence, score_target

LABELS = {2.0: -1, 4.0: 0, 6.0: 1}
RESULT_COLUMNS = ["split", "method", "targets", "macro_f1", "accuracy", "f1_negative",
                  "f1_neutral", "f1_positive"]  # fmt: skip


def f1_scores(gold: list[int], pred: list[int]) -> dict[int, float]:
    """F1 of each class -1, 0, +1."""
    out = {}
    for c in (-1, 0, 1):
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        out[c] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return out


def result_row(split: str, method: str, gold: list[int], pred: list[int]) -> dict:
    """One row of the results CSV: macro-F1, accuracy and per-class F1 of ``pred``."""
    f1 = f1_scores(gold, pred)
    accuracy = sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)
    return {
        "split": split,
        "method": method,
        "targets": len(gold),
        "macro_f1": round(sum(f1.values()) / 3, 3),
        "accuracy": round(accuracy, 3),
        "f1_negative": round(f1[-1], 3),
        "f1_neutral": round(f1[0], 3),
        "f1_positive": round(f1[1], 3),
    }


def evaluate(path: str | Path, predictions: str | Path | None = None) -> list[dict]:
    """Score every target of a NewsMTSC file with each method; return one result row per method."""
    gold, pred = [], {m: [] for m in METHODS}
    out = open(predictions, "w", encoding="utf-8") if predictions else None
    started = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            text = item["sentence_normalized"]
            spans = [(t["from"], t["to"]) for t in item["targets"]]
            for target in item["targets"]:
                gold.append(LABELS[target["polarity"]])
                span = (target["from"], target["to"])
                others = [s for s in spans if s != span]
                result = score_target(text, *span, others=others)
                pred["target"].append(result.label)
                if out:
                    row = {"gid": target["Input.gid"], "label": result.label, "score": result.score}
                    out.write(json.dumps(row) + "\n")
                for method in METHODS[1:]:
                    pred[method].append(score_sentence(text, method).label)
    if out:
        out.close()
    seconds = time.perf_counter() - started
    split = Path(path).stem
    rows = [result_row(split, method, gold, pred[method]) for method in METHODS]
    print(f"{split}: {len(gold)} targets scored by 3 methods in {seconds:.1f} s")
    return rows


def save_results(rows: list[dict], path: str | Path) -> None:
    """Write ``rows`` into the results CSV, replacing earlier rows of the same split."""
    path = Path(path)
    old = []
    if path.exists():
        with open(path, encoding="utf-8") as handle:
            old = [r for r in csv.DictReader(handle) if r["split"] != rows[0]["split"]]
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, RESULT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(sorted(old + rows, key=lambda r: (r["split"], r["method"])))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="a NewsMTSC .jsonl split")
    parser.add_argument("--predictions", help="write the target method's labels here (.jsonl)")
    parser.add_argument("--results", help="append the numbers to this CSV")
    args = parser.parse_args(argv)
    rows = evaluate(args.file, args.predictions)
    print(f"{'method':<20}{'macro-F1':>9}{'accuracy':>10}{'F1 neg':>8}{'F1 neu':>8}{'F1 pos':>8}")
    for r in rows:
        print(
            f"{r['method']:<20}{r['macro_f1']:>9.3f}{r['accuracy']:>10.3f}"
            f"{r['f1_negative']:>8.3f}{r['f1_neutral']:>8.3f}{r['f1_positive']:>8.3f}"
        )
    if args.results:
        save_results(rows, args.results)


if __name__ == "__main__":
    main()
