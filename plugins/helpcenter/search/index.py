"""`SearchIndex`: BM25 (bm25s) over bilingual documents, one index per language, with title and
keyword boosts, synonyms and highlighted snippets. Immutable once built: rebuild to change it."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from plugins.helpcenter.search.snippets import make_snippet
from plugins.helpcenter.search.text import Tokenizer, analyze, normalize

logging.getLogger("bm25s").setLevel(logging.WARNING)

#: Title and keywords form a second, short field whose BM25 score is added with this weight.
META_WEIGHT = 1.5
TITLE_REPEAT = 2


@dataclass(frozen=True)
class SearchDocument:
    """One searchable text: `language` is zh-CN or en, `boost` multiplies its score."""

    id: str
    language: str
    title: str
    body: str
    keywords: Sequence[str] = ()
    boost: float = 1.0


@dataclass(frozen=True)
class SearchResult:
    """A hit: the document id, its BM25 score and a highlighted snippet."""

    id: str
    score: float
    snippet: str


class _LanguageIndex:
    def __init__(self, documents: list[SearchDocument], tokenizer: Tokenizer) -> None:
        self.documents = documents
        self.boosts = np.array([d.boost for d in documents], dtype=np.float32)
        self.body = _Field([analyze(tokenizer, normalize(d.title + "\n" + d.body)) for d in documents])
        self.meta = _Field([meta_terms(tokenizer, d) for d in documents])

    def scores(self, terms: list[str]) -> np.ndarray:
        return (self.body.scores(terms) + META_WEIGHT * self.meta.scores(terms)) * self.boosts


class _Field:
    """One BM25 index over one field of every document."""

    def __init__(self, corpus: list[list[str]]) -> None:
        self.size = len(corpus)
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False)
        self.vocab = self.bm25.vocab_dict

    def scores(self, terms: list[str]) -> np.ndarray:
        known = [t for t in terms if t in self.vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return self.bm25.get_scores(known)


def meta_terms(tokenizer: Tokenizer, document: SearchDocument) -> list[str]:
    """The short field: title (counted twice) and keywords."""
    title = analyze(tokenizer, normalize(document.title))
    return title * TITLE_REPEAT + [t for k in document.keywords for t in analyze(tokenizer, normalize(k))]


class SearchIndex:
    """Search documents in the requester's language (falling back to the other language when
    that one has no documents). The index owns its `Tokenizer`, which knows the documents'
    keywords (nothing process-wide is taught them)."""

    def __init__(self, documents: Iterable[SearchDocument]) -> None:
        documents = list(documents)
        self.tokenizer = Tokenizer(k for d in documents for k in d.keywords)
        by_language: dict[str, list[SearchDocument]] = {}
        for document in documents:
            by_language.setdefault(document.language, []).append(document)
        self._indexes = {lang: _LanguageIndex(docs, self.tokenizer) for lang, docs in by_language.items()}
        self.size = len(documents)

    def languages(self) -> list[str]:
        """Languages that have documents."""
        return sorted(self._indexes)

    def _index_for(self, language: str) -> _LanguageIndex | None:
        if language in self._indexes:
            return self._indexes[language]
        return next(iter(self._indexes.values()), None)

    def scores(self, query: str, language: str) -> tuple[list[SearchDocument], np.ndarray]:
        """Every document of the language with its score (for callers that rank themselves)."""
        index = self._index_for(language)
        if index is None:
            return [], np.zeros(0, dtype=np.float32)
        return index.documents, index.scores(analyze(self.tokenizer, normalize(query)))

    def search(self, query: str, language: str, k: int = 5) -> list[SearchResult]:
        """The best `k` documents for `query` in `language` (score > 0), with snippets."""
        documents, scores = self.scores(query, language)
        if k <= 0 or not len(scores):
            return []
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [
            SearchResult(
                documents[i].id,
                float(scores[i]),
                make_snippet(self.tokenizer, query, documents[i].title, documents[i].body),
            )
            for i in top
            if scores[i] > 0
        ]
