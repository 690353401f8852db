"""The intent model: TF-IDF features and a softmax classifier over the topics plus "out of domain".

Training takes a second or two on CPU; a process trains once per distinct training set.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.text import Tokenizer, normalize
from plugins.assistant.nlu.classifier import SoftmaxClassifier
from plugins.assistant.nlu.colloquial import canonical
from plugins.assistant.nlu.data import OUT_OF_DOMAIN, Example
from plugins.assistant.nlu.features import Vectorizer
from plugins.assistant.nlu.lexicon import casual_english


@dataclass(frozen=True)
class IntentScores:
    """Probabilities of one message: per topic, and of being out of domain."""

    topics: dict[str, float]
    out_of_domain: float

    def best(self) -> tuple[str | None, float]:
        """The most likely topic and its probability."""
        if not self.topics:
            return None, 0.0
        topic = max(self.topics, key=self.topics.__getitem__)
        return topic, self.topics[topic]


class IntentModel:
    """Trained on labelled examples; `scores(text)` gives `IntentScores`. Chinese is segmented
    knowing `words` (the help articles' keywords) besides jieba's dictionary."""

    def __init__(
        self, examples: list[Example], words: Iterable[str] = (), l2: float = 1e-5, max_iter: int = 150
    ) -> None:
        texts = [canonical(casual_english(normalize(e.text))) for e in examples]
        self.vectorizer = Vectorizer(Tokenizer(words), min_df=2).fit(texts)
        self.classifier = SoftmaxClassifier(l2=l2, max_iter=max_iter).fit(
            self.vectorizer.transform(texts), [e.label for e in examples], [e.weight for e in examples]
        )
        self.topics = [c for c in self.classifier.classes if c != OUT_OF_DOMAIN]

    def scores(self, text: str) -> IntentScores:
        """Class probabilities of normalised `text`."""
        row = self.vectorizer.transform([text])
        if row.nnz == 0:
            return IntentScores({}, 1.0)
        probabilities = self.classifier.predict_proba(row)[0]
        named = dict(
            zip(self.classifier.classes, np.asarray(probabilities, dtype=float).tolist(), strict=True)
        )
        ood = named.pop(OUT_OF_DOMAIN, 0.0)
        return IntentScores(named, ood)


@functools.lru_cache(maxsize=2)
def _trained(key: str, examples: tuple[Example, ...], words: frozenset[str]) -> IntentModel:
    return IntentModel(list(examples), words)


def trained_model(examples: list[Example], key: str, words: Iterable[str] = ()) -> IntentModel:
    """The model for this training set and these words, trained once per process (`key` is the
    training set's fingerprint). The model is read-only once trained."""
    return _trained(key, tuple(examples), frozenset(words))
