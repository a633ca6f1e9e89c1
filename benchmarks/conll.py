"""Score ``newslens.find_names`` against a CoNLL-2003-format file of hand-tagged names.

Usage::

    python -m benchmarks.conll FILE [--predictions OUT.jsonl] [--baseline]

``FILE`` has one ``token POS chunk NER`` line per token, a blank line between sentences and
``-DOCSTART-`` between documents, with BIO tags PER / ORG / LOC / MISC. Each sentence's tokens are
joined with spaces, and the sentences of a document are run through the detector together (one
sentence per line), so acronyms and short forms resolve as in an article. Character spans map back
to the tokens they touch.

Scores: precision, recall and F1 over exact name spans, untyped (any kind) and typed (person=PER,
organisation=ORG, place=LOC, other=MISC). ``--predictions`` writes one JSON line per sentence in
file order: ``{"sentence": i, "entities": [[start_token, end_token_exclusive, kind], ...]}``.
``--baseline`` scores "any run of capitalised words" instead, for comparison.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newslens.entities import find_names

KIND_TAGS = {"person": "PER", "organisation": "ORG", "place": "LOC", "other": "MISC"}
TAG_KINDS = {tag: kind for kind, tag in KIND_TAGS.items()}


def read_conll(path: Path) -> list[list[tuple[list[str], list[str]]]]:
    """Documents, each a list of sentences ``(tokens, tags)``."""
    documents, sentence_tokens, sentence_tags = [[]], [], []

    def close():
        if sentence_tokens:
            documents[-1].append((list(sentence_tokens), list(sentence_tags)))
            sentence_tokens.clear()
            sentence_tags.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            close()
            if documents[-1]:
                documents.append([])
            continue
        if not line.strip():
            close()
            continue
        parts = line.split()
        sentence_tokens.append(parts[0])
        sentence_tags.append(parts[-1])
    close()
    return [d for d in documents if d]


def gold_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """``(start, end_exclusive, kind)`` of the names in a BIO (or IOB1) tag sequence."""
    spans, start, kind = [], None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and (prefix in ("O", "B") or label != kind):
            spans.append((start, i, TAG_KINDS.get(kind, "other")))
            start = None
        if prefix in ("B", "I") and start is None:
            start, kind = i, label
    return spans


def predict_document(sentences: list[list[str]], baseline: bool = False):
    """Predicted ``(start, end_exclusive, kind)`` token spans for each sentence of a document."""
    offsets, spans, pieces, position = [], [], [], 0
    for tokens in sentences:
        starts = []
        for token in tokens:
            starts.append(position)
            position += len(token) + 1
        spans.append((starts[0], position - 1))
        offsets.append(starts)
        pieces.append(" ".join(tokens))
    text = "\n".join(pieces)
    if baseline:
        return [_capital_runs(tokens) for tokens in sentences]
    predicted = [[] for _ in sentences]
    for name in find_names(text, spans):
        number = name.sentence
        starts, tokens = offsets[number], sentences[number]
        for start, end in name.spans:
            first = next(i for i, s in enumerate(starts) if s + len(tokens[i]) > start)
            last = max(i for i, s in enumerate(starts) if s < end)
            span = (first, last + 1, name.kind)
            if not any(a < span[1] and span[0] < b for a, b, _ in predicted[number]):
                predicted[number].append(span)
    return [sorted(p) for p in predicted]


def _capital_runs(tokens: list[str]) -> list[tuple[int, int, str]]:
    runs, start = [], None
    for i, token in enumerate([*tokens, "."]):
        if token[:1].isupper():
            start = i if start is None else start
        elif start is not None:
            runs.append((start, i, "other"))
            start = None
    return runs


def score(gold: list[set], predicted: list[set]) -> dict[str, float]:
    found = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in predicted)
    precision = found / n_pred if n_pred else 0.0
    recall = found / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "gold": n_gold, "predicted": n_pred}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a CoNLL-2003-format file")
    parser.add_argument("--predictions", type=Path, help="write one JSON line per sentence here")
    parser.add_argument("--baseline", action="store_true", help="any run of capitalised words")
    args = parser.parse_args(argv)

    documents = read_conll(args.file)
    gold, predicted = [], []
    began = time.perf_counter()
    for document in documents:
        predicted.extend(predict_document([t for t, _ in document], args.baseline))
        gold.extend(gold_spans(tags) for _, tags in document)
    seconds = time.perf_counter() - began

    if args.predictions:
        with args.predictions.open("w", encoding="utf-8") as out:
            for i, spans in enumerate(predicted):
                entities = [[a, b, kind] for a, b, kind in spans]
                out.write(json.dumps({"sentence": i, "entities": entities}) + "\n")

    results = {
        "untyped": score(
            [{s[:2] for s in g} for g in gold], [{s[:2] for s in p} for p in predicted]
        ),
        "typed": score([set(g) for g in gold], [set(p) for p in predicted]),
    }
    for kind, tag in KIND_TAGS.items():
        results[tag] = score(
            [{s for s in g if s[2] == kind} for g in gold],
            [{s for s in p if s[2] == kind} for p in predicted],
        )
    method = "any run of capitalised words" if args.baseline else "newslens.find_names"
    print(f"{args.file.name}: {len(documents)} documents, {len(gold)} sentences, {method}")
    print(f"{'':8} {'precision':>9} {'recall':>7} {'F1':>6} {'gold':>6} {'found':>6}")
    for label, r in results.items():
        print(
            f"{label:8} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f} "
            f"{r['gold']:6d} {r['predicted']:6d}"
        )
    print(f"{seconds:.2f} s ({1000 * seconds / len(documents):.1f} ms per document)")
    return results


if __name__ == "__main__":
    main()
