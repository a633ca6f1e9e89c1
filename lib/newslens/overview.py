"""Describe a corpus: each article's size, and the words it uses most."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .lexicons import read_words
from .tokenizers import count_words

__all__ = ["count_content_words", "describe_articles", "describe_sentences"]


def describe_sentences(sentences: pd.DataFrame) -> pd.DataFrame:
    """Add a ``words`` column (word tokens, punctuation left out) to the sentences table."""
    out = sentences.copy()
    out["words"] = [count_words(text) for text in sentences["text"].tolist()]
    return out


def describe_articles(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per article: ``article, title, date, place, country, sentences, words, path``.

    ``sentences`` counts the body sentences, without the headline; ``words`` their word tokens,
    from the ``words`` column of ``sentences`` (see ``describe_sentences``), or, without one,
    counted here.
    """
    sizes = _body_sizes(sentences)
    out = articles[["article", "title", "date", "place", "country", "path"]].reset_index(drop=True)
    found = [sizes.get(article, (0, 0)) for article in out["article"].tolist()]
    out.insert(5, "sentences", np.array([n for n, _ in found], dtype=np.int64))
    out.insert(6, "words", np.array([w for _, w in found], dtype=np.int64))
    return out


def _body_sizes(sentences: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Article -> (body sentences, words): the sentences' ``words`` column summed, or, without
    one, the words of the sentences' texts counted.

    Speed: an article's body sentences are counted at once, their texts joined by spaces:
    ``count_words`` counts the pieces between whitespace, so the count is the sum of the
    sentences' counts (``describe_sentences``), without a call for each sentence.
    """
    counted = "words" in sentences
    body: dict[str, list] = {}  # article -> its body sentences' word counts, or their texts
    for article, number, value in zip(
        sentences["article"].tolist(),
        sentences["sentence"].tolist(),
        sentences["words" if counted else "text"].tolist(),
        strict=True,
    ):
        if number > 0:
            body.setdefault(article, []).append(value)
    return {
        article: (len(values), sum(values) if counted else count_words(" ".join(values)))
        for article, values in body.items()
    }


def count_content_words(words: pd.DataFrame, *, body_only: bool = True) -> pd.DataFrame:
    """Count content words: lower-cased, without stopwords (``data/stopwords.csv``) or numbers.

    Returns ``word, count, articles`` sorted by count (then word), where ``articles`` is the
    number of articles that use the word.
    """
    stop = set(read_words("stopwords.csv"))
    table = words[words["sentence"] > 0] if body_only else words
    lower = table["word"].str.lower()
    keep = lower.str.contains(r"[a-z]", regex=True) & ~lower.isin(stop) & (lower.str.len() > 1)
    kept = pd.DataFrame({"word": lower[keep], "article": table.loc[keep, "article"]})
    if kept.empty:
        return pd.DataFrame({"word": [], "count": [], "articles": []})
    counts = kept.groupby("word").agg(count=("article", "size"), articles=("article", "nunique"))
    counts = counts.reset_index().sort_values(["count", "word"], ascending=[False, True])
    return counts.reset_index(drop=True)
