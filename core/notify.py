"""Notifications (codes, alerts): a notifier interface, an outbox for development, SMTP for email.

Sending is done by a job (retried), never inline in a request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from core import outbox
from core.context import Services
from core.db import use_orm


@dataclass(frozen=True)
class Message:
    """One notification to one target over one channel (EMAIL, SMS or INAPP)."""

    channel: str
    target: str
    subject: str
    body: str
    kind: str = "notice"
    user_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    #: Sent at most once per id (the job's idempotency key).
    id: str = field(default_factory=lambda: uuid.uuid4().hex)


class Notifier(Protocol):
    """Delivers messages; raises on failure so the job retries."""

    async def send(self, message: Message) -> None: ...


class OutboxNotifier:
    """Development notifier: appends each message as a JSON line to `var/outbox.jsonl`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    async def send(self, message: Message) -> None:
        """Append the message to the outbox."""
        line = json.dumps({**asdict(message), "at": datetime.now(UTC).isoformat()}, ensure_ascii=False)
        async with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line + "\n")

    def read(self) -> list[dict[str, Any]]:
        """Every message written so far (tests, the demo)."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line]


class SmtpNotifier:
    """Email through SMTP (aiosmtplib)."""

    def __init__(self, settings: Any) -> None:
        self._settings = settings

    async def send(self, message: Message) -> None:
        """Send one email."""
        import aiosmtplib

        email = EmailMessage()
        email["From"] = self._settings.smtp_sender
        email["To"] = message.target
        email["Subject"] = message.subject
        email.set_content(message.body)
        await aiosmtplib.send(
            email,
            hostname=self._settings.smtp_host,
            port=self._settings.smtp_port,
            username=self._settings.smtp_username or None,
            password=self._settings.smtp_password or None,
            start_tls=self._settings.smtp_tls,
        )


class ChannelNotifier:
    """Routes each message by channel: EMAIL and SMS to their senders, everything else (and any
    channel without a sender) to the outbox."""

    def __init__(
        self, outbox: OutboxNotifier, email: Notifier | None = None, sms: Notifier | None = None
    ) -> None:
        self.outbox = outbox
        self._senders = {"EMAIL": email, "SMS": sms}

    async def send(self, message: Message) -> None:
        """Deliver through the channel's sender."""
        await (self._senders.get(message.channel) or self.outbox).send(message)

    def read(self) -> list[dict[str, Any]]:
        """What went to the outbox (tests, the demo)."""
        return self.outbox.read()

    def use(self, channel: str, sender: Notifier) -> None:
        """Deliver `channel` through `sender` from now on (the account plugin installs the SMS
        provider at start-up)."""
        self._senders[channel] = sender

    def sender(self, channel: str) -> Notifier:
        """The sender that delivers `channel` (the outbox when none is configured)."""
        return self._senders.get(channel) or self.outbox


def make_notifier(settings: Any, sms_providers: list[Any] | None = None) -> ChannelNotifier:
    """The configured notifier: `SELFSERVE_NOTIFIER=smtp` sends email by SMTP; with
    `sms_providers`, `SELFSERVE_SMS_PROVIDER` names one of them (without, SMS goes to the outbox
    until a plugin installs a sender with `ChannelNotifier.use`)."""
    outbox = OutboxNotifier(settings.outbox_path)
    email = SmtpNotifier(settings) if settings.notifier == "smtp" else None
    sms = pick_sms_provider(settings, sms_providers) if sms_providers is not None else None
    return ChannelNotifier(outbox, email=email, sms=sms)


def pick_sms_provider(settings: Any, providers: list[Any]) -> Notifier | None:
    """The provider `SELFSERVE_SMS_PROVIDER` names (None when unset); an unknown name stops
    start-up with a `RuntimeError`."""
    if not settings.sms_provider:
        return None
    found = [provider for provider in providers if provider.name == settings.sms_provider]
    if not found:
        raise RuntimeError(
            f"SELFSERVE_SMS_PROVIDER={settings.sms_provider!r} is not a registered SMS provider"
        )
    return found[0]


def warn_outbox_in_production(settings: Any, notifier: ChannelNotifier) -> None:
    """The outbox file is a development stand-in: in production, say loudly at start-up which
    channels' messages (codes included) would only be written to it."""
    if not settings.is_production:
        return
    unsent = [channel for channel in ("EMAIL", "SMS") if notifier.sender(channel) is notifier.outbox]
    if unsent:
        logging.getLogger("selfserve.security").warning(
            "DEVELOPMENT OUTBOX IN PRODUCTION: %s messages are only written to %s; configure "
            "SELFSERVE_NOTIFIER=smtp and SELFSERVE_SMS_PROVIDER",
            "/".join(unsent),
            settings.outbox_path,
        )


NOTIFY_JOB = "core.notify"


async def deliver(services: Services, **fields: Any) -> None:
    """The `core.notify` job: send one message (raising makes it retry, then a dead letter that
    is replayed automatically when the error was transient, e.g. a read-only or full disk)."""
    await services.notifier.send(Message(**fields))


async def queue_notification(services: Services, message: Message) -> None:
    """Send `message` through a retried job instead of inline in the request: recorded in the
    caller's transaction (outbox), sent once per message id after commit."""
    with use_orm(services.orm):
        await outbox.add_job(NOTIFY_JOB, asdict(message), key=f"notify:{message.id}")
