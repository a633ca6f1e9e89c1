"""Tests for newslens.attributions: the seed's sources, each covered form, hedges and shares."""

import pandas as pd
import pytest

import newslens
from newslens.attributions import (
    ATTRIBUTION_COLUMNS,
    classify_sentences,
    find_attributions,
    find_hedges,
    measure_concentration,
    source_shares,
)
from newslens.paths import seeds_dir

SEED = "000_abad502eff8d374b"


@pytest.fixture(scope="module")
def seed():
    articles = newslens.load_articles(seeds_dir())
    articles = articles[articles["article"] == SEED].reset_index(drop=True)
    return articles, newslens.find_sentences(articles)


@pytest.fixture(scope="module")
def seed_mentions(seed):
    from newslens.entities import find_mentions
    from newslens.parties import load_parties

    articles, sentences = seed
    parties = load_parties(seeds_dir() / "parties.csv")
    return find_mentions(articles, sentences, parties)


def attribute(*body: str) -> pd.DataFrame:
    """Attributions of an article made of a headline and the given body lines."""
    text = "Headline\n\n" + "\n".join(body) + "\n"
    return find_attributions(pd.DataFrame({"article": ["t"], "text": [text]}))


def spans_ok(table: pd.DataFrame, text: str) -> None:
    for row in table.itertuples():
        assert text[row.cue_start : row.cue_end] == row.cue
        if not pd.isna(row.content_start):
            assert text[row.content_start : row.content_end] == row.content


def test_columns(seed):
    articles, sentences = seed
    table = find_attributions(articles, sentences)
    assert list(table.columns) == ATTRIBUTION_COLUMNS
    spans_ok(table, articles["text"][0])


def test_seed_credits_adn_five_times(seed):
    articles, sentences = seed
    table = find_attributions(articles, sentences)
    text = articles["text"][0]
    adn = table[table["source"].str.contains("ADN")]
    assert len(adn) == 5
    assert (adn["cue"] == "reported").all()
    spans = zip(adn["source_start"], adn["source_end"], strict=True)
    surfaces = sorted(text[s:e] for s, e in spans)
    assert surfaces == ["ADN"] * 4 + ["Afghan Diaspora Network (ADN)"]
    assert set(adn["source_kind"]) == {"outlet"}


def test_seed_adn_is_one_source_with_mentions(seed, seed_mentions):
    articles, sentences = seed
    table = find_attributions(articles, sentences, seed_mentions)
    adn = table[table["source"] == "Afghan Diaspora Network"]
    assert len(adn) == 5
    assert set(adn["source_kind"]) == {"outlet"}


def test_seed_quote_in_sentence_10_is_the_taliban_side(seed, seed_mentions):
    articles, sentences = seed
    table = find_attributions(articles, sentences)
    row = table[table["sentence"] == 10].iloc[0]
    assert row["source"] in {"the Taliban side", "Taliban side"}
    assert row["cue"] == "urged"
    assert '"release Afghans' in row["content"]
    with_mentions = find_attributions(articles, sentences, seed_mentions)
    row = with_mentions[with_mentions["sentence"] == 10].iloc[0]
    assert row["source"] in {"the Taliban side", "Taliban side"}
    assert row["party"] == "Taliban"


def test_according_to():
    table = attribute("The talks failed, according to two officials in Kabul.")
    assert table["cue"].tolist() == ["according to"]
    assert table["source"][0] == "two officials"
    assert table["source_kind"][0] == "anonymous"
    assert table["content"][0] == "The talks failed"


def test_said_that():
    table = attribute("Maria Lopez said that the bridge would reopen in May.")
    assert table["source"].tolist() == ["Maria Lopez"]
    assert table["source_kind"][0] == "person"
    assert table["content"][0] == "the bridge would reopen in May"


def test_quote_with_speaker_after():
    table = attribute("“We will not pay,” the ministry said.")
    assert table["source"].tolist() == ["the ministry"]
    assert table["source_kind"][0] == "official"
    assert table["content"][0] == "“We will not pay,”"


def test_quote_with_speaker_after_inverted():
    table = attribute("“We will not pay,” said John Okafor, a union leader.")
    assert table["source"][0].startswith("John Okafor")
    assert table["cue"][0] == "said"


def test_quote_with_speaker_before():
    table = attribute("The mayor told reporters: “The water is safe.”")
    assert table["source"].tolist() == ["The mayor"]
    assert "The water is safe" in table["content"][0]


def test_quote_with_speaker_between_halves():
    table = attribute("“The water,” Ana Ruiz said, “is safe to drink.”")
    assert table["source"].tolist() == ["Ana Ruiz"]
    assert "The water" in table["content"][0] and "safe to drink" in table["content"][0]


def test_quote_whose_speaker_is_in_the_previous_sentence():
    table = attribute("Ana Ruiz, the city engineer, spoke at length.", "“The water is safe.”")
    quote = table[table["sentence"] == 2]
    assert len(quote) == 1
    assert quote["source"].iloc[0] == "Ana Ruiz"
    assert quote["stance"].iloc[0] == "quote"


def test_pronoun_resolved_to_previous_source():
    table = attribute("Ana Ruiz said the water was safe.", "She added that the pipes were new.")
    row = table[table["sentence"] == 2].iloc[0]
    assert row["cue"] == "added"
    assert row["source"] == "Ana Ruiz"
    text = "Headline\n\nAna Ruiz said the water was safe.\nShe added that the pipes were new.\n"
    assert text[row["source_start"] : row["source_end"]] == "She"


def test_anonymous_sources():
    table = attribute("Officials said the border would stay closed.")
    assert table["source_kind"].tolist() == ["anonymous"]


def test_stance_of_claimed():
    table = attribute("The company claimed the spill was small.")
    assert table["stance"].tolist() == ["doubt"]


def test_document_source():
    table = attribute("A police report indicates that the driver was speeding.")
    assert table["source_kind"].tolist() == ["document"]


def test_adjective_is_not_a_cue():
    assert attribute("Troops visited the site of the alleged attack.").empty


def test_cue_inside_a_quote_is_not_an_attribution():
    table = attribute("“I think we want peace,” Omar said.")
    assert table["cue"].tolist() == ["said"]


def test_hedges():
    assert find_hedges("It is possible that he was allegedly involved.") == [
        "it is possible",
        "allegedly",
    ]


def test_hedge_keys_shortcut_agrees_with_the_pattern(seed_articles):
    import random

    from newslens.attributions import _hedge_keys, _hedge_pattern
    from newslens.lexicons import read_words

    hedges = [w.lower() for w in read_words("hedges.csv")]
    assert all(any(key in hedge for key in _hedge_keys()) for hedge in hedges)
    pieces = [*hedges, *(h[:-1] for h in hedges), *(h[1:] for h in hedges), " ", "-", ".", "Un"]
    rng = random.Random(0)
    texts = [seed_articles.iloc[0]["text"], "", "IT IS LIKELY", "unlikely-reportedly"]
    texts += ["".join(rng.choices(pieces, k=rng.randrange(6))) for _ in range(3000)]
    for text in texts:
        assert find_hedges(text) == _hedge_pattern().findall(text.lower()), text


def test_hedge_keys_of_an_article_are_enough_for_its_sentences():
    import random

    from newslens.attributions import _find_hedges, _keys_held
    from newslens.lexicons import read_words

    hedges = [w.lower() for w in read_words("hedges.csv")]
    pieces = [*hedges, *(h.upper() for h in hedges), " ", "İ", "Σ", "ΟΣ ", "s", "Ly", "."]
    rng = random.Random(0)
    for _ in range(500):
        texts = ["".join(rng.choices(pieces, k=rng.randrange(4))) for _ in range(5)]
        keys = _keys_held(texts)
        assert [_find_hedges(t, keys) for t in texts] == [find_hedges(t) for t in texts]


def test_classify_sentences():
    text = (
        "Headline\n\nThe rebels reportedly took the town. Prices rose in March.\n"
        "The army said the town was safe.\n"
    )
    articles = pd.DataFrame({"article": ["t"], "text": [text]})
    status = classify_sentences(articles)
    assert status["status"].tolist() == ["hedged", "unsourced", "attributed"]
    assert status["source"].tolist() == ["", "", "The army"]
    assert status["hedges"][0] == "reportedly"


def test_seed_classification(seed):
    articles, sentences = seed
    status = classify_sentences(articles, sentences)
    assert len(status) == 16
    assert set(status["status"]) == {"attributed", "hedged", "unsourced"}
    # "the Taliban are unlikely to feel obligated ..., reported ADN": attributed, hedge kept
    last = status[status["sentence"] == 16].iloc[0]
    assert last["status"] == "attributed" and "unlikely" in last["hedges"]


def test_shares_and_concentration(seed, seed_mentions):
    articles, sentences = seed
    table = find_attributions(articles, sentences, seed_mentions)
    shares = source_shares(articles, sentences, table)
    top = shares.iloc[0]
    assert top["source"] == "Afghan Diaspora Network"
    assert top["sentences"] == 5 and top["sentence_share"] == pytest.approx(5 / 16)
    assert 0 < top["word_share"] < 1
    conc = measure_concentration(articles, sentences, table)
    assert conc["top_source"][0] == "Afghan Diaspora Network"
    assert conc["top_sentence_share"][0] == pytest.approx(5 / 16)


def test_relative_clause_source_is_named_by_its_antecedent():
    text = "The mayor met Ana Ruiz, who said the water was safe."
    table = attribute(text)
    row = table.iloc[0]
    assert row["source"] == "Ana Ruiz"
    full = "Headline\n\n" + text + "\n"
    assert full[row["source_start"] : row["source_end"]] == "who"


def test_nobody_holds_no_state():
    assert attribute("Prices rose in March. Nobody knows why.").empty


def test_documents_are_sources_named_by_their_head():
    table = attribute("The official statements released by both sides indicate that talks failed.")
    assert table["cue"].tolist() == ["indicate"]
    assert table["source"][0] == "The official statements released by both sides"
    assert table["source_kind"][0] == "document"
    assert table["content"][0] == "talks failed"
    table = attribute("A spokesman for the ministry said the border was closed.")
    assert table["source_kind"][0] == "official"


def test_the_object_of_a_verb_after_a_comma_is_not_its_source():
    table = attribute("Sen. Ted Cruz (R-Texas), also a hopeful, called the plan abhorrent.")
    assert table["cue"].tolist() == ["called"]
    assert table["source"][0] == "Sen. Ted Cruz (R-Texas)"
    table = attribute("Ana Ruiz, the author of a book about water, said he was wrong.")
    assert table["source"][0].startswith("Ana Ruiz")
    assert table["content"][0] == "he was wrong"


def test_noun_phrase_subjects_with_relative_clauses():
    table = attribute("A White House official, who requested anonymity, said the talks failed.")
    assert table["source"][0] == "A White House official, who requested anonymity"
    table = attribute("Two officials who spoke with reporters said the talks failed.")
    assert table["source"][0] == "Two officials"
    assert table["content"][0] == "the talks failed"


def test_quick_paths_match_their_plain_versions(seed, seed_mentions):
    """The speed tricks give what the plain code they replace gives."""
    import random

    import numpy as np

    from newslens.attributions import (
        _detect_sentence,
        _int_array,
        _kind,
        _lower_words,
        _Mentions,
        _quoted,
    )
    from newslens.tokenizers import split_word_columns

    articles, sentences = seed
    text = articles["text"][0]
    for start, end in zip(sentences["start"], sentences["end"], strict=True):
        # the token columns and their lower case as find_attributions makes them
        cols = split_word_columns(text, start, end)
        lows = _lower_words(cols[2])
        assert lows == [w.lower() for w in cols[2]]
        quoted = _quoted(cols, True)[0]
        assert _detect_sentence(cols, quoted, lows) == _detect_sentence(cols, quoted)
    # mentions ending in a range, by bisection or by a look at every mention
    lookup = _Mentions(seed_mentions)
    found = lookup.by_article[SEED]
    kinds = {"person"}
    rng = random.Random(0)
    for _ in range(200):
        first = rng.randrange(len(text))
        last = first + rng.randrange(400)
        plain = [m for m in found if first <= m[1] <= last and m[3] in kinds]
        assert lookup.ending(SEED, first, last, kinds) == plain
    # a kind remembered by its words is the kind worked out again
    assert _kind(["the", "spokesman"]) == _kind(["the", "spokesman"]) == "official"
    # offset columns
    values = [3, None, 17, None, 2**40]
    made = _int_array(values)
    assert made.dtype == "Int64" and made.equals(pd.array(values, dtype="Int64"))
    assert _int_array([None, None]).equals(pd.array([None, None], dtype="Int64"))
    assert isinstance(np.asarray(made, dtype=object)[0], int)


def test_sourcing_reads_float_offsets_as_the_table_makes_them(seed, seed_mentions):
    """Attributions read back from a CSV (offsets as floats, NaN when missing) sort alike."""
    articles, sentences = seed
    table = find_attributions(articles, sentences, seed_mentions)
    floats = table.astype({c: float for c in ("content_start", "content_end")})
    pd.testing.assert_frame_equal(
        classify_sentences(articles, sentences, floats),
        classify_sentences(articles, sentences, table),
    )


def test_cue_word_pattern_finds_what_the_letter_runs_hold(seed):
    """``_run_pattern`` finds a cue word exactly when the runs of letters hold one."""
    import random

    from newslens.attributions import _LETTERS, _first_words, _run_pattern

    words = _first_words()
    pattern = _run_pattern(words)
    articles, sentences = seed
    chunks = [t.lower() for t in sentences["text"]] + [
        "he said",
        "unsaid",
        "said2 it",
        "says",
        "say-so",
        "sayings",
        "_said_",
        "a:b",
        "",
        "según dijo",
        "x said.",
    ]
    rng = random.Random(0)
    pieces = ["said", "say", "s", "aid", "unsaid", "told", " ", "\n", ".", "2", "_", "é", "Said"]
    chunks += ["".join(rng.choices(pieces, k=rng.randrange(8))) for _ in range(3000)]
    for chunk in chunks:
        runs = _LETTERS.findall(chunk)
        assert (pattern.search(" " + chunk) is not None) == (not words.isdisjoint(runs)), chunk
    small = _run_pattern(frozenset({"say", "says", "said", "o'neil"}))
    assert small.search(" she says") and small.search(" say") and not small.search(" sayings")
    assert not small.search(" o'neil") and not _run_pattern(frozenset()).search(" said")


def test_rows_handed_over_by_runs_keep_the_table_order():
    """An article listed in two runs gets both, in table order, as row by row would give."""
    from newslens.attributions import _by_article, _runs

    assert list(_runs(["a", "a", "b", "a"])) == [("a", 0, 2), ("b", 2, 3), ("a", 3, 4)]
    assert list(_runs([])) == []
    table = pd.DataFrame(
        {
            "article": ["a", "a", "b", "a"],
            "sentence": [0, 1, 0, 2],
            "start": [0, 5, 0, 9],
            "end": [4, 8, 3, 12],
        }
    )
    assert _by_article(table) == {"a": [(0, 0, 4), (1, 5, 8), (2, 9, 12)], "b": [(0, 0, 3)]}


def test_the_cycle_collector_is_left_as_it_was():
    import gc

    was = gc.isenabled()
    try:
        gc.disable()
        attribute("Smith said the talks failed.")
        assert not gc.isenabled()
        gc.enable()
        attribute("Smith said the talks failed.")
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
