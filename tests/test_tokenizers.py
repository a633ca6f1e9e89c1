import pytest

import newslens
from newslens.tokenizers import count_words, split_sentences, split_words


def body(text):
    full = "Headline\n\n" + text
    return [full[s:e] for s, e in split_sentences(full)[1:]]


def test_seed_has_headline_and_sixteen_body_sentences(seed_articles, seed_sentences):
    text = seed_articles.iloc[0]["text"]
    assert seed_sentences["sentence"].tolist() == list(range(17))
    assert seed_sentences.iloc[0]["text"] == seed_articles.iloc[0]["title"]
    for row in seed_sentences.itertuples():
        assert text[row.start : row.end] == row.text
    first = seed_sentences.iloc[1]["text"]
    assert first.startswith("Despite recent diplomatic efforts, the relationship")  # no dateline
    quote = seed_sentences.iloc[10]["text"]
    assert quote.startswith("Furthermore, the Taliban side") and quote.endswith('Pakistan."')


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Gen. Asim Munir met Lt. Col. Ahmed. They spoke.", 2),
        ("Dr. Smith and Mr. Jones left at 5 p.m. on Friday. Nobody followed.", 2),
        ("The U.S. envoy met Jan. 12 with officials. Talks went on.", 2),
        ("J. R. R. Tolkien wrote it. Readers loved it.", 2),
        ('"We will not go," she said. "Never."', 2),
        ("He asked: why now? Nobody answered! Then silence.", 3),
    ],
)
def test_sentence_splitting_handles_abbreviations_initials_and_quotes(text, expected):
    sentences = body(text)
    assert len(sentences) == expected, sentences
    assert "".join(sentences).replace(" ", "") == text.replace(" ", "")


def test_quote_stays_with_its_sentence():
    sentences = body('Officials urged him to "release the detainees." The talks ended.')
    assert sentences[0].endswith('detainees."')


def test_paragraph_break_always_ends_a_sentence():
    assert len(body("First paragraph without a stop\nSecond paragraph.")) == 2


def test_dateline_colon_does_not_split():
    text = "Headline\n\nKabul [Afghanistan], March 27 : The talks failed, reported ADN.\n"
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Headline", "The talks failed, reported ADN."]


def test_words_have_offsets_and_split_possessives():
    text = "Pakistan's U.S.-made jets cost $1,200 each."
    words = split_words(text)
    assert all(text[s:e] == w for s, e, w in words)
    tokens = [w for _, _, w in words]
    assert tokens[:3] == ["Pakistan", "'s", "U.S."]
    assert "1,200" in tokens
    assert count_words(text) == len([t for t in tokens if t[0].isalnum() or len(t) > 1])


def test_find_words_points_into_the_text(seed_articles, seed_sentences):
    words = newslens.find_words(seed_articles, seed_sentences)
    text = seed_articles.iloc[0]["text"]
    assert all(
        text[s:e] == w for s, e, w in zip(words["start"], words["end"], words["word"], strict=True)
    )
    assert (words["word"] == "Pakistan").sum() == 10


def _candidates(text):
    """Each candidate break of ``text`` as ``_sentence_break`` takes it, and its Punkt context."""
    import re
    import string

    from newslens.tokenizers import _punkt

    for match in _punkt()._lang_vars.period_context_re().finditer(text):
        at = match.start()
        word = re.split(f"[{re.escape(string.whitespace)}]", text[:at])[-1]  # back to a space
        after, following = match.groups()
        yield (word, text[at], after, following), word + text[at] + after


@pytest.mark.parametrize(
    "context",
    ["said. The", "said. the", "reform.”", 'be."', "why? Because", "Wow!)", "Gov. Abbott",
     "Mr. Smith", "U.S. is", "K. Bannon", "2011. Stephen", "Dec. 11", "etc. And", "no. 5",
     "said.\n\nThe", "Jr.'", "said. . .", "SAID. He", "said.\tA.B.", "Mr. The", "Mr. The,",
     "Mr. President,", "Gen. p.m.", "Gen. D’Souza", "K. The", "k. the", "Sen.)", "Sen.?",
     "Mr. ,", "Mr.\xa0The", "Mr. \x1cThe", "Mr. É", "É. The", "Mr. Ünal.", "Mr. It's"],
)  # fmt: skip
def test_quick_sentence_breaks_agree_with_punkt(context):
    from newslens.tokenizers import _punkt, _sentence_break

    for args, whole in _candidates(context):
        assert _sentence_break()(*args) == _punkt().text_contains_sentbreak(whole), whole


def test_quick_sentence_breaks_agree_with_punkt_on_random_contexts():
    import random

    from newslens.tokenizers import _punkt, _sentence_break

    words = "Mr|mr|Sen|K|k|É|etc|U.S|u.s|e.v|a.m|F.B.I|.S|U..S|S.|said|Said|why|The|the|It|it|He|"
    words += "And|5|2012|٣|1,000|D’Souza|Ünal|ǅ|;|:|,|(|“|-"
    words = words.split("|")
    marks = [".", ".", "?", "!", ",", '"', "”", ")", "’s", "...", "\x1c", "", ":", ";"]
    spaces = [" ", " ", "  ", "\n", "\xa0", "\t", ""]
    rng = random.Random(0)
    for _ in range(6000):
        parts = [rng.choice(words) + rng.choice(marks) + rng.choice(spaces) for _ in range(4)]
        for args, whole in _candidates("".join(parts)):
            assert _sentence_break()(*args) == _punkt().text_contains_sentbreak(whole), whole


def test_word_pattern_splits_possessives_hyphens_and_contractions():
    text = "Pakistan-India's rock'n'roll's don't Trump’s U.S. 3.5% co-op's"
    assert [w for _, _, w in split_words(text)] == [
        "Pakistan-India", "'s", "rock'n'roll's", "don't", "Trump", "’s", "U.S.", "3.5%",
        "co-op", "'s",
    ]  # fmt: skip
    assert count_words(text) == 10


def test_word_count_shortcut_agrees_with_the_pattern(seed_articles):
    import random
    import re

    from newslens.tokenizers import _EDGE, _WORD_ONLY

    # the marks stripped from a chunk's ends start no token and join none
    assert not any(re.match(r"[\w\s'’\-‐]", mark) for mark in _EDGE)
    texts = [seed_articles.iloc[0]["text"], "", "   ", "U.S. a. i.e. (AP) 5. 50% %5 2nd a1 _x"]
    alphabet = "aZé5٣_ .,:%'’-‐sS\n\t()“”…—Ab"  # letters, digits (and Arabic), and every joiner
    rng = random.Random(0)
    texts += ["".join(rng.choices(alphabet, k=rng.randrange(30))) for _ in range(3000)]
    for text in texts:
        assert count_words(text) == len(_WORD_ONLY.findall(text)), text
        assert count_words(text, 2, 9) == len(_WORD_ONLY.findall(text, 2, 9)), text


def test_sentence_spans_agree_with_punkt(seed_articles):
    import random

    from newslens.tokenizers import _punkt, _sentence_spans

    pieces = 'said.|Mr.|U.S.|"|)|’|”|--|?|!|...|The|the|5.|etc.|(|A.|why?!|Smith|.|.)'.split("|")
    pieces += "Sen.|K.|President,|It|p.m.|É.|Ünal|“|»|'".split("|")
    pieces += [" ", "  ", "\n", "\t", "\xa0", "\x1c", "a", "5", "٣"]
    rng = random.Random(0)
    texts = [seed_articles.iloc[0]["text"], "", " ", ".", "Hi. ", '"Yes." (No.) Maybe.']
    texts += ["".join(rng.choices(pieces, k=rng.randrange(25))) for _ in range(3000)]
    for text in texts:
        assert _sentence_spans(text) == list(_punkt().span_tokenize(text)), text


def _words_by_pattern(text, start=0, end=None):
    """``split_words`` the plain way: every token of ``_WORD`` over the text, with its offsets."""
    from newslens.tokenizers import _WORD

    end = len(text) if end is None else end
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start, end)]


def test_split_words_gives_the_patterns_tokens(seed_articles):
    # split_words cuts the text at spaces first and runs the pattern only on the pieces that are
    # not plain words; it must find the same tokens as the pattern over the whole text.
    import random

    text = seed_articles.iloc[0]["text"]
    assert split_words(text) == _words_by_pattern(text)
    assert split_words(text, 100, 900) == _words_by_pattern(text, 100, 900)
    pieces = [
        *"aZsS '’-‐.,:%09_é!?\"“”()$", "  ", "\t", "\n", "\xa0", "\x1c", "İ", "Σ", "١", "Ⅻ",
        "\u0301", "'s", "’S", "U.S.", "p.m.", "said,", "word", "3.5%", "co-op",
    ]  # fmt: skip
    rng = random.Random(0)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        start, end = sorted(rng.choices(range(len(text) + 1), k=2))
        assert split_words(text) == _words_by_pattern(text), text
        assert split_words(text, start, end) == _words_by_pattern(text, start, end), text


def test_remembered_pieces_give_the_patterns_tokens(monkeypatch):
    # split_word_columns and count_words read each piece between spaces once and then look it
    # up: the same tokens and counts as the pattern's, on a piece's first sight and later ones,
    # also when the remembered pieces are let go of (a tiny limit, so that it happens often)
    import random

    from newslens import tokenizers
    from newslens.tokenizers import _WORD_ONLY, split_word_columns

    pieces = ["a", "Ab", "U.S.", "said,", "’s", "'S", "é", "5", "3.5%", "co-op", "İ", "Σ", "-", "“"]
    pieces += [" ", " ", " ", "  ", "\xa0", "\t", "\n", "", "_", "١", "x.", "(b)", "it's"]
    rng = random.Random(1)
    texts = ["", " ", "a", "a ", " a", "a  b", "Sen. Smith's co-op, 3.5% (U.S.)."]
    texts += ["".join(rng.choices(pieces, k=rng.randrange(16))) for _ in range(3000)]
    for kept in (1 << 16, 3):
        monkeypatch.setattr(tokenizers, "_PIECES_KEPT", kept)
        for text in texts * 2:
            start, end = sorted(rng.choices(range(len(text) + 1), k=2))
            expected = _words_by_pattern(text, start, end)
            got = split_word_columns(text, start, end)
            assert list(zip(*got, strict=True)) == expected, text
            assert all(type(column) is list for column in got)
            assert count_words(text, start, end) == len(_WORD_ONLY.findall(text, start, end))
        assert len(tokenizers._PIECE_TOKENS) <= kept and len(tokenizers._PIECE_WORDS) <= kept


def test_realignment_opens_only_with_the_closing_marks():
    """``_sentence_spans`` tries Punkt's realignment only after one of ``_CLOSING_MARKS``."""
    from newslens.tokenizers import _CLOSING_MARKS, _punkt

    realign = _punkt()._lang_vars.re_boundary_realignment
    opening = {chr(c) for c in range(0x10000) if realign.match(chr(c) + " ")}
    assert opening <= _CLOSING_MARKS
