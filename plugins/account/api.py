"""What other plugins may use of the account plugin (they never import its service or schema).

- `load_user(context, user_id)`: the GraphQL `User` of an id, batched per request (DataLoader).
- `require_verified_adult(user_id)`: the single eligibility rule for money and paid services.
- `flag_attributes(actor)`: verified adult and registration time for feature-flag targeting.
- `user_ids_matching(...)`: ids of the users in a segment, selected in SQL (bulk grants).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core.errors import DomainError
from plugins.account import queries
from plugins.account.idnumber import age_on
from plugins.account.models import RealNameVerification


async def load_users(ids: list[Any], context: Any = None) -> list[Any]:
    """GraphQL `User`s for `ids` in order (None where missing), one query (also the node loader)."""
    from plugins.account.types import User

    return [User.from_model(u) if u else None for u in await queries.users_by_ids(ids)]


async def load_security_events(ids: list[Any], context: Any = None) -> list[Any]:
    """GraphQL `SecurityEvent`s for `ids` (the node loader; `can_view_own` checks the owner)."""
    from plugins.account.models import SecurityEvent as Model
    from plugins.account.types_security import SecurityEvent

    wanted = [int(i) for i in ids if str(i).isdigit()]
    found = {e.pk: e for e in await Model.filter(id__in=wanted)}
    events = [found.get(int(i)) if str(i).isdigit() else None for i in ids]
    return [SecurityEvent.from_model(e) if e else None for e in events]


async def load_user(context: Any, user_id: int | str | None) -> Any:
    """The `User` (GraphQL object) with this id, or None; all calls in a request share one query."""
    if user_id is None:
        return None
    return await context.loader("account.users", load_users).load(int(user_id))


__all__ = [
    "age_on",
    "flag_attributes",
    "is_verified_adult",
    "load_user",
    "require_verified_adult",
    "set_account_status",
    "user_ids_matching",
]


async def is_verified_adult(user_id: int | str) -> bool:
    """True when the user passed real-name verification and is 18 or older today."""
    record = await RealNameVerification.get_or_none(user_id=int(user_id), status="VERIFIED")
    return record is not None and age_on(record.birth_date, date.today()) >= 18


async def require_verified_adult(user_id: int | str) -> None:
    """Raise `VERIFICATION_REQUIRED` unless the user is a verified adult (recharge, purchases)."""
    if not await is_verified_adult(user_id):
        raise DomainError("VERIFICATION_REQUIRED")


async def set_account_status(services: Any, user_id: int | str, status: str, *, reason: str) -> None:
    """Ban (`BANNED`) or restore (`ACTIVE`) an account. Sessions follow on their next request;
    the caller's transaction (if any) covers this update."""
    from plugins.account.models import User

    if status not in ("ACTIVE", "BANNED"):
        raise DomainError("INVALID_INPUT", field="status", detail=reason)
    await User.filter(id=int(user_id)).update(status=status)


async def flag_attributes(actor: Any) -> dict[str, Any]:
    """Feature-flag evaluation attributes of a signed-in user: `verifiedAdult` and `registeredAt`
    (ISO-8601; the actor's loaded record saves a query when it is there)."""
    from plugins.account.models import User

    record = actor.record if isinstance(actor.record, User) else await User.get_or_none(id=int(actor.user_id))
    registered = record.created_at.isoformat() if record is not None else None
    return {"verifiedAdult": await is_verified_adult(actor.user_id), "registeredAt": registered}


def _adult_birth_cutoff(today: date) -> date:
    """The latest birth date of someone who is 18 today (29 February counts as 1 March)."""
    try:
        return today.replace(year=today.year - 18)
    except ValueError:
        return date(today.year - 18, 3, 1)


async def user_ids_matching(
    *,
    roles: list[str] | None = None,
    verified_adult: bool | None = None,
    registered_before: Any = None,
    registered_after: Any = None,
    languages: list[str] | None = None,
    user_ids: list[int] | None = None,
) -> list[int]:
    """Ids (ascending) of live accounts meeting every given criterion: one query (roles, a JSON
    list, are compared in Python on the selected rows)."""
    from plugins.account.models import User

    query = User.filter(deleted_at__isnull=True)
    if user_ids is not None:
        query = query.filter(id__in=user_ids)
    if registered_before is not None:
        query = query.filter(created_at__lt=registered_before)
    if registered_after is not None:
        query = query.filter(created_at__gt=registered_after)
    if languages is not None:
        query = query.filter(language__in=languages)
    adults = {
        "real_name__status": "VERIFIED",
        "real_name__birth_date__lte": _adult_birth_cutoff(date.today()),
    }
    if verified_adult is True:
        query = query.filter(**adults)
    elif verified_adult is False:
        query = query.exclude(id__in=User.filter(**adults).values("id"))
    rows = await query.order_by("id").values_list("id", "roles")
    wanted = set(roles or ())
    return [uid for uid, held in rows if roles is None or wanted & {"USER", *(held or [])}]
