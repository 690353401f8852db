"""Reusable search machinery (help articles, community threads through `plugins.helpcenter.api`):
BM25 via bm25s over `core.text` terms (jieba and character n-grams for Chinese, light stemming for
English), synonyms and highlighted snippets.

    index = SearchIndex([SearchDocument(id="1", language="en", title="Refunds", body="...")])
    index.search("money back", "en", k=5)  # -> [SearchResult(id, score, snippet)]
"""

from plugins.helpcenter.search.index import SearchDocument, SearchIndex, SearchResult
from plugins.helpcenter.search.text import analyze, detect_language, normalize, sanitize

__all__ = [
    "SearchDocument",
    "SearchIndex",
    "SearchResult",
    "analyze",
    "detect_language",
    "normalize",
    "sanitize",
]
