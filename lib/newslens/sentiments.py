"""Sentiment toward each party: how a sentence treats a target, with the words that drove the score.

Three methods, side by side:

- ``target``: target-aware. Each word of the sentence counts for the target according to where it
  stands: in the target's own clause (clauses come from punctuation, conjunctions and relative
  pronouns, as no part-of-speech tagger is available) or outside it, before the target (the target
  is acted on: "support to X") or after it (the target acts or is described: "X refused", "X's
  efforts have been unsuccessful"), nearer or farther. "violence by X" counts as X's own doing,
  "X was criticised" as done to X. A negation ("not", "never") flips the words after it; a hedge
  ("allegedly", "may") softens the clause; a goal ("efforts to improve ties") counts less, and is
  turned round when its clause says it failed or will not happen ("have been unsuccessful",
  "refused to", "unlikely to"). When the sentence has other targets (other parties' mentions),
  the prior polarity of a word in a clause that holds one of them and not this target counts
  apart ("Pakistan is grappling with crises, and the Taliban are watching": the crises are
  Pakistan's first). The cue words are in ``data/sentiment_cues.csv``. Two kinds of weights
  meet: prior polarities from the lexicons that ship with TextBlob and VADER (their degree words
  and hedges left out) plus the project's news lexicon
  (``data/sentiment_news.csv``), and per-word weights learned from the NewsMTSC training set
  (``data/sentiment_newsmtsc.csv``, made by ``benchmarks/train_newsmtsc_lexicon.py``; names are
  left out of it). A small logistic model turns their sum into chances of negative / neutral /
  positive; the score is P(positive) - P(negative), the label the likeliest class. Macro-F1
  against NewsMTSC's human labels: 0.639 (5-fold CV on train), 0.635 on devtest_mt, against 0.40
  (TextBlob) and 0.50 (VADER) for the sentence methods there.
- ``textblob-sentence``: TextBlob's polarity of the whole sentence, the same for every party in it.
- ``vader-sentence``: VADER's compound score of the whole sentence.

The sentence-level labels use the published ±0.05 thresholds. Every score carries an ``evidence``
string, ``word:weight`` pairs, strongest first ("unsuccessful:-0.52; embarrassed:-0.61").
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .lexicons import read_table, read_words
from .tokenizers import split_words

__all__ = [
    "EVIDENCE_COLUMNS",
    "METHODS",
    "SCORE_COLUMNS",
    "SUMMARY_COLUMNS",
    "TRACE_COLUMNS",
    "TargetScore",
    "count_evidence",
    "find_quotes",
    "find_target_features",
    "score_parties",
    "score_sentence",
    "score_target",
    "summarise_parties",
    "trace_parties",
]

METHODS = ("target", "textblob-sentence", "vader-sentence")
SCORE_COLUMNS = [
    "article",
    "sentence",
    "party",
    "method",
    "score",
    "label",
    "evidence",
    "quoted",
    "mentions",
]
SUMMARY_COLUMNS = ["party", "method", "n", "mean", "low", "high", "negative", "positive"]
EVIDENCE_COLUMNS = ["party", "method", "word", "weight", "rows"]
TRACE_COLUMNS = ["party", "method", "position", "score", "n"]

THRESHOLD = 0.05  # sentence-level labels: score >= +0.05 positive, <= -0.05 negative
DECAY = 10.0  # a word d words from the target counts 1 / (1 + (d - 1) / DECAY)
OUTSIDE = 0.8  # a word outside the target's clause counts this much
NEGATED = -0.7  # a negated word counts this much (flipped and softened, as VADER does)
HEDGED = 0.7  # words in a hedged clause count this much
NEGATION_REACH = 3  # a negation reaches this many words on
GOAL = 0.4  # a word in a goal ("efforts to improve") counts this much
EVIDENCE_WORDS = 5  # evidence lists at most this many words
EVIDENCE_MIN = 0.05  # ... each with a weight at least this large

_QUOTES = '"“”'
_QUOTE_MARKS = re.compile('["“”]')
_CLAUSE_MARKS = set(',;:()[]—–"“”')
_PARTICIPLE_ENDINGS = ("ed", "en", "wn", "ught")


class TargetScore(NamedTuple):
    """How a sentence treats one target: ``score`` in [-1, 1], ``label`` -1/0/+1, ``evidence``."""

    score: float
    label: int
    evidence: str


# ---------------------------------------------------------------------------------------------
# Lexicons, loaded once on first use


@cache
def _textblob_lexicon() -> dict[str, float]:
    """TextBlob's en-sentiment.xml: the mean polarity of each word form over its senses."""
    import textblob

    path = Path(textblob.__file__).parent / "en" / "en-sentiment.xml"
    senses: dict[str, list[float]] = defaultdict(list)
    for node in ET.parse(path).getroot().iter("word"):
        senses[node.get("form", "").lower()].append(float(node.get("polarity", 0)))
    return {w: sum(p) / len(p) for w, p in senses.items() if w and any(p)}


@cache
def _vader_lexicon() -> dict[str, float]:
    """VADER's vader_lexicon.txt: mean human valence of each token, -4..4."""
    import vaderSentiment

    path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
    lexicon = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            lexicon[parts[0].lower()] = float(parts[1])
    return lexicon


@cache
def _news_lexicon() -> dict[str, float]:
    table = read_table("sentiment_news.csv")
    return {w.lower(): float(v) for w, v in zip(table["word"], table["valence"], strict=True)}


@cache
def _prior_lexicon() -> dict[str, float]:
    """Prior polarity in [-1, 1]: mean of TextBlob and VADER (/4), the news lexicon overriding.

    Degree words (VADER's boosters: "more", "very") and the hedge and negation cues ("unlikely",
    "no") are left out: they change the words around them, they carry no polarity of their own
    (TextBlob gives "more" +0.5). Measured on NewsMTSC, dev_mt +0.004 macro-F1, train CV +-0.
    """
    blob, vader = _textblob_lexicon(), _vader_lexicon()
    prior = {}
    for word in blob.keys() | vader.keys():
        values = [blob[word]] if word in blob else []
        if word in vader:
            values.append(vader[word] / 4)
        prior[word] = sum(values) / len(values)
    prior.update(_news_lexicon())
    from vaderSentiment.vaderSentiment import BOOSTER_DICT

    cues = _cues()
    drop = set(BOOSTER_DICT) | cues["hedge"] | cues["negation"]
    return {w: v for w, v in prior.items() if v and (w[0].isalpha()) and w not in drop}


@cache
def _cues() -> dict[str, frozenset[str]]:
    table = read_table("sentiment_cues.csv")
    kinds: dict[str, set[str]] = defaultdict(set)
    for word, kind in zip(table["word"], table["kind"], strict=True):
        kinds[kind].add(word.lower())
    kinds["breaker"] = kinds["clause"] | kinds["relative"]
    kinds["opener"] = kinds["breaker"] | _CLAUSE_MARKS  # opens a clause (a breaker not first)
    kinds["aim"] = kinds["goal"] | kinds["failure"]  # "efforts to", "refused to"
    kinds["aim_end"] = kinds["passive"] | kinds["auxiliary"] | kinds["failure"]
    return {kind: frozenset(words) for kind, words in kinds.items()}


@cache
def _function_words() -> frozenset[str]:
    """Function words ("the", "of") that ``count_evidence`` can hide; negations and cues stay."""
    cues = _cues()
    keep = cues["negation"] | cues["failure"] | cues["hedge"]
    return frozenset(set(read_words("stopwords.csv")) - keep)


@cache
def _learned() -> tuple[dict[str, tuple[float, float]], tuple[float, float]]:
    """Weights (negative, positive) per feature learned from NewsMTSC, and the two biases."""
    table = read_table("sentiment_newsmtsc.csv")
    weights = {
        f: (float(n), float(p))
        for f, n, p in zip(table["feature"], table["negative"], table["positive"], strict=True)
    }
    bias = weights.pop("bias", (0.0, 0.0))
    return weights, bias


# ---------------------------------------------------------------------------------------------
# Quotations


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the quotations in ``text[start:end]``, marks included.

    Straight and curly double quotes are paired in order; a quotation left open runs to ``end``.
    """
    end = len(text) if end is None else end
    spans, opened = [], None
    for match in _QUOTE_MARKS.finditer(text, start, end):
        i, ch = match.start(), match.group()
        if ch == "“" or (ch == '"' and opened is None):
            opened = i if opened is None else opened
        elif ch in '”"' and opened is not None:
            spans.append((opened, i + 1))
            opened = None
    if opened is not None:
        spans.append((opened, end))
    return spans


# ---------------------------------------------------------------------------------------------
# The target-aware method


def _is_participle(words: list[str], i: int, auxiliaries: frozenset[str]) -> bool:
    """Is ``words[i]`` a passive participle ("was criticised", "were sharply criticised")?"""
    j = i - 1
    if j > 0 and words[j].endswith("ly"):
        j -= 1
    return j >= 0 and words[j] in auxiliaries and words[i].endswith(_PARTICIPLE_ENDINGS)


# The caches are small on purpose: ``score_parties`` takes a sentence's targets one after
# another, so a few entries catch every repeat, and a large cache of lists only makes Python's
# garbage collector walk them again and again (4096 entries here and in ``_steps`` and 65536 in
# ``score_sentence`` cost 1.8 ms of collection per article on PolNeAR; 64, 64 and 1024: 0.5).
@lru_cache(maxsize=64)
def _parse(sentence: str) -> tuple[list, list, list, set, set, tuple, tuple]:
    """Parse a sentence once (cached): words, clauses, goals, failed and hedged clauses, and the
    tokens' start and end offsets (sorted, for bisection)."""
    cues = _cues()
    tokens = split_words(sentence)
    # The tokens' three columns at once (zip of the rows), as tuples.
    starts, ends, words = zip(*tokens, strict=True) if tokens else ((), (), ())
    words = [w.lower() for w in words]
    if "’" in sentence:
        words = [w.replace("’", "'") for w in words]
    # Clause number of each token: punctuation and conjunctions open a new clause (a
    # conjunction or relative pronoun only after the first word).
    opens = [w in cues["opener"] for w in words]
    if words:
        opens[0] = words[0] in _CLAUSE_MARKS
    clauses = list(accumulate(opens, initial=0))[1:]
    # Goals are not facts: "efforts to improve ties" counts "improve" less, and "efforts to
    # improve ties have failed" / "refused to address" turns it round.
    goal = [False] * len(words)
    if not cues["aim"].isdisjoint(words):
        for i, w in enumerate(words[:-1]):
            if w in cues["aim"] and words[i + 1] == "to":
                j = i + 2
                stops = cues["aim_end"]
                while j < len(words) and clauses[j] == clauses[i] and words[j] not in stops:
                    goal[j] = True
                    j += 1
    failed, hedged = set(), set()
    if not cues["failure"].isdisjoint(words):
        failed = {clauses[i] for i, w in enumerate(words) if w in cues["failure"]}
    if not cues["hedge"].isdisjoint(words):
        hedged = {clauses[i] for i, w in enumerate(words) if w in cues["hedge"]}
    return words, clauses, goal, failed, hedged, starts, ends


def _overlapping(starts: list[int], ends: list[int], start: int, end: int) -> range:
    """The tokens that overlap ``[start, end)``, as a range of token numbers."""
    return range(bisect_right(ends, start), bisect_left(starts, end))


def _target_context(parsed: tuple, inside: list[int], others, sentence_start: int) -> tuple:
    """Where a target stands in its parsed sentence: what both target scorers start from.

    Returns its first and last word, the clauses attached to it, the clauses that hold another
    target and not this one, whether an agent cue comes before it and whether its clause is hedged.
    """
    words, clauses, _, _, hedged_clauses, starts, ends = parsed
    cues = _cues()
    first, last = inside[0], inside[-1]
    # "X, who ..." / "X which ...": a relative clause right after the target still describes it.
    attached = {clauses[first]}
    j = last + 1
    if j < len(words) and words[j] == ",":
        j += 1
    if j < len(words) and words[j] in cues["relative"]:
        attached.add(clauses[j])
    # Clauses that hold another target and not this one: their sentiment words are that
    # target's first ("Pakistan is grappling with crises, and the Taliban are watching").
    other_clauses = set()
    for o_start, o_end in others:  # the clauses of the tokens that overlap the other target
        hit = slice(
            bisect_right(ends, o_start - sentence_start),
            bisect_left(starts, o_end - sentence_start),
        )
        other_clauses.update(clauses[hit])
    other_clauses -= attached
    # The agent cue: "violence by X".
    agent = first > 0 and words[first - 1] in cues["agent"]
    hedged = not hedged_clauses.isdisjoint(attached)
    return first, last, attached, other_clauses, agent, hedged


def find_target_features(
    text: str,
    start: int,
    end: int,
    sentence_start: int = 0,
    sentence_end: int | None = None,
    others: Sequence[tuple[int, int]] = (),
) -> list[tuple[str, float, str]]:
    """Return ``(feature, value, word)`` for each word that may bear on the target.

    ``feature`` is ``SIDE:word`` for the learned lexicon (``a`` after the target or done by it,
    ``b`` before it or done to it, ``o`` outside its clause), ``w:word`` for the word wherever it
    stands, and ``prior:SIDE+`` / ``prior:SIDE-`` for the prior lexicon, where SIDE is ``x``
    for a word in a clause that holds one of the ``others`` (the other targets' ``(start, end)``
    offsets in ``text``) and not this target; ``value`` is the word's reach (distance, clause,
    negation, hedge, goal).
    """
    sentence_end = len(text) if sentence_end is None else sentence_end
    cues = _cues()
    prior = _prior_lexicon()
    parsed = _parse(text[sentence_start:sentence_end])
    words, clauses, goal, failed, hedged_clauses, starts, ends = parsed
    start, end = start - sentence_start, end - sentence_start
    inside = _overlapping(starts, ends, start, end)
    if not inside:
        return []
    first, last, attached, other_clauses, agent, hedged = _target_context(
        parsed, inside, others, sentence_start
    )
    features = []
    negated_until = -1
    for i, w in enumerate(words):
        if first <= i <= last:
            continue
        if w in cues["negation"]:
            negated_until = i + NEGATION_REACH
        elif w in _CLAUSE_MARKS or w in cues["breaker"]:
            negated_until = -1
        if not w[0].isalnum():
            continue
        in_clause = clauses[i] in attached
        distance = (first - i) if i < first else (i - last)
        value = 1.0 / (1.0 + (distance - 1) / DECAY)
        if not in_clause:
            value *= OUTSIDE
        if i <= negated_until and w not in cues["negation"]:
            value *= NEGATED
        if hedged and in_clause:
            value *= HEDGED
        if goal[i]:
            value *= NEGATED if clauses[i] in failed else GOAL
        if not in_clause:
            side = "o"
        elif i < first:
            side = "a" if agent else "b"
        else:
            side = "b" if _is_participle(words, i, cues["passive"]) else "a"
        features.append((f"{side}:{w}", value, w))
        features.append((f"w:{w}", value, w))
        polarity = prior.get(w)
        if polarity:
            signed = polarity * value
            where = "x" if clauses[i] in other_clauses else side
            features.append((f"prior:{where}{'+' if signed > 0 else '-'}", abs(signed), w))
    return features


# The same method, evaluated fast. ``find_target_features`` spells every feature out, which the
# training script needs; scoring only needs the sums of the weights that fire. ``_mention_sums``
# walks the same words in the same order, with each word's weights looked up once per sentence
# instead of once per feature string, and skips the words that have no weight at all (they add
# nothing to any sum; the negation and clause cues among them still move the negation's reach).
# Every sum gets the same terms in the same order as ``_probabilities`` and ``_explain`` over
# ``find_target_features``, so the floats are the same to the last bit (tests/test_sentiments.py
# checks it).

_NEGATION, _BREAK = 1, 2  # a word's "event": it starts a negation's reach, or ends it


class _Weights(NamedTuple):
    """A learned feature's weights toward negative and positive, and positive minus negative."""

    negative: float
    positive: float
    push: float


def _weights(feature: str) -> _Weights | None:
    w = _learned()[0].get(feature)
    return None if w is None else _Weights(w[0], w[1], w[1] - w[0])


@cache
def _prior_weights() -> dict[str, tuple[_Weights | None, _Weights | None]]:
    """``prior:SIDE-`` and ``prior:SIDE+`` weights, keyed by SIDE: ``[side][positive]``
    (a bool indexes a pair: False is 0, True is 1)."""
    return {side: (_weights(f"prior:{side}-"), _weights(f"prior:{side}+")) for side in "abox"}


_WORD_INFO: dict[str, tuple] = {}


def _word_info(word: str) -> tuple:
    """What the scorer needs of a word: ``(step, event, active, shaped, a, b, o, w, prior)``.

    ``a``/``b``/``o``/``w`` are the weights of the features ``a:word`` .. ``w:word`` (or None),
    ``prior`` its prior polarity (0.0 if none); ``active`` is False when none of them can fire,
    which is also the case for punctuation (``find_target_features`` skips it); ``step`` is
    True when the word is active or an event; ``shaped``: it ends like a participle.
    """
    info = _WORD_INFO.get(word)
    if info is None:
        cues = _cues()
        if word in cues["negation"]:
            event = _NEGATION
        elif word in _CLAUSE_MARKS or word in cues["breaker"]:
            event = _BREAK
        else:
            event = 0
        if word[0].isalnum():
            sides = tuple(_weights(f"{side}:{word}") for side in "abow")
            prior = _prior_lexicon().get(word) or 0.0
        else:
            sides, prior = (None, None, None, None), 0.0
        active = prior != 0.0 or any(w is not None for w in sides)
        shaped = word.endswith(_PARTICIPLE_ENDINGS)
        info = _WORD_INFO[word] = (bool(event or active), event, active, shaped, *sides, prior)
    return info


@lru_cache(maxsize=64)
def _steps(sentence: str) -> tuple[tuple, list[tuple], list[int]]:
    """The parse of a sentence; for each word that has weights or is a negation or clause cue,
    ``(i, word, event, active, clause, goal, after, w_after, wa, wb, wo, ww, prior)``; and the
    ``i`` of each of them (sorted, for bisection).

    ``goal`` is the factor a goal applies (None if the word is not in a goal); ``after`` and
    ``w_after`` are the side and weights the word takes when it stands after the target in the
    target's clause: ``"b"`` when it reads as a passive participle ("X was criticised"), else
    ``"a"``. They depend on the sentence alone, so every target of the sentence reuses them."""
    parsed = _parse(sentence)
    words, clauses, goal, failed, _, _, _ = parsed
    passive = _cues()["passive"]
    known = _WORD_INFO.get
    steps = []
    for i, word in enumerate(words):
        step, event, active, shaped, a, b, o, w, prior = known(word) or _word_info(word)
        if step:
            factor = (NEGATED if clauses[i] in failed else GOAL) if goal[i] else None
            participle = shaped and active and _is_participle(words, i, passive)
            after, w_after = ("b", b) if participle else ("a", a)
            steps.append(
                (i, word, event, active, clauses[i], factor, after, w_after, a, b, o, w, prior)
            )
    return parsed, steps, [step[0] for step in steps]


_REACH: list[float] = []


def _reach(n: int) -> list[float]:
    """How much a word ``d`` words from the target counts, for d < n (index 0 unused)."""
    while len(_REACH) < max(n, 2):
        distance = len(_REACH)
        _REACH.append(1.0 / (1.0 + (distance - 1) / DECAY))
    return _REACH


def _mention_sums(
    text: str,
    start: int,
    end: int,
    sentence_start: int,
    sentence_end: int,
    others: Sequence[tuple[int, int]] = (),
) -> tuple[float, float, dict[str, float]]:
    """The log-odds of negative and positive for one target, and each word's push.

    The same as ``_probabilities`` (before the softmax) and ``_explain`` over
    ``find_target_features(text, start, end, sentence_start, sentence_end, others)``.
    """
    _, (neg, pos) = _learned()
    parsed, steps, positions = _steps(text[sentence_start:sentence_end])
    words, _, _, _, _, starts, ends = parsed
    start, end = start - sentence_start, end - sentence_start
    push: dict[str, float] = {}
    inside = _overlapping(starts, ends, start, end)
    if not inside:
        return neg, pos, push
    first, last, attached, other_clauses, agent, hedged = _target_context(
        parsed, inside, others, sentence_start
    )
    prior_weights = _prior_weights()
    reach = _reach(len(words))
    before = "a" if agent else "b"  # the side of a word before the target, in its clause
    # The target's own words are left out: the steps before it, then those after it.
    around = steps[: bisect_left(positions, first)] + steps[bisect_right(positions, last) :]
    negated_until = -1
    for i, word, event, active, clause, goal, after, w_after, wa, wb, wo, ww, prior in around:
        if event:  # a negation starts its reach, a clause cue ends it
            negated_until = i + NEGATION_REACH if event == _NEGATION else -1
        if not active:
            continue
        # The factors multiply in the order find_target_features applies them (same bits).
        if i < first:
            value, side, w = reach[first - i], before, (wa if agent else wb)
        else:
            value, side, w = reach[i - last], after, w_after
        in_clause = clause in attached
        if not in_clause:
            value *= OUTSIDE
            side, w = "o", wo
        if i <= negated_until and event != _NEGATION:
            value *= NEGATED
        if hedged and in_clause:
            value *= HEDGED
        if goal is not None:
            value *= goal
        prior_w = None
        if prior:
            signed = prior * value
            prior_w = prior_weights["x" if clause in other_clauses else side][signed > 0]
        if w is None and ww is None and prior_w is None:
            continue
        # The word's push is summed in a local and stored once: the same additions, in order.
        total = push.get(word, 0.0)
        if w is not None:
            w_neg, w_pos, w_push = w
            neg += value * w_neg
            pos += value * w_pos
            total += value * w_push
        if ww is not None:
            w_neg, w_pos, w_push = ww
            neg += value * w_neg
            pos += value * w_pos
            total += value * w_push
        if prior_w is not None:
            strength = abs(signed)
            w_neg, w_pos, w_push = prior_w
            neg += strength * w_neg
            pos += strength * w_pos
            total += strength * w_push
        push[word] = total
    return neg, pos, push


def _softmax(neg: float, pos: float) -> tuple[float, float, float]:
    """Chances of negative / neutral / positive from the log-odds against neutral."""
    top = max(neg, pos, 0.0)
    en, eu, ep = math.exp(neg - top), math.exp(-top), math.exp(pos - top)
    total = en + eu + ep
    return en / total, eu / total, ep / total


def _explain(features, weights) -> dict[str, float]:
    """Each word's push toward positive (log-odds of positive minus negative)."""
    push: dict[str, float] = defaultdict(float)
    for feature, value, word in features:
        w = weights.get(feature)
        if w is not None:
            push[word] += value * (w[1] - w[0])
    return push


def _format(push: dict[str, float]) -> str:
    """``word:weight`` pairs, strongest first (ties: alphabetical), at most ``EVIDENCE_WORDS``."""
    # Lists rather than generators: the same text, a little quicker.
    strongest = sorted([(-abs(v), w, v) for w, v in push.items() if abs(v) >= EVIDENCE_MIN])
    return "; ".join([f"{w}:{v:+.2f}" for _, w, v in strongest[:EVIDENCE_WORDS]])


def _probabilities(features) -> tuple[float, float, float]:
    weights, (bias_neg, bias_pos) = _learned()
    neg, pos = bias_neg, bias_pos
    for feature, value, _ in features:
        w = weights.get(feature)
        if w is not None:
            neg += value * w[0]
            pos += value * w[1]
    return _softmax(neg, pos)


def _label(p_neg: float, p_neu: float, p_pos: float) -> int:
    if p_neu >= p_neg and p_neu >= p_pos:
        return 0
    return -1 if p_neg > p_pos else 1


def score_target(
    text: str,
    start: int,
    end: int,
    sentence_start: int = 0,
    sentence_end: int | None = None,
    others: Sequence[tuple[int, int]] = (),
) -> TargetScore:
    """Score how the sentence ``text[sentence_start:sentence_end]`` treats ``text[start:end]``.

    ``others``: the ``(start, end)`` offsets of the sentence's other targets, if any.
    """
    sentence_end = len(text) if sentence_end is None else sentence_end
    neg, pos, push = _mention_sums(text, start, end, sentence_start, sentence_end, others)
    p_neg, p_neu, p_pos = _softmax(neg, pos)
    return TargetScore(round(p_pos - p_neg, 4), _label(p_neg, p_neu, p_pos), _format(push))


def _score_mentions(
    text: str, spans: list[tuple[int, int]], sentence_start: int, sentence_end: int, others
) -> tuple[float, int, str]:
    """``target`` toward a party's mentions ``spans`` in one sentence: (score, label, evidence).

    One mention: as ``score_target``. Several: their class probabilities averaged, their pushes
    summed (each over the number of mentions).
    """
    if len(spans) == 1:  # the common case, the same numbers
        neg, pos, push = _mention_sums(text, *spans[0], sentence_start, sentence_end, others)
        p_neg, p_neu, p_pos = _softmax(neg, pos)
        return round(p_pos - p_neg, 4), _label(p_neg, p_neu, p_pos), _format(push)
    p_neg = p_neu = p_pos = 0.0
    push = defaultdict(float)
    for m0, m1 in spans:
        neg, pos, mention_push = _mention_sums(text, m0, m1, sentence_start, sentence_end, others)
        n, u, p = _softmax(neg, pos)
        p_neg, p_neu, p_pos = p_neg + n, p_neu + u, p_pos + p
        for w, v in mention_push.items():
            push[w] += v / len(spans)
    k = len(spans)
    p_neg, p_neu, p_pos = p_neg / k, p_neu / k, p_pos / k
    return round(p_pos - p_neg, 4), _label(p_neg, p_neu, p_pos), _format(push)


# ---------------------------------------------------------------------------------------------
# Sentence-level baselines

_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@cache
def _vader_analyzer():
    """VADER's analyzer, its emoji step skipped on text without emojis (a third of its time).

    ``polarity_scores`` first copies the text character by character, putting each emoji's
    description in its place, and strips it; on text without emojis that is ``text.strip()``.
    The rest is ``SentimentIntensityAnalyzer.polarity_scores`` of vaderSentiment 3.3.2 (the
    version requirements.txt pins) line for line.
    """
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer, SentiText

    class Analyzer(SentimentIntensityAnalyzer):
        def has_emojis(self, text):
            return not self.emojis.keys().isdisjoint(text)

        def polarity_scores(self, text):
            if self.has_emojis(text):
                return super().polarity_scores(text)
            return self.scores(SentiText(text.strip()))

        def scores(self, sentitext):
            """``polarity_scores`` of ``sentitext.text``, which has no emojis."""
            sentiments = []
            words_and_emoticons = sentitext.words_and_emoticons
            for i, item in enumerate(words_and_emoticons):
                valence = 0
                if item.lower() in BOOSTER_DICT:
                    sentiments.append(valence)
                    continue
                if (
                    i < len(words_and_emoticons) - 1
                    and item.lower() == "kind"
                    and words_and_emoticons[i + 1].lower() == "of"
                ):
                    sentiments.append(valence)
                    continue
                sentiments = self.sentiment_valence(valence, sentitext, item, i, sentiments)
            sentiments = self._but_check(words_and_emoticons, sentiments)
            return self.score_valence(sentiments, sentitext.text)

        # These two lowercase the whole sentence on each call (three times per lexicon word)
        # and read only the words from three before the word ``i`` to two after it; given just
        # those words, with ``i`` counted among them, they read the same words. (They are only
        # called with ``i`` past the words they read before it; the idioms check compares
        # ``i`` + 1 and + 2 with the length, which the window keeps: it ends where the
        # sentence does or goes two words past ``i``.)
        @staticmethod
        def _negation_check(valence, words_and_emoticons, start_i, i):
            first = max(0, i - 3)
            window = words_and_emoticons[first : i + 1]
            return SentimentIntensityAnalyzer._negation_check(valence, window, start_i, i - first)

        @staticmethod
        def _special_idioms_check(valence, words_and_emoticons, i):
            window = words_and_emoticons[i - 3 : i + 3]
            return SentimentIntensityAnalyzer._special_idioms_check(valence, window, 3)

    from vaderSentiment.vaderSentiment import BOOSTER_DICT

    return Analyzer()


@cache
def _textblob_sentiment():
    """TextBlob's ``textblob.en.sentiment``, its lexicon in a plain dict (a quarter of its time).

    The library's object is a lazy dict: every ``word in lexicon`` and ``lexicon[word]`` goes
    through a Python method that loads the lexicon on first use. This copy holds the loaded
    lexicon and the same settings, and runs the library's own methods on them.
    """
    from textblob.en import sentiment

    class Plain(type(sentiment)):
        __contains__ = dict.__contains__
        __getitem__ = dict.__getitem__

    plain = Plain.__new__(Plain)
    plain.__dict__.update({k: v for k, v in vars(sentiment).items() if not k.startswith("__")})
    dict.update(plain, sentiment.items())
    return plain


_LETTERS = re.compile("[a-z]+")


@cache
def _textblob_screen() -> tuple[frozenset[str], re.Pattern[str]]:
    """What can give a sentence a TextBlob assessment, to find the sentences where none can.

    TextBlob assesses a token (its tokenizer's, lowercased) only when it is a key of its lexicon,
    an emoticon or the sarcasm mark "(!)"; with no assessment the polarity is 0.0 (``avg`` of
    nothing is ``0 / 1.0``) and the evidence empty. On text without line breaks, its tokenizer
    only cuts the text into pieces: it splits "n't" off ("don't" -> "do n't"), cuts at spaces,
    around quotation marks and at ASCII punctuation at the ends of words, and it joins back an
    emoticon or "(!)" that it split. So once "n't" is split off and the text lowercased (as
    TextBlob lowercases each token, character by character), a token made of the letters a-z is
    a whole run of them, and any other token is a piece of the text, unless it holds an emoticon
    or "(!)" (whose characters may stand apart in the text, with spaces between them). Returned:
    the lexicon's keys made of a-z, and one pattern for its other keys, the emoticons and "(!)".
    An emoticon that ends in a letter or digit is joined only when what follows is cut off from
    it: not a letter or digit.
    """
    from textblob import _text
    from textblob.en import sentiment

    keys = {key.lower() for key in sentiment.keys()}
    words = frozenset(key for key in keys if _LETTERS.fullmatch(key))
    patterns = [re.escape(key) for key in sorted(keys - words)]
    for faces in _text.EMOTICONS.values():
        for face in sorted(face.lower() for face in faces):
            pattern = r"\s*".join(map(re.escape, face))
            patterns.append(pattern + "(?![a-z0-9])" if face[-1].isalnum() else pattern)
    patterns.append(r"\(\s*!\s*\)")
    return words, re.compile("|".join(patterns))


def _textblob_neutral(text: str) -> bool:
    """True when TextBlob cannot assess any word of ``text`` (see ``_textblob_screen``)."""
    if "\n" in text or "\r" in text:
        return False
    words, others = _textblob_screen()
    lowered = text.replace("n't", " n't").lower()
    return words.isdisjoint(_LETTERS.findall(lowered)) and others.search(lowered) is None


def _textblob_polarity(text: str) -> tuple[float, list]:
    """TextBlob's polarity of ``text`` and its assessments, without building a TextBlob.

    ``TextBlob(text).sentiment`` runs the same ``textblob.en.sentiment`` object, but its
    ``PatternAnalyzer`` also makes a namedtuple class on every call (half of its time). A
    sentence with no word TextBlob knows is 0.0 without running it (a third of news sentences).
    """
    if _textblob_neutral(text):
        return 0.0, []
    result = _textblob_sentiment()(text)
    return float(result[0]), result.assessments


def _vader_compound(text: str) -> float:
    """VADER's compound score of ``text``; 0.0 without running it when no token is in its lexicon.

    VADER gives a token (its ``SentiText``'s, lowercased) a valence only when it is in its
    lexicon; every rule (negation, boosters, idioms, "but", "!") only changes such valences, so
    with none the sum is 0.0 and so is the compound. Emojis are first turned into words: the
    check is made only on text where there are none.
    """
    analyzer = _vader_analyzer()
    if analyzer.has_emojis(text):
        return float(analyzer.polarity_scores(text)["compound"])
    from vaderSentiment.vaderSentiment import SentiText

    sentitext = SentiText(text.strip())
    lexicon = analyzer.lexicon
    if not any(item.lower() in lexicon for item in sentitext.words_and_emoticons):
        return 0.0
    return float(analyzer.scores(sentitext)["compound"])


def _sentence_label(score: float) -> int:
    return 1 if score >= THRESHOLD else -1 if score <= -THRESHOLD else 0


def _lexicon_evidence(text: str, lexicon: dict[str, float], scale: float) -> str:
    push = {}
    for word in _WORDS.findall(text):
        w = word.lower().replace("’", "'")
        if w in lexicon:
            push[w] = lexicon[w] / scale
    return _format(push)


@lru_cache(maxsize=1024)
def score_sentence(text: str, method: str) -> TargetScore:
    """Score a whole sentence with ``textblob-sentence`` or ``vader-sentence`` (cached per text).

    The evidence lists what fired: TextBlob's own assessments (word groups with their polarity,
    negation and intensifiers applied); for VADER the sentence's words in its lexicon with their
    valence / 4 (VADER's rules for negation and intensifiers are not in the evidence).
    """
    if method == "textblob-sentence":
        score, assessments = _textblob_polarity(text)
        evidence = _format({" ".join(w): p for w, p, _, _ in assessments})
    elif method == "vader-sentence":
        score = _vader_compound(text)
        evidence = _lexicon_evidence(text, _vader_lexicon(), 4.0)
    else:
        raise ValueError(
            f"unknown sentence method {method!r}: use 'textblob-sentence' or 'vader-sentence'"
        )
    return TargetScore(round(score, 4), _sentence_label(score), evidence)


# ---------------------------------------------------------------------------------------------
# Tables


def score_parties(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    mentions: pd.DataFrame,
    methods: tuple[str, ...] = METHODS,
) -> pd.DataFrame:
    """One row per (article, sentence, party, method): ``SCORE_COLUMNS``.

    ``mentions`` has ``article, sentence, start, end, party`` (offsets into the article's text;
    rows with an empty party are skipped). Several mentions of one party in one sentence are
    combined: ``target`` averages their class probabilities (score = mean P(pos) - mean P(neg),
    label = likeliest mean class, evidence summed over mentions); the sentence methods score the
    sentence once. ``quoted`` is True when every mention of the party in that sentence lies inside
    a quotation (the quoted speaker speaks there, not the article); ``mentions`` counts them.
    """
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise ValueError(f"unknown methods {sorted(unknown)}: choose from {METHODS}")
    texts = dict(zip(articles["article"].tolist(), articles["text"].tolist(), strict=True))
    columns = [sentences[c].tolist() for c in ("article", "sentence", "start", "end")]
    bounds = {(a, s): (start, end) for a, s, start, end in zip(*columns, strict=True)}
    groups: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
    columns = [mentions[c].tolist() for c in ("article", "sentence", "start", "end", "party")]
    for a, s, start, end, party in zip(*columns, strict=True):
        if isinstance(party, str) and party and (a, s) in bounds:
            groups[(a, s, party)].append((int(start), int(end)))
    in_sentence: dict[tuple, list[tuple[int, int, str]]] = defaultdict(list)
    for (a, s, party), spans in groups.items():
        in_sentence[(a, s)].extend((m0, m1, party) for m0, m1 in spans)
    # The table is built column by column: ``parties`` holds what a party's rows share, once per
    # (article, sentence, party); ``results`` holds (score, label, evidence), one per row.
    parties, results = [], []
    current = None  # the sentence of the previous party: a sentence's parties come one by one
    for (a, s, party), spans in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), *kv[0][1:])):
        text = texts[a]
        s_start, s_end = bounds[(a, s)]
        if (a, s) != current:  # a new sentence: its quotations, and its sentence-level scores
            current, quotes, sentence_scores = (a, s), find_quotes(text, s_start, s_end), {}
        quoted = bool(quotes) and all(
            any(q0 <= m0 and m1 <= q1 for q0, q1 in quotes) for m0, m1 in spans
        )
        others = [(o0, o1) for o0, o1, p in in_sentence[(a, s)] if p != party]
        for method in methods:
            if method == "target":
                results.append(_score_mentions(text, spans, s_start, s_end, others))
            else:
                if method not in sentence_scores:
                    sentence_scores[method] = score_sentence(text[s_start:s_end], method)
                results.append(sentence_scores[method])
        parties.append((a, s, party, quoted, len(spans)))
    # Each party's shared values, repeated once per method (its rows are consecutive).
    shared = [[v for v in column for _ in methods] for column in zip(*parties, strict=True)]
    article, sentence, party, quoted, count = shared or [[]] * 5
    score, label, evidence = zip(*results, strict=True) if results else [()] * 3
    columns = {
        "article": article,
        "sentence": sentence,
        "party": party,
        "method": list(methods) * len(parties),
        "score": score,
        "label": label,
        "evidence": evidence,
        "quoted": quoted,
        "mentions": count,
    }
    dtypes = {"sentence": int, "score": float, "label": int, "quoted": bool, "mentions": int}
    return pd.DataFrame(
        {name: pd.Series(columns[name], dtype=dtypes.get(name, object)) for name in SCORE_COLUMNS}
    )


def summarise_parties(
    scores: pd.DataFrame, resamples: int = 1000, level: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Per party and method: ``SUMMARY_COLUMNS`` (n rows, mean score, bootstrap interval, shares).

    ``low``/``high`` bound the mean over the party's (sentence) rows by a percentile bootstrap with
    a fixed seed; ``negative``/``positive`` are the shares of rows labelled -1 / +1.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for (party, method), group in scores.groupby(["party", "method"], sort=True):
        values = group["score"].to_numpy(dtype=float)
        n = len(values)
        mean = float(values.mean())
        if n > 1:
            means = values[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
            low, high = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
        else:
            low = high = mean
        labels = group["label"].to_numpy()
        rows.append(
            (
                party,
                method,
                n,
                round(mean, 4),
                round(float(low), 4),
                round(float(high), 4),
                round(float((labels < 0).mean()), 4),
                round(float((labels > 0).mean()), 4),
            )
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def count_evidence(
    scores: pd.DataFrame, top: int | None = 10, function_words: bool = True
) -> pd.DataFrame:
    """The words that drove each party's scores: ``EVIDENCE_COLUMNS``, strongest first.

    ``weight`` sums a word's signed weights over the party's rows (per method); ``rows`` counts
    the rows whose evidence lists it. ``top`` keeps that many words per party and method;
    ``function_words=False`` leaves out words such as "the" and "of" (``data/stopwords.csv``),
    which the learned lexicon weighs too, as they go with labels in its training data.
    """
    hidden = frozenset() if function_words else _function_words()
    totals: dict[tuple, list] = {}
    for party, method, evidence in zip(
        scores["party"].tolist(),
        scores["method"].tolist(),
        scores["evidence"].tolist(),
        strict=True,
    ):
        for item in str(evidence).split("; ") if evidence else ():
            word, _, weight = item.rpartition(":")
            if word in hidden:
                continue
            entry = totals.setdefault((party, method, word), [0.0, 0])
            entry[0] += float(weight)
            entry[1] += 1
    rows = [(p, m, w, round(v, 3), n) for (p, m, w), (v, n) in totals.items()]
    table = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    table["strength"] = table["weight"].abs()
    table = table.sort_values(["party", "method", "strength", "word"], ascending=[1, 1, 0, 1])
    if top is not None:
        table = table.groupby(["party", "method"], sort=False).head(top)
    return table.drop(columns="strength").reset_index(drop=True)


def trace_parties(
    scores: pd.DataFrame, sentences: pd.DataFrame, bins: int | None = None
) -> pd.DataFrame:
    """Each party's mean score along the article: ``TRACE_COLUMNS``.

    With ``bins=None`` the position is the sentence number (one article: the strip sentence by
    sentence). With ``bins=K`` it is the K-th part of each article the sentence falls in
    (0 .. K-1, by sentence number over the article's sentences), averaged over all articles.
    """
    table = scores
    if bins is None:
        table = table.assign(position=table["sentence"])
    else:
        last = sentences.groupby("article")["sentence"].max().rename("last")
        table = table.join(last, on="article")
        fraction = table["sentence"] / table["last"].clip(lower=1)
        table = table.assign(position=(fraction * bins).clip(upper=bins - 1).astype(int))
    grouped = table.groupby(["party", "method", "position"], sort=True)["score"]
    out = grouped.agg(["mean", "size"]).reset_index()
    out.columns = TRACE_COLUMNS
    out["score"] = out["score"].round(4)
    return out
