"""Offline evaluation of the understanding pipeline (no database, no server): train on the
shipped data, build the help library from the shipped articles, score question files, and
cross-validate over the training data to choose thresholds.

usage: .venv/bin/python -m plugins.assistant.nlu.evaluate FILE.tsv [...] [--misses] [--cv K]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.text import detect_language, normalize
from plugins.assistant.nlu.data import OUT_OF_DOMAIN, Example, read_tsv, training_examples
from plugins.assistant.nlu.model import IntentModel
from plugins.assistant.nlu.understand import standalone


@dataclass(frozen=True)
class Score:
    """Top-1 accuracy in domain (per language) and out-of-domain rejection of one question file."""

    hits: dict[str, int]
    totals: dict[str, int]
    rejected: int
    out_of_domain: int
    misses: list[tuple[str, str, str | None, float]]
    #: (label, question, correct) of every row, for figures on a subset.
    rows: list[tuple[str, str, bool]] = field(default_factory=list)

    def line(self) -> str:
        """One line of figures."""
        n = sum(self.totals.values())
        h = sum(self.hits.values())
        langs = ", ".join(f"{lang} {self.hits[lang] / self.totals[lang]:.1%}" for lang in sorted(self.totals))
        ood = self.rejected / self.out_of_domain if self.out_of_domain else 1.0
        return (
            f"in-domain {h}/{n} = {h / n:.1%} ({langs}); "
            f"out-of-domain rejected {self.rejected}/{self.out_of_domain} = {ood:.1%}"
        )


def offline_library(articles: Sequence):
    """The help library of `articles` without a database (primary keys by position)."""
    from plugins.helpcenter.api import ArticleEntry, Library

    entries = [
        ArticleEntry(
            pk=i + 1,
            slug=a.slug,
            locale=a.locale,
            topic=a.topic,
            category_id=0,
            title=a.title,
            summary=a.summary,
            body=a.body,
            keywords=tuple(a.keywords),
            steps=tuple(a.steps),
        )
        for i, a in enumerate(articles)
    ]
    return Library(entries, "offline")


def score(
    model: IntentModel, retrieve: Callable[[str, str], dict[str, float]], rows: list[tuple[str, str]]
) -> Score:
    """Score (label, question) rows; a label may list alternatives with "|", "-" is out of domain."""
    hits: dict[str, int] = {}
    totals: dict[str, int] = {}
    rejected = out_of_domain = 0
    misses = []
    outcomes = []
    for label, question in rows:
        text = normalize(question)
        language = detect_language(text, "en")
        got = standalone(model, retrieve, text, language)
        if label == OUT_OF_DOMAIN:
            out_of_domain += 1
            rejected += got.topic is None
            ok = got.topic is None
        else:
            lang = "zh" if language == "zh-CN" else "en"
            totals[lang] = totals.get(lang, 0) + 1
            ok = got.topic in label.split("|")
            hits[lang] = hits.get(lang, 0) + ok
        if not ok:
            misses.append((label, question, got.topic, got.confidence))
        outcomes.append((label, question, ok))
    return Score(hits, totals, rejected, out_of_domain, misses, outcomes)


def is_colloquial(question: str) -> bool:
    """A messy-style question: a rewrite changes it (traditional characters, Cantonese, typos,
    pinyin, slang, emoji) or it is long enough to tell a story before asking."""
    from plugins.assistant.nlu.colloquial import canonical
    from plugins.assistant.nlu.focus import is_long

    text = normalize(question)
    return canonical(text) != " ".join(text.split()).strip() or is_long(text)


def subset(result: Score, keep: Callable[[str], bool]) -> Score:
    """The figures of the rows whose question `keep` accepts."""
    hits: dict[str, int] = {}
    totals: dict[str, int] = {}
    rejected = out_of_domain = 0
    rows = [row for row in result.rows if keep(row[1])]
    for label, question, ok in rows:
        if label == OUT_OF_DOMAIN:
            out_of_domain += 1
            rejected += ok
            continue
        lang = "zh" if detect_language(normalize(question), "en") == "zh-CN" else "en"
        totals[lang] = totals.get(lang, 0) + 1
        hits[lang] = hits.get(lang, 0) + ok
    return Score(hits, totals, rejected, out_of_domain, [], rows)


def cross_validate(
    examples: list[Example], retrieve, folds: int = 5, seed: int = 7, words: Sequence[str] = ()
) -> Score:
    """K-fold over the labelled questions (article titles and keywords stay in every fold)."""
    questions = [e for e in examples if e.weight == 1.0]
    fixed = [e for e in examples if e.weight != 1.0]
    order = list(range(len(questions)))
    random.Random(seed).shuffle(order)
    parts = [order[i::folds] for i in range(folds)]
    merged = Score({}, {}, 0, 0, [])
    for part in parts:
        held = set(part)
        train = fixed + [e for i, e in enumerate(questions) if i not in held]
        model = IntentModel(train, words)
        s = score(model, retrieve, [(questions[i].label, questions[i].text) for i in part])
        for lang in s.totals:
            merged.totals[lang] = merged.totals.get(lang, 0) + s.totals[lang]
            merged.hits[lang] = merged.hits.get(lang, 0) + s.hits.get(lang, 0)
        merged = Score(
            merged.hits,
            merged.totals,
            merged.rejected + s.rejected,
            merged.out_of_domain + s.out_of_domain,
            merged.misses + s.misses,
            merged.rows + s.rows,
        )
    return merged


def main() -> None:
    from plugins.helpcenter.api import shipped_articles

    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--cv", type=int, default=0, help="k-fold cross-validation on the training data")
    args = parser.parse_args()
    articles = shipped_articles()
    library = offline_library(articles)
    examples = training_examples(articles)
    words = [k for article in articles for k in article.keywords]  # as the engine does
    started = time.perf_counter()
    model = IntentModel(examples, words)
    print(f"trained on {len(examples)} examples in {time.perf_counter() - started:.1f} s")
    for path in args.files:
        rows = [(r["topic"], r["question"]) for r in read_tsv(path)]
        result = score(model, library.topic_scores, rows)
        print(f"{path.name}: {result.line()}")
        if args.misses:
            for miss in result.misses:
                print("   ", *miss, sep="\t")
    if args.cv:
        result = cross_validate(examples, library.topic_scores, args.cv, words=words)
        print(f"{args.cv}-fold cross-validation: {result.line()}")
        print(f"  of which messy-style questions: {subset(result, is_colloquial).line()}")
        if args.misses:
            for miss in result.misses:
                print("   ", *miss, sep="\t")


if __name__ == "__main__":
    main()
