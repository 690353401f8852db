"""Schema change policy: what changed between a released SDL and the current one, and whether
every breaking change is announced in CHANGELOG.md.

graphql-core's `find_breaking_changes` / `find_dangerous_changes` do the comparison (the same
rules graphql-inspector applies). A breaking change is acceptable only when the changelog's
"Breaking" list for the unreleased (or current) version names it: each bullet quotes the schema
coordinate in backticks, e.g. "- `Query.helpSearch` removed: use `Query.helpArticles`".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLSchema, build_schema, find_breaking_changes, find_dangerous_changes

ROOT = Path(__file__).resolve().parent.parent
RELEASES = ROOT / "schema" / "releases"
CHANGELOG = ROOT / "CHANGELOG.md"


@dataclass(frozen=True)
class SchemaChange:
    """One difference between two schemas."""

    kind: str
    description: str
    breaking: bool

    def names(self, coordinate: str) -> bool:
        """True when the description is about `coordinate` (e.g. `Query.apps`, `Role`, `SALES`)."""
        return re.search(rf"(?<![\w.]){re.escape(coordinate)}(?![\w])", self.description) is not None


def changes_between(old: GraphQLSchema | str, new: GraphQLSchema | str) -> list[SchemaChange]:
    """Breaking changes first, then dangerous ones, in graphql-core's order."""
    old_schema = build_schema(old) if isinstance(old, str) else old
    new_schema = build_schema(new) if isinstance(new, str) else new
    found = [
        SchemaChange(c.type.name, c.description, True) for c in find_breaking_changes(old_schema, new_schema)
    ]
    found += [
        SchemaChange(c.type.name, c.description, False)
        for c in find_dangerous_changes(old_schema, new_schema)
    ]
    return found


def latest_release(releases: Path = RELEASES) -> Path:
    """The SDL of the newest release kept in schema/releases (by version number)."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.stem.split("."))

    return max(releases.glob("*.graphql"), key=version)


def announced_breaking(changelog: str) -> set[str]:
    """Coordinates in backticks under "### Breaking" in the changelog's first (newest) section."""
    sections = re.split(r"^## ", changelog, flags=re.M)
    newest = next((s for s in sections[1:]), "")
    found: set[str] = set()
    in_breaking = False
    for line in newest.splitlines():
        if line.startswith("### "):
            in_breaking = line[4:].strip().lower() == "breaking"
        elif in_breaking and line.lstrip().startswith("- "):
            found.update(re.findall(r"`@?([A-Za-z_][\w.]*)", line))
    return found


def unannounced(changes: list[SchemaChange], changelog: str) -> list[SchemaChange]:
    """The breaking changes the changelog does not list under "Breaking"."""
    listed = announced_breaking(changelog)
    return [c for c in changes if c.breaking and not any(c.names(name) for name in listed)]
