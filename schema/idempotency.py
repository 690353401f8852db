"""The `clientMutationId` input field of create mutations (see `core.idempotency`)."""

from __future__ import annotations

import dataclasses
from typing import Any

import strawberry

DESCRIPTION = (
    "Optional idempotency key (8-100 letters, digits or `._:-`, e.g. a UUID): a retry with the same "
    "key creates nothing new and returns the first result; kept for 24 hours."
)


def client_mutation_id() -> Any:
    """A fresh optional `clientMutationId: String` field for an input type."""
    return strawberry.field(default=None, description=DESCRIPTION)


def input_payload(value: Any, **extra: Any) -> dict[str, Any]:
    """An input object's fields (the key left out) as the fingerprint of a retry."""
    payload = {
        f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.name != "client_mutation_id"
    }
    payload.update(extra)
    return payload
