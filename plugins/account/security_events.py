"""Security events: record them, tell the user (notification + `account.security_event`), notice
sign-ins from a new device or network, and act on "this wasn't me"."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.context import Services
from core.errors import NotFound
from core.events import Event
from core.notify import Message, queue_notification
from plugins.account import notices
from plugins.account.client import ClientInfo
from plugins.account.models import KnownSignIn, SecurityEvent, User
from plugins.account.sessions import revoke_user_sessions

EVENT_NAME = "account.security_event"


#: How long a device or network counts as "recently seen" for an account.
RECENTLY_SEEN = timedelta(days=90)


def contacts_of(user: User) -> list[tuple[str, str]]:
    """Where alerts for `user` go: every bound contact, email and phone."""
    found = [("EMAIL", user.email), ("SMS", user.phone)]
    return [(channel, target) for channel, target in found if target]


async def record(
    services: Services,
    user: User,
    kind: str,
    client: ClientInfo | None = None,
    *,
    notify: list[tuple[str, str]] | None = None,
    undo: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Store a security event, publish it and alert the user at `notify` (default: every contact
    bound now; a contact change passes the contacts as they were before it, so a contact added by
    a thief is never the only one told)."""
    client = client or ClientInfo(ip="")
    event = await SecurityEvent.create(
        user=user,
        kind=kind,
        ip=client.ip[:64],
        user_agent=client.user_agent[:300],
        device_name=client.device_name[:100],
        undo=undo,
    )
    await services.events.publish(
        Event(EVENT_NAME, {"user_id": str(user.pk), "kind": kind, "event_id": event.pk}, (f"user:{user.pk}",))
    )
    what = notices.pick(notices.EVENT_TITLES[kind], user.language)
    params = {
        "what": what,
        "when": event.created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
        "ip": client.ip or "-",
        "device": client.device_name or client.user_agent[:60] or "-",
    }
    targets = contacts_of(user) if notify is None else notify
    for channel, target in dict.fromkeys(targets):
        await queue_notification(
            services,
            Message(
                channel=channel,
                target=target,
                subject=notices.pick(notices.ALERT_SUBJECT, user.language, what=what),
                body=notices.pick(notices.ALERT_BODY, user.language, **params),
                kind="security_alert",
                user_id=str(user.pk),
                data={"event": kind, "event_id": event.pk},
            ),
        )
    return event


def network_of(ip: str) -> str:
    """The network an address belongs to: IPv4 /24, IPv6 /48 (a new one is worth an alert)."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def _fingerprints(services: Services, client: ClientInfo) -> dict[str, str]:
    device = f"{client.device_name.strip().lower()}|{client.user_agent.strip()}"
    return {
        "DEVICE": services.pii.lookup_hash(f"device:{device}"),
        "NETWORK": services.pii.lookup_hash(f"network:{network_of(client.ip)}"),
    }


async def is_known(services: Services, user: User, client: ClientInfo, *kinds: str) -> bool:
    """True when `user` signed in from this client's device or network (`kinds`) recently."""
    prints = _fingerprints(services, client)
    since = datetime.now(UTC) - RECENTLY_SEEN
    return await KnownSignIn.filter(
        user_id=user.pk,
        kind__in=list(kinds),
        fingerprint__in=[prints[k] for k in kinds],
        last_seen_at__gte=since,
    ).exists()


async def note_sign_in(
    services: Services, user: User, client: ClientInfo, *, first: bool = False
) -> str | None:
    """Remember this device and network; on a later sign-in from a new one record NEW_DEVICE (or
    NEW_NETWORK) and return its kind. `first` (registration) only remembers."""
    prints = _fingerprints(services, client)
    known = {
        (k.kind, k.fingerprint): k
        for k in await KnownSignIn.filter(user_id=user.pk, fingerprint__in=list(prints.values()))
    }
    new_kinds = [kind for kind, value in prints.items() if (kind, value) not in known]
    for kind in new_kinds:
        try:
            await KnownSignIn.create(user_id=user.pk, kind=kind, fingerprint=prints[kind])
        except IntegrityError:  # a concurrent sign-in recorded it first
            pass
    seen = [k.pk for k in known.values()]
    if seen:
        await KnownSignIn.filter(id__in=seen).update(last_seen_at=datetime.now(UTC))
    if first or not new_kinds:
        return None
    kind = "NEW_DEVICE" if "DEVICE" in new_kinds else "NEW_NETWORK"
    await record(services, user, kind, client)
    return kind


async def confirm(services: Services, user: User, event_pk: int, was_me: bool) -> SecurityEvent:
    """The user's answer to an event. "Not me" signs out every session (this one too), undoes a
    contact change the event records, and requires a password reset before the next sign-in."""
    event = await SecurityEvent.get_or_none(id=event_pk, user_id=user.pk)
    if event is None:
        raise NotFound(field="id")
    event.was_me = was_me
    event.confirmed_at = datetime.now(UTC)
    await event.save(update_fields=["was_me", "confirmed_at"])
    if not was_me:
        if event.undo:
            await _undo_contact_change(services, user, event.undo)
        user.password_reset_required = True
        await User.filter(id=user.pk).update(password_reset_required=True)
        await revoke_user_sessions(services, user.pk, reason="not_me")
        await record(services, user, "ACCOUNT_SECURED")
    return event


def contact_undo(services: Services, user: User, column: str, new: str) -> dict[str, Any]:
    """What `confirm(was_me=False)` needs to put a contact back (the previous one encrypted)."""
    previous = getattr(user, column)
    context = f"account.undo:{user.pk}"
    return {
        "column": column,
        "new": services.pii.lookup_hash(f"contact:{new}"),
        "previous": services.pii.encrypt_text(previous, context) if previous else None,
        "previous_verified": bool(getattr(user, f"{column}_verified")),
        "previous_bound_at": (b.isoformat() if (b := getattr(user, f"{column}_bound_at")) else None),
    }


async def _undo_contact_change(services: Services, user: User, undo: dict[str, Any]) -> None:
    """Put back the contact a change replaced, if the account still holds the new one."""
    column = undo.get("column")
    if column not in ("email", "phone"):
        return
    current = getattr(user, column)
    if current is None or services.pii.lookup_hash(f"contact:{current}") != undo.get("new"):
        return  # changed again since: the later event carries its own undo
    previous = (
        services.pii.decrypt_text(undo["previous"], f"account.undo:{user.pk}")
        if undo.get("previous")
        else None
    )
    bound_at = datetime.fromisoformat(undo["previous_bound_at"]) if undo.get("previous_bound_at") else None
    values = {column: previous, f"{column}_verified": undo.get("previous_verified", False) and bool(previous)}
    values[f"{column}_bound_at"] = bound_at
    try:
        async with in_transaction():
            await User.filter(id=user.pk).update(**values)
    except IntegrityError:  # another account took the old contact meanwhile: drop the thief's
        values.update({column: None, f"{column}_verified": False, f"{column}_bound_at": None})
        await User.filter(id=user.pk).update(**values)
    for name, value in values.items():
        setattr(user, name, value)
