"""What other plugins may use of the account plugin (they never import its service or schema).

- `load_user(context, user_id)`: the GraphQL `User` of an id, batched per request (DataLoader).
- `require_verified_adult(user_id)`: the single eligibility rule for money and paid services.
- `flag_attributes(actor)`: verified adult and registration time for feature-flag targeting.
- `user_ids_matching(...)`: ids of the users in a segment, selected in SQL (bulk grants).
- `account_summary`, `account_summaries`, `existing_user_ids`, `lock_account`, `account_batches`:
  what other plugins read of an account (`AccountSummary`: name, contacts, language, roles, status).
- `lift_restrictions(user_id)`: a reversed ban upgrades the user's restricted sessions.
- `User`, `Role`, `MaskedSecurityEvent`: GraphQL types for `strawberry.lazy("plugins.account.api")`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core.context import Services
from core.errors import DomainError
from plugins.account import reads
from plugins.account.idnumber import age_on
from plugins.account.models import RealNameVerification
from plugins.account.types import Role, User
from plugins.account.types_security import MaskedSecurityEvent


async def load_users(ids: list[Any], context: Any = None) -> list[Any]:
    """GraphQL `User`s for `ids` in order (None where missing), one query (also the node loader)."""
    from plugins.account.types import User

    return [User.from_model(u) if u else None for u in await reads.users_by_ids(ids)]


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


async def actor_for_session(services: Services, user_id: str, session_id: str) -> Any:
    """The `Actor` of a user on one session as they are now, or None (revoked session, wrong
    user): signed file URLs re-check the holder's right with it at download."""
    from plugins.account.sessions import actor_for_session as current

    return await current(services, user_id, session_id)


__all__ = [
    "AccountSummary",
    "MaskedSecurityEvent",
    "Role",
    "User",
    "account_batches",
    "account_of_actor",
    "account_summaries",
    "account_summary",
    "actor_for_session",
    "create_demo_user",
    "demo_password",
    "existing_user_ids",
    "lift_restrictions",
    "lock_account",
    "recent_security_events",
    "age_on",
    "flag_attributes",
    "is_verified_adult",
    "load_user",
    "require_verified_adult",
    "roles_of",
    "set_account_status",
    "user_ids_matching",
]


async def roles_of(user_id: int | str) -> frozenset[str]:
    """The staff roles an account holds (empty for a plain user or an unknown id), e.g. for
    `core.duties.require_may_moderate`."""
    from plugins.account.models import User

    found = await User.filter(id=int(user_id)).values_list("roles", flat=True)
    return frozenset(found[0] or ()) if found else frozenset()


async def is_verified_adult(user_id: int | str) -> bool:
    """True when the user passed real-name verification and is 18 or older today."""
    record = await RealNameVerification.get_or_none(user_id=int(user_id), status="VERIFIED")
    return record is not None and age_on(record.birth_date, date.today()) >= 18


async def require_verified_adult(user_id: int | str) -> None:
    """Raise `VERIFICATION_REQUIRED` unless the user is a verified adult (recharge, purchases)."""
    if not await is_verified_adult(user_id):
        raise DomainError("VERIFICATION_REQUIRED")


async def set_account_status(services: Services, user_id: int | str, status: str, *, reason: str) -> None:
    """Ban (`BANNED`) or restore (`ACTIVE`) an account. Sessions follow on their next request;
    the caller's transaction (if any) covers this update."""
    from plugins.account.models import User

    if status not in ("ACTIVE", "BANNED"):
        raise DomainError("INVALID_INPUT", field="status", detail=reason)
    await User.filter(id=int(user_id)).update(status=status)


async def recent_security_events(user_id: int | str, limit: int = 10) -> list[Any]:
    """The user's latest security events as agents may see them (`MaskedSecurityEvent`, address
    masked), newest first; the caller checks the viewer is an agent."""
    from plugins.account.models import SecurityEvent as Model
    from plugins.account.types_security import MaskedSecurityEvent

    rows = await Model.filter(user_id=int(user_id)).order_by("-id").limit(limit)
    return [MaskedSecurityEvent.from_model(row) for row in rows]


async def sign_out_other_sessions(
    services: Services, user_id: int | str, current_session_id: str | None
) -> int:
    """Revoke every session of the user except the current one; how many were signed out."""
    from plugins.account.sessions import revoke_user_sessions

    return await revoke_user_sessions(
        services, int(user_id), except_session=current_session_id, reason="assistant: sign out others"
    )


async def bound_contact(user_id: int | str) -> dict | None:
    """The user's bound contact for codes, masked: {"channel": EMAIL|SMS, "masked": "a***@x.com"}
    (email preferred), or None when the account has neither."""
    from plugins.account.masking import mask_email, mask_phone
    from plugins.account.models import User

    user = await User.get_or_none(id=int(user_id))
    if user is None:
        return None
    if user.email:
        return {"channel": "EMAIL", "masked": mask_email(user.email)}
    if user.phone:
        return {"channel": "SMS", "masked": mask_phone(user.phone)}
    return None


async def send_password_reset_code(context: Any, user_id: int | str) -> dict | None:
    """Send a RESET_PASSWORD code to the user's bound contact (same throttles as
    `accountRequestCode`); returns the masked contact it went to, or None without one."""
    from plugins.account.client import from_context
    from plugins.account.models import User
    from plugins.account.passwords import request_code

    user = await User.get_or_none(id=int(user_id))
    contact = await bound_contact(user_id)
    if user is None or contact is None:
        return None
    target = user.email if contact["channel"] == "EMAIL" else user.phone
    if target is None:  # `bound_contact` names one the user holds: never, short of a race
        return None
    await request_code(
        context.services,
        from_context(context),
        None,
        channel=contact["channel"],
        target=target,
        purpose="RESET_PASSWORD",
    )
    return contact


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


@dataclass(frozen=True)
class AccountSummary:
    """What other plugins read of an account (attribute names as on the account's model)."""

    id: int
    display_name: str
    email: str | None
    phone: str | None
    language: str
    roles: tuple[str, ...]
    status: str
    created_at: datetime
    notification_channels: tuple[str, ...] = ()

    @property
    def pk(self) -> int:
        return self.id

    @classmethod
    def from_model(cls, user: Any) -> AccountSummary:
        return cls(
            id=user.pk,
            display_name=user.display_name,
            email=user.email,
            phone=user.phone,
            language=user.language or "zh-CN",
            roles=tuple(user.roles or ()),
            status=user.status,
            created_at=user.created_at,
            notification_channels=tuple(user.notification_channels or ()),
        )


async def account_summary(user_id: int | str | None) -> AccountSummary | None:
    """The account with this id, or None."""
    from plugins.account.models import User

    if user_id is None or not str(user_id).isdigit():
        return None
    user = await User.get_or_none(id=int(user_id))
    return AccountSummary.from_model(user) if user is not None else None


async def account_of_actor(actor: Any) -> AccountSummary:
    """The signed-in user's account (the actor's loaded record saves a query when it is there)."""
    from plugins.account.models import User

    record = actor.record if isinstance(actor.record, User) else await User.get(id=int(actor.user_id))
    return AccountSummary.from_model(record)


async def account_summaries(user_ids: Iterable[int | str]) -> dict[int, AccountSummary]:
    """The accounts with these ids, by id (unknown ids are missing), in one query."""
    from plugins.account.models import User

    wanted = {int(i) for i in user_ids if str(i).isdigit()}
    return {u.pk: AccountSummary.from_model(u) for u in await User.filter(id__in=wanted)} if wanted else {}


async def existing_user_ids(user_ids: Iterable[int | str]) -> set[int]:
    """Which of these ids are accounts (one query)."""
    return set(await account_summaries(user_ids))


async def lock_account(user_id: int | str) -> AccountSummary | None:
    """The account, its row locked (`SELECT ... FOR UPDATE`) until the caller's transaction ends."""
    from plugins.account.models import User

    user = await User.filter(id=int(user_id)).select_for_update().first()
    return AccountSummary.from_model(user) if user is not None else None


async def account_batches(
    *, status: str = "ACTIVE", created_before: datetime | None = None, created_from: datetime | None = None
) -> AsyncIterator[list[AccountSummary]]:
    """Batches (500, by ascending id) of the accounts with `status` created in `[created_from,
    created_before)`, e.g. a survey's audience."""
    from plugins.account.models import User

    query = User.filter(status=status)
    if created_before is not None:
        query = query.filter(created_at__lt=created_before)
    if created_from is not None:
        query = query.filter(created_at__gte=created_from)
    last = 0
    while True:
        batch = list(await query.filter(id__gt=last).order_by("id").limit(500))
        if not batch:
            return
        last = batch[-1].pk
        yield [AccountSummary.from_model(user) for user in batch]


async def lift_restrictions(user_id: int | str, *, using_db: Any = None) -> int:
    """A ban was lifted: the user's restricted sessions become full sessions again (inside the
    caller's transaction when `using_db` is given). Returns how many sessions changed."""
    from plugins.account.models import Session

    query = Session.filter(user_id=int(user_id), restricted=True)
    if using_db is not None:
        query = query.using_db(using_db)
    return await query.update(restricted=False)


def demo_password() -> str:
    """The password of every demo account (`selfserve demo`)."""
    from plugins.account.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


async def create_demo_user(services: Any, email: str, display_name: str, roles: list[str]) -> AccountSummary:
    """The demo account with this email, created (verified, the demo password) when missing."""
    from plugins.account.models import User

    user = await User.get_or_none(email=email)
    if user is None:
        user = await User.create(
            email=email,
            email_verified=True,
            display_name=display_name,
            roles=roles,
            password_hash=services.passwords.hash(demo_password()),
        )
    return AccountSummary.from_model(user)
