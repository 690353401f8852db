"""Staff user administration: look a user up by an exact identifier, and set staff roles.

Searches take an exact email, phone or user id (never a prefix or a pattern, so the directory
cannot be walked), are rate limited per staff member and audited. Role changes are audited with
their reason, and the deployment always keeps an administrator."""

from __future__ import annotations

from typing import Any

from tortoise.transactions import in_transaction

from core import audit
from core.context import Services
from core.errors import DomainError, NotFound
from core.roles import Role
from plugins.account import validation
from plugins.account.models import User
from schema.relay import from_global_id

STAFF_ROLES = (Role.AGENT, Role.REVIEWER, Role.ADMIN, Role.SALES)
#: Searches per staff member per minute.
SEARCHES_PER_MINUTE = 30


def _as_id(text: str) -> int | None:
    try:
        kind, pk = from_global_id(text)
    except Exception:  # not a global id: maybe a bare database id
        kind, pk = "User", text
    return int(pk) if kind == "User" and str(pk).isdigit() and len(str(pk)) <= 12 else None


def _as(normalize: Any, text: str) -> str | None:
    try:
        return normalize(text)
    except DomainError:
        return None


async def search(services: Services, actor: Any, text: str, *, ip: str, limit: int) -> list[User]:
    """Users matching `text` exactly as an email, a phone number or a user id (at most one each)."""
    await services.rate_limiter.hit(f"account:user-search:{actor.user_id}", SEARCHES_PER_MINUTE, 60)
    text = (text or "").strip()
    if not 1 <= len(text) <= 254:
        raise DomainError("INVALID_INPUT", field="search", detail="an email, a phone number or a user id")
    found: dict[int, User] = {}
    email = _as(validation.normalize_email, text) if "@" in text else None
    phone = _as(validation.normalize_phone, text) if "@" not in text else None
    pk = _as_id(text)
    conditions: tuple[dict[str, Any], ...] = ({"email": email}, {"phone": phone}, {"id": pk})
    for condition in conditions:
        value = next(iter(condition.values()))
        if value is not None:
            user = await User.get_or_none(**condition)
            if user is not None and user.status != "DELETED":
                found[user.pk] = user
    await audit.record(
        services,
        actor=actor,
        action="account.user_search",
        target_type="User",
        target_id=",".join(map(str, found)) or None,
        ip=ip,
        data={"by": "email" if email else "phone" if phone else "id", "matches": len(found)},
    )
    return list(found.values())[:limit]


async def _admin_count() -> int:
    # Roles are a JSON list, which SQLite cannot search portably: read the staff rows only (few).
    staff = (
        await User.exclude(roles=[]).filter(status__in=("ACTIVE", "BANNED")).values_list("roles", flat=True)
    )
    return sum(Role.ADMIN in (roles or []) for roles in staff)


async def set_roles(
    services: Services, admin: Any, *, user_pk: int, roles: list[str], reason: str, ip: str
) -> User:
    """Give `user_pk` exactly the staff `roles` (USER is implicit). The last administrator cannot
    remove their own ADMIN role (`LAST_ADMIN`); the change and its reason are audited."""
    reason = " ".join((reason or "").split())
    if not 5 <= len(reason) <= 500:
        raise DomainError("INVALID_INPUT", field="input.reason", detail="a reason of 5 to 500 characters")
    wanted = sorted({r for r in roles if r != "USER"})
    if any(r not in STAFF_ROLES for r in wanted):
        raise DomainError("INVALID_INPUT", field="input.roles", detail="AGENT, REVIEWER, ADMIN or SALES")
    async with in_transaction():
        user = await User.filter(id=user_pk).select_for_update().first()
        if user is None or user.status == "DELETED":
            raise NotFound(field="input.userId")
        before = sorted(user.roles or [])
        user.roles = wanted
        await user.save(update_fields=["roles"])
        if Role.ADMIN in before and Role.ADMIN not in wanted and await _admin_count() == 0:
            raise DomainError("LAST_ADMIN", field="input.roles")
        await audit.record(
            services,
            actor=admin,
            action="account.roles_set",
            target_type="User",
            target_id=user.pk,
            reason=reason,
            ip=ip,
            data={"before": before, "after": wanted},
        )
    return user
