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
import string
import xml.etree.ElementTree as ET
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import accumulate, compress, count
from operator import not_
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from .lexicons import kept, read_table, read_words
from .tokenizers import split_word_columns

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


@kept
def _prior_lexicon() -> dict[str, float]:
    """Prior polarity in [-1, 1]: mean of TextBlob and VADER (/4), the news lexicon overriding.

    Degree words (VADER's boosters: "more", "very") and the hedge and negation cues ("unlikely",
    "no") are left out: they change the words around them, they carry no polarity of their own
    (TextBlob gives "more" +0.5). Measured on NewsMTSC, dev_mt +0.004 macro-F1, train CV +-0.
    Kept on disk (``lexicons.kept``): it takes two lexicon files to build.
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
    kinds["marked"] = kinds["aim"] | kinds["hedge"]  # marks a goal, a failure or a hedge
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
    # Most sentences hold no quotation mark: three searches for one character cost less than
    # the pattern's search (offsets not negative: str.find reads those from the end).
    if start >= 0 and end >= 0 and text.find('"', start, end) < 0:
        if text.find("“", start, end) < 0 and text.find("”", start, end) < 0:
            return []
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
    if sentence.isascii():
        # The words of the lowercased sentence: lowercasing ASCII keeps every character's
        # place and kind (letter, digit, mark) and the word pattern reads either case alike.
        starts, ends, words = split_word_columns(sentence.lower())
    else:
        starts, ends, words = split_word_columns(sentence)
        # Lowercased in one call, joined by spaces: no token holds a space, and lowercasing
        # makes none and reads the same context at a space as at a string's end (Python's rule
        # for a final sigma), so the same words as lowercasing each token.
        lowered = " ".join(words).lower()
        if "’" in lowered:
            lowered = lowered.replace("’", "'")
        words = lowered.split(" ") if words else []
    # Clause number of each token: punctuation and conjunctions open a new clause (a
    # conjunction or relative pronoun only after the first word).
    opens = list(map(cues["opener"].__contains__, words))
    if words:
        opens[0] = words[0] in _CLAUSE_MARKS
    clauses = list(accumulate(opens, initial=0))[1:]
    # Goals are not facts: "efforts to improve ties" counts "improve" less, and "efforts to
    # improve ties have failed" / "refused to address" turns it round.
    goal = [False] * len(words)
    failed, hedged = set(), set()
    if cues["marked"].isdisjoint(words):  # most sentences: no goal, failure or hedge
        return words, clauses, goal, failed, hedged, starts, ends
    if not cues["aim"].isdisjoint(words):
        for i, w in enumerate(words[:-1]):
            if w in cues["aim"] and words[i + 1] == "to":
                j = i + 2
                stops = cues["aim_end"]
                while j < len(words) and clauses[j] == clauses[i] and words[j] not in stops:
                    goal[j] = True
                    j += 1
    if not cues["failure"].isdisjoint(words):
        failed = {clauses[i] for i, w in enumerate(words) if w in cues["failure"]}
    if not cues["hedge"].isdisjoint(words):
        hedged = {clauses[i] for i, w in enumerate(words) if w in cues["hedge"]}
    return words, clauses, goal, failed, hedged, starts, ends


def _overlapping(starts: list[int], ends: list[int], start: int, end: int) -> range:
    """The tokens that overlap ``[start, end)``, as a range of token numbers."""
    return range(bisect_right(ends, start), bisect_left(starts, end))


def _clauses_of(parsed: tuple, spans, sentence_start: int) -> set[int]:
    """The clauses of the tokens that overlap any of ``spans`` (offsets in the text, the
    sentence starting at ``sentence_start``)."""
    _, clauses, _, _, _, starts, ends = parsed
    found = set()
    for o_start, o_end in spans:
        o_first = bisect_right(ends, o_start - sentence_start)
        found.update(clauses[o_first : bisect_left(starts, o_end - sentence_start)])
    return found


def _target_context(parsed: tuple, inside: list[int], others: set[int]) -> tuple:
    """Where a target stands in its parsed sentence: what both target scorers start from.

    ``others``: the clauses that hold another target (``_clauses_of`` their spans). Returns
    the target's first and last word, the clauses attached to it, the clauses that hold another
    target and not this one, whether an agent cue comes before it and whether its clause is hedged.
    """
    words, clauses, _, _, hedged_clauses, _, _ = parsed
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
    other_clauses = others - attached
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
        parsed, inside, _clauses_of(parsed, others, sentence_start)
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


# A learned feature's weights toward negative and positive, and positive minus negative: a plain
# tuple, as Python unpacks one quicker than a NamedTuple (a tuple subclass).
_Weights = tuple[float, float, float]


def _weights(feature: str) -> _Weights | None:
    w = _learned()[0].get(feature)
    return None if w is None else (w[0], w[1], w[1] - w[0])


@cache
def _prior_weights() -> dict[str, tuple[_Weights | None, _Weights | None]]:
    """``prior:SIDE-`` and ``prior:SIDE+`` weights, keyed by SIDE: ``[side][positive]``
    (a bool indexes a pair: False is 0, True is 1)."""
    return {side: (_weights(f"prior:{side}-"), _weights(f"prior:{side}+")) for side in "abox"}


@cache
def _word_weights() -> dict[str, tuple[_Weights | None, ...]]:
    """The weights of the features ``a:word``, ``b:word``, ``o:word``, ``w:word`` of each word
    that has one (None for the others), read once from the learned lexicon."""
    sides: dict[str, list] = defaultdict(lambda: [None] * 4)
    for feature in _learned()[0]:
        side, _, word = feature.partition(":")
        if side in ("a", "b", "o", "w"):
            sides[word]["abow".index(side)] = _weights(feature)
    return {word: tuple(weights) for word, weights in sides.items()}


@cache
def _word_infos() -> dict[str, tuple]:
    """What the scorer needs of each word, ``(event, active, shaped, a, b, o, w, prior)``, for
    the words that are active or an event; any other word's is None (``dict.get``).

    ``event`` is ``_NEGATION``, ``_BREAK`` (a clause mark or clause cue) or 0; ``a``/``b``/``o``/
    ``w`` are the weights of the features ``a:word`` .. ``w:word`` (or None), ``prior`` its prior
    polarity (0.0 if none); ``active`` is False when none of them can fire, which is also the
    case for punctuation (``find_target_features`` skips it); ``shaped``: it ends like a
    participle. A word outside the two lexicons has no weight, so only their words and the cues
    can be in the table. Speed: it is made once (``pipeline.prepare`` does, before the workers
    fork), 43 M instructions, rather than by each worker for each new word it meets (about
    25,000 words in 923 PolNeAR texts), and a sentence's infos are one lookup a word.
    """
    cues = _cues()
    weights, priors = _word_weights(), _prior_lexicon()
    events = dict.fromkeys(_CLAUSE_MARKS | cues["breaker"], _BREAK)
    events.update(dict.fromkeys(cues["negation"], _NEGATION))  # a word in both: a negation
    none = (None, None, None, None)
    infos = {}
    for word in weights.keys() | priors.keys() | events.keys():
        event = events.get(word, 0)
        sides, prior = none, 0.0
        if word[:1].isalnum():
            sides = weights.get(word, none)
            prior = priors.get(word) or 0.0
        active = prior != 0.0 or sides != none
        if event or active:
            infos[word] = (event, active, word.endswith(_PARTICIPLE_ENDINGS), *sides, prior)
    return infos


@lru_cache(maxsize=64)
def _steps(sentence: str) -> tuple[tuple, list, list[tuple], list[int], set[int]]:
    """The parse of a sentence, what the scorer needs of each word (``_word_infos``), and
    ``_walk`` of them."""
    parsed = _parse(sentence)
    infos = list(map(_word_infos().get, parsed[0]))
    return parsed, infos, *_walk(parsed, infos)


def _walk(parsed: tuple, infos: list) -> tuple[list[tuple], list[int], set[int]]:
    """The words of a parsed sentence that have weights, in order:
    ``(i, word, clause, negated, goal, after, w_after, wa, wb, wo, ww, prior)``; the ``i`` of
    each of them (sorted, for bisection); and the ``i`` of the negations and clause cues (a
    set). A word whose info is None is left out (``_mention_sums`` leaves out a target so).

    ``negated`` says whether a negation reaches the word: ``NEGATION_REACH`` words on, unless a
    clause cue comes first; a negation is not negated itself. ``goal`` is the factor a goal
    applies (None if the word is not in a goal); ``after`` and ``w_after`` are the side and
    weights the word takes when it stands after the target in the target's clause: ``"b"``
    when it reads as a passive participle ("X was criticised"), else ``"a"``. They depend on
    the sentence alone, so every target of the sentence reuses them.
    """
    words, clauses, goal, failed, _, _, _ = parsed
    passive = _cues()["passive"]
    steps, positions, events = [], [], set()
    negated_until = -1
    for i in compress(range(len(words)), infos):  # the words that are active or an event
        event, active, shaped, a, b, o, w, prior = infos[i]
        if event:
            events.add(i)
            negated_until = i + NEGATION_REACH if event == _NEGATION else -1
            if not active:
                continue
        negated = i <= negated_until and event != _NEGATION
        factor = (NEGATED if clauses[i] in failed else GOAL) if goal[i] else None
        participle = shaped and _is_participle(words, i, passive)
        after, w_after = ("b", b) if participle else ("a", a)
        positions.append(i)
        steps.append((i, words[i], clauses[i], negated, factor, after, w_after, a, b, o, w, prior))
    return steps, positions, events


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
    steps = _steps(text[sentence_start:sentence_end])
    others_in = _clauses_of(steps[0], others, sentence_start)
    return _target_sums(steps, start - sentence_start, end - sentence_start, others_in)


def _target_sums(
    sentence_steps: tuple, start: int, end: int, others: set[int]
) -> tuple[float, float, dict[str, float]]:
    """``_mention_sums`` from the sentence's ``_steps``, ``start``/``end`` counted from the
    sentence's start, ``others`` the clauses that hold another target (``_clauses_of``)."""
    parsed, infos, steps, positions, events = sentence_steps
    words, _, _, _, _, starts, ends = parsed
    neg, pos = _learned()[1]
    push: dict[str, float] = {}
    inside = _overlapping(starts, ends, start, end)
    if not inside:
        return neg, pos, push
    first, last, attached, other_clauses, agent, hedged = _target_context(parsed, inside, others)
    prior_weights = _prior_weights()
    reach = _reach(len(words))
    before = "a" if agent else "b"  # the side of a word before the target, in its clause
    # The target's own words are left out: the steps before it, then those after it. When
    # the target holds a negation or a clause cue (an event at first..last), the words are
    # walked again without the target's, for the negations.
    if not events.isdisjoint(inside):
        infos = infos[:first] + [None] * (last + 1 - first) + infos[last + 1 :]
        around = _walk(parsed, infos)[0]
    else:
        around = steps[: bisect_left(positions, first)] + steps[bisect_right(positions, last) :]
    for i, word, clause, negated, goal, after, w_after, wa, wb, wo, ww, prior in around:
        # The factors multiply in the order find_target_features applies them (same bits):
        # the reach, OUTSIDE (out of the target's clauses), NEGATED, HEDGED (in them), the goal.
        if clause in attached:
            if i < first:
                value, w = reach[first - i], (wa if agent else wb)
            else:
                value, w = reach[i - last], w_after
            if negated:
                value *= NEGATED
            if hedged:
                value *= HEDGED
        else:
            value = (reach[first - i] if i < first else reach[i - last]) * OUTSIDE
            w = wo
            if negated:
                value *= NEGATED
        if goal is not None:
            value *= goal
        prior_w = None
        if prior:
            signed = prior * value
            if clause in other_clauses:
                side = "x"
            elif clause not in attached:
                side = "o"
            else:
                side = before if i < first else after
            prior_w = prior_weights[side][signed > 0]
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
    # Lists rather than generators, each strength worked out once, and "%" rather than a
    # format spec (the same text, both round to two places; 11% less for the function).
    strongest = sorted([(-a, w, v) for w, v in push.items() if (a := abs(v)) >= EVIDENCE_MIN])
    pairs = ["%s:%+.2f" % (w, v) for _, w, v in strongest[:EVIDENCE_WORDS]]  # noqa: UP031
    return "; ".join(pairs)


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
    sentence_steps: tuple, spans: list[tuple[int, int]], sentence_start: int, others: set[int]
) -> tuple[float, int, str]:
    """``target`` toward a party's mentions ``spans`` in one sentence, given its ``_steps`` and
    the clauses that hold another party's mentions (``_clauses_of``): (score, label, evidence).

    One mention: as ``score_target``. Several: their class probabilities averaged, their pushes
    summed (each over the number of mentions).
    """
    if len(spans) == 1:  # the common case, the same numbers
        ((m0, m1),) = spans
        neg, pos, push = _target_sums(
            sentence_steps, m0 - sentence_start, m1 - sentence_start, others
        )
        p_neg, p_neu, p_pos = _softmax(neg, pos)
        return round(p_pos - p_neg, 4), _label(p_neg, p_neu, p_pos), _format(push)
    p_neg = p_neu = p_pos = 0.0
    push = defaultdict(float)
    for m0, m1 in spans:
        neg, pos, mention_push = _target_sums(
            sentence_steps, m0 - sentence_start, m1 - sentence_start, others
        )
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
# Bytes of ASCII text to the runs of _WORDS's characters, lowercased, between spaces: A-Z made
# a-z, a-z, "'" and "-" kept, every other byte a space (see _vader_evidence)
_WORD_RUNS = bytes(
    ord(c.lower()) if c.isascii() and c.lower() in string.ascii_lowercase + "'-" else ord(" ")
    for c in map(chr, range(256))
)
_PUNCTUATION = string.punctuation  # what VADER strips from its tokens' ends


# TextBlob's sentence polarity, computed here. ``TextBlob(text).sentiment`` tokenizes the text
# with ``textblob._text.find_tokens``, lowercases each token and walks the tokens with
# ``Sentiment.assessments``; both are slow Python (regex substitutions over the whole text, a
# list of dicts, a search through every emoticon set for each odd token). ``_textblob_tokens``
# and ``_textblob_assess`` redo the same steps on plain strings, tuples and dicts made once
# from the library's own data; texts where that would be less than certain go to the library's
# tokenizer (see ``_textblob_polarity``).


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


class _Blob(NamedTuple):
    """What ``_textblob_tokens`` and ``_textblob_assess`` need from TextBlob, made once."""

    lead: frozenset[str]  # punctuation split off the start of a token
    tail: frozenset[str]  # ... and off its end (with ".")
    abbreviation: object  # a token ending in "." that keeps it: t -> bool
    lexicon: dict[str, tuple]  # word -> (polarity, subjectivity, intensity, adverb, label)
    cues: frozenset[str]  # the other tokens that do something: negations, "!", emoticons
    negations: frozenset[str]
    modifier: object  # the library's test for an adverb before a negation ("really not")
    emoticons: dict[str, float]  # lowercased emoticon -> polarity, those the library can find
    mood: str  # the label of an emoticon's assessment
    merged: object  # the library's patterns that join tokens back into "(!)" and emoticons
    tokenize: object  # the library's tokenizer: text -> sentences of tokens joined by spaces


@kept
def _textblob_entries() -> dict[str, tuple]:
    """TextBlob's lexicon as ``_Blob.lexicon`` holds it (see ``_textblob_blob``).

    Kept on disk (``lexicons.kept``): the library takes about 50 ms to load its lexicon, which
    is then needed only for the rare text left to the library itself (``_textblob_sentiment``).
    """
    from textblob.en import sentiment

    modifiers = sentiment.modifiers
    return {
        word: (*senses[None], any(tag in senses for tag in modifiers), sentiment.labeler.get(word))
        for word, senses in sentiment.items()
        if None in senses
    }


@cache
def _textblob_blob() -> _Blob:
    """TextBlob's lexicon, negations, marks, abbreviations and emoticons, read from the library.

    A lexicon entry is the library's ``senses[None]`` (the average over its parts of speech,
    which is what a lowercased token with no tag gets), whether it can modify the next word
    (it has one of the modifier tags), and its label.
    """
    from textblob import _text
    from textblob.en import sentiment

    negations = frozenset(sentiment.negations)
    lexicon = _textblob_entries()
    emoticons: dict[str, float] = {}
    for (_, polarity), faces in _text.EMOTICONS.items():
        for face in faces:
            face = face.lower()
            # assessments() looks a token up only when this holds; the first set that has it wins
            if not face.isalpha() and len(face) <= 5 and face not in _text.PUNCTUATION:
                emoticons.setdefault(face, polarity)
    lead = frozenset(_text.PUNCTUATION.replace(".", ""))
    abbreviations = _text.ABBREVIATIONS
    # the library's three patterns, each anchored at both ends, as one: one match for three
    patterns = (_text.RE_ABBR1, _text.RE_ABBR2, _text.RE_ABBR3)
    shapes = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in patterns))

    def abbreviation(token: str) -> bool:
        return token in abbreviations or shapes.match(token) is not None

    # the sarcasm mark "( ! )" or an emoticon: one search for both patterns
    merged = _emoticon_pattern(_text.EMOTICONS, _text.RE_SARCASM.pattern).search
    return _Blob(
        lead=lead,
        tail=lead | {"."},
        abbreviation=abbreviation,
        lexicon=lexicon,
        cues=(negations | {"!"} | set(emoticons)) - set(lexicon),
        negations=negations,
        modifier=sentiment.modifier,
        emoticons=emoticons,
        mood=_text.MOOD,
        merged=lambda joined: merged(joined) is not None,
        tokenize=sentiment.tokenizer,  # an attribute: reading it loads no lexicon
    )


def _emoticon_trie(faces: list[str]) -> list[str]:
    """The alternatives ``c1 ?c2 ?c3`` of ``faces``, their common starts written once: one
    branch for each first character, starting with it.

    Python's regex engine tries every alternative in turn at each place where one could start:
    with the library's 76 emoticons, that is 76 tries at each "o", "x", "8" and ":" of a text.
    Grouped by their first character, then by their next one, and so on, the same strings match
    (``a ?b|a ?c`` and ``a ?(?:b|c)`` match the same; an emoticon that starts a longer one, ":o"
    and ":o)", becomes ``:o(?: ?\\))?``), but only one group is tried at each place.
    """
    groups: dict[str, list[str]] = {}
    for face in faces:
        groups.setdefault(face[0], []).append(face[1:])
    branches = []
    for first, rests in groups.items():
        longer = [rest for rest in rests if rest]
        branch = re.escape(first)
        if longer:
            inner = f" ?(?:{'|'.join(_emoticon_trie(longer))})"
            branch += f"(?:{inner})?" if "" in rests else inner
        branches.append(branch)
    return branches


def _emoticon_pattern(emoticons: dict, *others: str) -> re.Pattern:
    """The library's ``RE_EMOTICONS``, made from its emoticons in the same way, but with their
    alternatives grouped (``_emoticon_trie``): it finds a match exactly where the library's
    finds one, in a fraction of the steps. Only whether there is a match is used.

    Each branch carries the library's end test ``($|\\s)`` itself, so every alternative starts
    with a plain character and the engine looks for a match only where one of those stands;
    ``others`` (patterns that do the same) are alternatives too: one search for all of them.
    """
    faces = [face for group in emoticons.values() for face in group]
    return re.compile("|".join([*others, *(rf"{b}(?:$|\s)" for b in _emoticon_trie(faces))]))


def _split_punctuation(token: str, blob: _Blob, tokens: list[str]) -> None:
    """Append ``token`` to ``tokens`` as ``find_tokens`` cuts it: punctuation off both ends,
    one mark at a time, "..." whole, and a final "." only when the rest is no abbreviation."""
    while token and token[0] in blob.lead:
        tokens.append(token[0])
        token = token[1:]
    tail = []
    while token and token[-1] in blob.tail:
        if token[-1] in blob.lead:
            tail.append(token[-1])
            token = token[:-1]
        if token.endswith("..."):
            tail.append("...")
            token = token[:-3].rstrip(".")
        if token.endswith("."):
            if blob.abbreviation(token):
                break
            tail.append(".")
            token = token[:-1]
    if token:
        tokens.append(token)
    tokens.extend(reversed(tail))


_QUOTES = ("“", "”", "‘", "’", "'", '"')


def _textblob_tokens(text: str, blob: _Blob) -> list[str] | None:
    """The lowercased tokens TextBlob assesses in ``text``, or None to leave them to the library.

    ``find_tokens`` (with its defaults, as ``Sentiment`` calls it) does this, and so does this:

    1. It puts a space before "'d", "'m", "'s", "'ll", "'re", "'ve" and "n't" (regex
       substitutions of plain strings, in that order, none making or breaking another's
       match). Step 2 then sets every "'" apart, so only the space before "n't" changes a
       token ("don't" -> "do", "n", "'", "t"); that is the one replacement made here. It also
       means no token can be one of those contractions, which ``find_tokens`` checks before
       cutting punctuation.
    2. Spaces around “ ” ‘ ’ ' and ", one after the other.
    3. Runs of whitespace to one space, two line breaks in a row to a sentence end marker, and
       the text cut at spaces. With no two line breaks (after "\\r\\n" became "\\n") that is
       ``str.split()``, as ``str.isspace`` and the regex ``\\s`` agree on every code point;
       otherwise it is left to the library (None).
    4. Punctuation cut off each token (``_split_punctuation``, with the library's lists of
       marks and abbreviations). A token of one character stays whole, a word with one mark
       other than "." at its end loses just that mark, and a word with one "." at its end loses
       it unless it is an abbreviation: the shortcuts taken here.
    5. It groups the tokens into sentences and joins each with spaces, which changes nothing
       here (each token goes to one sentence, in order), but then substitutes "(!)" for a
       spaced-out sarcasm mark and joins a spaced-out emoticon ("8 )" in "( 1998 )"). Every
       match in one of its sentences is also a match in all the tokens joined by spaces (the
       patterns have no anchor at the start, and "$" at a sentence's end becomes a space), so
       when the library's two patterns find nothing in that string, neither substitution does
       anything, and otherwise it is left to the library (None).

    ``Sentiment.__call__`` then joins the sentences, splits them at spaces and lowercases each
    token; lowercasing the joined string is the same (no character lowercases to a space, and
    Python's context rule for final sigma stops at a space as it does at the end of a string).
    """
    if "\n" in text and "\n\n" in text.replace("\r\n", "\n"):
        return None
    text = text.replace("n't", " n't")
    for quote in _QUOTES:
        if quote in text:
            text = text.replace(quote, f" {quote} ")
    lead, tail = blob.lead, blob.tail
    tokens: list[str] = []
    for token in text.split():
        if token[-1] in tail or token[0] in lead:
            if len(token) == 1:
                tokens.append(token)
            elif token[-1] in lead and token[-2] not in tail and token[0] not in lead:
                tokens.append(token[:-1])
                tokens.append(token[-1])
            elif token[-1] == "." and token[-2] not in tail and token[0] not in lead:
                # a word and one ".", as _split_punctuation cuts it: whole if an abbreviation
                if blob.abbreviation(token):
                    tokens.append(token)
                else:
                    tokens.append(token[:-1])
                    tokens.append(".")
            else:
                _split_punctuation(token, blob, tokens)
        else:
            tokens.append(token)
    joined = " ".join(tokens)
    if blob.merged(joined):
        return None
    return joined.lower().split()


def _textblob_assess(words: list[str], blob: _Blob) -> list[tuple]:
    """``Sentiment.assessments`` of lowercased tokens: ``(words, polarity, subjectivity, label)``.

    A word in the lexicon starts an assessment, or joins the one of an adverb just before it
    ("very bad": its polarity and subjectivity times the adverb's intensity, capped at ±1); a
    negation just before flips it ("not good", "never very bad": the intensity inverted, the
    polarity halved and turned round at the end). An unknown word keeps a negation pending
    when it is one character long (quotes stripped) and an adverb when at most two; a negation
    after an adverb ending in "-ly" joins its assessment ("really not"); "!" raises the last
    polarity by a quarter (capped); an emoticon is an assessment of its own. "(!)" never reaches
    here (``_textblob_polarity`` leaves its text to TextBlob). An unknown word that is none of
    these, with no negation or adverb pending, changes nothing and is skipped. The arithmetic
    is the library's, term by term, so the floats are the same.
    """
    lexicon, cues, negations = blob.lexicon, blob.cues, blob.negations
    found: list[list] = []  # [words, polarity, subjectivity, intensity, negated, label]
    modifier = None  # the adverb just before, to join the next known word
    negation = None  # the negation just before
    for w in words:
        entry = lexicon.get(w)
        if entry is not None:
            p, s, i, adverb, label = entry
            if modifier is None:
                found.append([[w], p, s, i, False, label])
            else:
                last = found[-1]
                last[0].append(w)
                last[1] = max(-1.0, min(p * last[3], +1.0))
                last[2] = max(-1.0, min(s * last[3], +1.0))
                last[3] = i
                last[5] = label
            if negation is not None:
                last = found[-1]
                last[0].insert(0, negation)
                last[3] = 1.0 / last[3]
                last[4] = True
            modifier = w if adverb else None
            negation = w if w in negations else None
            continue
        if negation is None and modifier is None and w not in cues:
            continue
        if w in negations:
            negation = w
        elif negation and len(w.strip("'")) > 1:
            negation = None
        if negation is not None and modifier is not None and blob.modifier(modifier):
            found[-1][0].append(negation)
            found[-1][4] = True
            negation = None
        elif modifier is not None and len(w) > 2:
            modifier = None
        if w == "!" and found:
            found[-1][0].append("!")
            found[-1][1] = max(-1.0, min(found[-1][1] * 1.25, +1.0))
        polarity = blob.emoticons.get(w)
        if polarity is not None:
            found.append([[w], polarity, 1.0, 1.0, False, blob.mood])
    return [(w, p * -0.5 if negated else p, s, label) for w, p, s, _, negated, label in found]


def _textblob_polarity(text: str) -> tuple[float, list]:
    """TextBlob's polarity of ``text`` and its assessments, without building a TextBlob.

    The same floats to the last bit and the same assessments as ``TextBlob(text).sentiment``
    (see ``_textblob_tokens`` and ``_textblob_assess``). Text with two line breaks in a row, or
    where TextBlob would join a sarcasm mark or an emoticon back from pieces, is cut into tokens
    by the library's tokenizer, as ``Sentiment.__call__`` does it, and assessed here; a text
    with a sarcasm mark "(!)" among those tokens is left to the library (run without
    ``TextBlob``, whose ``PatternAnalyzer`` makes a namedtuple class every call).

    Speed: the tokenizer needs no lexicon, and the library's takes about 50 ms to load (a
    process meets such a text every thousand or so sentences); ``_textblob_sentiment`` loads
    it only for a sarcasm mark.
    """
    blob = _textblob_blob()
    words = _textblob_tokens(text, blob)
    if words is None:
        words = [w.lower() for w in " ".join(blob.tokenize(text)).split()]
        if "(!)" in words:
            result = _textblob_sentiment()(text)
            return float(result[0]), result.assessments
    assessments = _textblob_assess(words, blob)
    total, count = 0, 0  # summed in order from 0, as the library's avg (0 + -0.0 is 0.0)
    for _, p, _, _ in assessments:
        total += p
        count += 1
    return total / float(count or 1), assessments


# VADER's compound score, worked out only for the words in its lexicon. vaderSentiment 3.3.2
# (pinned in requirements.txt) runs every rule for every token, lowercasing the whole sentence
# again for each check; these functions give the same float, bit for bit (see _vader_compound).


class _Vader(NamedTuple):
    """vaderSentiment's analyzer and rule tables, the very objects the library reads."""

    analyzer: object  # SentimentIntensityAnalyzer, for text with emojis
    lexicon: dict[str, float]  # its lexicon: keys as in vader_lexicon.txt, looked up lowercased
    emojis: dict[str, str]  # its emojis: the text's characters are looked up
    ascii_emoji: bool  # is a key of its emoji dict an ASCII character? (none is, in 3.3.2)
    maybe_emoji: object  # text -> a match where the text may hold an emoji (see _vader)
    boosters: dict[str, float]  # BOOSTER_DICT: "very" +0.293, "slightly" -0.293, ...
    negations: frozenset[str]  # NEGATE: "not", "never", "without", "isn't", ...
    idioms: dict[str, float]  # SPECIAL_CASES: "the bomb" 3, "bus stop" 0.0, ...
    idiom_words: frozenset[str]  # one word of each key of several words in either dict
    rule_words: frozenset[str]  # every word that a rule looks for (see _vader_compound)
    negate: float  # N_SCALAR, -0.74
    shout: float  # C_INCR, 0.733: a word in capitals among words that are not
    normalize: object  # normalize(): score / sqrt(score² + 15), in [-1, 1]


@cache
def _vader() -> _Vader:
    """VADER's analyzer and tables, loaded once."""
    from vaderSentiment import vaderSentiment as vs

    analyzer = vs.SentimentIntensityAnalyzer()
    # A key of several words is found only when all its words are, so one of them will do
    # (any one: the longest, as it is likely the rarest, "bomb" rather than "the").
    several = [key.split(" ") for key in (*vs.SPECIAL_CASES, *vs.BOOSTER_DICT) if " " in key]
    idiom_words = frozenset(max(words, key=len) for words in several)
    negations = frozenset(vs.NEGATE)
    # The library replaces each character of the text that is a key of its emoji dict. Those
    # below U+2100 are few (©, ®, ‼, ⁉), and the usual non-ASCII characters of news (curly
    # quotes, dashes, no-break spaces) are below it too: one search for those keys or for any
    # character from U+2100 on finds a superset of the keys' places, quicker (12 k instructions
    # a text) than looking up each character in the dict (31 k), which is done only after a hit.
    low = sorted({key for key in analyzer.emojis if len(key) == 1 and key < "\u2100"})
    maybe_emoji = re.compile(f"[{re.escape(''.join(low))}\u2100-\U0010ffff]").search
    return _Vader(
        analyzer=analyzer,
        lexicon=analyzer.lexicon,
        emojis=analyzer.emojis,
        ascii_emoji=any(key.isascii() for key in analyzer.emojis),
        maybe_emoji=maybe_emoji,
        boosters=vs.BOOSTER_DICT,
        negations=negations,
        idioms=vs.SPECIAL_CASES,
        idiom_words=idiom_words,
        rule_words=frozenset({"no", "this", "least", *vs.BOOSTER_DICT, *negations, *idiom_words}),
        negate=vs.N_SCALAR,
        shout=vs.C_INCR,
        normalize=vs.normalize,
    )


def _vader_words(text: str) -> list[str]:
    """VADER's tokens of ``text``, lowercased: the pieces of ``text.split()``, each with the ASCII
    punctuation at its ends stripped unless that leaves two characters or fewer (``SentiText``).

    ASCII text is lowercased first, in one call: that turns A-Z into a-z and nothing else, so it
    neither moves a split nor changes what is stripped or a length. Other text is lowercased
    token by token after stripping, in the library's order ("İ" becomes two characters). Only
    a piece with a character that is no letter or digit can hold punctuation (``isalnum``, one
    quick call a piece): the others are left as they are, the same as stripped.
    """
    ascii = text.isascii()
    words = text.lower().split() if ascii else text.split()
    for i in compress(count(), map(not_, map(str.isalnum, words))):
        if len(stripped := words[i].strip(_PUNCTUATION)) > 2:
            words[i] = stripped
    return words if ascii else list(map(str.lower, words))


def _vader_shouts(pieces: list[str], i: int) -> bool:
    """Does VADER emphasise token ``i`` for its capitals? ``pieces`` is ``text.split()``.

    It does when the token ``isupper()`` and the text's tokens are not all in capitals
    (``is_cap_diff``: some are and some are not). Punctuation has no case, so the pieces answer
    ``isupper()`` as the tokens, stripped of it, do. Words in capitals are rare: the count is
    made only for one.
    """
    if not pieces[i].isupper():
        return False
    upper = sum(piece.isupper() for piece in pieces)
    return 0 < len(pieces) - upper < len(pieces)


def _vader_valence(words: list[str], i: int, pieces: list[str], vader: _Vader) -> float:
    """VADER's ``sentiment_valence`` of ``words[i]``, a lexicon word (``words`` lowercased).

    The same rules, on the same values, in the same order, so the same float: "no" before
    another lexicon word counts for nothing and negates the words up to three on; capitals add
    emphasis; each of the three words before that is not in the lexicon may boost (a booster,
    scaled by 1, 0.95, 0.9 with distance) and negate it ("never so" and "without doubt" are
    exceptions); idioms such as "the bomb" and "kind of" are looked up three words back; "least"
    right before negates unless "at least" / "very least".
    """
    lexicon, negations, negate = vader.lexicon, vader.negations, vader.negate
    word = words[i]
    valence = lexicon[word]
    if word == "no" and i != len(words) - 1 and words[i + 1] in lexicon:
        valence = 0.0
    if (
        (i > 0 and words[i - 1] == "no")
        or (i > 1 and words[i - 2] == "no")
        or (i > 2 and words[i - 3] == "no" and words[i - 1] in ("or", "nor"))
    ):
        valence = lexicon[word] * negate
    if _vader_shouts(pieces, i):
        valence = valence + vader.shout if valence > 0 else valence - vader.shout
    for distance in (1, 2, 3):
        if i < distance:
            break
        before = words[i - distance]
        if before in lexicon:
            continue
        scalar = 0.0  # scalar_inc_dec
        if before in vader.boosters:
            scalar = vader.boosters[before]
            if valence < 0:
                scalar *= -1
            if _vader_shouts(pieces, i - distance):
                scalar = scalar + vader.shout if valence > 0 else scalar - vader.shout
        if distance == 2 and scalar != 0:
            scalar = scalar * 0.95
        if distance == 3 and scalar != 0:
            scalar = scalar * 0.9
        valence = valence + scalar
        # _negation_check; negated([word]) is a negation or a word with "n't"
        negated = before in negations or "n't" in before
        if distance == 1:
            if negated:
                valence = valence * negate
        elif distance == 2:
            if words[i - 2] == "never" and words[i - 1] in ("so", "this"):
                valence = valence * 1.25
            elif words[i - 2] == "without" and words[i - 1] == "doubt":
                pass
            elif negated:
                valence = valence * negate
        else:
            so_this = ("so", "this")
            if (words[i - 3] == "never" and words[i - 2] in so_this) or words[i - 1] in so_this:
                valence = valence * 1.25
            elif words[i - 3] == "without" and "doubt" in (words[i - 2], words[i - 1]):
                pass
            elif negated:
                valence = valence * negate
            if not vader.idiom_words.isdisjoint(words[i - 3 : i + 3]):
                valence = _vader_idioms(valence, words, i, vader)
    # _least_check
    if i > 0 and words[i - 1] == "least" and "least" not in lexicon:
        if i == 1 or words[i - 2] not in ("at", "very"):
            valence = valence * negate
    return valence


def _vader_idioms(valence: float, words: list[str], i: int, vader: _Vader) -> float:
    """VADER's ``_special_idioms_check`` at ``words[i]`` (``i`` >= 3): idioms and "kind of".

    It joins two or three of the words ``i - 3`` to ``i + 2`` with spaces and looks the strings
    up. Tokens hold no spaces, so a string is a key only if the key's words are those words:
    when none of ``idiom_words`` (one word of each key) is among them, nothing is found, and the
    caller skips the call.
    """
    w3, w2, w1, w0 = words[i - 3 : i + 1]
    three_two_one, three_two, two_one = f"{w3} {w2} {w1}", f"{w3} {w2}", f"{w2} {w1}"
    for sequence in (f"{w1} {w0}", f"{w2} {w1} {w0}", two_one, three_two_one, three_two):
        if sequence in vader.idioms:
            valence = vader.idioms[sequence]
            break
    if len(words) - 1 > i and f"{w0} {words[i + 1]}" in vader.idioms:
        valence = vader.idioms[f"{w0} {words[i + 1]}"]
    if len(words) - 1 > i + 1 and f"{w0} {words[i + 1]} {words[i + 2]}" in vader.idioms:
        valence = vader.idioms[f"{w0} {words[i + 1]} {words[i + 2]}"]
    for n_gram in (three_two_one, three_two, two_one):
        if n_gram in vader.boosters:
            valence = valence + vader.boosters[n_gram]
    return valence


def _vader_but(valences: list[float], places: list[int], but: int) -> None:
    """VADER's ``_but_check``, in place: halve what comes before the first "but", and x1.5 after.

    The library finds each value's place with ``list.index``, the first equal value, so a value
    equal to an earlier one scales that one instead (even twice); this repeats it on the list of
    the nonzero values with their token places. Zeros are left out: a zero only ever finds a zero
    and stays zero, and ``index`` of a nonzero value never stops at one.
    """
    for k in range(len(valences)):
        value = valences[k]
        first = valences.index(value)
        if places[first] < but:
            valences[first] = value * 0.5
        elif places[first] > but:
            valences[first] = value * 1.5


def _vader_emphasis(text: str) -> float:
    """VADER's ``_punctuation_emphasis``: up to four "!" add 0.292 each; two or three "?" 0.18
    each, more 0.96."""
    exclamations = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    return exclamations + (0 if questions <= 1 else questions * 0.18 if questions <= 3 else 0.96)


def _vader_compound(text: str) -> float:
    """VADER's compound score of ``text``: ``polarity_scores(text)["compound"]``, the same float.

    Text with an emoji goes to the library, which first writes the emoji out as words. Otherwise
    the library sums one valence per token in token order: 0 for a token not in the lexicon, for
    a booster and for "kind" before "of", else ``sentiment_valence``; ``_but_check`` scales the
    list, and the sum (plus "!" and "?" emphasis) is normalised and rounded. Here only the
    lexicon words are valued, by the same rules in the same order (``_vader_valence``), and the
    zeros are left out of the list: adding a zero to a sum that starts at integer 0 never changes
    it, so ``sum`` gives the same float, and ``_vader_but`` scales the same values. A text with no
    lexicon word sums to 0, as the library's does.

    Most lexicon words have no rule word near them: the rules read the word itself, the three
    before it and the two after it (idioms), and compare them with the words in ``rule_words``
    or look for "n't". When there is none of those, every rule but the one for capitals leaves
    the word's valence as it is (the scalar of a word that is not a booster is 0.0, and adding
    0.0 changes a float at most from -0.0 to 0.0, a zero left out anyway), so only that one is
    applied.
    """
    vader = _vader()
    ascii = text.isascii()
    if (
        (vader.ascii_emoji or not ascii)
        and vader.maybe_emoji(text)
        and not vader.emojis.keys().isdisjoint(text)
    ):
        return float(vader.analyzer.polarity_scores(text)["compound"])
    words = _vader_words(text)
    lexicon = vader.lexicon
    hits = [i for i, word in enumerate(words) if word in lexicon]
    if not hits:
        return 0.0
    pieces = None  # text.split(), made when a rule reads it
    boosters, rule_words = vader.boosters, vader.rule_words
    if ascii:  # the words are the text's pieces lowercased, some stripped of marks at their
        # ends, which cannot cut into "n't" (a letter at each end): "n't" is in a word if in text
        plain = "n't" not in text.lower()
    else:
        plain = "n't" not in " ".join(words)  # no word with "n't" (words hold no spaces)
    valences, places = [], []
    for i in hits:
        word = words[i]
        kind_of = word == "kind" and i < len(words) - 1 and words[i + 1] == "of"
        if word in boosters or kind_of:
            continue
        if plain and rule_words.isdisjoint(words[max(i - 3, 0) : i + 3]):
            valence = lexicon[word]
            # In ASCII text, a piece in capitals is upper-cased as a whole and holds its word,
            # so the text holds the word upper-cased; other text is split to be sure.
            if not ascii or word.upper() in text:
                pieces = pieces or text.split()
                if pieces[i].isupper() and _vader_shouts(pieces, i):
                    valence = valence + vader.shout if valence > 0 else valence - vader.shout
        else:
            pieces = pieces or text.split()
            valence = _vader_valence(words, i, pieces, vader)
        if valence != 0:
            valences.append(valence)
            places.append(i)
    if "but" in words:
        _vader_but(valences, places, words.index("but"))
    total = float(sum(valences))
    if total > 0:
        total += _vader_emphasis(text)
    elif total < 0:
        total -= _vader_emphasis(text)
    return float(round(vader.normalize(total), 4))


def _sentence_label(score: float) -> int:
    return 1 if score >= THRESHOLD else -1 if score <= -THRESHOLD else 0


@cache
def _vader_evidence_items() -> dict[str, tuple[float, str, str]]:
    """For each word of VADER's lexicon that ``_format`` would list (valence / 4 of at least
    ``EVIDENCE_MIN``), its sort key and its ``word:weight`` item, as ``_format`` makes them."""
    items = {}
    for word, valence in _vader_lexicon().items():
        weight = valence / 4.0
        if abs(weight) >= EVIDENCE_MIN:
            items[word] = (-abs(weight), word, f"{word}:{weight:+.2f}")
    return items


def _vader_evidence(text: str) -> str:
    """The evidence for ``vader-sentence``: the words of ``text`` in VADER's lexicon, with their
    valence / 4, strongest first: ``_format`` of them, with its items made once per word.

    The words are ``_WORDS`` lowercased, curly apostrophes made straight. Non-ASCII text (half
    of news sentences: curly quotes, dashes) is made ASCII first, "’" made "'" and every other
    non-ASCII character "?": no word holds one, and "?" also parts words, so the same words are
    found there, and "’" stands where it can in a word as "'" does. In ASCII text, a word is a
    run of letters, "'" and "-" from its first letter to the run's end (the pattern is greedy,
    and a run holds one word at most); so with every other byte made a space and A-Z made a-z
    (``_WORD_RUNS``, one table lookup a byte, quicker than the pattern), and the "'" and "-"
    at the start of each run made spaces too (one a pass: "'-" takes two), the pieces between
    spaces are the words. Each word is listed once, so the set of them is enough, and as words
    differ, sorting the items orders them as ``_format`` does: by strength, then alphabetically.
    """
    if text.isascii():
        data = text.encode("ascii")
    else:
        data = text.replace("’", "'").encode("ascii", "replace")
    runs = b" " + data.translate(_WORD_RUNS)
    while b" '" in runs or b" -" in runs:
        runs = runs.replace(b" '", b"  ").replace(b" -", b"  ")
    words = runs.decode("ascii").split()
    items = _vader_evidence_items()
    found = sorted(map(items.__getitem__, items.keys() & words))
    return "; ".join([item for _, _, item in found[:EVIDENCE_WORDS]])


@lru_cache(maxsize=1024)
def score_sentence(text: str, method: str) -> TargetScore:
    """Score a whole sentence with ``textblob-sentence`` or ``vader-sentence`` (cached per text).

    The evidence lists what fired: TextBlob's own assessments (word groups with their polarity,
    negation and intensifiers applied); for VADER the sentence's words in its lexicon with their
    valence / 4 (VADER's rules for negation and intensifiers are not in the evidence).
    """
    if method == "textblob-sentence":
        score, assessments = _textblob_polarity(text)
        if not assessments and not score:  # no word fired (a third of sentences): no pairs
            return TargetScore(score, _sentence_label(score), "")
        evidence = _format({" ".join(w): p for w, p, _, _ in assessments})
    elif method == "vader-sentence":
        # The compound score is rounded to four places already, and rounding such a float to
        # four places again gives it back (it lies far nearer its decimal than half a unit of
        # the fourth place), so the second round (3.6 k instructions) is left out.
        score = _vader_compound(text)
        return TargetScore(score, _sentence_label(score), _vader_evidence(text))
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
    # Each sentence's parties with their mentions (the lists in ``groups``, filled by now).
    in_sentence: dict[tuple, list[tuple[str, list]]] = defaultdict(list)
    for (a, s, party), spans in groups.items():
        in_sentence[(a, s)].append((party, spans))
    # Sorted by (article, sentence, party), the article as text: when every article is a str
    # that is the keys' own order (keys are unique, so the spans are never compared).
    if set(map(type, columns[0])) <= {str}:
        order = sorted(groups.items())
    else:
        order = sorted(groups.items(), key=lambda kv: (str(kv[0][0]), *kv[0][1:]))
    # The table is built column by column: ``parties`` holds what a party's rows share, once per
    # (article, sentence, party); ``results`` holds (score, label, evidence), one per row.
    parties, results = [], []
    current = None  # the sentence of the previous party: a sentence's parties come one by one
    for (a, s, party), spans in order:
        if (a, s) != current:  # a new sentence: its quotations, and its sentence-level scores
            current, text, here, sentence_scores = (a, s), texts[a], in_sentence[(a, s)], {}
            s_start, s_end = bounds[current]
            quotes = find_quotes(text, s_start, s_end)
            steps = None  # the sentence's _steps, for the target method, made once
        quoted = bool(quotes) and all(
            any(q0 <= m0 and m1 <= q1 for q0, q1 in quotes) for m0, m1 in spans
        )
        for method in methods:
            if method == "target":
                if steps is None:
                    steps = _steps(text[s_start:s_end])
                    # Each party's clauses, found once: the others' are what ``_target_context``
                    # needs of the other parties (one party alone in its sentence: none)
                    held = []
                    if len(here) > 1:
                        held = [(p, _clauses_of(steps[0], p_spans, s_start)) for p, p_spans in here]
                others = set().union(*[c for p, c in held if p != party]) if held else set()
                results.append(_score_mentions(steps, spans, s_start, others))
            else:
                if method not in sentence_scores:
                    sentence_scores[method] = score_sentence(text[s_start:s_end], method)
                results.append(sentence_scores[method])
        parties.append((a, s, party, quoted, len(spans)))
    k = len(methods)
    article, sentence, party, quoted, count = list(zip(*parties, strict=True)) or [()] * 5
    score, label, evidence = list(zip(*results, strict=True)) or [()] * 3
    # Made as arrays: a party's values converted once, then repeated once per method (its rows
    # are consecutive); the scores, labels, flags and counts (Python floats, ints and bools) by
    # numpy itself, as pandas makes them after checking that each value fits the type.
    columns = {
        "article": pd.Series(article, dtype=object).to_numpy().repeat(k),
        "sentence": pd.Series(sentence, dtype=int).to_numpy().repeat(k),
        "party": pd.Series(party, dtype=object).to_numpy().repeat(k),
        "method": list(methods) * len(parties),
        "score": np.array(score, dtype=float),
        "label": np.array(label, dtype=int),
        "evidence": evidence,
        "quoted": np.array(quoted, dtype=bool).repeat(k),
        "mentions": np.array(count, dtype=int).repeat(k),
    }
    # text columns stay object columns (an array of texts would be read as str)
    objects = ("article", "party", "method", "evidence")
    return pd.DataFrame(
        {
            n: pd.Series(columns[n], dtype=object) if n in objects else columns[n]
            for n in SCORE_COLUMNS
        }
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
