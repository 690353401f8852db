"""Ticket categories: the help topics (data/categories.tsv, the same keys as the help center) and
their service areas (`account`, `payments`, ...)."""

from __future__ import annotations

import functools
from pathlib import Path

from core.errors import DomainError

DATA = Path(__file__).parent / "data" / "categories.tsv"
#: Used for assistant handoffs without a detected topic.
HUMAN_AGENT = "platform.human_agent"


@functools.cache
def categories() -> dict[str, dict[str, str]]:
    """`{key: {"zh-CN": title, "en": title}}` for every topic and area."""
    topics: dict[str, dict[str, str]] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines()[1:]:
        if line.strip():
            key, zh, en = line.split("\t")[:3]
            topics[key] = {"zh-CN": zh, "en": en}
    areas = {key.split(".", 1)[0] for key in topics}
    return {**{area: {"zh-CN": area, "en": area} for area in sorted(areas)}, **topics}


def check_category(key: str, field: str = "input.category") -> str:
    """The normalised category key, or `UNKNOWN_CATEGORY`."""
    normal = (key or "").strip()
    if normal not in categories():
        raise DomainError("UNKNOWN_CATEGORY", field=field, category=normal[:64])
    return normal
