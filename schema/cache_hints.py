"""Cache hints on fields: how long a field's value may be cached over HTTP, and by whom.

Declare one with the field's metadata, e.g.
`@strawberry.field(description=..., metadata=cache_hint(max_age=300))`. A GET query's
`Cache-Control` is the most restrictive hint over every field it selects (selfserve/http_cache.py):
a root field without a hint makes the whole answer `private, no-store`; a nested field without a
hint inherits its parent's; a hint on a nested field can only shorten it. Hints never appear in
the SDL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

#: The metadata key a hint is kept under.
METADATA_KEY = "selfserve.cache_hint"


class CacheScope(enum.Enum):
    """PUBLIC: the same for every anonymous caller (a CDN may keep it); PRIVATE: one caller's."""

    PUBLIC = "public"
    PRIVATE = "private"


@dataclass(frozen=True)
class CacheHint:
    """At most `max_age` seconds, shared or not by `scope`."""

    max_age: int
    scope: CacheScope = CacheScope.PUBLIC

    def tighter(self, other: CacheHint) -> CacheHint:
        """The more restrictive of two hints (shorter age, private over public)."""
        private = CacheScope.PRIVATE in (self.scope, other.scope)
        return CacheHint(
            min(self.max_age, other.max_age), CacheScope.PRIVATE if private else CacheScope.PUBLIC
        )


#: What a field that must never be cached gets (and a root field without a hint).
NO_STORE = CacheHint(0, CacheScope.PRIVATE)


def cache_hint(max_age: int, scope: CacheScope = CacheScope.PUBLIC) -> dict[str, Any]:
    """Field metadata declaring a cache hint (`strawberry.field(metadata=cache_hint(300))`)."""
    if max_age < 0:
        raise ValueError("max_age must be >= 0")
    return {METADATA_KEY: CacheHint(max_age, scope)}


def hint_of(field_metadata: Any) -> CacheHint | None:
    """The hint in a strawberry field's metadata, if any."""
    return (field_metadata or {}).get(METADATA_KEY)
