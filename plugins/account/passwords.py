"""Code requests and passwords: ask for a code, change the password, reset it with a code.

A reset and a code request answer the same whether or not an account has the contact. Both
password operations sign out the user's other sessions and record a security event.
"""

from __future__ import annotations

from typing import Any

from core.context import Services
from core.errors import DomainError, NotAuthenticated
from core.notify import Message, queue_notification
from plugins.account import notices, reauth, security_events, validation
from plugins.account.client import ClientInfo
from plugins.account.codes import Codes, CodeTicket
from plugins.account.models import User
from plugins.account.sessions import revoke_user_sessions

PURPOSES = ("VERIFY_CONTACT", "RESET_PASSWORD", "SENSITIVE_ACTION")


def normalize_target(channel: str, target: str, field: str = "target") -> str:
    """The normalised email (EMAIL) or E.164 phone (SMS); INVALID_INPUT otherwise."""
    if channel == "EMAIL":
        return validation.normalize_email(target, field)
    return validation.normalize_phone(target, field)


def requester_of(client: ClientInfo) -> str:
    """Who asks for a RESET_PASSWORD code: a device, as its network and user agent (the code is
    checked only for the same requester, so a stranger can neither replace nor burn it)."""
    return f"{security_events.network_of(client.ip)}|{client.user_agent}"


async def _recognised(
    services: Services, client: ClientInfo, user: User | None, recipient: User | None
) -> bool:
    """The owner asking: signed in as them, or from a network or device they signed in from."""
    if recipient is None:
        return False
    if user is not None and user.pk == recipient.pk:
        return True
    return await security_events.is_known(services, recipient, client, "NETWORK", "DEVICE")


async def request_code(
    services: Services,
    client: ClientInfo,
    user: User | None,
    *,
    channel: str,
    target: str,
    purpose: str,
    session_id: str | None = None,
) -> CodeTicket:
    """Send a code by a retried job. VERIFY_CONTACT (a new contact) and SENSITIVE_ACTION (a bound
    one that may vouch for changes) need a signed-in user; RESET_PASSWORD does not and never
    tells whether the account exists."""
    if purpose not in PURPOSES:
        raise DomainError("INVALID_INPUT", field="purpose", detail="unknown purpose")
    value = normalize_target(channel, target)
    recipient: User | None = user
    scope = str(user.pk) if user else ""
    requester, recognised = "", False
    if purpose == "RESET_PASSWORD":
        match: dict[str, Any] = {"email" if channel == "EMAIL" else "phone": value}
        recipient = await User.get_or_none(**match)
        scope, requester = "", requester_of(client)
        recognised = await _recognised(services, client, user, recipient)
    elif user is None:
        raise NotAuthenticated()
    elif purpose == "SENSITIVE_ACTION":
        value = await reauth.vouching_target(services, user, session_id, channel, target)
    code, ticket = await Codes(services).issue(
        purpose, scope, value, client.ip, requester=requester, recognised=recognised
    )
    if recipient is not None and recipient.status != "DELETED":
        language = client.language if purpose == "RESET_PASSWORD" else recipient.language
        await queue_notification(
            services,
            Message(
                channel=channel,
                target=value,
                subject=notices.pick(notices.CODE_SUBJECT, language),
                body=notices.pick(
                    notices.CODE_BODY,
                    language,
                    code=code,
                    purpose=notices.pick(notices.PURPOSES[purpose], language),
                ),
                kind="verification_code",
                user_id=str(recipient.pk),
                data={"purpose": purpose},
            ),
        )
    return ticket


async def change_password(
    services: Services, user: User, session_id: str | None, client: ClientInfo, *, current: str, new: str
) -> int:
    """Change the password (the current one is required); returns how many sessions were revoked."""
    validation.check_password(new, field="newPassword")
    await reauth.check_password(services, user, current, client, field="currentPassword")
    user.password_hash = services.passwords.hash(new)
    await User.filter(id=user.pk).update(password_hash=user.password_hash)
    revoked = await revoke_user_sessions(
        services, user.pk, except_session=session_id, reason="password_changed"
    )
    await reauth.mark(services, session_id, "password")
    await security_events.record(services, user, "PASSWORD_CHANGED", client)
    return revoked


async def reset_password(
    services: Services, client: ClientInfo, session_id: str | None, *, login: str, code: str, new: str
) -> int:
    """Set a new password with a RESET_PASSWORD code sent to the login's email or phone. An unknown
    account fails exactly like a wrong code. Returns how many sessions were revoked."""
    validation.check_password(new, field="newPassword")
    identifier = validation.login_identifier(login)
    if identifier is None:
        raise DomainError("INVALID_INPUT", field="login", detail="an email or a phone number")
    kind, value = identifier
    await Codes(services).consume("RESET_PASSWORD", "", value, code, requester=requester_of(client))
    match: dict[str, Any] = {kind: value}
    user = await User.get_or_none(**match)
    if user is None:
        raise DomainError("INVALID_CODE", field="code")
    verified = "email_verified" if kind == "email" else "phone_verified"
    user.password_hash = services.passwords.hash(new)
    await User.filter(id=user.pk).update(
        password_hash=user.password_hash, password_reset_required=False, failed_logins=0, **{verified: True}
    )
    user.password_reset_required = False
    # The session making the request survives only if it is this user's own.
    revoked = await revoke_user_sessions(
        services, user.pk, except_session=session_id, reason="password_reset"
    )
    await security_events.record(services, user, "PASSWORD_RESET", client)
    return revoked
