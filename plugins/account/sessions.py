"""Sessions and tokens: issue, rotate (reuse revokes the family), revoke, and read access tokens."""

from __future__ import annotations

import copy
import dataclasses
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from core.context import Actor, Services
from core.errors import DomainError
from core.security import new_opaque_token, token_hash
from plugins.account.models import RefreshToken, Session, User

REVOKED_KEY = "account:revoked-session:"


@dataclass(frozen=True)
class IssuedSession:
    """What a successful sign-in or refresh returns."""

    access_token: str
    refresh_token: str
    expires_at: datetime
    user: User
    session: Session

    @property
    def restricted(self) -> bool:
        """True for a banned account's session."""
        return self.session.restricted


def _now() -> datetime:
    return datetime.now(UTC)


async def start_session(
    services: Services, user: User, *, device_name: str, user_agent: str, ip: str
) -> IssuedSession:
    """Create a session for `user` and its first refresh token."""
    ttl = timedelta(days=services.settings.refresh_token_ttl_days)
    session = await Session.create(
        id=uuid.uuid4(),
        user=user,
        device_name=(device_name or "")[:100],
        user_agent=(user_agent or "")[:300],
        ip=ip[:64],
        restricted=user.status == "BANNED",
        expires_at=_now() + ttl,
    )
    refresh = new_opaque_token()
    await RefreshToken.create(session=session, token_hash=token_hash(refresh))
    return _issue(services, user, session, refresh)


def _issue(services: Services, user: User, session: Session, refresh: str) -> IssuedSession:
    access, expires = services.access_tokens.issue(str(user.pk), str(session.pk), session.restricted)
    return IssuedSession(access, refresh, expires, user, session)


async def rotate(services: Services, presented: str) -> IssuedSession:
    """Exchange a refresh token for a new pair. A rotated token presented again revokes the whole
    session (a stolen token was used), and an unknown, expired or revoked one is INVALID_TOKEN."""
    if not presented or len(presented) > 200:
        raise DomainError("INVALID_TOKEN")
    async with in_transaction():
        token = (
            await RefreshToken.filter(token_hash=token_hash(presented))
            .select_for_update()
            .prefetch_related("session__user")
            .first()
        )
        if token is None:
            raise DomainError("INVALID_TOKEN")
        session = token.session
        if session.revoked_at is not None or session.expires_at <= _now():
            raise DomainError("INVALID_TOKEN")
        if token.used_at is not None:
            reuse = True
        else:
            reuse = False
            token.used_at = _now()
            await token.save(update_fields=["used_at"])
            refresh = new_opaque_token()
            await RefreshToken.create(session=session, token_hash=token_hash(refresh))
            session.last_seen_at = _now()
            session.restricted = session.user.status == "BANNED"
            await session.save(update_fields=["last_seen_at", "restricted"])
    if reuse:
        await revoke_sessions(services, [session], reason="refresh_reuse")
        raise DomainError("INVALID_TOKEN")
    return _issue(services, session.user, session, refresh)


async def revoke_sessions(services: Services, sessions: list[Session], reason: str) -> int:
    """Revoke sessions now: their refresh tokens stop working, and their access tokens are refused
    from the next request on (a redis mark that outlives the longest access token)."""
    ids = [s.pk for s in sessions if s.revoked_at is None]
    if not ids:
        return 0
    await Session.filter(id__in=ids, revoked_at__isnull=True).update(revoked_at=_now(), revoked_reason=reason)
    ttl = services.settings.access_token_ttl_seconds + 60
    async with services.redis.pipeline(transaction=False) as pipe:
        for session_id in ids:
            pipe.set(f"{REVOKED_KEY}{session_id}", "1", ex=ttl)
        await pipe.execute()
    if services.caches is not None:
        await services.caches.invalidate(*(f"session:{session_id}" for session_id in ids))
    return len(ids)


async def revoke_user_sessions(
    services: Services, user_id: int, *, except_session: str | None = None, reason: str
) -> int:
    """Revoke every live session of a user, optionally keeping the current one."""
    query = Session.filter(user_id=user_id, revoked_at__isnull=True)
    if except_session:
        query = query.exclude(id=except_session)
    return await revoke_sessions(services, list(await query), reason)


#: The per-process cache of verified tokens (see `core.local_cache`).
ACTOR_CACHE = "account.actors"


async def actor_for_access_token(services: Services, token: str) -> Actor | None:
    """The actor of a valid access token whose session is not revoked (one redis read, one SQL),
    served from the per-process actor cache while nothing changed the user or the session (ban,
    roles, revocation and every other user row write drop the entry in every process)."""
    cache = services.caches.cache(ACTOR_CACHE) if services.caches is not None else None
    cached = cache.get(token) if cache is not None else None
    if cached is not None:
        return _fresh(cached)
    generation = cache.generation() if cache is not None else 0
    claims = services.access_tokens.read(token)
    if claims is None or await services.redis.exists(f"{REVOKED_KEY}{claims.session_id}"):
        return None
    if not claims.user_id.isdigit():
        return None
    user = await User.get_or_none(id=int(claims.user_id))
    if user is None:
        return None
    actor = Actor(
        user_id=str(user.pk),
        session_id=claims.session_id,
        roles=frozenset(["USER", *user.roles]),
        restricted=user.status == "BANNED",  # live: a ban or an overturn applies at once
        language=user.language,
        record=user,
    )
    if cache is not None:
        # Never past the token's own expiry (monotonic clock, like the cache).
        left = (claims.expires_at - datetime.now(UTC)).total_seconds()
        cache.put(
            token,
            _fresh(actor),
            (f"user:{user.pk}", f"session:{claims.session_id}"),
            generation,
            expires_at=time.monotonic() + left,
        )
    return actor


def _fresh(actor: Actor) -> Actor:
    """A copy whose user record is the request's own (resolvers may change and save it); the
    user's JSON fields (roles, notification channels) are flat lists, copied too."""
    record = copy.copy(actor.record)
    for name, value in vars(record).items():
        if isinstance(value, list | dict):
            record.__dict__[name] = value.copy()
    return dataclasses.replace(actor, record=record)


async def actor_for_session(services: Services, user_id: str, session_id: str) -> Actor | None:
    """The actor of `user_id` on `session_id` as they are now (roles, ban), or None when the session
    is revoked or belongs to someone else: what a signed file URL re-checks at download."""
    if not str(user_id).isdigit() or await services.redis.exists(f"{REVOKED_KEY}{session_id}"):
        return None
    try:
        uuid.UUID(str(session_id))
    except ValueError:
        return None
    session = await Session.get_or_none(id=session_id, user_id=int(user_id)).prefetch_related("user")
    if session is None or session.revoked_at is not None:
        return None
    user = session.user
    return Actor(
        user_id=str(user.pk),
        session_id=session_id,
        roles=frozenset(["USER", *user.roles]),
        restricted=user.status == "BANNED",
        language=user.language,
        record=user,
    )


async def revoke_sessions_by_id(services: Services, session_ids: list[str], reason: str) -> int:
    """Revoke the sessions with these ids."""
    return await revoke_sessions(services, list(await Session.filter(id__in=session_ids)), reason)
