"""Split articles into sentences and words, keeping character offsets into the article's text.

Sentences come from NLTK's Punkt splitter, set up from the package's own abbreviation and
sentence-starter lists (``data/abbreviations.csv``, ``data/sentence_starters.csv``), so no NLTK
data needs downloading. The headline is sentence 0; body sentences count from 1. A paragraph
break always ends a sentence; a wire dateline and a date line are not sentences.
"""

from __future__ import annotations

import re
import string
from functools import cache, lru_cache
from itertools import accumulate, chain, filterfalse

import pandas as pd
from nltk.tokenize.punkt import PunktLanguageVars, PunktParameters, PunktSentenceTokenizer

from .articles import Layout, find_layout
from .lexicons import read_words

__all__ = [
    "SENTENCE_COLUMNS",
    "WORD_COLUMNS",
    "find_sentences",
    "find_words",
    "count_words",
    "split_sentences",
    "split_word_columns",
    "split_words",
]

SENTENCE_COLUMNS = ["article", "sentence", "start", "end", "text"]
WORD_COLUMNS = ["article", "sentence", "start", "end", "word"]

_WORD = re.compile(
    r"(?:[A-Za-z]\.){2,}"  # U.S., p.m.
    r"|\d+(?:[.,:]\d+)*%?"  # 1,008  3.5%  10:30
    # words, hyphenated words, don't; "Pakistan" alone before 's (Pakistan's): the word and its
    # hyphens are read once, then either 's follows or apostrophes may join more words
    r"|\w++(?:[-‐]\w++)*+(?:(?=['’][sS]\b)|(?:[-‐'’]\w+)*)"
    r"|['’][sS]\b"  # 's
    r"|[^\w\s]"  # punctuation, one character at a time
)
# The same tokens without the single punctuation marks: what counts as a word.
_WORD_ONLY = re.compile(_WORD.pattern.rsplit("|", 1)[0])
# A token with the spaces before it: only spaces lie between tokens, so one findall gives every
# token's offsets (quicker than a match object per token).
_SPACED_WORD = re.compile(r"(\s*)(" + _WORD.pattern + ")")


def _unguarded(pattern):
    """The compiled pattern inside nltk's ReDoS guard (``nltk.redos.TimedPattern``)."""
    return getattr(pattern, "_rx", pattern)


class _LanguageVars(PunktLanguageVars):
    """Punkt's English settings, with its patterns run as compiled, not through nltk's guard.

    Speed: nltk runs every pattern through a wrapper that sets a time limit on each call (and
    makes a generator for each ``finditer``), a defence against patterns a user supplies. These
    are Punkt's own fixed patterns: the same compiled patterns give the same matches, at about
    a third less of the time that finding sentences takes.
    """

    __slots__ = ()
    re_boundary_realignment = _unguarded(PunktLanguageVars.re_boundary_realignment)

    def period_context_re(self):
        return _unguarded(super().period_context_re())

    def _word_tokenizer_re(self):
        return _unguarded(super()._word_tokenizer_re())


@cache
def _punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types = set(read_words("abbreviations.csv")) | set(string.ascii_lowercase)
    params.sent_starters = set(read_words("sentence_starters.csv"))
    return PunktSentenceTokenizer(params, lang_vars=_LanguageVars())


@cache
def _sentence_break():
    """Punkt's judgement of a candidate break: ``_quick_sentbreak`` of our tokenizer."""
    return _quick_sentbreak(_punkt())


def _quick_sentbreak(tokenizer: PunktSentenceTokenizer):
    """Punkt's ``text_contains_sentbreak(word + mark + after)`` for a candidate break, quicker.

    ``word`` is the text before the mark (".", "?" or "!") back to a space, ``after`` what
    Punkt's candidate pattern sees after it: a mark, or spaces and the next word ("said. The"),
    ``following`` (its group "next_tok"; None after a mark). Punkt reads these few words to
    decide; the common cases are answered here as its rules answer them (for a tokenizer with
    no collocations and no orthographic counts, as ours), the others are asked and remembered
    (many candidates recur). The answer is yes when a token that is not the last is a break.

    * "why?": an ASCII word of letters, then "?" or "!": the mark is a break token, and
      ``after`` holds a token after it: yes.
    * A word of ASCII letters, or of letters with single periods inside ("U.S", "e.v"), before
      a period, makes one token with it. Not an abbreviation ("said."): Punkt's first pass
      makes it a break, and its second pass keeps it (it reconsiders only abbreviations,
      initials, numbers and ellipses): yes. An abbreviation ("Sen.", "K."): no break in the
      first pass; the second makes one only when the next token starts a sentence by the
      orthographic counts (none here, so never) or is capitalised and a frequent sentence
      starter, and never after an initial (one letter).
    * A number ("2012."): a break in the first pass, which the second pass takes back when the
      next token is lower case or one of ``;:,.!?``.

    The next token is the mark after, or the first token of the next word, which starts with
    its first character (a word of letters alone or with a comma after it is one token). When
    the next word holds no ".", "?" or "!", none of its tokens is a break.
    ``tests/test_tokenizers.py`` compares these answers with Punkt on many contexts.
    """
    params = tokenizer._params
    abbreviations = params.abbrev_types
    starters = params.sent_starters
    punctuation = tokenizer.PUNCTUATION
    ask = lru_cache(maxsize=1 << 16)(tokenizer.text_contains_sentbreak)
    if params.collocations or any(params.ortho_context.values()):
        return lambda word, mark, after, following: ask(word + mark + after)

    def contains_sentbreak(word: str, mark: str, after: str, following: str | None) -> bool:
        # (``quiet``: the next word holds no "." "?" "!", so none of its tokens is a break)
        quiet = following is None or not ("." in following or "?" in following or "!" in following)
        if not word.isascii():
            pass
        elif mark != ".":
            if word.isalpha():
                return True
        elif word.isalpha() or _dotted(word):
            if word.lower() not in abbreviations:
                if len(word) > 1:
                    return True
            elif following is None:
                return False
            elif quiet:
                if len(word) == 1 or not following[0].isupper():
                    return False
                bare = following[:-1] if following[-1] == "," else following
                if bare.isalpha():
                    return bare.lower() in starters
        elif word.isdecimal() and word not in abbreviations and quiet:
            if following is None:
                return after not in punctuation
            return not (following[0] in punctuation or following[0].islower())
        return ask(word + mark + after)

    return contains_sentbreak


def _dotted(word: str) -> bool:
    """Whether ``word`` is letters with single periods between them ("U.S", "e.v")."""
    return (
        word[:1].isalpha()
        and word[-1:].isalpha()
        and ".." not in word
        and word.replace(".", "").isalpha()
    )


_SENTENCE_MARKS = PunktLanguageVars.sent_end_chars  # what Punkt's candidate breaks open with
# The characters that Punkt's realignment pattern opens with (``["\')\]}‘’“”«»]+?``)
_CLOSING_MARKS = frozenset("\"')]}\u2018\u2019\u201c\u201d\xab\xbb")


def _mark_positions(text: str) -> list[int]:
    """The positions of the sentence marks in ``text``, in order."""
    found = []
    for mark in _SENTENCE_MARKS:
        at = text.find(mark)
        while at >= 0:
            found.append(at)
            at = text.find(mark, at + 1)
    found.sort()
    return found


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """Punkt's ``span_tokenize(text)``, its steps done in one pass.

    Speed: nltk chains five generators for each paragraph (candidate breaks with their context,
    the breaks, pairs of sentences, realigned sentences, spans) and asks each match for its
    groups one by one. These are the same steps, in the same order, in one function (nltk
    3.10's ``_match_potential_end_contexts``, ``_slices_from_text`` and ``_realign_boundaries``),
    reading a match's groups in one call: the same spans (``test_sentence_spans_agree_with_punkt``).
    """
    tokenizer = _punkt()
    lang_vars = tokenizer._lang_vars
    whitespace = string.whitespace
    # The candidate breaks (".", "?" or "!": one character at ``match.start()``) and the word
    # before each; a candidate whose word overlaps the next candidate's is dropped.
    candidates = []  # (start of the word before, the candidate's position, its match)
    word_start = word_end = 0  # the previous candidate's word
    previous = None
    # Speed: the pattern matches one mark and only looks ahead, so ``finditer`` finds it at
    # exactly the marks where ``match`` succeeds; the marks are found by ``str.find`` (the
    # regex engine's search for them costs about ten times more) and the pattern tried there
    # (not where a letter or a digit follows, as in "U.S." or "3.5": the pattern wants a mark
    # or a space there)
    context_at = lang_vars.period_context_re().match
    for start in _mark_positions(text):
        if text[start + 1 : start + 2].isalnum():
            continue
        match = context_at(text, start)
        if match is None:
            continue
        space = start - 1  # the last whitespace between the previous candidate and this one
        while space >= word_end and text[space] not in whitespace:
            space -= 1
        this_start = space + 1 if space > word_end else word_start
        if previous is not None and word_end <= this_start:
            candidates.append((word_start, word_end, previous))
        previous = match
        word_start, word_end = this_start, start
    if previous is not None:
        candidates.append((word_start, word_end, previous))
    # The breaks: a candidate's context is its word, itself and what follows ("after_tok": a
    # mark, or spaces and the next word, "next_tok"), which ``text_contains_sentbreak`` judges.
    contains_sentbreak = _sentence_break()
    breaks = []  # (start, end) of each sentence before realignment
    last_break = 0
    for word_start, at, match in candidates:
        after, next_word = match.groups()
        end = at + 1
        if contains_sentbreak(text[word_start:at], text[at], after, next_word):
            breaks.append((last_break, end))
            # the next sentence starts at the next word, or at the mark that follows
            last_break = end + len(after) - len(next_word) if next_word else end
    breaks.append((last_break, len(text.rstrip())))
    # Realignment: closing marks after a break ('."', '.)') join the sentence before it.
    realign_re = lang_vars.re_boundary_realignment
    spans = []
    realign = 0
    last = len(breaks) - 1
    for i, (start, end) in enumerate(breaks):
        start += realign
        if i < last:
            next_start, next_end = breaks[i + 1]
            # Speed: the pattern opens with a closing mark, so a sentence that starts with no
            # such mark (nearly all) cannot match: it is not sliced out and tried
            first = text[next_start] if next_start < next_end else ""
            moved = first in _CLOSING_MARKS and realign_re.match(text[next_start:next_end])
            if moved:
                spans.append((start, next_start + len(moved.group(0).rstrip())))
                realign = moved.end()
                continue
            realign = 0
        if start < end:  # a sentence with text (end is never past the text's end)
            spans.append((start, end))
    return spans


def split_sentences(text: str, layout: Layout | None = None) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of an article: headline first."""
    layout = layout or find_layout(text)
    spans = [layout.title]
    for start, end in layout.paragraphs:
        spans.extend([(start + s, start + e) for s, e in _sentence_spans(text[start:end])])
    return spans


def split_words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    """Return ``(start, end, word)`` for each word and punctuation mark in ``text[start:end]``."""
    return list(zip(*split_word_columns(text, start, end), strict=True))


def split_word_columns(
    text: str, start: int = 0, end: int | None = None
) -> tuple[list[int], list[int], list[str]]:
    """``split_words`` as three lists: the tokens' starts, their ends and the words."""
    end = len(text) if end is None else end
    columns = _split_spaced(text, start, end)
    if columns is not None:
        return columns
    # Speed: the offsets from the lengths of the spaces and tokens in turn, by a running sum
    found = list(chain.from_iterable(_SPACED_WORD.findall(text, start, end)))
    offsets = list(accumulate(map(len, found), initial=start))
    return offsets[1::2], offsets[2::2], found[1::2]


class _PieceTokens(dict):
    r"""A text between spaces (a piece) -> its tokens, as (token, its gap, its length) for each in
    turn, flat: the gap is 1 for the piece's first token (the space before it), 0 for the others.

    The tokens of a piece are those ``_WORD`` finds in the whole text (``_split_spaced`` says
    why), so each piece is read once, when first seen, and then looked up (a news text holds
    few pieces it has not seen before). Only the last ``_PIECES_KEPT`` are kept, at most.
    """

    def __missing__(self, piece: str) -> tuple:
        if len(self) >= _PIECES_KEPT:
            self.clear()
        # A run of letters is one token (``\w`` holds every letter; the other kinds of token
        # need a "." or a digit first): most pieces, told without the pattern.
        tokens = (piece,) if piece.isalpha() else _WORD.findall(piece)
        flat = []
        for k, token in enumerate(tokens):
            flat += (token, 1 if k == 0 else 0, len(token))
        self[piece] = flat = tuple(flat)
        return flat


_PIECES_KEPT = 1 << 16
_PIECE_TOKENS = _PieceTokens()


def _split_spaced(text: str, start: int, end: int) -> tuple[list, list, list] | None:
    r"""``split_word_columns`` of text whose pieces are one space apart (most sentences), or None.

    Speed: matching ``_WORD`` costs more than twice the rest of the work per token, so the text
    is cut at the spaces first (``str.split``) and each piece's tokens are looked up
    (``_PieceTokens``); the offsets follow from the tokens' lengths. That gives the tokens
    ``_WORD`` finds in the whole text (tests/test_tokenizers.py compares the two ways): no token
    holds whitespace and ``_WORD`` matches at every other character, so a piece's tokens cover
    it; where the pattern looks past a token (``'s`` and a word boundary) it needs a quote, an
    "s" or a word character, so a piece's end reads as the whitespace after it would
    (``str.split`` and the pattern's ``\s`` agree on every character).
    """
    chunk = text[start:end]
    if "\n" in chunk:  # lines (a whole article): not one space apart, no need to cut it to see
        return None
    pieces = chunk.split()
    if " ".join(pieces) != chunk:
        return None
    # (token, gap, length) of every token in turn, by extending one list with each piece's
    flat = []
    any(map(flat.extend, map(_PIECE_TOKENS.__getitem__, pieces)))  # (extend returns None)
    words = flat[0::3]
    del flat[0::3]  # the gaps and lengths in turn: the first gap is the chunk's start instead
    if flat:
        flat[0] = start
    # A running sum over them gives each token's start, then its end
    offsets = list(accumulate(flat))
    return offsets[0::2], offsets[1::2], words


# Punctuation that can neither start a word token nor join one that starts with a letter or a
# digit: no letter, digit, "_", apostrophe or hyphen (see ``_WORD``). Stripped from both ends of
# a chunk between spaces, it leaves the chunk's one word ("(said,)" -> "said").
_EDGE = '.,;:!?"()[]{}<>/*&#@$%+=|~^`\\' + "\u201c\u201d\u00ab\u00bb\u2026\u2013\u2014\u00a3\u20ac"


def count_words(text: str, start: int = 0, end: int | None = None) -> int:
    """Count word tokens (punctuation left out) in ``text[start:end]``, as ``find_words`` does."""
    # Speed: no token holds a space, so the count is the sum over the chunks between spaces,
    # each chunk's count read once, when first seen (``_PieceWords``). The same count as
    # ``len(_WORD_ONLY.findall(text, start, end))``.
    chunks = text[start:end].split()
    hard = list(filterfalse(str.isalpha, chunks))  # (a chunk of letters is one word)
    return len(chunks) - len(hard) + sum(map(_PIECE_WORDS.__getitem__, hard))


class _PieceWords(dict):
    """A chunk of text between spaces -> the number of word tokens in it (``count_words``).

    Most chunks are one plain word with punctuation around it: letters only, or digits only,
    once the ``_EDGE`` marks are stripped, is exactly one token (letters: ``\\w++``; digits:
    ``\\d+``; the marks start none and join none). Only the other chunks (U.S., 1,008, Smith's,
    well-known) go through the pattern. Only the last ``_PIECES_KEPT`` are kept, at most.
    """

    def __missing__(self, chunk: str) -> int:
        if len(self) >= _PIECES_KEPT:
            self.clear()
        core = chunk.strip(_EDGE)
        if core.isalpha() or core.isdecimal():
            words = 1
        else:
            words = len(_WORD_ONLY.findall(chunk)) if core else 0
        self[chunk] = words
        return words


_PIECE_WORDS = _PieceWords()


def find_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence of each article: ``article, sentence, start, end, text``."""
    rows = []
    for article, text in zip(articles["article"], articles["text"], strict=True):
        for number, (start, end) in enumerate(split_sentences(text)):
            rows.append((article, number, start, end, text[start:end]))
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def find_words(articles: pd.DataFrame, sentences: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per word token: ``article, sentence, start, end, word`` (punctuation left out)."""
    sentences = find_sentences(articles) if sentences is None else sentences
    texts = dict(zip(articles["article"], articles["text"], strict=True))
    rows = []
    for article, number, start, end in sentences[
        ["article", "sentence", "start", "end"]
    ].itertuples(index=False):
        text = texts[article]
        for s, e, word in split_words(text, start, end):
            if word[0].isalnum() or len(word) > 1:
                rows.append((article, number, s, e, word))
    return pd.DataFrame(rows, columns=WORD_COLUMNS)
