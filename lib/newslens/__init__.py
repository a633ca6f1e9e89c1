"""newslens: take a news article apart and see what it is made of."""

from .articles import ArticleError, Corpus, find_layout, load_article, load_articles, load_corpus
from .tokenizers import find_sentences, find_words, split_sentences, split_words

__all__ = [
    "ArticleError",
    "Corpus",
    "find_layout",
    "find_sentences",
    "find_words",
    "load_article",
    "load_articles",
    "load_corpus",
    "split_sentences",
    "split_words",
]
