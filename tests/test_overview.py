import random

import pandas as pd

from newslens.overview import describe_articles, describe_sentences
from newslens.tokenizers import find_sentences


def test_articles_count_the_body_sentences_and_their_words(seed_articles, seed_sentences):
    overview = describe_articles(seed_articles, describe_sentences(seed_sentences))
    assert overview.loc[0, "sentences"] == (seed_sentences["sentence"] > 0).sum() == 16
    assert overview.columns.tolist() == [
        *["article", "title", "date", "place", "country", "sentences", "words", "path"]
    ]


def test_articles_count_words_as_the_sentences_do_on_random_articles(seed_articles):
    """Without a ``words`` column, ``describe_articles`` counts each article's words at once
    (its body sentences joined): the same counts as summing ``describe_sentences``'s."""
    pieces = [
        "Smith",
        "said",
        "U.S.",
        "3.5%",
        "1,008",
        "Smith's",
        "well-known",
        "(said,)",
        '"Yes."',
    ]
    pieces += ["—", "…", "Mr.", "a", "?", "!", ".", "'", "’s", "é", "x\u00a0y", "-", "10:30", "K."]
    spaces = [" ", " ", " ", "  ", "\t", "\n", "\n\n", "\u2009"]
    rng = random.Random(0)
    rows = [seed_articles.iloc[0].to_dict()]
    for number in range(300):
        words = rng.choices(pieces, k=rng.randrange(1, 60))
        text = "".join(word + rng.choice(spaces) for word in words)
        rows.append({**rows[0], "article": f"a{number}", "text": f"Headline {number}\n\n{text}"})
    articles = pd.DataFrame(rows)
    sentences = find_sentences(articles)
    counted = describe_articles(articles, sentences)
    expected = describe_articles(articles, describe_sentences(sentences))
    pd.testing.assert_frame_equal(counted, expected)
    assert counted["words"].sum() > 3000
