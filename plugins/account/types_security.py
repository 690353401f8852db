"""GraphQL types of the account-security self-service: codes, passwords, two-step verification,
security events, real-name verification and deletion."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from plugins.account.models import RealNameVerification as RealNameModel
from plugins.account.models import SecurityEvent as SecurityEventModel
from schema.relay import Node, to_global_id


@strawberry.enum(description="Real-name (ID) verification state.")
class RealNameStatus(enum.Enum):
    NONE = "NONE"
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


@strawberry.enum(description="How a verification code is delivered.")
class CodeChannel(enum.Enum):
    EMAIL = "EMAIL"
    SMS = "SMS"


@strawberry.enum(description="What a verification code is for.")
class CodePurpose(enum.Enum):
    VERIFY_CONTACT = "VERIFY_CONTACT"
    RESET_PASSWORD = "RESET_PASSWORD"
    SENSITIVE_ACTION = "SENSITIVE_ACTION"


@strawberry.type(
    description="A code is on its way (or, for an unknown account, looks exactly as if it were)."
)
class CodeSent:
    expires_at: datetime = strawberry.field(description="When the code stops working (10 minutes).")
    resend_after: int = strawberry.field(description="Seconds before another code may be requested.")


@strawberry.type(description="The password was changed or reset; other sessions were signed out.")
class PasswordUpdated:
    revoked_sessions: int = strawberry.field(description="How many other sessions were signed out.")
    message: str = strawberry.field(description="What happened, in the request's language.")


@strawberry.type(description="A pending authenticator: scan the QR code, then call accountTwoFactorEnable.")
class TwoFactorSetup:
    secret: str = strawberry.field(description="Base32 secret, for typing into the app by hand.")
    otpauth_uri: str = strawberry.field(description="The otpauth:// URI the QR code holds.")
    qr_code_svg: str = strawberry.field(description="The QR code as an SVG document.")


@strawberry.type(description="Single-use recovery codes, shown only this once.")
class RecoveryCodes:
    codes: list[str] = strawberry.field(description="10 codes, each usable once instead of the app.")


@strawberry.type(description="The session re-authenticated: sensitive changes are allowed for a while.")
class Reauthenticated:
    valid_for: int = strawberry.field(description="Seconds the re-authentication lasts (600).")


@strawberry.type(description="Account deletion is scheduled; signing in before `deleteAfter` cancels it.")
class DeletionScheduled:
    delete_after: datetime = strawberry.field(description="End of the 15-day cooling-off period.")


@strawberry.enum(description="What a security event reports.")
class SecurityEventKind(enum.Enum):
    NEW_DEVICE = "NEW_DEVICE"
    NEW_NETWORK = "NEW_NETWORK"
    FAILED_LOGIN_BURST = "FAILED_LOGIN_BURST"
    SIGN_IN_LOCKED = "SIGN_IN_LOCKED"
    SECOND_FACTOR_FAILURES = "SECOND_FACTOR_FAILURES"
    PASSWORD_CHANGED = "PASSWORD_CHANGED"
    PASSWORD_RESET = "PASSWORD_RESET"
    CONTACT_CHANGED = "CONTACT_CHANGED"
    TWO_FACTOR_ENABLED = "TWO_FACTOR_ENABLED"
    TWO_FACTOR_DISABLED = "TWO_FACTOR_DISABLED"
    RECOVERY_CODE_USED = "RECOVERY_CODE_USED"
    ACCOUNT_SECURED = "ACCOUNT_SECURED"
    DELETION_REQUESTED = "DELETION_REQUESTED"
    DELETION_CANCELLED = "DELETION_CANCELLED"
    SUPPORT_SESSIONS_REVOKED = "SUPPORT_SESSIONS_REVOKED"
    SUPPORT_TWO_FACTOR_RESET = "SUPPORT_TWO_FACTOR_RESET"
    SUPPORT_CONTACT_REMOVED = "SUPPORT_CONTACT_REMOVED"


@strawberry.type(description="A security alert on the account; answer whether it was you.")
class SecurityEvent(Node):
    owner_pk: strawberry.Private[int]
    kind: SecurityEventKind = strawberry.field(description="What happened.")
    ip: str = strawberry.field(description="Address of the request that caused it.")
    user_agent: str = strawberry.field(description="User agent of that request.")
    device_name: str = strawberry.field(description="Device name given at sign-in, if any.")
    created_at: datetime = strawberry.field(description="When it happened.")
    was_me: bool | None = strawberry.field(description="The user's answer; null until answered.")
    confirmed_at: datetime | None = strawberry.field(description="When the user answered.")

    @classmethod
    def from_model(cls, event: SecurityEventModel) -> SecurityEvent:
        return cls(
            id=to_global_id("SecurityEvent", event.pk),
            owner_pk=event.user_id,
            kind=SecurityEventKind(event.kind),
            ip=event.ip,
            user_agent=event.user_agent,
            device_name=event.device_name,
            created_at=event.created_at,
            was_me=event.was_me,
            confirmed_at=event.confirmed_at,
        )


@strawberry.type(description="A real-name (ID) verification; the ID number is masked.")
class RealNameVerification:
    status: RealNameStatus = strawberry.field(description="PENDING, VERIFIED or REJECTED.")
    masked_id_number: str = strawberry.field(description='e.g. "1101**********1234".')
    submitted_at: datetime = strawberry.field(description="When it was submitted.")
    reviewed_at: datetime | None = strawberry.field(description="When a reviewer decided.")

    @classmethod
    def from_model(cls, record: RealNameModel) -> RealNameVerification:
        return cls(
            status=RealNameStatus(record.status),
            masked_id_number=record.masked_id_number,
            submitted_at=record.submitted_at,
            reviewed_at=record.reviewed_at,
        )


def mask_ip(ip: str) -> str:
    """An address with its host part hidden: `203.0.113.*`, `2001:db8:85a3:*`."""
    if ":" in ip:
        return ":".join(ip.split(":")[:3]) + ":*"
    parts = ip.split(".")
    return ".".join(parts[:3]) + ".*" if len(parts) == 4 else ("*" if ip else "")


@strawberry.type(description="A security event as support agents see it: what and when, the address masked.")
class MaskedSecurityEvent:
    kind: SecurityEventKind = strawberry.field(description="What happened.")
    created_at: datetime = strawberry.field(description="When it happened.")
    ip: str = strawberry.field(description='The address with its host part hidden, e.g. "203.0.113.*".')
    device: str = strawberry.field(description="The device name given at sign-in (first 40 characters).")
    was_me: bool | None = strawberry.field(description="The user's answer to the alert, if any.")

    @classmethod
    def from_model(cls, event: SecurityEventModel) -> MaskedSecurityEvent:
        return cls(
            kind=SecurityEventKind(event.kind),
            created_at=event.created_at,
            ip=mask_ip(event.ip),
            device=event.device_name[:40],
            was_me=event.was_me,
        )
