"""Reading help articles from Markdown files with YAML front matter (what plugins ship through
`register_help_content`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.i18n import SUPPORTED_LANGUAGES

CATEGORIES = ("account", "content", "appeals", "features", "payments", "ads", "platform", "premium")
CONTENT_DIR = Path(__file__).resolve().parent / "content"


class ContentError(ValueError):
    """A help article file is malformed (start-up stops with the file name)."""


@dataclass(frozen=True)
class ArticleSource:
    """One article as written in a file: front matter fields plus the Markdown body."""

    topic: str
    slug: str
    locale: str
    title: str
    category: str
    summary: str
    body: str
    keywords: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    media: list[dict[str, str]] = field(default_factory=list)
    actions: list[dict[str, str]] = field(default_factory=list)
    path: str = ""

    def fingerprint(self) -> str:
        """A hash of the content (not the path): seeding skips unchanged articles."""
        data = {k: v for k, v in asdict(self).items() if k != "path"}
        return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def parse_article(text: str, path: str = "") -> ArticleSource:
    """Parse `---` YAML front matter and the body that follows it."""
    if not text.startswith("---"):
        raise ContentError(f"{path}: no front matter")
    _, front, body = text.split("---", 2)
    try:
        meta: dict[str, Any] = yaml.safe_load(front) or {}
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: bad front matter: {error}") from None
    missing = [k for k in ("topic", "slug", "locale", "title", "category") if not meta.get(k)]
    if missing:
        raise ContentError(f"{path}: front matter lacks {', '.join(missing)}")
    if meta["locale"] not in SUPPORTED_LANGUAGES:
        raise ContentError(f"{path}: locale must be one of {SUPPORTED_LANGUAGES}")
    if meta["category"] not in CATEGORIES:
        raise ContentError(f"{path}: unknown category {meta['category']!r}")
    return ArticleSource(
        topic=str(meta["topic"]),
        slug=str(meta["slug"]),
        locale=meta["locale"],
        title=str(meta["title"]).strip(),
        category=meta["category"],
        summary=str(meta.get("summary") or "").strip(),
        body=body.strip() + "\n",
        keywords=[str(k) for k in meta.get("keywords") or []],
        steps=[str(s) for s in meta.get("steps") or []],
        media=[{k: str(v) for k, v in m.items()} for m in meta.get("media") or []],
        actions=[{k: str(v) for k, v in a.items()} for a in meta.get("actions") or []],
        path=path,
    )


def load_articles(directories: Iterable[str | Path]) -> list[ArticleSource]:
    """Every `*.md` article under the directories (recursively), sorted by path."""
    articles = []
    for directory in directories:
        for path in sorted(Path(directory).rglob("*.md")):
            articles.append(parse_article(path.read_text(encoding="utf-8"), str(path)))
    return articles


def content_directories(pm: Any) -> list[Path]:
    """The article directories every enabled plugin ships (`register_help_content`)."""
    from core.plugins import plugin_results

    return [Path(d) for _, dirs in plugin_results(pm, "register_help_content") for d in dirs]
