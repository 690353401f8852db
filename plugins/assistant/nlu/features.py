"""Sparse TF-IDF features for short questions: character n-grams and jieba words for Chinese,
stemmed words, word bigrams and character n-grams (robust to typos) for English, synonym concepts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from core.text import EN_STOPWORDS, INTENT_WORDS, Tokenizer, has_cjk, runs, stem
from plugins.assistant.nlu.lexicon import casual_english, classes_in
from plugins.helpcenter.api import concepts_in


def terms(tokenizer: Tokenizer, text: str) -> list[str]:
    """Feature names of normalised `text`."""
    text = casual_english(text)
    out: list[str] = []
    words: list[str] = []
    for run in runs(text):
        if has_cjk(run):
            out.extend("c:" + run[i : i + n] for n in (1, 2, 3) for i in range(len(run) - n + 1))
            out.extend("w:" + w for w in tokenizer.segment(run) if len(w) > 1)
            continue
        if run in EN_STOPWORDS and run not in INTENT_WORDS:
            continue
        word = stem(run)
        words.append(word)
        out.append("w:" + word)
        padded = f"<{run}>"
        if len(run) > 2 and not run.isdigit():
            out.extend("g:" + padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1))
    out.extend("b:" + a + "_" + b for a, b in zip(words, words[1:], strict=False))
    concepts = concepts_in(text)
    out.extend(concepts)
    # Another app or a payment channel, alone and paired with what is asked about it.
    for word_class in classes_in(text):
        out.append("o:" + word_class)
        out.extend(f"x:{word_class}{concept}" for concept in concepts)
    return out


class Vectorizer:
    """Learns a vocabulary and IDF weights; turns texts into L2-normalised sublinear TF-IDF rows.
    Chinese is segmented by the vectorizer's own `tokenizer`."""

    def __init__(self, tokenizer: Tokenizer, min_df: int = 1) -> None:
        self.tokenizer = tokenizer
        self.min_df = min_df
        self.vocab: dict[str, int] = {}
        self.idf = np.zeros(0)

    def fit(self, texts: Sequence[str]) -> Vectorizer:
        """Build the vocabulary from training texts."""
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(terms(self.tokenizer, text)))
        names = sorted(t for t, n in df.items() if n >= self.min_df)
        self.vocab = {t: i for i, t in enumerate(names)}
        n_docs = len(texts)
        self.idf = np.array([np.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in names], dtype=np.float64)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Rows of features (unknown terms ignored)."""
        indptr, indices, data = [0], [], []
        for text in texts:
            counts = Counter(self.vocab[t] for t in terms(self.tokenizer, text) if t in self.vocab)
            cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            vals = (
                1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            ) * self.idf[cols]
            norm = np.linalg.norm(vals)
            if norm > 0:
                vals /= norm
            indices.extend(cols.tolist())
            data.extend(vals.tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(data), np.array(indices, dtype=np.int64), np.array(indptr)),
            shape=(len(texts), len(self.vocab)),
        )
