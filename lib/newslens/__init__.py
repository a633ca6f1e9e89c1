"""newslens: take a news article apart and see what it is made of.

The tables flow in one direction: ``load_articles`` -> ``find_sentences`` -> ``find_mentions``
(entities, grouped into parties by ``load_parties``) -> ``score_parties`` (sentiment toward each
party) and ``find_attributions`` (who says so). ``analyse`` runs them all.
"""

from .articles import ArticleError, Corpus, find_layout, load_article, load_articles, load_corpus
from .attributions import (
    classify_sentences,
    count_phrases,
    find_attributions,
    find_cue_contexts,
    find_hedges,
    measure_concentration,
    rank_sources,
    source_shares,
)
from .entities import (
    count_cooccurrences,
    count_entities,
    count_parties,
    explain_entities,
    find_mentions,
    find_names,
    link_mentions,
)
from .explore import explore_concordance, explore_parties, explore_sources, keyword_in_context
from .parties import PartiesError, load_parties
from .pipeline import analyse, analyse_folder
from .sentiments import (
    count_evidence,
    score_parties,
    score_sentence,
    score_target,
    summarise_parties,
    trace_parties,
)
from .tokenizers import count_words, find_sentences, find_words, split_sentences, split_words

__all__ = [
    "ArticleError",
    "Corpus",
    "PartiesError",
    "analyse",
    "analyse_folder",
    "classify_sentences",
    "count_cooccurrences",
    "count_entities",
    "count_evidence",
    "count_parties",
    "count_phrases",
    "count_words",
    "explain_entities",
    "explore_concordance",
    "explore_parties",
    "explore_sources",
    "find_attributions",
    "find_cue_contexts",
    "find_hedges",
    "find_layout",
    "find_mentions",
    "find_names",
    "find_sentences",
    "find_words",
    "keyword_in_context",
    "link_mentions",
    "load_article",
    "load_articles",
    "load_corpus",
    "load_parties",
    "measure_concentration",
    "rank_sources",
    "score_parties",
    "score_sentence",
    "score_target",
    "source_shares",
    "split_sentences",
    "split_words",
    "summarise_parties",
    "trace_parties",
]
