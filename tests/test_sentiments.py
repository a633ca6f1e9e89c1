"""Tests for newslens.sentiments: signs, negation, evidence, tables, and the seed article."""

import random

import pandas as pd
import pytest

from newslens import find_sentences, load_articles
from newslens.entities import find_mentions
from newslens.parties import load_parties
from newslens.paths import PROJECT_ROOT
from newslens.sentiments import (
    EVIDENCE_COLUMNS,
    SCORE_COLUMNS,
    SUMMARY_COLUMNS,
    TRACE_COLUMNS,
    count_evidence,
    find_quotes,
    score_parties,
    score_sentence,
    score_target,
    summarise_parties,
    trace_parties,
)

SEED = PROJECT_ROOT / "seeds"

# A careful reading of the seed, written before looking at the scorer's output: for each
# (sentence, party) pair, how the sentence treats the party (-1 negative, 0 neutral, +1 positive).
# Sentences are named by their first words so that the table does not hang on sentence numbers.
CAREFUL_READING = [
    ("Despite recent diplomatic efforts, Pakistan-Taliban", "Pakistan", 0),
    ("Despite recent diplomatic efforts, Pakistan-Taliban", "Taliban", 0),
    ("Despite recent diplomatic efforts, the relationship", "Pakistan", -1),  # internal crises
    ("Despite recent diplomatic efforts, the relationship", "Taliban", 0),
    ("Pakistan is currently grappling", "Pakistan", -1),
    ("Pakistan is currently grappling", "Taliban", 0),  # cautious, monitoring
    ("Pakistan's recent diplomatic efforts", "Pakistan", -1),  # unsuccessful
    ("On February 22", "Pakistan", 0),
    ("On February 22", "Taliban", 0),
    ("The delegation's purpose", "Taliban", 0),  # Baradar, met with
    ("The high-level meeting occurred", "TTP", -1),  # violence by the TTP
    ("The high-level meeting occurred", "Pakistan", 0),  # only a place
    ("The meeting reportedly ended", "Taliban", 0),  # refused, but agreed
    ("The meeting reportedly ended", "TTP", -1),  # a problem to address
    ("The delegation from Pakistan", "Pakistan", -1),  # left embarrassed
    ("The delegation from Pakistan", "Taliban", 0),
    ("The delegation from Pakistan", "TTP", -1),
    ("Furthermore, the Taliban side urged", "Taliban", 0),
    ("Furthermore, the Taliban side urged", "Pakistan", -1),  # detains Afghans
    ("The delegation talks included", "TTP", -1),  # terrorists
    ("The delegation talks included", "ISKP", -1),
    ("With the growing mistrust", "Pakistan", -1),  # mistrust, allegations
    ("With the growing mistrust", "ISKP", -1),  # supporting it is an allegation
    ("With the growing mistrust", "Taliban", 0),
    ("With the growing mistrust", "TTP", 0),  # peaceful negotiations
    ("Furthermore, Islamabad has been unsuccessful", "Pakistan", -1),
    ("Furthermore, Islamabad has been unsuccessful", "Taliban", 0),
    ("Ongoing tensions over the TTP issue", "TTP", -1),
    ("Given the circumstances", "Taliban", 0),
    ("Given the circumstances", "Pakistan", -1),  # its interests will not be served
]


@pytest.fixture(scope="module")
def seed():
    articles = load_articles(SEED)
    sentences = find_sentences(articles)
    mentions = find_mentions(articles, sentences, load_parties(SEED / "parties.csv"))
    return articles, sentences, mentions, score_parties(articles, sentences, mentions)


def span(text: str, target: str) -> tuple[int, int]:
    start = text.index(target)
    return start, start + len(target)


# --- the target method on sentences written for these tests ------------------------------------


def test_negative_and_positive_targets():
    bad = "The senator was widely criticised for the corruption scandal that ruined his career."
    good = "Voters praised the mayor, who has successfully rebuilt the city's schools."
    assert score_target(bad, *span(bad, "The senator")).score < 0
    assert score_target(bad, *span(bad, "The senator")).label == -1
    assert score_target(good, *span(good, "the mayor")).score > 0
    assert score_target(good, *span(good, "the mayor")).label == 1


def test_score_lies_in_range_and_neutral_sentence():
    text = "The minister travelled to Geneva on Tuesday for the meeting."
    result = score_target(text, *span(text, "The minister"))
    assert -1 <= result.score <= 1
    assert result.label == 0


def test_negation_flips_the_driving_word():
    plain = "Smith was successful in the talks."
    negated = "Smith was not successful in the talks."
    assert (
        score_target(plain, *span(plain, "Smith")).score
        > score_target(negated, *span(negated, "Smith")).score
    )
    assert "successful:-" in score_target(negated, *span(negated, "Smith")).evidence


def test_evidence_lists_the_driving_word():
    text = "The company's efforts to win the contract have been unsuccessful."
    result = score_target(text, *span(text, "The company"))
    assert result.score < 0
    assert "unsuccessful:-" in result.evidence


def test_two_targets_in_one_sentence_can_differ():
    text = "Jones praised the hospital staff but condemned the governor for corruption."
    staff = score_target(text, *span(text, "the hospital staff"))
    governor = score_target(text, *span(text, "the governor"))
    assert staff.score > governor.score


def test_words_in_another_targets_clause_count_less():
    text = "The council is mired in a corruption scandal, and the mayor is watching the talks."
    mayor = span(text, "the mayor")
    alone = score_target(text, *mayor)
    beside = score_target(text, *mayor, others=[span(text, "The council")])
    assert beside.score > alone.score
    council = score_target(text, *span(text, "The council"), others=[mayor])
    assert council.score < beside.score


def test_unlikely_to_serve_turns_round_for_the_one_served():
    text = "The rebels are unlikely to support the government's reforms."
    served = score_target(text, *span(text, "the government"), others=[span(text, "The rebels")])
    assert served.score < 0


def test_sentence_bounds_limit_the_words_looked_at():
    text = "Brown won the award. Critics called the decision a disgrace."
    start, end = span(text, "Brown")
    alone = score_target(text, start, end, 0, text.index(" Critics"))
    assert "disgrace" not in alone.evidence


# --- the sentence-level baselines ----------------------------------------------------------------


def test_sentence_methods_and_thresholds():
    happy = score_sentence("It was a wonderful, happy day.", "vader-sentence")
    assert happy.score > 0.05 and happy.label == 1 and "wonderful" in happy.evidence
    sad = score_sentence("It was a terrible, sad day.", "textblob-sentence")
    assert sad.score < -0.05 and sad.label == -1 and "terrible" in sad.evidence
    with pytest.raises(ValueError, match="textblob-sentence"):
        score_sentence("Anything.", "bert")


def test_find_quotes():
    text = 'He said "we will win" and “they will lose'
    quotes = find_quotes(text)
    assert [text[s:e] for s, e in quotes] == ['"we will win"', "“they will lose"]


def test_find_quotes_shortcut_gives_the_patterns_spans():
    # find_quotes returns at once when str.find sees no quotation mark: the same spans as the
    # pattern's, also for offsets out of range (negative ones are not taken).
    import random
    import re

    def plain(text, start, end):
        spans, opened = [], None
        for match in re.finditer('["“”]', text[: max(end, 0)]):
            i, ch = match.start(), match.group()
            if i < max(start, 0):
                continue
            if ch == "“" or (ch == '"' and opened is None):
                opened = i if opened is None else opened
            elif opened is not None:
                spans.append((opened, i + 1))
                opened = None
        return spans + [(opened, end)] * (opened is not None)

    rng = random.Random(0)
    for _ in range(2000):
        text = "".join(rng.choice('ab "“”’\n') for _ in range(rng.randrange(12)))
        start, end = rng.randrange(-3, 14), rng.randrange(-3, 14)
        assert find_quotes(text, start, end) == plain(text, start, end)
        assert find_quotes(text, start) == plain(text, start, len(text))


# --- tables --------------------------------------------------------------------------------------


def test_score_parties_columns_and_rows(seed):
    _, sentences, mentions, scores = seed
    assert list(scores.columns) == SCORE_COLUMNS
    pairs = mentions.loc[
        mentions["party"] != "", ["article", "sentence", "party"]
    ].drop_duplicates()
    assert len(scores) == 3 * len(pairs)
    assert scores["score"].between(-1, 1).all()
    assert set(scores["label"]) <= {-1, 0, 1}
    sentence_scores = scores[scores["method"] != "target"]
    per_sentence = sentence_scores.groupby(["article", "sentence", "method"])["score"].nunique()
    assert (per_sentence == 1).all()  # the baselines give every party the same sentence score


def test_score_parties_rows_are_the_scorers_results(seed):
    # score_parties builds its table column by column and scores each sentence once for the
    # sentence methods: every row must still be what the scorers give for it.
    articles, sentences, mentions, scores = seed
    text = articles["text"].iloc[0]
    bounds = {s: (a, b) for s, a, b in sentences[["sentence", "start", "end"]].itertuples(False)}
    checked = 0
    for row in scores.itertuples(index=False):
        s0, s1 = bounds[row.sentence]
        here = mentions[(mentions["sentence"] == row.sentence) & (mentions["party"] != "")]
        own = here[here["party"] == row.party]
        assert row.mentions == len(own)
        if row.method != "target":
            expected = score_sentence(text[s0:s1], row.method)
        elif len(own) == 1:
            others = [
                (a, b) for a, b, p in here[["start", "end", "party"]].values if p != row.party
            ]
            expected = score_target(text, own["start"].iloc[0], own["end"].iloc[0], s0, s1, others)
        else:
            continue
        assert (row.score, row.label, row.evidence) == tuple(expected)
        checked += 1
    assert checked > 60
    # Methods in the order asked for, each party's rows together; no mentions: no rows.
    two = score_parties(articles, sentences, mentions, methods=("vader-sentence", "target"))
    assert list(two["method"][:4]) == ["vader-sentence", "target"] * 2
    empty = score_parties(articles, sentences, mentions.iloc[:0])
    assert list(empty.columns) == SCORE_COLUMNS and empty.empty
    assert list(empty.dtypes) == list(scores.dtypes)


def test_quoted_mentions_are_marked():
    text = 'Lee said "Acme cheated us badly." Acme denied it.'
    articles = pd.DataFrame({"article": ["x"], "text": [text]})
    first_end = text.index("Acme denied") - 1
    sentences = pd.DataFrame(
        {
            "article": ["x", "x"],
            "sentence": [1, 2],
            "start": [0, first_end + 1],
            "end": [first_end, len(text)],
            "text": ["", ""],
        }  # fmt: skip
    )
    a1, a2 = text.index("Acme"), text.index("Acme denied")
    mentions = pd.DataFrame(
        {
            "article": ["x", "x", "x"],
            "sentence": [1, 2, 2],
            "start": [a1, a2, 0],
            "end": [a1 + 4, a2 + 4, 3],
            "party": ["Acme", "Acme", ""],
        }  # fmt: skip
    )
    scores = score_parties(articles, sentences, mentions, methods=("target",))
    assert scores["quoted"].tolist() == [True, False]
    assert scores["mentions"].tolist() == [1, 1]


def test_score_parties_sorts_articles_as_text():
    # Rows come by (article as text, sentence, party): sorted on the keys themselves when every
    # article is a str, by their text otherwise (article 10 before article 9).
    text = "Acme won. Bolt lost to Acme."
    for ids in (["b", "a"], [10, 9]):
        articles = pd.DataFrame({"article": ids, "text": [text, text]})
        sentences = pd.DataFrame(
            {
                "article": ids * 2,
                "sentence": [1, 1, 2, 2],
                "start": [0, 0, 10, 10],
                "end": [9, 9, len(text), len(text)],
                "text": [""] * 4,
            }
        )
        mentions = pd.DataFrame(
            {
                "article": [ids[0], ids[0], ids[1], ids[0]],
                "sentence": [2, 2, 1, 1],
                "start": [24, 10, 0, 0],
                "end": [28, 14, 4, 4],
                "party": ["Acme", "Bolt", "Acme", "Acme"],
            }
        )
        scores = score_parties(articles, sentences, mentions, methods=("target",))
        keys = list(zip(scores["article"], scores["sentence"], scores["party"], strict=True))
        assert keys == sorted(keys, key=lambda k: (str(k[0]), *k[1:]))
        assert len(keys) == 4


def test_summarise_parties(seed):
    *_, scores = seed
    summary = summarise_parties(scores)
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert (summary["low"] <= summary["mean"]).all() and (summary["mean"] <= summary["high"]).all()
    assert summary.equals(summarise_parties(scores))  # fixed seed: same interval on a rerun


# --- the seed checks -----------------------------------------------------------------------------


def target_means(scores: pd.DataFrame) -> dict[str, float]:
    return scores[scores["method"] == "target"].groupby("party")["score"].mean().to_dict()


def test_seed_party_means(seed):
    *_, scores = seed
    means = target_means(scores)
    assert means["Pakistan"] < 0
    assert means["Pakistan"] < means["Taliban"] - 0.03  # by a margin, not by a rounding
    assert means["TTP"] < 0
    assert means["ISKP"] < 0


def agreement(scores: pd.DataFrame, sentences: pd.DataFrame, method: str) -> int:
    rows = scores[scores["method"] == method].merge(sentences, on=["article", "sentence"])
    agree = 0
    for prefix, party, label in CAREFUL_READING:
        row = rows[rows["text"].str.startswith(prefix) & (rows["party"] == party)]
        assert len(row) == 1, (prefix, party)
        agree += int(row["label"].iloc[0] == label)
    return agree


def test_seed_target_method_reads_better_than_the_sentence_methods(seed):
    _, sentences, _, scores = seed
    target = agreement(scores, sentences, "target")
    assert target > agreement(scores, sentences, "vader-sentence") + 5
    assert target > agreement(scores, sentences, "textblob-sentence") + 5


def test_seed_labels_agree_with_a_careful_reading(seed):
    _, sentences, _, scores = seed
    agree = agreement(scores, sentences, "target")
    assert agree / len(CAREFUL_READING) >= 0.75, f"{agree}/{len(CAREFUL_READING)}"


def test_sentence_baselines_match_the_libraries():
    from textblob import TextBlob
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    text = "The plan was not very good, but the talks were a wonderful success."
    blob = score_sentence(text, "textblob-sentence")
    assert blob.score == round(TextBlob(text).sentiment.polarity, 4)
    # The fast path gives TextBlob's exact polarity on every sentence of the seed, too.
    from newslens.sentiments import _textblob_polarity

    seed = load_articles(SEED)
    for sentence in find_sentences(seed)["text"]:
        assert _textblob_polarity(sentence)[0] == TextBlob(sentence).sentiment.polarity
    vader = score_sentence(text, "vader-sentence")
    assert vader.score == round(SentimentIntensityAnalyzer().polarity_scores(text)["compound"], 4)


def test_count_evidence_and_trace_parties(seed):
    _, sentences, _, scores = seed
    target = scores[scores["method"] == "target"]
    evidence = count_evidence(target, top=3, function_words=False)
    assert list(evidence.columns) == EVIDENCE_COLUMNS
    assert evidence.groupby("party").size().max() <= 3
    assert "the" not in set(evidence["word"])
    pakistan = evidence[evidence["party"] == "Pakistan"]
    assert pakistan["weight"].iloc[0] < 0  # its strongest word pulls it down
    trace = trace_parties(target, sentences)
    assert list(trace.columns) == TRACE_COLUMNS
    assert trace["n"].sum() == len(target)
    tenths = trace_parties(target, sentences, bins=10)
    assert tenths["position"].between(0, 9).all()


# --- the fast paths give the same numbers as the slow ones --------------------------------------

# Sentences written for these tests, to reach the corners of TextBlob's and VADER's tokenizers:
# negations, contractions (straight and curly), hyphenated and multiword lexicon entries,
# emoticons (whole, spaced out, after a colon), emoji, capitals, "!", "?", sarcasm "(!)", digits,
# non-ASCII letters, line breaks, and sentences with no sentiment word at all.
CORNERS = [
    "",
    "   ",
    "The committee met on Tuesday in Geneva.",
    "The minister said: China will respond on 12 March.",
    "Officials said: c, d and e were on the list.",
    "The plan was not bad, but the talks were a wonderful success!",
    "It isn't good and it won't be good; they don't care, can't care.",
    "It isn’t good, and they don’t care about the “reform”.",
    "A well-known, light-hearted and open-minded man, in good taste, used to smile.",
    "The 13th report was top-notch and risk-free.",
    "Great news :) for the team, sad news :-( for the rest.",
    "Spaced out : ) and xD and :c, and box D too.",
    "Party time 😀 and thumbs up 👍 for the mayor ❤",
    "This is TERRIBLE, says the GREAT leader!!!",
    "Really? Are you sure?? Absolutely???",
    "What a plan (!) from the council ( ! )",
    "No problem at all, at least not for the kind of people who never lose.",
    "The café in İstanbul was nice; the naïve KELVIN sign K is odd.",
    "First paragraph ends here.\n\nSecond paragraph is awful.",
    "A line\r\nbreak and a happy ending",
    "without doubt the best, never so bad, the shit hit the fan",
    "kind of good, sort of bad, yeah right",
    "(no) good and 'bad' and \"ugly\" and -fine- and [nice]",
    "Arrested, killed, wounded: the attack left 12 dead and hundreds injured.",
]


def test_sentence_shortcuts_give_the_libraries_scores():
    from textblob.en import sentiment
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from newslens.sentiments import _textblob_polarity, _vader_compound

    vader = SentimentIntensityAnalyzer()
    for text in CORNERS:
        result = sentiment(text)
        # repr: the same floats to the last bit, and 0.0 not -0.0
        assert repr(_textblob_polarity(text)) == repr((float(result[0]), result.assessments))
        assert repr(_vader_compound(text)) == repr(float(vader.polarity_scores(text)["compound"]))


# TextBlob's tokenizer and assessments, corner by corner: each sentence is scored by
# ``_textblob_polarity`` (its own tokens and arithmetic, or the library where it steps aside)
# and by a TextBlob, and both must agree to the last bit, assessments and evidence included.
TEXTBLOB_CORNERS = [
    "",
    " ",
    "good",
    "not good",
    "Not good at all.",
    "not a good idea",  # a one-letter word keeps the negation
    "not the good one",  # a longer one ends it
    "no good deed, never a bad one, not ' good",
    "never very bad",
    "never, very bad",
    "It isn't good, they don't care, we can't and won't.",
    "It isn’t good and they don’t care.",
    "I'd say it's good, you're great, we've been bad, they'll see, I'm fine.",
    "the people's choice was the best",
    "very good",
    "very very good",
    "really not good",
    "really, not good",
    "truly not bad",  # "-ly" adverb not in the lexicon
    "very is good",
    "very to good",
    "extremely bad!",
    "good!",
    "good!!!",
    "!good",
    "bad ! ! and ! alone",
    "!",
    "Wow! What a great day!",
    "What a plan (!) from the council",
    "What a plan ( ! ) and a good one",
    "(!) good",
    "Great news :) for the team, sad news :-( for the rest.",
    "good :D and <3 and ♥ and ;) and :'( and :/ and >:[ and =) and o.O",
    "Spaced out : ) and : 3 and xD and XD and Xd and x-d",
    "He was born (in 1998) and it was good.",
    "Clinton (68), Trump (69) and Sanders (74) are good",
    "Poll: 3 races are tight; good",
    "good. good, good; good? good: good... good… good.) (good) [bad] {nice}",
    'It was "good." And "bad," he said.',
    "The U.S. is great. Mr. Good met Dr. Bad, e.g. a.m. great, A. great, No. 1 bad.",
    "U.S.A. is great.",
    "Good. bad. Mr. nice, Jan. great, e.g. awful; a. good x.y. bad etc. fine. Inc. good.",
    "good..bad... nice....",
    "'good' and \"bad\" and “great” and ‘nice’ and `fine` and ''awful''",
    "well-known, light-hearted, open-minded, top-notch and risk-free -good- good--bad",
    "A f*cking great idea, fucking awful.",
    "The 13th report and the 2nd one were good; 1,000 good, 3.5 bad, $5 great, 50% bad",
    "good—bad – nice - fine",
    "good\xa0idea and\u2009bad\u3000news",
    "GREAT, NOT GOOD, VERY BAD!",
    "ΟΔΟΣ ΚΑΛΟΣ good; İstanbul is nice; the naïve café",
    "in good taste, used to it, for sure, full of life",
    "good\nbad",
    "good\n\nbad",
    "good\r\nbad",
    "good\r\n\r\nbad!",
    "good\r\rbad",
    "\n\n",
    "@good #bad $great ^fine &nice *ugly +happy |sad =poor ~rich _sad_",
    "Rip-off, never bad:) and not :( good",
]


@pytest.mark.parametrize("text", TEXTBLOB_CORNERS)
def test_textblob_fast_path_gives_textblobs_scores(text):
    from textblob import TextBlob

    from newslens.sentiments import _format, _textblob_polarity

    expected = TextBlob(text).sentiment_assessments
    polarity, assessments = _textblob_polarity(text)
    assert repr(polarity) == repr(TextBlob(text).sentiment.polarity)  # the same bits
    assert repr(assessments) == repr(expected.assessments)
    evidence = _format({" ".join(w): p for w, p, _, _ in expected.assessments})
    assert score_sentence(text, "textblob-sentence").evidence == evidence


def test_textblob_fast_path_is_taken_where_it_is_sure():
    from newslens.sentiments import _textblob_blob, _textblob_tokens

    blob = _textblob_blob()
    assert _textblob_tokens("It isn't good (at all), Mr. Smith.", blob) == (
        "it is n ' t good ( at all ) , mr. smith .".split()
    )
    assert _textblob_tokens("a line\nbreak", blob) == ["a", "line", "break"]
    # where TextBlob joins tokens back together, or ends a sentence at a blank line: its own
    for text in ["good :-)", "a plan ( ! )", "born (in 1998)", "good\n\nbad", "good\r\n\r\nbad"]:
        assert _textblob_tokens(text, blob) is None


def test_textblob_scores_where_the_librarys_tokenizer_cuts_are_the_librarys():
    # Texts that _textblob_tokens leaves to the library (emoticons and "(!)" in pieces, blank
    # lines) are cut by its tokenizer and assessed by _textblob_assess, or, with a "(!)" among
    # the tokens, scored by the library itself: the same polarity and assessments as TextBlob's
    from textblob.en import sentiment

    from newslens.sentiments import _textblob_blob, _textblob_polarity, _textblob_tokens

    blob = _textblob_blob()
    pieces = [*"  :;()!83xD.\n", "\n\n", " good", " bad", " not", " very", " (!)", " : 3", " 8 )"]
    rng = random.Random(12)
    tokenized = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        result = sentiment(text)
        expected = (float(result[0]), result.assessments)
        assert repr(_textblob_polarity(text)) == repr(expected), text
        tokenized += _textblob_tokens(text, blob) is None and "(!)" not in text
    assert tokenized > 500


def test_textblob_assessments_of_random_words_are_the_librarys():
    # _textblob_assess passes over the words before the first one in the lexicon or its cues:
    # random runs of lexicon words, adverbs, negations, "!", emoticons and unknown words of
    # one, two and more letters (which keep or end what is pending), against the library's
    from textblob.en import sentiment

    from newslens.sentiments import _textblob_assess, _textblob_blob

    blob = _textblob_blob()
    pieces = "good bad very really not never no n't ! :) :( a of to the plan x lo reform".split()
    rng = random.Random(11)
    fired = 0
    for _ in range(3000):
        words = [rng.choice(pieces) for _ in range(rng.randint(0, 10))]
        expected = sentiment.assessments([(w, None) for w in words], negation=True)
        assert repr(_textblob_assess(words, blob)) == repr(expected), words
        fired += bool(expected)
    assert 1000 < fired < 2900


def test_emoticon_pattern_finds_a_match_where_textblobs_does():
    import random

    from textblob import _text

    from newslens.sentiments import _emoticon_pattern

    pattern = _emoticon_pattern(_text.EMOTICONS)
    faces = [face for group in _text.EMOTICONS.values() for face in group]
    for text in [*TEXTBLOB_CORNERS, ":o", ":o)", ": o )", ":o )x", "o.O", "o . O.", "x-D", "8 - )"]:
        assert (pattern.search(text) is None) == (_text.RE_EMOTICONS.search(text) is None)
    # random strings of the emoticons' characters, spaces and letters: matches and near misses
    alphabet = sorted(set("".join(faces))) + [" ", " ", "\n", "a", "."]
    rng = random.Random(7)
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        expected = _text.RE_EMOTICONS.search(text) is not None
        assert (pattern.search(text) is not None) == expected, text
        found += expected
    assert 1000 < found < 19000
    # with the sarcasm mark as one more alternative: a match where either pattern finds one
    both = _emoticon_pattern(_text.EMOTICONS, _text.RE_SARCASM.pattern)
    alphabet += ["(", "!", ")", " "]
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 8)))
        expected = _text.RE_EMOTICONS.search(text) or _text.RE_SARCASM.search(text)
        assert (both.search(text) is not None) == (expected is not None), text


def test_parse_lowercases_each_word_as_alone():
    # _parse lowercases the words joined by spaces, in one call: the same as one by one, with
    # final sigmas, dotted capitals and curly apostrophes.
    from newslens.sentiments import _parse
    from newslens.tokenizers import split_words

    for sentence in ["ΟΔΟΣ ΣΑΣ, Σ.Σ και ΑΣ’s", "İSTANBUL’S İ. Dİ x", "THE U.S. AND ’EM’", ""]:
        words = [w.lower().replace("’", "'") for _, _, w in split_words(sentence)]
        assert _parse(sentence)[0] == words


def test_format_gives_the_format_specs_text():
    # _format writes its weights with "%+.2f": the same text as the format spec "+.2f".
    import random

    from newslens.sentiments import _format

    rng = random.Random(2)
    values = [0.005, 0.015, 0.125, -0.125, 2.675, -0.0, 1e300, float("inf"), float("nan")]
    values += [rng.uniform(-3, 3) for _ in range(5000)] + [
        rng.randrange(-999, 999) / 200 for _ in range(2000)
    ]
    for v in values:
        assert _format({"w": v}) == (f"w:{v:+.2f}" if abs(v) >= 0.05 else "")
    push = {f"w{i}": v for i, v in enumerate(values[9:29])}
    strongest = sorted(push.items(), key=lambda kv: (-abs(kv[1]), kv[0]))[:5]
    assert _format(push) == "; ".join(f"{w}:{v:+.2f}" for w, v in strongest)


def test_parse_gives_each_tokens_lowercase_and_offsets():
    # _parse cuts an ASCII sentence lowercased (the same tokens at the same places as cutting
    # it first), other sentences first: random texts of letters in both cases, "s" and "S"
    # next to apostrophes, dots, digits and marks.
    import random

    from newslens.sentiments import _parse
    from newslens.tokenizers import split_words

    rng = random.Random(1)
    for _ in range(3000):
        sentence = "".join(rng.choice("aAsSbU.'’-_, 09\"(İ") for _ in range(rng.randrange(16)))
        tokens = split_words(sentence)
        words = [w.lower().replace("’", "'") for _, _, w in tokens]
        starts = [s for s, _, _ in tokens]
        ends = [e for _, e, _ in tokens]
        parsed = _parse(sentence)
        assert (parsed[0], list(parsed[5]), list(parsed[6])) == (words, starts, ends)


def test_target_fast_path_gives_the_features_scores(seed):
    articles, sentences, mentions, _ = seed
    text = articles["text"].iloc[0]
    bounds = {s: (a, b) for s, a, b in sentences[["sentence", "start", "end"]].itertuples(False)}
    cases = []
    for s, group in mentions.groupby("sentence"):
        spans = list(zip(group["start"], group["end"], strict=True))
        for m in spans:
            cases.append((text, *m, *bounds[s], [o for o in spans if o != m]))
    written = [
        ("Violence by the TTP was not condemned, and Pakistan refused to improve ties.", "TTP"),
        ("The senator, who allegedly failed, was sharply criticised by nobody.", "senator"),
        ("Efforts to improve ties with Kabul have been unsuccessful, says Islamabad.", "Kabul"),
        ("Smith is not a successful, happy or honest man.", "Smith"),
        # targets that hold a negation or a clause cue: the negations are walked again
        ("They said No Party, never a good one, was not honest or fair.", "No Party, never"),
        ("Critics did not praise Smith, Jones and Co, nor their good work.", "Smith, Jones and Co"),
        ("Not the Party, not ever, was happy.", "Not the Party"),
    ]
    for sentence, target in written:
        start = sentence.index(target)
        cases.append((sentence, start, start + len(target), 0, len(sentence), []))
    assert len(cases) > 40
    _assert_target_sums_as_features(cases)


def _assert_target_sums_as_features(cases) -> int:
    """Check ``_mention_sums`` against the plain way (every feature spelt out by
    ``find_target_features``, then summed) on ``(text, start, end, s0, s1, others)`` cases;
    return how many cases had any word's push."""
    from newslens.sentiments import (
        _explain,
        _learned,
        _mention_sums,
        _probabilities,
        _softmax,
        find_target_features,
    )

    weights = _learned()[0]
    fired = 0
    for text, start, end, s0, s1, others in cases:
        features = find_target_features(text, start, end, s0, s1, others)
        neg, pos, push = _mention_sums(text, start, end, s0, s1, others)
        assert _softmax(neg, pos) == _probabilities(features), (text, start, end)
        assert push == dict(_explain(features, weights)), (text, start, end)
        fired += bool(push)
    return fired


# Sentences of a few words for each of VADER's rules, to hold the re-implementation of its
# compound score (``_vader_compound``) to the library's float, to the last bit.
VADER_CORNERS = [
    *("", "   ", "\t\n", "good", "GOOD", "Good.", "no", "No.", "(no)", "but", "so good"),
    # negations, one to three words before, contractions straight and curly
    "It is not good.",
    "It isn't bad.",
    "It isn’t bad, they don’t care.",
    "He doesnt care and cant win, aint it sad",
    "They do n't like it, mayn't love it.",
    "They did not really like it, rarely happy, seldom glad.",
    "Nothing good, none better, nowhere worse, despite the joy.",
    "It is not, sadly, good.",
    "We can't stand it.",
    # "never so" / "never this" and "without doubt"
    "It was never so good.",
    "It was never this good.",
    "It was this good.",
    "Never so much good",
    "It was without doubt the best.",
    "Without a doubt, an excellent idea.",
    "without any doubt good",
    # boosters and dampeners, one to three words before, in capitals or not
    "He was very good.",
    "He was extremely bad.",
    "It was VERY good, they said.",
    "It was very, very, very bad.",
    "Hardly good, barely fine, slightly bad, somewhat sad.",
    "He is uber cool and friggin funny.",
    "more death, most harm, less hope",
    # capitals: some words in capitals, or all of them
    "It was GREAT, they said.",
    "The TERRIBLE and HORRIBLE plan",
    "THE PLAN IS TERRIBLE",
    "GREAT GOOD",
    "NO GOOD news",
    # "!" and "?"
    "It is GREAT!!!",
    "Good!!!!!!",
    "Is it good??",
    "Is it bad???",
    "Is it good????",
    "Is it bad?",
    "Bad!? Good?!",
    # "but": before and after it halve and grow; the library's list.index quirk
    "It was good, but the talks failed.",
    "But it was good.",
    "It was good but but bad",
    "Voters applaud, but he was acquitted.",
    "Voters applaud, BUT they applaud.",
    # "kind of", "sort of", "just enough", "least"
    "It was kind of good.",
    "kind of good",
    "It was only kind of a mess.",
    "The result was sort of bad.",
    "The film was just enough fun.",
    "It is one of the least compelling plans.",
    "It is at least compelling.",
    "At the very least compelling.",
    "least good",
    # idioms
    "The show was the bomb.",
    "That show was the shit!",
    "He is such a bad ass.",
    "It was a kiss of death for the plan.",
    "The cake is to die for.",
    "Yeah right, as if that was good.",
    "They waited at the bus stop in the rain.",
    "a beating heart",
    # "no": on its own, before a lexicon word, one to three words before, "no ... or / nor"
    "No problem.",
    "There is no good answer.",
    "no, good",
    "(no) good",
    "There was no war, no hate and no fear.",
    "No good or bad news",
    "no news or nor good",
    "no no no good",
    "not no good",
    "No, no, it is good",
    # punctuation next to words, short tokens, emoticons, emoji, other scripts and spaces
    "“Good” and ‘bad’, (great) [nice] -fine- 'ugly'",
    "Good… bad—worse; a-b good-bad well-known",
    "Great :) and sad :( faces, :-D and :D and XD, <3 love, lol'd, LOL",
    "Party time 😀 and thumbs up 👍",
    "The café was nice and the naïve man happy.",
    "İSTANBUL IS GREAT, said the KELVIN K",
    "ΣΟΦΟΣ good",
    "good\u00a0bad\u2003nice\x1cfine",
]


def test_vader_compound_gives_the_librarys_score_on_each_rule():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from newslens.sentiments import _vader_compound

    vader = SentimentIntensityAnalyzer()
    for text in VADER_CORNERS:
        expected = float(vader.polarity_scores(text)["compound"])
        assert repr(_vader_compound(text)) == repr(expected), text  # the same bits, not -0.0
    # the sentences reach the rules
    assert _vader_compound("It is not good.") < 0 < _vader_compound("It is good.")
    assert _vader_compound("It was GREAT, they said.") > _vader_compound("It was great, they said.")
    # the library scales the first equal value where a later one stands: 0.5423 otherwise
    assert _vader_compound("Voters applaud, but he was acquitted.") == 0.3612


def test_vader_compound_gives_the_librarys_score_on_random_rule_words():
    import random

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from newslens.sentiments import _vader_compound

    words = """no not isn't n't mayn't don’t never without doubt so this very extremely slightly
        kind of sort least at but or nor the bomb bad ass to die for just enough good great happy
        war hate love fine :) ok a we talks failed""".split()
    marks = ["", "", "", ",", ".", "!", "?", "(", ")", '"', "'", "..."]
    rng = random.Random(0)
    vader = SentimentIntensityAnalyzer()
    for _ in range(2000):
        text = " ".join(
            rng.choice(marks) + word + rng.choice(marks)
            for word in (rng.choice(words) for _ in range(rng.randint(1, 10)))
        )
        text = text.upper() if rng.random() < 0.1 else text
        expected = float(vader.polarity_scores(text)["compound"])
        assert repr(_vader_compound(text)) == repr(expected), text


def _assert_vader_evidence_as_pattern(texts):
    """``_vader_evidence`` lists the VADER lexicon words that ``_WORDS`` finds in each text."""
    from newslens.sentiments import _WORDS, _format, _vader_evidence, _vader_lexicon

    lexicon = _vader_lexicon()
    for text in texts:
        words = [word.lower().replace("’", "'") for word in _WORDS.findall(text)]
        expected = _format({w: lexicon[w] / 4 for w in words if w in lexicon})
        assert _vader_evidence(text) == expected, text


def _random_texts(pieces, seed, count, longest):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(0, longest)))


def test_vader_evidence_lists_the_lexicon_words():
    from newslens.sentiments import _vader_evidence

    _assert_vader_evidence_as_pattern([*VADER_CORNERS, *CORNERS])
    assert _vader_evidence("It isn’t bad, they don’t care.") == "bad:-0.62; care:+0.55"


def test_vader_evidence_finds_the_words_of_non_ascii_text():
    # _vader_evidence makes non-ASCII text ASCII before finding its words ("’" as "'", other
    # characters as "?"): the same words as the pattern over the text itself.
    pieces = [
        *"aZ'’- .,!?\"“”—–é\xa0İΣ",
        "good",
        "BAD",
        "don’t",
        "café",
        "naïve",
        "nice’s",
        "—well",
    ]
    _assert_vader_evidence_as_pattern(_random_texts(pieces, 0, 3000, 10))


def test_vader_evidence_words_start_at_a_letter():
    # _vader_evidence finds the words as runs of letters, "'" and "-" less their leading marks:
    # the same words as the pattern, also after several marks, marks alone, and at the ends.
    pieces = [*"'-’ ?.\t\né", "'-", "-'", "''", "--", "Good", "bad", "NICE", "war", "a", "ok", "z"]
    _assert_vader_evidence_as_pattern(_random_texts(pieces, 1, 5000, 12))


def test_vader_compound_gives_the_librarys_score_on_random_capitals():
    # _vader_compound splits ASCII text into pieces only when a lexicon word, upper-cased, is in
    # the text (a piece in capitals): words in capitals, capitalised or not, next to marks
    import random

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from newslens.sentiments import _vader_compound

    words = "good bad very not great ok a I u.s. war love n't isn't :) kind of".split()
    marks = ["", "", "", ",", ".", "!", "(", ")", "'", "-", "’"]
    cases = [str.lower, str.upper, str.capitalize]
    rng = random.Random(2)
    vader = SentimentIntensityAnalyzer()
    for _ in range(2000):
        text = " ".join(
            rng.choice(marks) + rng.choice(cases)(rng.choice(words)) + rng.choice(marks)
            for _ in range(rng.randint(1, 8))
        )
        expected = float(vader.polarity_scores(text)["compound"])
        assert repr(_vader_compound(text)) == repr(expected), text


def test_vader_words_are_the_librarys_tokens():
    # _vader_words strips only pieces with a character that is no letter or digit: the same
    # tokens as stripping each piece (SentiText), then lowercasing it
    import random
    import string

    from newslens.sentiments import _vader_words

    def plain(text):
        stripped = [(t, t.strip(string.punctuation)) for t in text.split()]
        return [(s if len(s) > 2 else t).lower() for t, s in stripped]

    pieces = [*"aB1 .,'-()!?:“’—é\xa0\tİΣß½", "ok", "WAR", "u.s.", "n't", ":)", "..."]
    rng = random.Random(3)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert _vader_words(text) == plain(text), text


# ---------------------------------------------------------------------------------------------
# The target scorer's shortcuts, each against the plain way


def test_word_table_gives_each_words_info():
    # _word_infos holds only the lexicons' words and the cues: every other word (None) is
    # neither an event nor active, as working its info out word by word gives.
    from newslens.sentiments import (
        _BREAK,
        _CLAUSE_MARKS,
        _NEGATION,
        _PARTICIPLE_ENDINGS,
        _cues,
        _prior_lexicon,
        _word_infos,
        _word_weights,
    )

    cues, weights, priors = _cues(), _word_weights(), _prior_lexicon()

    def plain(word):
        if word in cues["negation"]:
            event = _NEGATION
        elif word in _CLAUSE_MARKS or word in cues["breaker"]:
            event = _BREAK
        else:
            event = 0
        sides, prior = (None, None, None, None), 0.0
        if word[0].isalnum():
            sides = weights.get(word, sides)
            prior = priors.get(word) or 0.0
        active = prior != 0.0 or sides != (None, None, None, None)
        shaped = word.endswith(_PARTICIPLE_ENDINGS)
        return (event, active, shaped, *sides, prior) if event or active else None

    table = _word_infos()
    words = [*table, *weights, *priors, *set().union(*cues.values()), *_CLAUSE_MARKS]
    rng = random.Random(5)
    pieces = [*"abeinst'-.,;:()\"“”—–1é", "ed", "wn", "ught", "not", "good", "ly"]
    words += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 4))) for _ in range(5000)]
    assert sum(map(table.__contains__, words)) > 5000
    for word in words:
        assert table.get(word) == plain(word), word


def _random_targets(count, seed):
    # Random sentences of cue words, lexicon words, names and marks (some glued to the word
    # before), in a text with something before and after, each with a target span and other
    # targets' spans: on word bounds or anywhere (even between words, or over a negation).
    from newslens.sentiments import _cues, _prior_lexicon, _word_weights

    rng = random.Random(seed)
    pools = [
        sorted(set().union(*_cues().values())),
        sorted(_word_weights()),
        sorted(_prior_lexicon()),
        ["Smith", "Party", "Kabul", "the TTP", "Jones", "Co", "Élise", "U.S.", "2016"],
        [*',.;:()“”"—-', "to", "was", "criticised", "sharply", "by", "’s", "n't", "it’s"],
    ]

    def span(sentence, s0):
        a = rng.randrange(max(1, len(sentence)))
        b = rng.randint(a + 1, max(a + 1, min(len(sentence), a + 25)))
        if rng.random() < 0.6:  # from a word's start to a word's end
            a = sentence.rfind(" ", 0, a) + 1
            b = len(sentence) if sentence.find(" ", b) < 0 else sentence.find(" ", b)
        return s0 + a, s0 + b

    cases = []
    for _ in range(count):
        sentence = ""
        for _ in range(rng.randint(0, 30)):
            word = rng.choice(rng.choice(pools))
            word = rng.choice([word, word, word, word.capitalize(), word.upper()])
            sentence += ("" if not sentence or rng.random() < 0.15 else " ") + word
        before = rng.choice(["", "Intro. ", "Über “x” — "])
        text = before + sentence + rng.choice(["", " Next one."])
        s0, s1 = len(before), len(before) + len(sentence)
        others = [span(sentence, s0) for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5]))]
        cases.append((text, *span(sentence, s0), s0, s1, others))
    return cases


def test_target_fast_path_gives_the_features_scores_on_random_sentences():
    # _mention_sums (the sentence's steps walked once, the target's words left out) against
    # the plain way: every feature spelt out by find_target_features, then summed.
    assert _assert_target_sums_as_features(_random_targets(3000, seed=11)) > 2000


# ---------------------------------------------------------------------------------------------
# The sentence baselines' shortcuts


def test_vader_emoji_search_finds_every_emoji_key():
    # _vader's maybe_emoji finds a match in every text holding a one-character emoji key (those
    # the library replaces), and _vader_compound stays the library's on texts of emoji and near
    # characters (below and above U+2100, curly quotes, dashes)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from newslens.sentiments import _vader, _vader_compound

    vader = _vader()
    keys = [key for key in vader.emojis if len(key) == 1]
    assert all(vader.maybe_emoji(f"good {key}") for key in keys)
    analyzer = SentimentIntensityAnalyzer()
    pieces = [*keys[:: len(keys) // 40], *"©®‼⁉™’“—\xa0é ", "\u20ff", "\u2100", "good", "BAD"]
    for text in _random_texts(pieces, 4, 2000, 8):
        assert vader.maybe_emoji(text) or vader.emojis.keys().isdisjoint(text), text
        expected = float(analyzer.polarity_scores(text)["compound"])
        assert repr(_vader_compound(text)) == repr(expected), text


def test_textblob_sentence_without_assessments_scores_zero():
    # score_sentence returns a sentence with no assessment at once: 0.0 (rounding changes
    # nothing) and no evidence, as _format of nothing
    from newslens.sentiments import _format, _textblob_polarity

    for text in ["", "The committee met on Tuesday.", "!", "a (!) b", "x\n\ny"]:
        score, assessments = _textblob_polarity(text)
        if not assessments:
            assert repr(score) == repr(round(score, 4)) == "0.0"
            assert _format({}) == score_sentence(text, "textblob-sentence").evidence == ""
