"""Verification codes: 6 digits, 10 minutes, single use, 5 tries, resend replaces, send limits.

Codes live in redis as a keyed hash (never the code itself). Concurrency is settled by atomic
redis primitives that behave the same on fakeredis and real Redis:
- each check first INCRs the code's try counter, so of any number of concurrent guesses at most
  `MAX_TRIES` are compared at all;
- a matching code is consumed with `SET used:<code id> NX`, so of concurrent requests presenting
  the right code exactly one wins.

Codes anyone may ask for (RESET_PASSWORD) are bound to the *requester* (a device: the client's
network and user agent, or the signed-in user): each requester has its own code, cooldown and
tries, so a stranger's requests and wrong guesses only spend the stranger's. The daily budget per
target is split: strangers share one, and a requester the account recognises (signed in as the
owner, or a network the owner signed in from recently) has another that strangers cannot touch.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.context import Services
from core.errors import DomainError, RateLimited
from core.security import derive_key

CODE_TTL = 600
RESEND_AFTER = 60
MAX_TRIES = 5
PER_TARGET_PER_DAY = 10
#: Codes one requester may have sent to one target per day.
PER_REQUESTER_PER_DAY = 5
PER_IP_PER_HOUR = 20
PER_IP_PER_DAY = 100
#: Deployment-wide daily cap on codes sent (SMS costs money, and a flood must stop somewhere).
GLOBAL_PER_DAY = 50_000
PREFIX = "account:code:"


@dataclass(frozen=True)
class CodeTicket:
    """What a code request answers: when the code expires and when another may be asked for."""

    expires_at: datetime
    resend_after: int


class Codes:
    """Issue and check verification codes for a (purpose, scope, target) subject."""

    def __init__(self, services: Services) -> None:
        self._redis = services.redis
        self._limiter = services.rate_limiter
        self._key = derive_key(services.secret_key, "verification-code")

    def _subject(self, purpose: str, scope: str, target: str) -> str:
        # Keyed hash: no phone number or email appears in redis keys.
        text = f"{purpose}|{scope}|{target}".encode()
        return hmac.new(self._key, text, hashlib.sha256).hexdigest()[:40]

    def _digest(self, subject: str, code: str) -> str:
        return hmac.new(self._key, f"{subject}|{code}".encode(), hashlib.sha256).hexdigest()

    async def _limit(self, key: str, limit: int, window: int) -> None:
        try:
            await self._limiter.hit(key, limit, window)
        except RateLimited as limited:
            raise DomainError("TOO_MANY_ATTEMPTS", field="target", retry_after=limited.retry_after) from None

    def _slot(self, subject: str, requester: str) -> str:
        if not requester:
            return subject
        return hmac.new(self._key, f"{subject}|{requester}".encode(), hashlib.sha256).hexdigest()[:40]

    async def issue(
        self, purpose: str, scope: str, target: str, ip: str, *, requester: str = "", recognised: bool = False
    ) -> tuple[str, CodeTicket]:
        """A new code for the subject and requester (replacing that requester's earlier one) after
        every send limit. A `recognised` requester skips the limits strangers can exhaust."""
        subject = self._subject(purpose, scope, target)
        slot = self._slot(subject, requester)
        if not recognised:
            await self._limit(f"code:ip-hour:{ip}", PER_IP_PER_HOUR, 3600)
            await self._limit(f"code:ip-day:{ip}", PER_IP_PER_DAY, 86_400)
        cooldown = f"{PREFIX}cool:{slot}"
        if not await self._redis.set(cooldown, "1", nx=True, ex=RESEND_AFTER):
            wait = await self._redis.ttl(cooldown)
            raise DomainError("TOO_MANY_ATTEMPTS", field="target", retry_after=max(int(wait), 1))
        if requester:
            await self._limit(f"code:requester-day:{slot}", PER_REQUESTER_PER_DAY, 86_400)
        budget = "trusted" if recognised else "any"
        await self._limit(f"code:target-day:{budget}:{subject}", PER_TARGET_PER_DAY, 86_400)
        if not recognised:
            await self._limit("code:global-day", GLOBAL_PER_DAY, 86_400)
        code = f"{secrets.randbelow(10**6):06d}"
        record = {"id": secrets.token_hex(12), "h": self._digest(subject, code)}
        await self._redis.set(f"{PREFIX}{slot}", json.dumps(record), ex=CODE_TTL)
        expires = datetime.now(UTC) + timedelta(seconds=CODE_TTL)
        return code, CodeTicket(expires_at=expires, resend_after=RESEND_AFTER)

    async def consume(
        self, purpose: str, scope: str, target: str, code: str, field: str = "code", *, requester: str = ""
    ) -> None:
        """Accept `code` once, or raise INVALID_CODE (wrong, expired, used) or TOO_MANY_ATTEMPTS.
        With a `requester`, only the code that requester asked for is checked."""
        subject = self._subject(purpose, scope, target)
        slot = self._slot(subject, requester)
        key = f"{PREFIX}{slot}"
        raw = await self._redis.get(key)
        if not raw:
            raise DomainError("INVALID_CODE", field=field)
        record = json.loads(raw)
        tries_key = f"{PREFIX}tries:{record['id']}"
        tries = await self._redis.incr(tries_key)
        await self._redis.expire(tries_key, CODE_TTL)
        if tries > MAX_TRIES:
            await self._drop(key, record["id"])
            wait = await self._redis.ttl(f"{PREFIX}cool:{slot}")
            raise DomainError("TOO_MANY_ATTEMPTS", field=field, retry_after=max(int(wait), 1))
        presented = (code or "").strip()
        if len(presented) != 6 or not presented.isdigit():
            raise DomainError("INVALID_CODE", field=field)
        if not hmac.compare_digest(self._digest(subject, presented), record["h"]):
            raise DomainError("INVALID_CODE", field=field)
        if not await self._redis.set(f"{PREFIX}used:{record['id']}", "1", nx=True, ex=CODE_TTL):
            raise DomainError("INVALID_CODE", field=field)
        await self._drop(key, record["id"])

    async def _drop(self, key: str, code_id: str) -> None:
        # Only the code we checked: a resend may have replaced it meanwhile.
        raw = await self._redis.get(key)
        if raw and json.loads(raw).get("id") == code_id:
            await self._redis.delete(key)
