"""Keyword-in-context lines, evidence marking, and the three pickers (widgets and headless)."""

import html

import pandas as pd
import pytest

import newslens
from newslens import explore
from newslens.explore import (
    explore_concordance,
    explore_parties,
    explore_sources,
    keyword_in_context,
    mark_words,
    parse_evidence,
)

TEXT = (
    "Talks stall in Kabul\n\n"
    "KABUL (AP) -- Pakistan's envoy left Kabul unsuccessful on Monday. "
    "The Taliban said the talks were useful, officials said.\n"
    "Ministers in Islamabad were embarrassed, Dawn reported.\n"
)


@pytest.fixture
def corpus(write):
    """A two-paragraph article written for these tests, loaded as the library loads it."""
    path = write("001_test.txt", TEXT)
    articles = newslens.load_articles(path.parent)
    return articles, newslens.find_sentences(articles)


def span(text, word, nth=0):
    """The (start, end) of the nth occurrence of ``word`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


@pytest.fixture
def tables(corpus):
    articles, sentences = corpus
    text = articles.iloc[0]["text"]
    rows = []
    for word, nth, party in [
        ("Pakistan", 0, "Pakistan"),
        ("Taliban", 0, "Taliban"),
        ("Islamabad", 0, "Pakistan"),
        ("Kabul", 1, None),  # the dateline's KABUL is upper case; this is the body's Kabul
    ]:
        start, end = span(text, word, nth)
        number = sentences[(sentences.start <= start) & (start < sentences.end)].sentence.iloc[0]
        rows.append(("001_test", number, start, end, word, word, "place", party))
    mentions = pd.DataFrame(
        rows, columns=["article", "sentence", "start", "end", "text", "entity", "kind", "party"]
    )
    scores = pd.DataFrame(
        [
            ("001_test", 1, "Pakistan", "lexicon", -0.5, "negative", "unsuccessful:-0.50"),
            ("001_test", 2, "Taliban", "lexicon", 0.4, "positive", "useful:+0.40"),
            ("001_test", 3, "Pakistan", "lexicon", -0.6, "negative", "embarrassed:-0.60"),
            ("001_test", 1, "Pakistan", "vader", -0.3, "negative", "left:-0.1"),
        ],
        columns=["article", "sentence", "party", "method", "score", "label", "evidence"],
    )
    return articles, sentences, mentions, scores


def test_kwic_of_a_word_gives_back_its_offsets_and_context(corpus):
    articles, sentences = corpus
    text = articles.iloc[0]["text"]
    lines = keyword_in_context(sentences, "kabul", width=20)
    # whole words, case-insensitive: the headline's, not the dateline's (not a sentence), the body's
    assert lines["sentence"].tolist() == [0, 1]
    for row in lines.itertuples():
        assert text[row.start : row.end] == row.match == "Kabul"
    assert lines.iloc[0]["left"] == "Talks stall in "
    assert lines.iloc[0]["right"] == ""
    body = lines.iloc[1]
    assert body["left"] == "…envoy left "  # cut to 20 characters, then to a whole word
    assert body["right"] == " unsuccessful on…"
    assert len(body["left"]) <= 21 and len(body["right"]) <= 21


def test_kwic_wildcards_phrases_and_case(corpus):
    _, sentences = corpus
    assert keyword_in_context(sentences, "offic*")["match"].tolist() == ["officials"]
    assert keyword_in_context(sentences, "the   talks")["match"].tolist() == ["the talks"]
    assert keyword_in_context(sentences, "talk").empty  # whole words only
    assert len(keyword_in_context(sentences, "talks", case=True)) == 1  # not the headline's Talks
    assert len(keyword_in_context(sentences, r"\bsaid\b", regex=True)) == 2
    assert keyword_in_context(sentences, "  ").columns.tolist() == explore.KWIC_COLUMNS
    assert keyword_in_context(sentences, "(").empty  # typed text is not a regular expression


def test_kwic_accepts_articles_and_spans(corpus, tables):
    articles, sentences, mentions, _ = tables
    assert keyword_in_context(articles, "Kabul").equals(keyword_in_context(sentences, "Kabul"))
    lines = keyword_in_context(sentences, mentions)
    assert lines["match"].tolist() == mentions["text"].tolist()
    assert {"entity", "kind", "party"} <= set(lines.columns)
    assert lines.iloc[1]["left"].endswith("The ") and lines.iloc[1]["right"].startswith(" said")
    # a span outside every sentence (the dateline) keeps its row, with its line as context
    text = articles.iloc[0]["text"]
    start, end = span(text, "KABUL")
    dateline = pd.DataFrame({"article": ["001_test"], "start": [start], "end": [end]})
    alone = keyword_in_context(sentences, dateline)
    assert alone.iloc[0]["sentence"] == -1 and alone.iloc[0]["left"] == ""
    with_line = keyword_in_context(sentences, dateline, articles=articles)
    assert with_line.iloc[0]["match"] == "KABUL"
    assert with_line.iloc[0]["right"].startswith(" (AP) --")


@pytest.mark.parametrize(
    "evidence, words",
    [
        ("unsuccessful:-0.50; embarrassed:-0.60", ["unsuccessful", "embarrassed"]),
        ("unsuccessful:-0.50;embarrassed:-0.60;", ["unsuccessful", "embarrassed"]),
        ("not good=-0.3 | fail (-0.2)", ["not good", "fail"]),
        ("'hasty': -0.5, cautious: 0.1", ["hasty", "cautious"]),
        ("worsened -0.4\nties", ["worsened", "ties"]),
        (["useful", "useful"], ["useful"]),
        ("", []),
        (None, []),
        (float("nan"), []),
        ("0.5; -1", []),
    ],
)
def test_parse_evidence_is_lenient(evidence, words):
    assert parse_evidence(evidence) == words


def test_mark_words_marks_whole_words_and_escapes_html():
    out = mark_words(
        "Unsuccessful <talks> & unsuccessfully not  good", ["unsuccessful", "not good"]
    )
    assert out.count("<mark") == 2
    assert ">Unsuccessful</mark>" in out and ">not  good</mark>" in out
    assert "&lt;talks&gt; &amp; unsuccessfully" in out  # escaped, and no partial-word mark
    assert mark_words("a < b", []) == "a &lt; b"


def test_mark_words_colours_evidence_by_the_sign_of_its_score():
    weights = parse_evidence("unsuccessful:-0.50; useful:+0.40; talks", weights=True)
    assert weights == {"unsuccessful": -0.5, "useful": 0.4, "talks": None}
    out = mark_words("useful talks, unsuccessful envoy", weights)
    useful, talks, unsuccessful = out.split("<mark")[1:]
    assert explore._POSITIVE in useful and 'title="+0.40"' in useful
    assert explore._NEGATIVE in unsuccessful and 'title="-0.50"' in unsuccessful
    assert "title" not in talks and explore._POSITIVE not in talks


def test_static_fallback_returns_tables(tables, monkeypatch):
    articles, sentences, mentions, scores = tables
    monkeypatch.setenv(explore.HEADLESS_VARIABLE, "1")
    assert not explore.use_widgets()
    parties = explore_parties(mentions, sentences, scores)
    assert isinstance(parties, pd.DataFrame)
    assert parties.columns[:6].tolist() == [
        "party",
        "article",
        "sentence",
        "left",
        "match",
        "right",
    ]
    pakistan = explore_parties(mentions, sentences, scores, value="Pakistan")
    assert pakistan["match"].tolist() == ["Pakistan", "Islamabad"]
    assert pakistan["evidence"].tolist() == ["unsuccessful:-0.50", "embarrassed:-0.60"]
    assert set(pakistan["method"]) == {"lexicon"}  # the first method, unless one is chosen
    vader = explore_parties(mentions, sentences, scores, value="Pakistan", method="vader")
    assert vader["score"].tolist()[0] == -0.3 and pd.isna(vader["score"].tolist()[1])
    unnamed = explore_parties(mentions, sentences, value=newslens.style.NO_PARTY)
    assert unnamed["match"].tolist() == ["Kabul"] and "score" not in unnamed.columns
    by_entity = explore_parties(mentions, sentences, by="entity", value="Islamabad")
    assert by_entity.columns[0] == "entity" and len(by_entity) == 1
    words = explore_concordance(articles, "said")
    assert isinstance(words, pd.DataFrame) and len(words) == 2


def test_use_widgets_follows_the_kernel_and_the_headless_variable(corpus, monkeypatch):
    import IPython
    import ipywidgets

    _, sentences = corpus
    monkeypatch.delenv(explore.HEADLESS_VARIABLE, raising=False)
    assert not explore.use_widgets()  # pytest runs no IPython kernel

    class Shell:
        kernel = object()  # what a notebook's kernel looks like

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    assert explore.use_widgets()
    assert isinstance(explore_concordance(sentences, "said"), ipywidgets.VBox)
    for value, widgets in [("1", False), ("true", False), ("0", True), ("", True)]:
        monkeypatch.setenv(explore.HEADLESS_VARIABLE, value)
        assert explore.use_widgets() is widgets, value
    monkeypatch.setenv(explore.HEADLESS_VARIABLE, "1")
    assert isinstance(explore_concordance(sentences, "said"), pd.DataFrame)


def test_party_picker_shows_marked_evidence_and_follows_the_dropdown(tables):
    _, sentences, mentions, scores = tables
    box = explore_parties(mentions, sentences, scores, interactive=True)
    # most mentioned first: Pakistan (2), Taliban (1); mentions of no party come last
    assert [v for _, v in box.picker.options] == ["Pakistan", "Taliban", "(no party)"]
    assert box.picker.options[0][0] == "Pakistan (2)"
    first = box.view.value
    assert "2 mentions in 1 article" in first
    assert ">unsuccessful</mark>" in first and ">embarrassed</mark>" in first
    assert "useful</mark>" not in first
    box.picker.value = "Taliban"
    assert box.view.value != first
    assert ">useful</mark>" in box.view.value and "unsuccessful</mark>" not in box.view.value
    assert newslens.style.party_colour("Taliban") in box.view.value
    box.picker.value = "Pakistan"
    box.methods.value = "vader"  # another method, other evidence
    assert ">left</mark>" in box.view.value and "unsuccessful</mark>" not in box.view.value


def test_pickers_on_empty_tables(corpus, tables, attributions):
    _, sentences, mentions, scores = tables
    assert "No mentions" in explore_parties(mentions[:0], sentences, interactive=True).view.value
    assert (
        "No attributions"
        in explore_sources(attributions[:0], sentences, interactive=True).view.value
    )
    assert explore_parties(mentions[:0], sentences, scores[:0], interactive=False).empty
    no_method = scores.drop(columns="method")[:1]  # one method, unnamed
    table = explore_parties(mentions, sentences, no_method, interactive=False, value="Pakistan")
    assert "method" not in table.columns and table["score"].tolist()[0] == -0.5


def test_party_picker_without_scores(tables):
    _, sentences, mentions, _ = tables
    box = explore_parties(mentions, sentences, interactive=True, value="Taliban")
    assert box.methods is None and box.picker.value == "Taliban"
    assert "<mark" not in box.view.value and ">Taliban</td>" in box.view.value


@pytest.fixture
def attributions(corpus):
    articles, sentences = corpus
    text = articles.iloc[0]["text"]
    rows = []
    for cue, nth, source, kind, content in [
        ("said", 0, "The Taliban", "organisation", "the talks were useful"),
        ("said", 1, "officials", "anonymous", "the talks were useful"),
        ("reported", 0, "Dawn", "media", "Ministers in Islamabad were embarrassed"),
    ]:
        cue_start, cue_end = span(text, cue, nth)
        source_start, source_end = span(text, source)
        number = sentences[(sentences.start <= cue_start) & (cue_start < sentences.end)]
        rows.append(
            ("001_test", number.sentence.iloc[0], cue, cue_start, cue_end, source)
            + (source_start, source_end, kind, "neutral", content)
        )
    columns = "article sentence cue cue_start cue_end source source_start source_end"
    columns += " source_kind stance content"
    return pd.DataFrame(rows, columns=columns.split())


def test_source_picker_marks_source_cue_and_content(corpus, attributions):
    _, sentences = corpus
    table = explore_sources(attributions, sentences, interactive=False)
    assert table["source"].tolist() == ["Dawn", "The Taliban", "officials"]
    assert table.iloc[0]["text"] == "Ministers in Islamabad were embarrassed, Dawn reported."
    box = explore_sources(attributions, sentences, interactive=True, value="Dawn")
    first = box.view.value
    assert "<b>Dawn</b>" in first and ">reported</mark>" in first
    assert ">Ministers in Islamabad were embarrassed</i>" in first
    box.picker.value = "officials"
    assert box.view.value != first and "<b>officials</b>" in box.view.value
    assert ">said</mark>." in box.view.value and "(anonymous)" in box.view.value


def test_source_picker_shows_every_sentence_an_attribution_spans(corpus, attributions):
    articles, sentences = corpus
    text = articles.iloc[0]["text"]
    row = attributions.iloc[[1]].copy()  # "officials said", its content now from sentence 1 on
    start, _ = span(text, "Pakistan's envoy")
    _, end = span(text, "were useful")
    row["content_start"], row["content_end"], row["party"] = start, end, "Pakistan"
    row["content"] = text[start:end]
    table = explore_sources(row, sentences, interactive=False)
    assert table.iloc[0]["sentence"] == 2  # the cue's sentence
    assert table.iloc[0]["text"].startswith("Pakistan's envoy left Kabul unsuccessful")
    assert table.iloc[0]["text"].endswith("officials said.")
    box = explore_sources(row, sentences, interactive=True)
    assert f">{html.escape(text[start:end])}</i>" in box.view.value
    assert newslens.style.party_colour("Pakistan") in box.view.value  # the source's party


def test_source_picker_survives_missing_offsets(corpus, attributions):
    _, sentences = corpus
    broken = attributions.copy()
    broken.loc[0, ["source_start", "source_end", "source"]] = [None, None, None]
    broken.loc[1, "sentence"] = None
    table = explore_sources(broken, sentences, interactive=False)
    assert table["source"].tolist()[-1] == "(no source)"  # listed last
    assert table.loc[table.source == "officials", "sentence"].tolist() == [2]  # from the cue


def test_concordance_box_follows_what_is_typed(corpus):
    articles, sentences = corpus
    box = explore_concordance(sentences, "", interactive=True)
    assert "Type a word" in box.view.value
    box.picker.value = "said"
    assert "“said”: 2 lines in 1 article" in box.view.value
    assert box.view.value.count("<tr><td") == 2  # one row per line
    box.picker.value = "nowhere"
    assert "No lines" in box.view.value
