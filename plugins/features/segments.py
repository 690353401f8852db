"""Segments: who a flag targets or a bulk grant reaches (no GraphQL). Stored as plain JSON with the
keys of `core.flag_rules.SEGMENT_KEYS`; matched per request by `core.flag_rules.segment_matches`
and selected in SQL for bulk grants by `user_ids`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.errors import DomainError
from core.flag_rules import SEGMENT_KEYS
from plugins.account import api as account
from plugins.premium import api as premium

MAX_USER_IDS = 1000
MAX_VALUES = 20
MAX_VALUE_LENGTH = 32


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _invalid(detail: str, field: str) -> DomainError:
    return DomainError("INVALID_SEGMENT", field=field, detail=detail)


def normalise(raw: dict[str, Any] | None, field: str = "input.segment") -> dict[str, Any] | None:
    """A validated, JSON-storable segment, or None when no criterion is given (no segment)."""
    if raw is None:
        return None
    segment: dict[str, Any] = {}
    for key in SEGMENT_KEYS:
        value = raw.get(key)
        if value is None:
            continue
        if key in ("registered_before", "registered_after"):
            segment[key] = _aware(value).isoformat()
        elif key == "user_ids":
            ids = [str(i) for i in dict.fromkeys(value)]
            if len(ids) > MAX_USER_IDS or not all(i.isdigit() for i in ids):
                raise _invalid(f"userIds: at most {MAX_USER_IDS} user IDs", f"{field}.userIds")
            segment[key] = ids
        elif isinstance(value, list):
            values = [str(v) for v in dict.fromkeys(value)]
            if len(values) > MAX_VALUES or any(not v or len(v) > MAX_VALUE_LENGTH for v in values):
                raise _invalid(
                    f"{key}: at most {MAX_VALUES} values of 1-{MAX_VALUE_LENGTH} characters", field
                )
            segment[key] = values if key != "platforms" else [v.lower() for v in values]
        elif key == "has_entitlement":
            if not 0 < len(str(value)) <= MAX_VALUE_LENGTH:
                raise _invalid("hasEntitlement: 1-32 characters", f"{field}.hasEntitlement")
            segment[key] = str(value)
        else:
            segment[key] = bool(value)
    before, after = segment.get("registered_before"), segment.get("registered_after")
    if before and after and datetime.fromisoformat(after) >= datetime.fromisoformat(before):
        raise _invalid("registeredAfter must be earlier than registeredBefore", f"{field}.registeredAfter")
    return segment or None


async def user_ids(segment: dict[str, Any]) -> list[int]:
    """Ids of the accounts in `segment` now (platforms are per request, so not selectable)."""
    if segment.get("platforms") is not None:
        raise _invalid("platforms describe requests, not accounts; leave them out", "input.segment.platforms")
    wanted = [int(i) for i in segment["user_ids"]] if segment.get("user_ids") is not None else None
    if segment.get("has_entitlement") is not None:
        holders = await premium.holder_ids(segment["has_entitlement"])
        wanted = sorted(holders if wanted is None else holders & set(wanted))
    dates = {
        k: datetime.fromisoformat(segment[k])
        for k in ("registered_before", "registered_after")
        if k in segment
    }
    return await account.user_ids_matching(
        roles=segment.get("roles"),
        verified_adult=segment.get("verified_adult"),
        registered_before=dates.get("registered_before"),
        registered_after=dates.get("registered_after"),
        languages=segment.get("languages"),
        user_ids=wanted,
    )
