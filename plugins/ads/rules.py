"""Input rules of the advertising desk: budgets and their queues, industries, contacts, files."""

from __future__ import annotations

import re

from core.errors import DomainError
from core.roles import Role
from core.storage import DOCUMENT_TYPES, IMAGE_TYPES

#: Budget range -> (sales queue, answer time in working hours).
BUDGETS: dict[str, tuple[str, int]] = {
    "UNDER_10K": ("sales-self-serve", 48),
    "FROM_10K_TO_50K": ("sales-smb", 24),
    "FROM_50K_TO_200K": ("sales-smb", 24),
    "FROM_200K_TO_1M": ("sales-key-accounts", 8),
    "OVER_1M": ("sales-key-accounts", 8),
}
INDUSTRIES = (
    "ECOMMERCE", "GAMES", "EDUCATION", "FOOD_BEVERAGE", "BEAUTY", "AUTOMOTIVE", "FINANCE",
    "HEALTHCARE", "TRAVEL", "TECHNOLOGY", "LOCAL_SERVICES", "OTHER",
)  # fmt: skip
#: Industries whose ads need an industry qualification (licence to operate) besides the business licence.
REGULATED = frozenset({"GAMES", "EDUCATION", "FINANCE", "HEALTHCARE"})
FILE_TYPES = IMAGE_TYPES | DOCUMENT_TYPES
FILE_MAX_BYTES = 10 * 1024 * 1024
MAX_DOCUMENTS = 5
STAFF_ROLES = (Role.REVIEWER, Role.SALES)

_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_CN_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


def text(value: str | None, *, field: str, limit: int, required: bool = True) -> str:
    """Trimmed text of at most `limit` characters (INVALID_INPUT otherwise)."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError("INVALID_INPUT", field=field, detail="required")
    if len(cleaned) > limit:
        raise DomainError("INVALID_INPUT", field=field, detail=f"at most {limit} characters")
    return cleaned


def contact(value: str | None, field: str = "input.contact") -> tuple[str, str]:
    """(normalised contact, masked form) for an email or a mainland mobile number."""
    raw = re.sub(r"[\s()-]", "", value or "")
    mobile = _CN_MOBILE.match(raw)
    if mobile:
        digits = mobile.group(1)
        return f"+86{digits}", f"{digits[:3]}****{digits[-4:]}"
    if _EMAIL.match(raw) and len(raw) <= 254:
        local, _, domain = raw.lower().partition("@")
        return f"{local}@{domain}", f"{local[:1]}***@{domain}"
    raise DomainError("INVALID_CONTACT", field=field)
