"""Security primitives: password hashing, tokens, rate limits and throttles, PII encryption."""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.errors import RateLimited
from core.roles import Role as Role  # re-exported: the roles are part of the security vocabulary


class Passwords:
    """Argon2id hashing (argon2-cffi's RFC 9106 low-memory profile)."""

    def __init__(self) -> None:
        self._hasher = _Argon2()
        # Verified against when an account does not exist, so both paths cost one argon2 check.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    def hash(self, password: str) -> str:
        """Hash a password for storage."""
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """Check a password; with no stored hash it still spends the same time and fails."""
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and stored_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with older parameters."""
        return self._hasher.check_needs_rehash(stored_hash)


def derive_key(secret: str, purpose: str, length: int = 32) -> bytes:
    """A key for one purpose derived from the deployment secret (HKDF-SHA256)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"selfserve", info=purpose.encode()).derive(
        secret.encode()
    )


def token_hash(token: str) -> str:
    """SHA-256 of an opaque high-entropy token (refresh tokens, recovery codes) for storage."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_opaque_token(nbytes: int = 32) -> str:
    """A URL-safe random token."""
    return secrets.token_urlsafe(nbytes)


@dataclass(frozen=True)
class AccessClaims:
    """What an access token says: the user, the session, and whether the session is restricted."""

    user_id: str
    session_id: str
    expires_at: datetime
    restricted: bool = False


class AccessTokens:
    """Short-lived JWT access tokens (HS256) signed with a key derived from the secret."""

    def __init__(self, secret: str, ttl_seconds: int) -> None:
        self._key = derive_key(secret, "access-token")
        self.ttl = ttl_seconds

    def issue(self, user_id: str, session_id: str, restricted: bool = False) -> tuple[str, datetime]:
        """A signed token and its expiry."""
        now = datetime.now(UTC)
        expires = now + timedelta(seconds=self.ttl)
        claims = {
            "sub": user_id,
            "sid": session_id,
            "rst": restricted,
            "iat": int(now.timestamp()),
            "exp": int(expires.timestamp()),
            "typ": "access",
        }
        return jwt.encode(claims, self._key, algorithm="HS256"), expires

    def read(self, token: str) -> AccessClaims | None:
        """Claims of a valid, unexpired token, else None."""
        try:
            data = jwt.decode(
                token, self._key, algorithms=["HS256"], options={"require": ["exp", "sub", "sid"]}
            )
        except jwt.PyJWTError:
            return None
        if data.get("typ") != "access":
            return None
        return AccessClaims(
            user_id=str(data["sub"]),
            session_id=str(data["sid"]),
            expires_at=datetime.fromtimestamp(data["exp"], UTC),
            restricted=bool(data.get("rst")),
        )


class PiiCipher:
    """AES-GCM encryption of personal data at rest, plus a keyed hash to compare without decrypting."""

    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(derive_key(secret, "pii-encryption"))
        self._hash_key = derive_key(secret, "pii-lookup-hash")

    def encrypt(self, plaintext: bytes, context: str = "") -> bytes:
        """Encrypt; `context` is bound as associated data (e.g. the owning user id)."""
        nonce = secrets.token_bytes(12)
        return nonce + self._aead.encrypt(nonce, plaintext, context.encode())

    def decrypt(self, blob: bytes, context: str = "") -> bytes:
        """Decrypt what `encrypt` produced with the same context."""
        return self._aead.decrypt(blob[:12], blob[12:], context.encode())

    def encrypt_text(self, text: str, context: str = "") -> str:
        """Encrypt a string to base64 text (for a text column)."""
        return base64.b64encode(self.encrypt(text.encode(), context)).decode()

    def decrypt_text(self, blob: str, context: str = "") -> str:
        """Decrypt what `encrypt_text` produced."""
        return self.decrypt(base64.b64decode(blob), context).decode()

    def lookup_hash(self, value: str) -> str:
        """HMAC-SHA256 of a normalised value, to find duplicates without storing the value."""
        return hmac.new(self._hash_key, value.strip().upper().encode(), hashlib.sha256).hexdigest()


class RateLimiter:
    """Fixed-window counters in redis: `hit` raises `RateLimited` past `limit` per `window` seconds."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis

    async def hit(self, key: str, limit: int, window: int) -> int:
        """Count one use of `key`; return how many remain, or raise with the seconds to wait."""
        full_key = f"rl:{key}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(full_key, 0, ex=window, nx=True)
            pipe.incr(full_key)
            pipe.ttl(full_key)
            _, count, ttl = await pipe.execute()
        if count > limit:
            raise RateLimited(retry_after=max(int(ttl), 1))
        return limit - count

    async def reset(self, key: str) -> None:
        """Forget the counter (e.g. after a successful check)."""
        await self._redis.delete(f"rl:{key}")


class FailureThrottle:
    """Consecutive-failure throttle with a growing delay (login, code checks).

    The first `free` failures cost nothing; each further one locks the key for 2^(n-free) seconds,
    capped at `max_delay`. Success resets it.
    """

    def __init__(self, redis: Any, free: int = 5, max_delay: int = 900, memory: int = 86_400) -> None:
        self._redis = redis
        self.free = free
        self.max_delay = max_delay
        self.memory = memory

    async def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again (0 = now)."""
        until = await self._redis.get(f"thr:lock:{key}")
        if not until:
            return 0
        return max(0, math.ceil(float(until) - time.time()))

    async def failures(self, key: str) -> int:
        """Consecutive failures recorded for `key`."""
        return int(await self._redis.get(f"thr:n:{key}") or 0)

    async def fail(self, key: str) -> int:
        """Record a failure; returns the new consecutive count and sets the lock when due."""
        count = await self._redis.incr(f"thr:n:{key}")
        await self._redis.expire(f"thr:n:{key}", self.memory)
        if count > self.free:
            delay = min(2 ** (count - self.free), self.max_delay)
            await self._redis.set(f"thr:lock:{key}", str(time.time() + delay), ex=delay)
        return count

    async def succeed(self, key: str) -> None:
        """Reset after a success."""
        await self._redis.delete(f"thr:n:{key}", f"thr:lock:{key}")
