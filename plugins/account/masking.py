"""How contacts and IDs appear in API answers: masked, never in full."""

from __future__ import annotations


def mask_email(email: str | None) -> str | None:
    """`alice@example.com` -> `a***@example.com`."""
    if not email:
        return None
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def mask_phone(phone: str | None) -> str | None:
    """`+8613800000000` -> `138****0000`; other E.164 numbers keep country code and last 4 digits."""
    if not phone:
        return None
    if phone.startswith("+86") and len(phone) == 14:
        digits = phone[3:]
        return f"{digits[:3]}****{digits[-4:]}"
    return f"{phone[:3]}****{phone[-4:]}"
