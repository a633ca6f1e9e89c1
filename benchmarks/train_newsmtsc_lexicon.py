"""Learn the target-aware scorer's word weights from the NewsMTSC training file.

    python -m benchmarks.train_newsmtsc_lexicon ../shared/eval/newsmtsc/train.jsonl [--cv 5]
        [--results benchmarks/results/newsmtsc.csv]

Reads the file by path (the data stay outside the project), turns every target into the features
of ``newslens.sentiments.find_target_features``, fits a small multinomial logistic model (neutral
as the reference class, L2 penalty, plain numpy) and writes the strongest weights to
``lib/newslens/data/sentiment_newsmtsc.csv`` with a provenance header. ``--cv K`` first reports a
K-fold cross-validated macro-F1 on the training file (folds keep a sentence's targets together);
``--results`` saves it, beside the sentence methods' scores on that file, as ``train-cvK``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from newslens.paths import DATA
from newslens.sentiments import METHODS, find_target_features, score_sentence
from newslens.tokenizers import split_words

OUT = DATA / "sentiment_newsmtsc.csv"
LABELS = {2.0: 0, 4.0: 1, 6.0: 2}  # negative, neutral, positive
MIN_COUNT = 3  # a feature must occur with this many training targets
KEEP = 1500  # word features kept in the artefact (all prior:* features are kept)
PENALTY = 1e-3  # L2 penalty on the weights (per target)
STEPS = 400

HEADER = """\
# Word weights for the target-aware scorer of newslens.sentiments, learned from NewsMTSC.
# Source: NewsMTSC training split (train.jsonl), Hamborg & Donnay, "NewsMTSC: (Multi-)Target-
# dependent Sentiment Classification in News Articles", EACL 2021. Dataset licence: MIT.
# Made by: python -m benchmarks.train_newsmtsc_lexicon PATH/train.jsonl ({targets} targets).
# Model: multinomial logistic regression, neutral the reference class, L2 penalty {penalty}.
# feature: a:WORD after the target or done by it; b:WORD before it or done to it; o:WORD outside
# its clause; w:WORD anywhere; prior:SIDE+/- the prior polarity there (TextBlob + VADER +
# sentiment_news.csv), SIDE x: in a clause that holds another target of the sentence, not this one.
# Names (words mostly capitalised inside the training sentences) are left out, so that the
# lexicon does not carry how its training data felt about a person or a party.
# negative / positive: weight toward that class per unit of the feature; bias: the intercepts.
"""


def read_targets(path: str | Path) -> list[tuple[str, int, int, int, str, list]]:
    """Return ``(sentence, from, to, label, sentence_id, others)`` for each target of a file.

    ``others`` holds the ``(from, to)`` spans of the sentence's other targets.
    """
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            spans = [(t["from"], t["to"]) for t in item["targets"]]
            for target in item["targets"]:
                span = (target["from"], target["to"])
                rows.append(
                    (
                        item["sentence_normalized"],
                        *span,
                        LABELS[target["polarity"]],
                        item["primary_gid"],
                        [s for s in spans if s != span],
                    )
                )
    return rows


def featurise(targets) -> list[list[tuple[str, float]]]:
    """The features of each target, summed per feature name."""
    out = []
    for text, start, end, _, _, others in targets:
        summed: Counter = Counter()
        for feature, value, _ in find_target_features(text, start, end, others=others):
            summed[feature] += value
        out.append(list(summed.items()))
    return out


def fit(features, labels, vocabulary, penalty=None, steps=None):
    """Fit weights (d x 2: negative, positive) and biases by full-batch Adam; return both."""
    penalty = PENALTY if penalty is None else penalty
    steps = STEPS if steps is None else steps
    index = {f: i for i, f in enumerate(vocabulary)}
    rows, cols, vals = [], [], []
    for r, feats in enumerate(features):
        for f, v in feats:
            if f in index:
                rows.append(r)
                cols.append(index[f])
                vals.append(v)
    rows, cols, vals = np.array(rows), np.array(cols), np.array(vals)
    n, d = len(features), len(vocabulary)
    y = np.zeros((n, 3))
    y[np.arange(n), labels] = 1
    weights, bias = np.zeros((d, 2)), np.zeros(2)
    m_w, v_w, m_b, v_b = (np.zeros_like(weights), np.zeros_like(weights), np.zeros(2), np.zeros(2))
    rate, b1, b2 = 0.05, 0.9, 0.999
    for step in range(1, steps + 1):
        logits = np.zeros((n, 3))
        for k in range(2):
            logits[:, 2 * k] = bias[k] + np.bincount(rows, vals * weights[cols, k], minlength=n)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - y) / n
        grad_w = np.zeros_like(weights)
        for k in range(2):
            grad_w[:, k] = np.bincount(cols, vals * error[rows, 2 * k], minlength=d)
        grad_w += penalty * weights
        grad_b = error[:, [0, 2]].sum(axis=0)
        for param, grad, m, v in ((weights, grad_w, m_w, v_w), (bias, grad_b, m_b, v_b)):
            m *= b1
            m += (1 - b1) * grad
            v *= b2
            v += (1 - b2) * grad**2
            param -= rate * (m / (1 - b1**step)) / (np.sqrt(v / (1 - b2**step)) + 1e-8)
    return weights, bias


def predict(features, vocabulary, weights, bias) -> np.ndarray:
    index = {f: i for i, f in enumerate(vocabulary)}
    out = []
    for feats in features:
        neg, pos = bias[0], bias[1]
        for f, v in feats:
            i = index.get(f)
            if i is not None:
                neg += v * weights[i, 0]
                pos += v * weights[i, 1]
        out.append(int(np.argmax([neg, 0.0, pos])))
    return np.array(out)


def macro_f1(gold, pred) -> float:
    scores = []
    for c in range(3):
        tp = np.sum((pred == c) & (gold == c))
        fp = np.sum((pred == c) & (gold != c))
        fn = np.sum((pred != c) & (gold == c))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


NAMES: frozenset[str] = frozenset()  # words left out: names (set in main from the training text)


def find_names(sentences) -> frozenset[str]:
    """Words written with a capital inside a sentence more often than not: names, not sentiment.

    Left out of the lexicon so that it does not learn how its training data felt about a person
    or a party ("trump", "republican").
    """
    upper, total = Counter(), Counter()
    for sentence in sentences:
        for _, _, word in split_words(sentence)[1:]:
            if word[0].isalpha():
                total[word.lower()] += 1
                upper[word.lower()] += word[0].isupper()
    return frozenset(w for w, n in total.items() if upper[w] > n / 2)


def choose_vocabulary(features) -> list[str]:
    counts = Counter(f for feats in features for f, _ in feats)
    return sorted(
        f
        for f, c in counts.items()
        if f.startswith("prior:") or (c >= MIN_COUNT and f.partition(":")[2] not in NAMES)
    )


def train(features, labels) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Fit on all features, keep the KEEP strongest words and the prior features, refit."""
    vocabulary = choose_vocabulary(features)
    weights, _ = fit(features, labels, vocabulary)
    strength = np.abs(weights).max(axis=1)
    words = [i for i, f in enumerate(vocabulary) if not f.startswith("prior:")]
    keep = {vocabulary[i] for i in sorted(words, key=lambda i: -strength[i])[:KEEP]}
    keep |= {f for f in vocabulary if f.startswith("prior:")}
    vocabulary = sorted(keep)
    weights, bias = fit(features, labels, vocabulary)
    return vocabulary, weights, bias


def cross_validate(targets, features, labels, folds: int, seed: int = 0) -> list[float]:
    """Macro-F1 of each fold; the out-of-fold predictions are kept in ``cross_validate.pred``."""
    sentences = sorted({t[4] for t in targets})
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(sentences, rng.permutation(len(sentences)) % folds, strict=True))
    fold = np.array([fold_of[t[4]] for t in targets])
    scores = []
    out = np.zeros(len(targets), dtype=int)
    for k in range(folds):
        tr, te = np.where(fold != k)[0], np.where(fold == k)[0]
        vocabulary, weights, bias = train([features[i] for i in tr], labels[tr])
        pred = predict([features[i] for i in te], vocabulary, weights, bias)
        out[te] = pred
        scores.append(macro_f1(labels[te], pred))
    cross_validate.pred = out
    return scores


def cv_results(targets, labels, folds: int) -> list[dict]:
    """Result rows for the results CSV: target by K-fold CV, the sentence methods as they are."""
    from benchmarks.newsmtsc import result_row

    gold = [int(g) - 1 for g in labels]
    rows = [
        result_row(f"train-cv{folds}", "target", gold, [int(p) - 1 for p in cross_validate.pred])
    ]
    for method in METHODS[1:]:
        pred = [score_sentence(t[0], method).label for t in targets]
        rows.append(result_row(f"train-cv{folds}", method, gold, pred))
    return rows


def write(vocabulary, weights, bias, targets: int, path: Path = OUT) -> None:
    lines = [HEADER.format(targets=targets, penalty=PENALTY), "feature,negative,positive\n"]
    lines.append(f"bias,{bias[0]:.3f},{bias[1]:.3f}\n")
    for f, (n, p) in zip(vocabulary, weights, strict=True):
        if abs(n) >= 0.0005 or abs(p) >= 0.0005:
            name = f'"{f}"' if "," in f or '"' in f else f
            lines.append(f"{name},{n:.3f},{p:.3f}\n")
    path.write_text("".join(lines), encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", help="path to NewsMTSC train.jsonl")
    parser.add_argument("--cv", type=int, default=0, help="report K-fold cross-validated macro-F1")
    parser.add_argument("--out", default=str(OUT), help="where to write the lexicon")
    parser.add_argument("--results", help="with --cv: write the CV numbers into this CSV")
    args = parser.parse_args(argv)
    global NAMES
    targets = read_targets(args.train)
    NAMES = find_names({t[0] for t in targets})
    labels = np.array([t[3] for t in targets])
    features = featurise(targets)
    if args.cv:
        scores = cross_validate(targets, features, labels, args.cv)
        print(
            f"{args.cv}-fold CV macro-F1 on {len(targets)} targets: {np.mean(scores):.3f} "
            f"(folds {', '.join(f'{s:.3f}' for s in scores)})"
        )
        if args.results:
            from benchmarks.newsmtsc import save_results

            save_results(cv_results(targets, labels, args.cv), args.results)
    vocabulary, weights, bias = train(features, labels)
    write(vocabulary, weights, bias, len(targets), Path(args.out))
    size = Path(args.out).stat().st_size
    print(f"wrote {args.out}: {len(vocabulary)} features, {size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
