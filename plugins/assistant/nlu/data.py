"""Training examples: the assistant's intents.tsv and out_of_domain.tsv, plus the titles and
keywords of the shipped help articles (so a new article's topic is understood at once)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
OUT_OF_DOMAIN = "-"
#: Article titles and keywords are terse: they count less than a real question.
ARTICLE_WEIGHT = 0.5


@dataclass(frozen=True)
class Example:
    """A labelled text (`label` is a topic key or "-" for out of domain)."""

    text: str
    label: str
    weight: float = 1.0


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file with a header (no quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def training_examples(articles: list[Any], data_dir: Path = DATA_DIR) -> list[Example]:
    """Every example the intent model learns from."""
    examples = [Example(r["text"], r["topic"]) for r in read_tsv(data_dir / "intents.tsv")]
    examples += [Example(r["text"], OUT_OF_DOMAIN) for r in read_tsv(data_dir / "out_of_domain.tsv")]
    for article in articles:
        for text in (article.title, *article.keywords):
            examples.append(Example(text, article.topic, ARTICLE_WEIGHT))
    return examples


def fingerprint(examples: list[Example]) -> str:
    """Identifies a training set (the trained model is reused while it is unchanged)."""
    digest = hashlib.sha256()
    for example in examples:
        digest.update(f"{example.label}\t{example.weight}\t{example.text}\n".encode())
    return digest.hexdigest()
