"""Find who an article says said what: attributions, hedges, and how much rests on one source.

An **attribution** is a cue (a reporting word: "said", "reported", "according to", "urged", or an
internal state such as "believes" or "wants"), a source (who: a person, a group, an outlet, a
document, "officials", a pronoun resolved to its name) and a content (what is attributed), inside
one sentence. The rules, in the order a student can follow them:

1. **Cues** come from ``data/attribution_cues.csv``: each lemma's forms, a tier and a stance;
   ``data/attribution_cues_polnear.csv`` adds words counted as cues in PolNeAR's training texts
   (made by ``python -m benchmarks.polnear_cues``), neutral, each with its tier.
   ``speech`` cues ("said", "told", "according to") count even when no source is found; ``state``
   cues ("believes", "wants", "shows") only when a subject stands right before them; ``adverb``
   cues ("reportedly") never name a source. Words inside a quotation are not cues.
2. **Source before the cue** (``X said``, ``X has also said that``): the words before the cue back
   to a comma, a quote or a clause word ("that", "but", "when", ...), skipping auxiliaries and
   adverbs ("has", "also", "repeatedly"). An apposition ("Haley Morris, a spokeswoman, says") and a
   relative clause ("Trump, who ..., said", "A White House official, who ..., said") are stepped
   over to the noun phrase; "officials who spoke with X said" credits the officials. In "a voter
   who supports Trump" the source is "who", named by the words before it. A cue after "and" or a
   participle after a comma or "by"/"while" ("..., he said, adding that ...") shares the subject
   of the clause before.
3. **Source after the cue** when a reporting verb ("said", "reported", "added", ...) follows a
   comma or a closing quote (``..., reported ADN``, ``"...," said Smith``), after ``according to``
   (any phrase) and after a passive ``reported by``. After a comma, a clause ("..., said he
   would ...") or the object of another verb ("..., called the KKK ...") is not the source: the
   name opening the sentence is ("Sen. Ted Cruz (R-Texas), a hopeful, called ...").
4. **Content**: the rest of the sentence after the cue (a leading "that" or ":" left out), or, when
   the cue closes the sentence, the sentence up to the comma or quote before the source.
5. **One claim, one source**: a cue inside the content or source of another attribution is not a
   second attribution (PolNeAR annotates it the same way): speech wins over states, a named source
   over none, and the outer attribution (the longer content) over the one inside it. A content
   stops where the next attribution of the sentence starts after a comma, or where a second
   speech cue with a named source follows the first ("He criticized X, said she ...").
6. **Quotes without a cue**: a sentence that is a quotation and holds no cue is attributed to the
   speaker of the previous sentence, or to the one person it names (its cue is the opening
   quote mark, its stance ``quote``).
7. **Pronouns**: "he", "she", "they" as a source take the name of the latest source of a fitting
   kind in the last three sentences, or the only name of the previous sentence (the only person
   mention, with ``mentions``); otherwise they stay pronouns. Offsets point at the pronoun.

Source kinds: ``outlet`` (``data/attribution_outlets.csv``), ``official``, ``document``,
``anonymous`` and ``group`` by the source's head word (``data/attribution_sources.csv``; the
word before "of", "by", "for", ... when that is listed: "statements released by both sides" is a
document, "a spokesman for the campaign" an official), else
``person`` for a pronoun or a capitalised name and ``group`` for an acronym. With the ``mentions``
table of ``newslens.entities.find_mentions``, a source whose last word is a mention is named by its
entity ("ADN" and "Afghan Diaspora Network (ADN)" are both "Afghan Diaspora Network"), takes its
party, and a person or organisation kind; a mention that only modifies the source ("the Taliban
side") gives its party but not its name.

Known limits: there is no parser, so a long subject is cut at the first clause word; nominal cues
("his attacks on", "in a new poll") are found only when the noun is a listed cue; a cue word used
in another sense ("the poll shows") can pass for a cue when it has a subject. PolNeAR counts
almost any predicate of a person as an attribution, so about a third of its cues are missed.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, lru_cache
from itertools import compress, groupby
from operator import itemgetter, sub
from typing import NamedTuple

import numpy as np
import pandas as pd

from .lexicons import read_table, read_words
from .tokenizers import find_sentences, split_word_columns

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "SENTENCE_STATUS_COLUMNS",
    "SHARE_COLUMNS",
    "CONCENTRATION_COLUMNS",
    "CONTEXT_COLUMNS",
    "PHRASE_COLUMNS",
    "RANK_COLUMNS",
    "classify_sentences",
    "count_phrases",
    "find_attributions",
    "find_cue_contexts",
    "find_hedges",
    "measure_concentration",
    "rank_sources",
    "source_colour",
    "status_colours",
    "source_shares",
]

ATTRIBUTION_COLUMNS = [
    "article",
    "sentence",
    "cue",
    "cue_start",
    "cue_end",
    "source",
    "source_start",
    "source_end",
    "source_kind",
    "stance",
    "content",
    "content_start",
    "content_end",
    "party",
]
SENTENCE_STATUS_COLUMNS = ["article", "sentence", "status", "source", "hedges"]
SHARE_COLUMNS = [
    "article",
    "source",
    "source_kind",
    "party",
    "attributions",
    "sentences",
    "sentence_share",
    "words",
    "word_share",
]
CONCENTRATION_COLUMNS = [
    "article",
    "body_sentences",
    "attributed_share",
    "sources",
    "top_source",
    "top_sentence_share",
    "top_word_share",
]

RANK_COLUMNS = [
    "source",
    "source_kind",
    "party",
    "attributions",
    "articles",
    "sentences",
    "sentence_share",
    "words",
    "word_share",
]
CONTEXT_COLUMNS = ["article", "sentence", "left", "cue", "right", "source", "stance"]
PHRASE_COLUMNS = ["phrase", "cue", "source", "party", "attributions", "articles"]

QUOTE_CUE = "quote"  # the stance of a quote attributed to the previous sentence's speaker

_OPEN_QUOTES = {"“", '"', "‘"}
_CLOSE_QUOTES = {"”", '"', "’", "'"}
_QUOTES = _OPEN_QUOTES | _CLOSE_QUOTES
_QUOTE_TOKENS = frozenset({"“", "”", '"', "'"})  # the tokens ``_quoted`` reads
# Words stepped over between a subject and its cue: auxiliaries, negation, adverbs.
_SKIP = frozenset(
    """has have had 've 'd did does do not n't never also already again still even just
    would will could can may might should must first then now later previously recently once
    repeatedly often publicly privately quickly simply long earlier ever further later""".split()
)
_PASSIVE = frozenset("is was were are be been being".split())
# Words that open a clause or a phrase: a subject before a cue never reaches past them.
_BOUNDARY = frozenset(
    """that which who whom whose and but or because when while as if since after before although
    though so than where how why what whether to for with in on at by from of about into over
    during under like unlike despite without is was were are be been being has have had will
    would could can may might should must do does did not n't he she they we i you it this
    these those there here then also""".split()
)
# Words that may follow a source placed after its cue ("said Smith in a statement").
_SOURCE_ENDS = frozenset("in on at during who whose which when after before as".split())
_COMMAS = frozenset({",", "—", "–", "--"})
_DETERMINERS = frozenset("a an the his her their its our my your".split())
_PERSON_PRONOUNS = {"he": "person", "she": "person", "i": "person", "we": "group", "they": "group"}
# "... by saying", "while arguing that": a participle sharing the clause's subject.
_PARTICIPLE_OPENERS = frozenset("by while after before when in without".split())
# Cues whose speaker may follow them ("“...,” said Smith", "..., reported ADN").
_INVERTING = frozenset(
    """say add write report note explain continue recall reply respond ask state announce
    tweet quote observe remark declare argue insist maintain stress emphasize repeat admit
    acknowledge concede warn predict suggest conclude confirm joke quip boast complain agree
    claim contend assert estimate mention cite""".split()
)
_POSTMODIFIERS = frozenset("of for from by in at on with who which that".split())
_CUT_WORDS = frozenset(", ; and but because as that which who — – --".split())
_APPOSED = frozenset("who whose a an the one".split())
_NAMING = frozenset("called named dubbed titled entitled".split())
_OBJECT_PRONOUNS = frozenset("him her them me us".split())
_NOBODY = frozenset("nobody everyone everybody anyone anybody none".split())
_ASIDES = frozenset("however meanwhile though too also instead then moreover therefore".split())
_REFLEXIVES = frozenset(
    "himself herself itself themselves myself ourselves yourself yourselves".split()
)
_OPENERS = frozenset("in on at after before during since when while with for by".split())
# After a cue with no source, these make it a phrasal verb, not a report ("adding to").
_PARTICLES = frozenset("to up off out down away back".split())
# Capitalised words before a colon that are labels, not speakers.
_NOT_SPEAKERS = frozenset(
    """update note photo photos watch related read editor video correction source sources
    also more see first breaking exclusive why how what who when where the a contributing
    twitter facebook instagram email hey""".split()
)
_TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight week
    month year morning afternoon evening night""".split()
)


class _Cue(NamedTuple):
    words: tuple[str, ...]
    lemma: str
    tier: str
    stance: str


@cache
def _cues() -> dict[str, list[_Cue]]:
    """Cue forms keyed by their first word, longest form first."""
    table = read_table("attribution_cues.csv")
    cues: dict[str, list[_Cue]] = {}
    for lemma, forms, tier, stance in table[["lemma", "forms", "tier", "stance"]].itertuples(
        index=False
    ):
        words = lemma.split()
        if len(words) > 1:  # a phrase: "according to", "call for", "point out"
            head_forms = forms.split()
            verbs = [w for w in head_forms if w not in words[1:]]
            variants = [(v, *words[1:]) for v in verbs]
        else:
            variants = [(f,) for f in forms.split()]
        for variant in variants:
            cues.setdefault(variant[0], []).append(_Cue(variant, lemma, tier, stance))
    extra = read_table("attribution_cues_polnear.csv")
    tiers = extra["tier"] if "tier" in extra else ["speech"] * len(extra)
    for form, tier in zip(extra["form"], tiers, strict=True):
        if form not in cues:
            cues[form] = [_Cue((form,), form, tier, "neutral")]
    for forms in cues.values():
        forms.sort(key=lambda c: -len(c.words))
    return cues


@cache
def _source_words() -> dict[str, str]:
    table = read_table("attribution_sources.csv")
    return dict(zip(table["word"].str.lower(), table["kind"], strict=True))


@cache
def _outlets() -> frozenset[str]:
    return frozenset(name.lower() for name in read_words("attribution_outlets.csv"))


@cache
def _hedge_pattern() -> re.Pattern:
    """The hedges as one pattern: whole words, the longest first, grouped by first letter.

    ``a(?:llegedly|lleged)|p(?:robably|erhaps)`` finds what ``allegedly|probably|alleged|perhaps``
    does, in the same order of trial, but quicker: at each word the regex engine tries only the
    hedges that start with its first letter, not all of them.
    """
    words = sorted((w.lower() for w in read_words("hedges.csv")), key=len, reverse=True)
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[0], []).append(word)
    groups = (
        re.escape(letter) + "(?:" + "|".join(re.escape(w[1:]) for w in group) + ")"
        for letter, group in by_letter.items()
    )
    return re.compile(r"\b(?:" + "|".join(groups) + r")\b")


# A sentence's tokens are read as columns, as ``split_word_columns`` gives them: ``cols`` is
# ``(starts, ends, words)``, and ``words[i]`` is the word of token ``i`` (no tuple per token).


def _lower_words(words: list[str]) -> list[str]:
    """The words in lower case."""
    # Speed: ``map`` runs the loop over the words in C, not in Python
    return list(map(str.lower, words))


def _is_cap(word: str) -> bool:
    return word[:1].isupper()


def _is_word(word: str) -> bool:
    return word[:1].isalnum()


class _Found(NamedTuple):
    cue: tuple[int, int]  # token range [i, k) of the cue
    source: tuple[int, int] | None  # token range of the source
    content: tuple[int, int] | None  # character span of the content
    lemma: str
    tier: str
    stance: str


def _subject(words: list[str], i: int, lows: list[str]) -> tuple[int, int, bool] | None:
    """The token range of the subject right before the cue at ``i``, and whether it is passive.

    ``lows`` holds the ``words`` in lower case.
    """
    j = i - 1
    passive = False
    while j >= 0 and (lows[j] in _SKIP or lows[j].endswith("ly")):
        j -= 1
    if j >= 1 and words[j] in {"'s", "’s"} and lows[j - 1] in _PERSON_PRONOUNS:
        j -= 1  # "he's also praising"
    elif j >= 0 and lows[j] in _PASSIVE:
        # "was reported by", "is expected to"; but "is telling" is active
        passive = not lows[i].endswith("ing")
        while j >= 0 and (lows[j] in _PASSIVE or lows[j] in _SKIP):
            j -= 1
    if j >= 2 and words[j] == "," and words[j - 2] == "," and lows[j - 1] in _ASIDES:
        j -= 3  # "officials, however, said"
    end = j + 1
    if j < 0:
        return None
    if lows[j] in {"and", "but"}:
        return j, j, passive  # "X endorsed Y and said ...": the subject is shared
    if words[j] in _COMMAS:
        return _apposition(words, j, passive)
    first = lows[j]
    if first in _PERSON_PRONOUNS or first == "it":
        return j, end, passive
    if first == "who" and j > 0:
        return j, end, passive  # "a voter who supports Trump": "who", named by what it follows
    k = j
    while k >= 0:
        word = words[k]
        low = lows[k]
        if low in _BOUNDARY:
            if low == "who" and k >= 2 and words[k - 1] == ",":
                # "Trump, who ..., said": the name before the relative clause
                stop = k - 1
                m = stop - 1
                while m >= 0 and (_is_cap(words[m]) or words[m] in {"'s", "’s", "."}):
                    m -= 1
                if m + 1 < stop:
                    return m + 1, stop, passive
            if low == "who" and k >= 1 and k + 1 < end and _is_word(words[k - 1]):
                # "officials who spoke with The Post said": the noun phrase before "who"
                m = k - 1
                while m >= 0 and k - m <= 6 and _is_word(words[m]):
                    if lows[m] in _BOUNDARY:
                        break
                    m -= 1
                if m + 1 < k and lows[k - 1] not in _DETERMINERS:
                    return m + 1, k, passive
            if low == "and" and k > 0 and _is_cap(words[k - 1]) and k + 1 < end:
                k -= 1
                continue
            if low in {"of", "for", "at", "in", "from", "on", "with", "by"} and k + 1 < end:
                # "a spokesman for the campaign", "officials in Kabul": keep going
                k -= 1
                continue
            break
        if not _is_word(word) and word not in {"'s", "’s", "(", ")", ".", "-", "&"}:
            break
        k -= 1
        if end - k > 14:
            break
    start = k + 1
    while start < end and not _is_word(words[start]):
        start += 1
    if start >= end or lows[end - 1] in _DETERMINERS:
        return None  # "the alleged movements": an adjective, not a cue with a subject
    # drop a leading preposition phrase of time: "On Tuesday Trump said" is rare; keep it simple
    if lows[start] in _TIME_WORDS:
        return None
    return start, end, passive


def _apposition(words: list[str], j: int, passive: bool) -> tuple[int, int, bool] | None:
    """A subject ending in an apposition or relative clause closed by the comma at ``j``.

    "Haley Morris, a spokeswoman for the campaign, says"; "Trump, who ..., said": the source runs
    from the name before the first comma to the second comma.
    """
    p = j - 1
    while p >= 0 and j - p <= 14 and words[p] not in _COMMAS:
        if words[p] in _QUOTES or words[p] in {";", ":"}:
            return None
        p -= 1
    if p < 1 or words[p] not in _COMMAS or p + 1 >= j:
        return None
    # the words between the commas: "a spokeswoman", "who ...", "70", "Twitter's director of ..."
    segment = words[p + 1 : j]
    name = all(_is_cap(w) or w in {".", "'s", "’s", "(", ")", "-"} for w in segment)
    if name:
        # "Carter's press secretary, Peter Cook, told": the name between the commas
        return p + 1, j, passive
    m = p - 1
    while m >= 0 and (_is_cap(words[m]) or words[m] in {"'s", "’s", "."}):
        m -= 1
    if m + 1 >= p:
        # "A White House official, who requested anonymity, said": a noun phrase, no name
        while m >= 0 and p - m <= 8 and _is_word(words[m]):
            if words[m].lower() in _BOUNDARY:
                break
            m -= 1
        if m + 1 >= p or words[p - 1].lower() in _DETERMINERS:
            return None
        if segment[0].lower() not in _APPOSED or (m >= 0 and _is_word(words[m])):
            return None  # only "NP, who ..., said" / "NP, a ..., said" opening a clause
    return m + 1, j, passive


def _object_after(words: list[str], k: int, longest: int = 8) -> tuple[int, int] | None:
    """A source after the cue ending at ``k``: a name, a pronoun or a noun phrase.

    After "according to" a long phrase is cut at ``longest`` words ("according to a court
    document filed by ..."); after a verb ("said Smith") a longer run is a clause, not a source.
    """
    j = k
    n = len(words)
    agent = j < n and words[j].lower() == "by"
    if agent:
        j += 1
    start = j
    if start < n and words[start].lower() in _BOUNDARY - _PERSON_PRONOUNS.keys():
        return None  # "said of Trump's campaign": a preposition, not a source
    while j < n:
        word = words[j]
        low = word.lower()
        if low in {"that", "in", "on", "at", "during", "who", "which", "when", "after"}:
            break
        if not _is_word(word) and word not in {"'s", "’s", "(", ")", ".", "-", "&"}:
            break
        if word == "." and j + 1 >= n:
            break
        j += 1
        if j - start > 12:
            break
    if j <= start:
        return None
    if j - start > longest:
        if longest < 12:
            return None
        j = start + longest
    elif not agent and j < n and words[j].lower() not in _SOURCE_ENDS and _is_word(words[j]):
        return None  # "said the efforts of a donor were ...": not a name but a clause
    first = words[start]
    run = words[start:j]
    if not (
        longest >= 12  # "according to media trackers": whatever follows is the source
        or any(_is_cap(w) for w in run)  # "said former Wisconsin Gov. Jim Doyle"
        or first.lower() in _OBJECT_PRONOUNS
        or first.lower() in _DETERMINERS
        or first.lower() in _PERSON_PRONOUNS
        or first.isdigit()
        or any(w.lower() in _source_words() for w in run)
    ):
        return None
    return start, j


def _content_after(cols, k: int, text_end: int) -> tuple[int, int] | None:
    starts, ends, words = cols
    j = k
    n = len(words)
    while j < n and words[j].lower() in {"that", ":", ",", "-", "—", "–"}:
        j += 1
    if j >= n:
        return None
    end = ends[-1] if words[-1] not in {".", "!", "?"} else starts[-1]
    if words[-1] in _CLOSE_QUOTES:
        end = ends[-1]
    if end <= starts[j]:
        return None
    return starts[j], min(end, text_end)


def _quote_ends_before(words: list[str], s: int) -> bool:
    """Whether a quotation closes right before token ``s`` (a comma may come between)."""
    j = s - 1
    if words[j] == ",":
        j -= 1
    return j >= 0 and words[j] in {"”", "“", '"', "'"}


def _second_half(cols, s: int, content: tuple[int, int]) -> bool:
    """Whether the source at ``s`` stands between the two halves of one quotation."""
    starts, _, words = cols
    if content[0] not in starts:
        return False
    opens = words[starts.index(content[0])]  # the first token starting the content
    return opens in _OPEN_QUOTES and _quote_ends_before(words, s)


def _content_before(cols, i: int) -> tuple[int, int] | None:
    starts, ends, words = cols
    j = i - 1
    while j >= 0 and words[j] in {",", "-", "—", "–", ":"}:
        j -= 1
    if j < 0:
        return None
    start = 0
    return starts[start], ends[j]


def _quoted(cols, open_at_start: bool) -> tuple[list[bool], bool]:
    """Whether each token lies inside a direct quotation, and whether one is open at the end."""
    starts, ends, words = cols
    n = len(words)
    inside, depth = [], open_at_start
    # Speed: only the quote marks are looked at one by one; the words between two marks all
    # share the state the first of them left. The marks are picked out in C (``compress``)
    marks = list(compress(range(n), map(_QUOTE_TOKENS.__contains__, words)))
    after = 0  # the token after the last mark dealt with
    for idx in marks:
        inside.extend([depth] * (idx - after))
        after = idx + 1
        start, word = starts[idx], words[idx]
        if word == "'":
            glued_to_next = idx + 1 < n and words[idx + 1] == "'"
            glued_to_next = glued_to_next and starts[idx + 1] == start + 1
            glued_to_last = idx > 0 and words[idx - 1] == "'" and ends[idx - 1] == start
            if glued_to_last:
                # ''the New York Times's doubled apostrophes'': open and close alike
                inside.append(True)
                depth = not depth
            else:
                inside.append(glued_to_next or depth)  # a lone apostrophe is a word's
            continue
        # a quote mark glued to the word before it closes a quotation, else it opens one
        # (typed text mixes up “ and ”)
        glued = idx > 0 and ends[idx - 1] == start
        inside.append(True)
        depth = not glued
    inside.extend([depth] * (n - after))
    return inside, depth


def _shared_subject(cols, found: list[_Found], conj: int) -> tuple[int, int, bool] | None:
    """The subject of a cue after "and"/"but": the previous cue's, whose content ends there."""
    starts, ends, words = cols
    for idx in range(len(found) - 1, -1, -1):
        f = found[idx]
        if f.source is not None and f.cue[1] <= conj:
            if f.content and f.content[1] > starts[conj]:
                end = conj - 1 if conj > 0 and words[conj - 1] == "," else conj
                if end > f.cue[1]:
                    content = (f.content[0], ends[end - 1])
                elif f.source[0] > 0 and f.source[1] <= f.cue[0]:
                    content = _content_before(cols, f.source[0])  # "“...,” he said, adding"
                else:
                    content = None
                found[idx] = f._replace(content=content)
            return f.source[0], f.source[1], False
    # the sentence's opening name: "Obama visited the site and said ..."
    j = 0
    if words[0].lower() in _OPENERS:
        # "In a statement released Thursday, Rep. Jeffries reacted ..., saying"
        while j < conj and words[j] != ",":
            j += 1
    while j < conj and not _is_word(words[j]):
        j += 1
    start = j
    while j < conj and j - start < 8 and (_is_cap(words[j]) or words[j] in {"'s", "’s", "."}):
        j += 1
    if j > start and words[j - 1].lower() in _DETERMINERS and j < conj:
        j += 1
    if j == start or words[start].lower() in _NOT_SPEAKERS - {"the", "a"}:
        return None
    if j < conj and words[j] == "," and j - start == 1:
        return None  # "Furthermore, ...": a sentence adverb, not a name
    return start, j, False


def _is_clause(words: list[str], source: tuple[int, int]) -> bool:
    """Whether words after a cue are a clause ("he fully supports ..."), not a speaker."""
    first = words[source[0]].lower()
    if first in _PERSON_PRONOUNS and source[1] - source[0] > 1:
        return True
    end = source[1]
    return first in _DETERMINERS and end < len(words) and words[end].lower() in {"when", "that"}


def _opening_name(words: list[str], cue: int) -> tuple[int, int] | None:
    """The name opening the sentence when a comma follows it: "Hemsley, the co-author ..."."""
    j = 0
    while j < cue and not _is_word(words[j]):
        j += 1
    start = j
    while j < cue and j - start < 6 and (_is_cap(words[j]) or words[j] in {"'s", "’s", "."}):
        j += 1
    if j > start and j < cue and words[j] == "(":  # "Rep. Bobby Scott (D-Va.),"
        close = j + 1
        while close < cue and close - j < 8 and words[close] != ")":
            close += 1
        if close < cue and words[close] == ")":
            j = close + 1
    if j == start or j >= cue or words[j] != "," or words[start].lower() in _NOT_SPEAKERS:
        return None
    if j - start == 1 and words[start].lower() in _ASIDES:
        return None
    return start, j


def _speaker_colon(cols) -> _Found | None:
    """``Trump: "We will win."`` or a transcript's ``CLINTON: ...``: a name, a colon, the words."""
    starts, ends, words = cols
    j = 0
    while j < len(words) and j < 5 and _is_cap(words[j]) and _is_word(words[j]):
        j += 1
    if j == 0 or j >= len(words) - 1 or words[j] != ":":
        return None
    if words[0].lower() in _NOT_SPEAKERS:
        return None
    content = (starts[j + 1], ends[-1])
    return _Found((j, j + 1), (0, j), content, ":", "speech", "neutral")


def _detect_sentence(
    cols, quoted: list[bool] | None = None, lows: list[str] | None = None
) -> list[_Found]:
    """The attributions of one sentence given as token columns ``(starts, ends, words)``.

    ``lows`` may give the words in lower case (``_lower_words``), else they are made here.
    """
    cues = _cues()
    source_words = _source_words()
    found = []
    starts, ends, words = cols
    n = len(words)
    if lows is None:
        lows = _lower_words(words)
    # a speaker's colon comes within the first five words ("Sen. John Smith:")
    colon = _speaker_colon(cols) if ":" in lows[1:6] else None
    if colon is not None:
        return [colon]
    # Speed: only the words that open a cue form are looked at, not every token of the sentence;
    # ``compress`` picks them out in C
    openers = list(compress(range(n), map(cues.__contains__, lows)))
    if not openers:
        return []
    pos = 0  # the tokens before ``pos`` belong to a cue or source already dealt with
    for i in openers:
        if i < pos or (quoted is not None and quoted[i]):
            continue
        low = lows[i]
        match = None
        for cue in cues[low]:
            size = len(cue.words)
            # the words that follow (a one-word form has none to compare)
            if size == 1 or tuple(lows[i + 1 : i + size]) == cue.words[1:]:
                match = cue
                break
        if match is None:
            continue
        k = i + len(match.words)
        prev = words[i - 1] if i > 0 else ""
        low_prev = lows[i - 1] if i > 0 else ""  # ``prev`` in lower case
        nxt = lows[k] if k < n else ""
        if nxt in _REFLEXIVES or (nxt == "from" and low == "reported"):
            pos = k  # "found himself", "Costa reported from Washington": no claim is reported
            continue
        if low == "say" and prev == "," and nxt == ",":
            pos = k  # "no better than, say, Mr. Cruz's plan"
            continue
        if low_prev in _DETERMINERS:
            # "the alleged movements", "his stated aim": an adjective
            pos = k
            continue
        source = content = None
        if match.tier == "adverb":  # "The meeting reportedly ended ...": no one is named
            content = (starts[0], ends[-1])
            found.append(_Found((i, k), None, content, match.lemma, match.tier, match.stance))
            pos = k
            continue
        if match.lemma == "according to":
            source = _object_after(words, k, longest=12)
            if source is not None:
                after = source[1]
                if i == 0 or (i == 1 and not _is_word(prev)):
                    content = _content_after(cols, after, ends[-1])
                else:
                    content = _content_before(cols, i)
            found.append(_Found((i, k), source, content, match.lemma, match.tier, match.stance))
            pos = k
            continue
        subject = _subject(words, i, lows)
        if low in _NAMING and k < n and (_is_cap(words[k]) or words[k] in _OPEN_QUOTES):
            # "a firm called Cambridge Analytica": a name given, not a claim
            head = words[subject[1] - 1] if subject is not None else prev
            if not _is_cap(head) and head.lower() not in _PERSON_PRONOUNS:
                if head.lower() not in source_words or subject is None:
                    pos = k
                    continue
        shared = False
        if subject is not None and subject[0] == subject[1]:
            subject = _shared_subject(cols, found, subject[0])
            shared = True
        elif (
            subject is None
            and (prev == "," or low_prev in _PARTICIPLE_OPENERS)
            and low.endswith("ing")
            and match.tier == "speech"
            and (k >= n or lows[k] not in _PARTICLES)
        ):
            # "..., she said, adding that ...": the participle shares the clause's subject
            subject = _shared_subject(cols, found, i - 1)
            shared = True
        passive = subject is not None and subject[2]
        if subject is not None and passive:
            # "was first reported by MSNBC": the source follows "by"
            if k < n and lows[k] == "by":
                source = _object_after(words, k)
                content = (starts[subject[0]], ends[subject[1] - 1])
                if source is not None:
                    found.append(
                        _Found((i, k), source, content, match.lemma, match.tier, match.stance)
                    )
                    pos = k
                    continue
            if match.tier == "speech" or match.lemma == "expect":
                content = _content_after(cols, k, ends[-1]) or (
                    starts[subject[0]],
                    ends[subject[1] - 1],
                )
                found.append(_Found((i, k), None, content, match.lemma, "passive", match.stance))
            pos = k
            continue
        inverted = prev == "," or prev in _CLOSE_QUOTES or (i >= 2 and words[i - 2] == ",")
        apposed = subject is not None and subject[1] < i and words[subject[1]] in _COMMAS
        if subject is not None and (
            apposed or shared or not (inverted and subject[1] - subject[0] > 4)
        ):
            s, e = subject[0], subject[1]
            head = words[e - 1]
            low_head = head.lower()
            if match.tier == "speech":
                plausible = True  # whoever says it
            elif low_head in _NOBODY:
                plausible = False  # "Nobody knows why": no one holds the state
            else:
                plausible = (
                    low_head in _PERSON_PRONOUNS
                    or low_head == "who"
                    or any(_is_cap(w) for w in words[s + 1 : e])
                    or _is_cap(head)
                    or any(w in source_words for w in lows[s:e])
                )
            if plausible:
                if low_head == "it" and match.tier != "speech":
                    pos = k
                    continue
                source = (s, e)
                content = _content_after(cols, k, ends[-1])
                if content is None and s > 0:
                    content = _content_before(cols, s)
                elif content is not None and s > 1 and not shared and _quote_ends_before(words, s):
                    if _second_half(cols, s, content):
                        # "“The water,” Ana Ruiz said, “is safe.”": both halves, cue between
                        content = (starts[0], content[1])
                    else:
                        # "“We will win,” Smith said in an interview.": the quote is the content
                        content = _content_before(cols, s)
                found.append(_Found((i, k), source, content, match.lemma, match.tier, match.stance))
            pos = k
            continue
        if (
            inverted
            and i > 0
            and match.tier == "speech"
            and match.lemma not in _INVERTING
            and prev not in _CLOSE_QUOTES
        ):
            # "Sen. Ted Cruz (R-Texas), also a hopeful, called the KKK ...": what follows is the
            # object, not the speaker; the speaker is the name opening the sentence
            source = _opening_name(words, i) if prev == "," else None
            content = _content_after(cols, k, ends[-1])
            found.append(_Found((i, k), source, content, match.lemma, match.tier, match.stance))
            pos = k
            continue
        if (inverted or i == 0) and match.tier == "speech" and not low.endswith("ing"):
            # "“...,” said Smith"; a quote's cue may open the next sentence: "said Smith."
            source = _object_after(words, k)
            if (source is None and prev == "," and k < n and words[k].islower()) or (
                source is not None and _is_clause(words, source)
            ):
                # "Hemsley, the co-author of ..., said he ...": the clause is the content; the
                # speaker is the name opening the sentence
                source = _opening_name(words, i) if prev == "," else None
                if source is not None:
                    content = _content_after(cols, k, ends[-1])
                    found.append(
                        _Found((i, k), source, content, match.lemma, match.tier, match.stance)
                    )
                    pos = k
                    continue
            if source is not None and (i > 0 or k < n):
                content = _content_before(cols, i)
                found.append(_Found((i, k), source, content, match.lemma, match.tier, match.stance))
                pos = source[1]
                continue
        nxt = lows[k] if k < n else ""
        if match.tier == "speech" and low_prev != "to" and nxt not in _PARTICLES:
            content = _content_after(cols, k, ends[-1])
            if content is None and i > 0:
                content = _content_before(cols, i)
            found.append(_Found((i, k), None, content, match.lemma, match.tier, match.stance))
        pos = k
    if len(found) < 2:
        return found  # nothing to split or nest (the common case): spared two calls
    return _one_claim_one_source(cols, _split_contents(cols, found))


def _split_contents(cols, found: list[_Found]) -> list[_Found]:
    """End a content at a comma, "and" or "but" that opens the next attribution of the sentence.

    "..., he said, adding that ...", "X said ..., according to Y": each cue keeps its own content.
    """
    if len(found) < 2:
        return found
    starts, ends, words = cols
    firsts = sorted(min(f.cue[0], f.source[0]) if f.source is not None else f.cue[0] for f in found)
    out = []
    for f in found:
        if f.content is None:
            out.append(f)
            continue
        for b in firsts:
            if b < f.cue[1] or starts[b] >= f.content[1]:
                continue
            if starts[b] <= f.content[0]:
                # "..., he said, according to Y": the content comes before, not after
                if words[b - 1] == "," and f.source is not None:
                    first = min(f.source[0], f.cue[0])
                    if first > 0:
                        f = f._replace(content=_content_before(cols, first))
                break
            j = b - 1
            if j > f.cue[1] and words[j].lower() in {",", "and", "but", ";"}:
                while j > f.cue[1] and words[j - 1] in {",", "and", "but", ";"}:
                    j -= 1
                end = ends[j - 1]
                if end > f.content[0]:
                    f = f._replace(content=(f.content[0], end))
                elif f.source is not None and f.source[0] > 0 and f.source[1] <= f.cue[0]:
                    f = f._replace(content=_content_before(cols, f.source[0]))
                break
        out.append(f)
    return out


def _cut_before(cols, outer: _Found, inner: _Found) -> tuple[int, int] | None:
    """The outer content ended before a named second claim that follows its cue, if any is left."""
    if inner.source is None or inner.tier != "speech" or outer.content is None:
        return None
    starts, ends, words = cols
    head = words[inner.source[1] - 1]
    if not (_is_cap(head) or head.lower() in _PERSON_PRONOUNS):
        return None
    first = min(inner.source[0], inner.cue[0])
    if first <= outer.cue[1] or starts[first] <= outer.content[0]:
        return None
    j = first
    while j > outer.cue[1] and words[j - 1].lower() in _CUT_WORDS:
        j -= 1
    if j <= outer.cue[1] or ends[j - 1] <= outer.content[0]:
        return None
    return outer.content[0], ends[j - 1]


def _one_claim_one_source(cols, found: list[_Found]) -> list[_Found]:
    """Keep the attributions whose spans do not nest inside one another: sourced speech first."""
    if len(found) < 2:
        return found  # nothing to nest (the common case)
    starts, ends, _ = cols

    def rank(f: _Found) -> tuple[int, int, int]:
        # speech before states, sourced first; the outer one (the longest content) before the
        # ones inside it
        width = f.content[1] - f.content[0] if f.content else 0
        if f.source is not None:
            return (0 if f.tier == "speech" else 2), -width, f.cue[0]
        return (1 if f.tier == "speech" else 3), -width, f.cue[0]

    def chars(r: tuple[int, int] | None) -> tuple[int, int] | None:
        return None if r is None else (starts[r[0]], ends[r[1] - 1])

    def inside(span, outer) -> bool:
        return outer is not None and span[0] < outer[1] and outer[0] < span[1]

    kept: list[_Found] = []
    for f in sorted(found, key=rank):
        cue = chars(f.cue)
        ok = True
        for idx, g in enumerate(kept):
            if inside(cue, g.content) and _cut_before(cols, g, f) is not None:
                # "He criticized X's record, said she ...": two claims in a row, not one inside
                kept[idx] = g._replace(content=_cut_before(cols, g, f))
                continue
            if inside(cue, g.content) or inside(cue, chars(g.source)):
                ok = False
                break
            gcue = chars(g.cue)
            if inside(gcue, f.content) or inside(gcue, chars(f.source)):
                ok = False
                break
        if ok:
            kept.append(f)
    return sorted(kept, key=lambda f: f.cue[0])


def _is_quote_sentence(words: list[str]) -> bool:
    return len(words) > 2 and words[0] in _OPEN_QUOTES and any(w in _CLOSE_QUOTES for w in words)


def _kind(words: list[str]) -> str:
    """The kind of a source from its words (without a mentions table)."""
    return _kind_of(tuple(words))


# Speed: the kind depends on the words alone, and the same sources come back again and again
# ("he", "Trump", "officials"): it is worked out once per run of words
@lru_cache(maxsize=1 << 16)
def _kind_of(words: tuple[str, ...]) -> str:
    """``_kind`` of a source's words given as a tuple."""
    words = list(words)
    if not words:
        return ""
    text = " ".join(words).lower()
    bare = text[4:] if text.startswith("the ") else text
    outlets = _outlets()
    if text in outlets or bare in outlets:
        return "outlet"
    inner = [w for w in words if w not in {"(", ")"}]
    if "(" in words and words[-1] == ")":
        acronym = words[words.index("(") + 1 : -1]
        if (
            " ".join(acronym).lower() in outlets
            or " ".join(words[: words.index("(")]).lower().removeprefix("the ") in outlets
        ):
            return "outlet"
        inner = words[: words.index("(")]
    if not inner:
        return ""
    table = _source_words()
    for idx, word in enumerate(inner[1:], 1):
        if word.lower() in _POSTMODIFIERS:
            # "statements released by both sides", "a spokesman for the campaign": the head
            # comes before the phrase that modifies it
            before = inner[idx - 1].lower()
            if before.endswith("ed") and idx >= 2:
                before = inner[idx - 2].lower()
            if before in table:
                return table[before]
            break
    head = inner[-1]
    low = head.lower()
    if low in _PERSON_PRONOUNS:
        return _PERSON_PRONOUNS[low]
    if low in table:
        if table[low] == "anonymous" and any(_is_cap(w) for w in inner[1:-1]):
            caps = [w for w in inner if _is_cap(w)]
            if len(caps) > 1 and all(_is_cap(w) for w in inner[-3:-1]):
                return "anonymous"
        return table[low]
    if head.isupper() and len(head) > 1:
        return "group"
    if _is_cap(head):
        return "person"
    return "group"


_START = itemgetter(0)  # the start of a mention
_END = itemgetter(1)  # the end of a mention


class _Mentions:
    """Look-up of entity mentions by article and character position."""

    def __init__(self, mentions: pd.DataFrame | None):
        self.by_article: dict[str, list[tuple]] = {}
        self.starts: dict[str, list[int]] = {}  # an article's mention starts, if in order
        self.longest: dict[str, int] = {}  # no mention of it is longer, with ``starts``
        if mentions is None or mentions.empty:
            return
        names = ("article", "start", "end", "entity", "kind", "party")
        articles, *columns = [mentions[c].tolist() for c in names]
        # a missing party (None or NaN) is ""; a str is kept as it is, tested first for speed
        columns[-1] = [
            party
            if party.__class__ is str
            else ("" if party is None or (isinstance(party, float) and pd.isna(party)) else party)
            for party in columns[-1]
        ]
        # Speed: the rows are made by ``zip`` and handed over one run of an article's rows at a
        # time (the table lists an article's mentions together), not one row at a time
        rows = list(zip(*columns, strict=True))
        for article, first, last in _runs(articles):
            self.by_article.setdefault(article, []).extend(rows[first:last])
        # the longest mention of all bounds each article's (``map`` runs the loops in C)
        longest = max(map(sub, columns[1], columns[0]))
        for article, found in self.by_article.items():
            starts = list(map(_START, found))
            if starts == sorted(starts):
                self.starts[article] = starts
                self.longest[article] = longest

    def within(self, article: str, start: int, end: int) -> list[tuple]:
        found = self.by_article.get(article, ())
        starts = self.starts.get(article)
        if starts is None:
            return [m for m in found if m[0] >= start and m[1] <= end]
        return [
            m for m in found[bisect_left(starts, start) : bisect_right(starts, end)] if m[1] <= end
        ]

    def before(self, article: str, position: int, kinds: set[str]) -> list[tuple]:
        return [m for m in self.by_article.get(article, ()) if m[1] <= position and m[3] in kinds]

    def ending(self, article: str, first: int, last: int, kinds: set[str]) -> list[tuple]:
        """The mentions of ``kinds`` that end from ``first`` to ``last``, in table order."""
        found = self.by_article.get(article, ())
        starts = self.starts.get(article)
        longest = self.longest.get(article, -1)
        if starts is None or longest < 0:
            return [m for m in found if first <= m[1] <= last and m[3] in kinds]
        # Speed: a mention ending from ``first`` to ``last`` starts no later than ``last`` and
        # no earlier than ``first`` less the longest mention's length, so only the mentions
        # starting in that range (found by bisection) are tested, not all of the article's
        lo = bisect_left(starts, first - longest)
        hi = bisect_right(starts, last)
        return [m for m in found[lo:hi] if first <= m[1] <= last and m[3] in kinds]


def _antecedent(words: list[str], who: int) -> tuple[int, int] | None:
    """The words "who" stands for: "Sanders, who ...", "a Texas voter who ..."."""
    j = who - 1
    if j >= 0 and words[j] in _COMMAS:
        j -= 1
        end = j + 1
        while j >= 0 and end - j <= 5 and (_is_cap(words[j]) or words[j] == "."):
            j -= 1
        if j + 1 < end:  # "Ana Ruiz, who ...": the name before the comma
            return j + 1, end
    end = j + 1
    while j >= 0 and end - j <= 5 and words[j].lower() not in _BOUNDARY and _is_word(words[j]):
        if words[j].lower() in _DETERMINERS:
            j -= 1
            break
        j -= 1
    start = j + 1
    return (start, end) if start < end else None


_MENTION_KINDS = {"person": "person", "organisation": "group"}  # a mention's kind as a source's


def _name_source(text, cols, source, article, mentions: _Mentions, history, sentence_start):
    """Name, kind and party of a source token range, resolving pronouns and entities."""
    starts, ends, words = cols
    s, e = starts[source[0]], ends[source[1] - 1]
    named = tuple(words[source[0] : source[1]])  # the source's words
    surface = text[s:e]
    kind = _kind_of(named)
    party = ""
    low = surface.lower()
    if low == "who":
        antecedent = _antecedent(words, source[0])
        if antecedent is None:
            return surface, "person", party
        name, kind, party = _name_source(
            text, cols, antecedent, article, mentions, history, sentence_start
        )
        return name, kind, party
    if low in _PERSON_PRONOUNS:
        wanted = {"person"} if kind == "person" else {"group", "official", "outlet", "anonymous"}
        resolved = None
        if mentions.by_article:
            kinds = {"person"} if kind == "person" else {"organisation"}
            earlier = mentions.ending(article, history["prev_start"], s, kinds)
            names = {m[2] for m in earlier}
            if len(names) == 1:
                m = earlier[-1]
                resolved = (m[2], kind, m[4])
        if resolved is None:
            for name, k, p, start in reversed(history["sources"]):
                if k in wanted and start >= history["window_start"]:
                    resolved = (name, k, p)
                    break
        if resolved is None and kind == "person":
            names = {text[a:b] for a, b in _capitalised_names(_previous_tokens(text, history))}
            if len(names) == 1:
                resolved = (names.pop(), "person", "")
        if resolved is not None:
            return resolved[0], resolved[1] or kind, resolved[2]
        return surface, kind, party
    inside = mentions.within(article, s, e) if mentions.by_article else []
    if inside:
        last = max(inside, key=_END)
        party = last[4]
        head_end = e
        if named[-1] == ")" and "(" in named:
            head_end = ends[source[0] + named.index("(") - 1]
        if last[1] >= head_end or (last[1] == e):
            name = last[2]
            if kind not in {"outlet", "document", "anonymous", "official"}:
                kind = _MENTION_KINDS.get(last[3], kind)
            if name.lower() in _outlets():
                kind = "outlet"
            return name, kind, party
    return surface, kind, party


def _capitalised_names(cols) -> list[tuple[int, int]]:
    """Spans of runs of two or more capitalised words ("The" opening a sentence left out)."""
    spans, run = [], []
    for idx, (start, end, word) in enumerate(zip(*cols, strict=True)):
        if _is_cap(word) and _is_word(word) and not (idx == 0 and word.lower() in _NOT_SPEAKERS):
            run.append((start, end))
            continue
        if len(run) >= 2:
            spans.append((run[0][0], run[-1][1]))
        run = []
    if len(run) >= 2:
        spans.append((run[0][0], run[-1][1]))
    return spans


def _previous_tokens(text: str, history: dict) -> tuple[list[int], list[int], list[str]]:
    """The token columns of the previous sentence: kept from its reading, or made again.

    Speed: a sentence read word by word leaves its columns in ``history["prev_words"]``, so they
    are not split out of the text a second time (``None`` when the sentence was passed over).
    """
    words = history["prev_words"]
    if words is None:
        return split_word_columns(text, *history["prev_toks"])
    return words


_LETTERS = re.compile(r"[a-z]+")


@cache
def _first_words() -> frozenset[str]:
    return frozenset(form.split()[0] for form in _cues())


@lru_cache(maxsize=8)
def _run_pattern(words: frozenset[str]) -> re.Pattern:
    """A pattern that finds a run of letters a-z that is one of ``words``, with a space before.

    ``pattern.search(" " + chunk)`` finds one exactly when ``_LETTERS.findall(chunk)`` holds one
    of ``words``, but quicker: the words are tried as a tree of shared beginnings
    (``sa(?:id|ys)``), so at each letter the regex engine follows one branch instead of making a
    string of every run. A word with other characters can never be such a run and is left out.
    A run starts after a character that is not a-z, which the pattern matches (the space put
    before the chunk stands for its start) rather than looks back at: the engine then skips
    from one such character to the next in C, not trying the tree at every letter.
    """
    tree: dict = {}
    for word in words:
        if _LETTERS.fullmatch(word):
            node = tree
            for letter in word:
                node = node.setdefault(letter, {})
            node[""] = {}  # a word ends here

    def branches(node: dict) -> str:
        alternatives = [letter + branches(node[letter]) for letter in sorted(node) if letter]
        if not alternatives:
            return ""
        if "" in node:  # a word ends here, or goes on in one of the branches
            return "(?:" + "|".join(alternatives) + ")?"
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    if not tree:
        return re.compile(r"(?!)")  # no word: never found
    return re.compile(r"[^a-z]" + branches(tree) + r"(?![a-z])")


def _has_quote_marks(chunk: str) -> bool:
    """Whether ``chunk`` holds a mark that ``_quoted`` reads: “ ” " or a doubled '."""
    # Speed: a chain of ``in`` tests is quicker than ``any()`` over a tuple of marks.
    return "“" in chunk or "”" in chunk or '"' in chunk or "''" in chunk


def _named_speaker(text, cols, article, lookup: _Mentions) -> tuple | None:
    """The one person a sentence names ("Smith was blunt."), who may own the next quote."""
    names = _capitalised_names(cols)
    if len(names) != 1:
        return None
    n0, n1 = names[0]
    if not lookup.by_article:
        return text[n0:n1], "person", "", n0, n1
    inside = [m for m in lookup.within(article, n0, n1) if m[3] == "person"]
    return (inside[0][2], "person", inside[0][4], n0, n1) if inside else None


def _runs(keys: list) -> Iterator[tuple[object, int, int]]:
    """``(key, first, last)`` for each run of equal neighbours in ``keys``: ``keys[first:last]``.

    Speed: a table lists an article's rows together, so its rows can be handed over one run at
    a time (a slice) rather than one row at a time; an article in two runs gets both, in order.
    """
    at = 0
    for key, run in groupby(keys):
        size = len(list(run))
        yield key, at, at + size
        at += size


def _by_article(sentences: pd.DataFrame) -> dict[str, list[tuple[int, int, int]]]:
    """Each article's ``(sentence, start, end)`` in table order, articles in order first seen."""
    by_article: dict[str, list[tuple[int, int, int]]] = {}
    articles, *columns = [sentences[c].tolist() for c in ("article", "sentence", "start", "end")]
    rows = list(zip(*columns, strict=True))
    for article, first, last in _runs(articles):
        by_article.setdefault(article, []).extend(rows[first:last])
    return by_article


@contextmanager
def _collector_paused():
    """Pause Python's cycle collector (and resume it after, if it was on); also a decorator.

    Speed: finding attributions, or gathering and linking a corpus's mentions, makes hundreds of
    thousands of small tuples and rows and no reference cycle; the collector would walk them
    (and every loaded word list) again and again for no garbage. The outputs are the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@_collector_paused()
def find_attributions(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per attribution: cue, source and content with offsets into the article's text.

    Columns: ``article, sentence, cue, cue_start, cue_end, source, source_start, source_end,
    source_kind, stance, content, content_start, content_end, party``. ``source`` is the entity's
    name when ``mentions`` (from ``newslens.entities.find_mentions``) covers it, a pronoun's
    antecedent when the article makes it clear, else the source's text; it is empty, with empty
    offsets, when no source is named ("is expected to"). ``party`` is the source's party from the
    mentions table (empty without one).
    """
    sentences = find_sentences(articles) if sentences is None else sentences
    texts = dict(zip(articles["article"].tolist(), articles["text"].tolist(), strict=True))
    lookup = _Mentions(mentions)
    cue_word = _run_pattern(_first_words()).search
    rows = []
    for article, group in _by_article(sentences).items():
        text = texts[article]
        lower = text.lower()
        # Lower case changes no quote mark, and when it keeps the length every character stays
        # in its place: the lower-case text then shows where the quote marks are
        aligned = len(lower) == len(text)
        history = {
            "sources": [],
            "prev_toks": (0, 0),
            "prev_words": None,
            "prev_start": 0,
            "window_start": 0,
        }
        prev_toks = None
        previous = None  # (source name, kind, party, start, end) of the previous sentence
        sentence_starts = []  # of the sentences read so far
        open_quote = False
        for number, start, end in group:
            sentence_starts.append(start)
            history["window_start"] = sentence_starts[-3] if len(sentence_starts) >= 3 else 0
            new_paragraph = start == 0 or text[start - 1] == "\n"
            chunk = lower[start:end]
            quotes = _has_quote_marks(chunk)
            if not (quotes or ":" in chunk or cue_word(" " + chunk) is not None):
                # A quick test: no quote mark, colon or cue word (as a run of letters), so
                # nothing to find (about a third of sentences)
                previous = None
                prev_toks = (start, end) if number > 0 else None
                history["prev_toks"] = (start, end)
                history["prev_words"] = None  # not split into words
                history["prev_start"] = start
                open_quote = open_quote and not new_paragraph
                continue
            # Speed: the words are read as columns (``split_words`` would zip them into a tuple
            # per token), their lower case made from the column of words
            cols = split_word_columns(text, start, end)
            starts, ends, words = cols
            lows = _lower_words(words)
            if not aligned:
                quotes = _has_quote_marks(text[start:end])
            if quotes:
                quoted, open_quote = _quoted(cols, open_quote and not new_paragraph)
            else:
                # Speed: without a quote mark no word opens or closes a quotation, so every word
                # is inside one only if it was open already (``None``: none is quoted)
                open_quote = open_quote and not new_paragraph
                quoted = [True] * len(words) if open_quote else None
            found = _detect_sentence(cols, quoted, lows) if words else []
            this_sentence = None
            for f in found:
                c0, c1 = starts[f.cue[0]], ends[f.cue[1] - 1]
                if f.source is not None:
                    name, kind, party = _name_source(
                        text, cols, f.source, article, lookup, history, start
                    )
                    s0, s1 = starts[f.source[0]], ends[f.source[1] - 1]
                    history["sources"].append((name, kind, party, s0))
                    this_sentence = (name, kind, party, s0, s1)
                else:
                    name = kind = party = ""
                    s0 = s1 = None
                content = text[f.content[0] : f.content[1]] if f.content else ""
                k0, k1 = f.content if f.content else (None, None)
                rows.append(
                    (article, number, text[c0:c1], c0, c1, name, s0, s1, kind)
                    + (f.stance, content, k0, k1, party)
                )
            if not found and number > 0 and _is_quote_sentence(words):
                if previous is None and prev_toks is not None:
                    previous = _named_speaker(
                        text, _previous_tokens(text, history), article, lookup
                    )
                if previous is not None:
                    name, kind, party, s0, s1 = previous
                    q0, q1 = starts[0], ends[0]
                    content_end = ends[-1]
                    rows.append(
                        (article, number, text[q0:q1], q0, q1, name, s0, s1, kind, QUOTE_CUE)
                        + (text[q0:content_end], q0, content_end, party)
                    )
                    this_sentence = previous
            previous = this_sentence
            prev_toks = (start, end) if number > 0 else None
            history["prev_toks"] = (start, end)
            history["prev_words"] = cols
            history["prev_start"] = start
    return _attribution_table(rows)


_MAY_BE_MISSING = ("source_start", "source_end", "content_start", "content_end")


def _attribution_table(rows: list[tuple]) -> pd.DataFrame:
    """The attribution rows as a table: the offsets that may be missing as ``Int64`` columns."""
    if not rows:
        table = pd.DataFrame(rows, columns=ATTRIBUTION_COLUMNS)
        return table.astype({col: "Int64" for col in _MAY_BE_MISSING})
    # Speed: built column by column, each offset column made ``Int64`` at once, rather than a
    # table of rows whose offset columns are converted afterwards
    values = zip(*rows, strict=True)
    columns = {name: list(v) for name, v in zip(ATTRIBUTION_COLUMNS, values, strict=True)}
    for name in _MAY_BE_MISSING:
        columns[name] = _int_array(columns[name])
    return pd.DataFrame(columns)


def _int_array(values: list[int | None]) -> pd.api.extensions.ExtensionArray:
    """``pd.array(values, dtype="Int64")`` for character offsets, ``None`` where one is missing.

    Speed: numpy reads the list in one step as floats (``None`` becoming NaN), which gives the
    mask; an offset is far below 2**53, so it is exact as a float and comes back the same int.
    """
    floats = np.array(values, dtype=float)
    missing = np.isnan(floats)
    floats[missing] = 0
    return pd.arrays.IntegerArray(floats.astype(np.int64), missing)


_WORDS = re.compile(r"[^\W_]+(?:[-‐'’][^\W_]+)*")


def _count_words(text: str, start: int, end: int) -> int:
    """Words in ``text[start:end]``: runs of letters and digits, hyphens and apostrophes inside."""
    return len(_WORDS.findall(text, start, end))


@cache
def _hedge_keys() -> tuple[str, ...]:
    """The hedges that hold no shorter hedge: a text holding none of them holds no hedge."""
    words = {w.lower() for w in read_words("hedges.csv")}
    return tuple(sorted(w for w in words if not any(o != w and o in w for o in words)))


def find_hedges(text: str) -> list[str]:
    """The hedge words and phrases of ``text`` (``data/hedges.csv``), in order, lower case."""
    return _find_hedges(text, _hedge_keys())


def _find_hedges(text: str, keys: tuple[str, ...]) -> list[str]:
    """``find_hedges(text)``, given the hedge keys that ``text`` may hold (at least those)."""
    if not keys:
        return []
    lowered = text.lower()
    # Speed: most sentences hold no hedge, and a few substring tests show it at a third of the
    # cost of the pattern's search (which tries every position); a hedge the pattern finds holds
    # one of the keys, so the answer is the same
    for key in keys:
        if key in lowered:
            return _hedge_pattern().findall(lowered)
    return []


def _keys_held(texts: list[str]) -> tuple[str, ...]:
    """The hedge keys that one of ``texts`` may hold: fewer to test in each text.

    ``str.lower`` lowers each character alone (only a capital sigma looks at its neighbours), so
    a key without sigma that a text's lower case holds is also in the lower case of the texts
    joined; keys with a sigma are always kept.
    """
    joined = "\n".join(texts).lower()
    return tuple(k for k in _hedge_keys() if k in joined or "σ" in k or "ς" in k)


def _continued_contents(
    articles: list[str],
    sentence_starts: list[int],
    sentence_ends: list[int],
    spans: dict[str, list[tuple[int, int, str]]],
) -> dict[int, list[str]]:
    """The sources whose content runs on into a later sentence, by that sentence's row.

    ``articles``, ``sentence_starts`` and ``sentence_ends`` are the columns of the sentences
    table; ``spans`` holds each article's ``(content_start, content_end, source)``, in table
    order. A content reaches into every sentence that starts inside it.
    """
    starts: dict[str, list[tuple[int, int]]] = {}  # article -> (sentence start, row), sorted
    # Speed: the table lists an article's sentences together, so they are handed over one run
    # of rows at a time (``zip`` pairs each start with its row), not one row at a time
    for article, first, last in _runs(articles):
        if article in spans:
            rows = range(first, last)
            starts.setdefault(article, []).extend(
                zip(sentence_starts[first:last], rows, strict=True)
            )
    continued: dict[int, list[str]] = {}
    for article, found in starts.items():
        found.sort()
        positions = [start for start, _ in found]
        for c0, c1, name in spans[article]:
            # Speed: bisect to the sentences that start inside the content, instead of testing
            # every sentence against every content
            for idx in range(bisect_right(positions, c0), bisect_left(positions, c1)):
                row = found[idx][1]
                if c0 < sentence_ends[row]:  # the content starts before the sentence ends
                    continued.setdefault(row, []).append(name)
    return continued


@_collector_paused()
def classify_sentences(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Classify every body sentence as ``attributed``, ``hedged`` or ``unsourced``.

    Columns: ``article, sentence, status, source, hedges``. A sentence is ``attributed`` when an
    attribution with a named source has its cue in it, or its content reaches into it (a quote
    running over two sentences); ``source`` names its sources joined by "; ". Otherwise it is
    ``hedged`` when it holds a hedge word (``data/hedges.csv``) or a cue without a source ("is
    expected to"), else ``unsourced``. Sentences do not inherit a source from their paragraph:
    a claim counts as sourced only in the sentence that says who makes it. ``hedges`` lists the
    sentence's hedge words joined by "; ". The headline (sentence 0) is left out.
    """
    sentences = find_sentences(articles) if sentences is None else sentences
    if attributions is None:
        attributions = find_attributions(articles, sentences)
    sourced: dict[tuple, list[str]] = {}
    sourceless: dict[tuple, list[str]] = {}
    spans: dict[str, list[tuple]] = {}
    columns = ("article", "sentence", "source", "cue", "content_start", "content_end")
    values = [attributions[c].tolist() for c in columns]
    # Speed: which contents are missing is asked of the whole column at once, not row by row
    missing = attributions["content_start"].isna().tolist()
    for article, number, source, cue, c0, c1, gap in zip(*values, missing, strict=True):
        key = (article, number)
        if source:
            sourced.setdefault(key, []).append(source)
            if not gap:
                spans.setdefault(article, []).append((int(c0), int(c1), source))
        else:
            sourceless.setdefault(key, []).append(cue.lower())
    rows = []
    columns = ("article", "sentence", "start", "end", "text")
    article_col, number_col, start_col, end_col, text_col = [sentences[c].tolist() for c in columns]
    continued = _continued_contents(article_col, start_col, end_col, spans)
    # Speed: the hedge keys are looked for in each article's sentences at once, and then each
    # sentence is tested for those only (most articles hold one or two of them, or none)
    keys_col = []
    for _, first, last in _runs(article_col):
        keys_col += [_keys_held(text_col[first:last])] * (last - first)
    for row, (article, number, text, keys) in enumerate(
        zip(article_col, number_col, text_col, keys_col, strict=True)
    ):
        if number < 1:
            continue
        key = (article, number)
        names = sourced.get(key, _NO_NAMES)
        if row in continued:
            names = names + continued[row]
        hedges = _find_hedges(text, keys)
        if names:
            status = "attributed"
            source = "; ".join(dict.fromkeys(names))  # each name once, in order
        elif hedges or key in sourceless:
            status = "hedged"
            hedges = hedges + [c for c in sourceless.get(key, []) if c not in hedges]
            source = ""
        else:
            status = "unsourced"
            source = ""
        rows.append((article, number, status, source, "; ".join(hedges)))
    return pd.DataFrame(rows, columns=SENTENCE_STATUS_COLUMNS)


_NO_NAMES: list[str] = []  # a sentence without sources (never changed)


def source_shares(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per article and source: attributions, and the share of body sentences and words carried.

    Columns: ``article, source, source_kind, party, attributions, sentences, sentence_share,
    words, word_share``. A sentence is carried by each source ``classify_sentences`` names for it,
    so shares of different sources of one sentence can add up to more than one. Words are word
    tokens (punctuation left out). Sorted by article, then by sentences and attributions carried.
    """
    sentences = find_sentences(articles) if sentences is None else sentences
    if attributions is None:
        attributions = find_attributions(articles, sentences)
    status = classify_sentences(articles, sentences, attributions)
    body = sentences[sentences["sentence"] >= 1]
    texts = dict(zip(articles["article"], articles["text"], strict=True))
    words = {}
    for article, number, start, end in body[["article", "sentence", "start", "end"]].itertuples(
        index=False
    ):
        words[(article, number)] = _count_words(texts[article], start, end)
    totals_s = body.groupby("article").size().to_dict()
    totals_w: dict[str, int] = {}
    for (article, _), n in words.items():
        totals_w[article] = totals_w.get(article, 0) + n
    carried: dict[tuple, list[int]] = {}
    for article, number, source in status.loc[
        status["status"] == "attributed", ["article", "sentence", "source"]
    ].itertuples(index=False):
        for name in source.split("; "):
            entry = carried.setdefault((article, name), [0, 0])
            entry[0] += 1
            entry[1] += words.get((article, number), 0)
    named = attributions[attributions["source"] != ""]
    info = (
        named.groupby(["article", "source"], sort=False)
        .agg(
            attributions=("cue", "size"),
            source_kind=("source_kind", "first"),
            party=("party", "first"),
        )
        .reset_index()
    )
    rows = []
    for article, source, count, kind, party in info[
        ["article", "source", "attributions", "source_kind", "party"]
    ].itertuples(index=False):
        n_s, n_w = carried.get((article, source), [0, 0])
        rows.append(
            (
                article,
                source,
                kind,
                party,
                int(count),
                n_s,
                n_s / totals_s[article] if totals_s.get(article) else 0.0,
                n_w,
                n_w / totals_w[article] if totals_w.get(article) else 0.0,
            )
        )
    table = pd.DataFrame(rows, columns=SHARE_COLUMNS)
    return table.sort_values(
        ["article", "sentences", "attributions", "source"],
        ascending=[True, False, False, True],
        ignore_index=True,
    )


def measure_concentration(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per article: how much of it rests on its top source.

    Columns: ``article, body_sentences, attributed_share, sources, top_source,
    top_sentence_share, top_word_share``: the share of body sentences that are attributed, the
    number of distinct named sources, and the top source (most sentences carried, then most
    attributions) with the share of body sentences and of words it carries.
    """
    sentences = find_sentences(articles) if sentences is None else sentences
    if attributions is None:
        attributions = find_attributions(articles, sentences)
    shares = source_shares(articles, sentences, attributions)
    status = classify_sentences(articles, sentences, attributions)
    rows = []
    for article in articles["article"]:
        st = status[status["article"] == article]
        mine = shares[shares["article"] == article]
        n = len(st)
        attributed = float((st["status"] == "attributed").mean()) if n else 0.0
        if len(mine):
            top = mine.iloc[0]
            rows.append(
                (article, n, attributed, len(mine), top["source"])
                + (float(top["sentence_share"]), float(top["word_share"]))
            )
        else:
            rows.append((article, n, attributed, 0, "", 0.0, 0.0))
    return pd.DataFrame(rows, columns=CONCENTRATION_COLUMNS)


def find_cue_contexts(
    articles: pd.DataFrame, attributions: pd.DataFrame, width: int = 50
) -> pd.DataFrame:
    """Keyword in context for every cue: ``article, sentence, left, cue, right, source, stance``.

    ``left`` and ``right`` are the ``width`` characters around the cue on its line, so the cues
    line up when the table is shown.
    """
    texts = dict(zip(articles["article"], articles["text"], strict=True))
    rows = []
    for row in attributions.itertuples(index=False):
        text = texts[row.article]
        line_start = text.rfind("\n", 0, row.cue_start) + 1
        line_end = text.find("\n", row.cue_end)
        line_end = len(text) if line_end < 0 else line_end
        left = text[max(line_start, row.cue_start - width) : row.cue_start]
        right = text[row.cue_end : min(line_end, row.cue_end + width)]
        rows.append(
            (row.article, row.sentence, left.rjust(width), row.cue, right, row.source, row.stance)
        )
    return pd.DataFrame(rows, columns=CONTEXT_COLUMNS)


def count_phrases(
    articles: pd.DataFrame, attributions: pd.DataFrame, cue: str | None = None
) -> pd.DataFrame:
    """Count the cue-and-source phrases as written ("reported ADN", "officials said").

    Columns: ``phrase, cue, source, party, attributions, articles``: the text from the start of
    the cue or source to the end of the other, the cue (lower case), the source's name and party,
    and how many
    attributions and articles use it. ``cue`` keeps only that cue ("reported"). Attributions
    without a source, or whose source is far from the cue, are left out.
    """
    texts = dict(zip(articles["article"], articles["text"], strict=True))
    counts: dict[tuple, list] = {}
    for row in attributions.itertuples(index=False):
        if not row.source or pd.isna(row.source_start) or row.stance == QUOTE_CUE:
            continue
        if cue is not None and row.cue.lower() != cue.lower():
            continue
        start = min(row.cue_start, int(row.source_start))
        end = max(row.cue_end, int(row.source_end))
        if end - start > len(row.cue) + (int(row.source_end) - int(row.source_start)) + 12:
            continue  # words between the source and its cue: not one phrase
        phrase = " ".join(texts[row.article][start:end].split())
        key = (phrase, row.cue.lower(), row.source, row.party)
        entry = counts.setdefault(key, [0, set()])
        entry[0] += 1
        entry[1].add(row.article)
    rows = [(p, c, s, party, n, len(a)) for (p, c, s, party), (n, a) in counts.items()]
    table = pd.DataFrame(rows, columns=PHRASE_COLUMNS)
    return table.sort_values(["attributions", "phrase"], ascending=[False, True], ignore_index=True)


def rank_sources(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    attributions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The sources of all the articles together, most sentences carried first.

    Columns: ``source, source_kind, party, attributions, articles, sentences, sentence_share,
    words, word_share``: the shares are of all the body sentences and of all their words.
    """
    sentences = find_sentences(articles) if sentences is None else sentences
    if attributions is None:
        attributions = find_attributions(articles, sentences)
    shares = source_shares(articles, sentences, attributions)
    texts = dict(zip(articles["article"], articles["text"], strict=True))
    body = sentences[sentences["sentence"] >= 1]
    total_words = sum(
        _count_words(texts[article], start, end)
        for article, start, end in body[["article", "start", "end"]].itertuples(index=False)
    )
    table = (
        shares.groupby("source", sort=False)
        .agg(
            source_kind=("source_kind", "first"),
            party=("party", "first"),
            attributions=("attributions", "sum"),
            articles=("article", "nunique"),
            sentences=("sentences", "sum"),
            words=("words", "sum"),
        )
        .reset_index()
    )
    table["sentence_share"] = table["sentences"] / max(len(body), 1)
    table["word_share"] = table["words"] / max(total_words, 1)
    table = table.sort_values(
        ["sentences", "attributions", "source"], ascending=[False, False, True], ignore_index=True
    )
    return table[RANK_COLUMNS]


def source_colour(source: str, party: str = "") -> str:
    """A source's colour in the figures: its party's colour, else a stable colour of its own."""
    from .style import party_colour  # matplotlib is loaded only when a figure is drawn

    return party_colour(party) if party else party_colour(source)


def status_colours(status: pd.DataFrame, attributions: pd.DataFrame) -> list[str]:
    """One colour per row of ``classify_sentences``: the first source's, or the status colour."""
    from .style import STATUS_COLOURS

    parties = dict(zip(attributions["source"], attributions["party"], strict=True))
    colours = []
    for kind, source in zip(status["status"], status["source"], strict=True):
        if kind == "attributed":
            name = source.split("; ")[0]
            colours.append(source_colour(name, parties.get(name, "")))
        else:
            colours.append(STATUS_COLOURS[kind])
    return colours
