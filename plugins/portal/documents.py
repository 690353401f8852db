"""The GraphQL documents the pages send: `templates/*.graphql`, one operation per file, read once."""

from __future__ import annotations

import functools
from pathlib import Path

TEMPLATE_DIR = Path(__file__).parent / "templates"


@functools.cache
def document(name: str) -> str:
    """The text of `templates/<name>.graphql`."""
    return (TEMPLATE_DIR / f"{name}.graphql").read_text(encoding="utf-8")


def all_documents() -> dict[str, str]:
    """Every shipped document by name (the SDL test validates each one)."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(TEMPLATE_DIR.glob("*.graphql"))}
