"""Input rules for contacts, passwords and names (no storage, no GraphQL)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from core.errors import DomainError

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
CN_MOBILE = re.compile(r"^1[3-9]\d{9}$")
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
PASSWORD_MIN, PASSWORD_MAX = 8, 128


def normalize_email(value: str, field: str = "email") -> str:
    """Lower-cased, trimmed email; INVALID_INPUT when it is not an address."""
    email = (value or "").strip().lower()
    if len(email) > 254 or not EMAIL.match(email):
        raise DomainError("INVALID_INPUT", field=field, detail="invalid email address")
    return email


def normalize_phone(value: str, field: str = "phone") -> str:
    """E.164 phone number; an 11-digit mainland China mobile number gets +86."""
    phone = re.sub(r"[\s()-]", "", value or "")
    if phone.startswith("0086"):
        phone = "+86" + phone[4:]
    if CN_MOBILE.match(phone):
        phone = "+86" + phone
    if not E164.match(phone) or (phone.startswith("+86") and not CN_MOBILE.match(phone[3:])):
        raise DomainError("INVALID_INPUT", field=field, detail="invalid phone number")
    return phone


def login_identifier(value: str) -> tuple[str, str] | None:
    """`("email", x)` or `("phone", x)` for a login string, or None when it is neither."""
    value = (value or "").strip()
    try:
        return ("email", normalize_email(value)) if "@" in value else ("phone", normalize_phone(value))
    except DomainError:
        return None


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The most common passwords (package data), lower-cased."""
    path = resources.files("plugins.account") / "data" / "common_passwords.txt"
    if not path.is_file():
        return frozenset()
    return frozenset(
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def check_password(password: str, field: str = "password") -> None:
    """8..128 characters and not one of the most common passwords (WEAK_PASSWORD otherwise)."""
    if not isinstance(password, str) or not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise DomainError("WEAK_PASSWORD", field=field, reason="length")
    if password.lower() in common_passwords():
        raise DomainError("WEAK_PASSWORD", field=field, reason="common")


def clean_display_name(value: str) -> str:
    """A trimmed display name of 1..64 printable characters."""
    name = " ".join((value or "").split())
    if not 1 <= len(name) <= 64 or not name.isprintable():
        raise DomainError("INVALID_INPUT", field="displayName", detail="display name must be 1-64 characters")
    return name
