"""Notifications (codes, alerts): a notifier interface, an outbox for development, SMTP for email.

Sending is done by a job (retried), never inline in a request.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol


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
    """Email through SMTP (aiosmtplib); other channels go to `fallback` (an SMS provider plugin)."""

    def __init__(self, settings: Any, fallback: Notifier) -> None:
        self._settings = settings
        self._fallback = fallback

    async def send(self, message: Message) -> None:
        """Send email by SMTP; hand any other channel to the fallback."""
        if message.channel != "EMAIL":
            await self._fallback.send(message)
            return
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


def make_notifier(settings: Any) -> Notifier:
    """The configured notifier (`SELFSERVE_NOTIFIER`)."""
    outbox = OutboxNotifier(settings.outbox_path)
    if settings.notifier == "smtp":
        return SmtpNotifier(settings, outbox)
    return outbox


NOTIFY_JOB = "core.notify"


async def deliver(services: Any, **fields: Any) -> None:
    """The `core.notify` job: send one message (raising makes taskiq retry it)."""
    await services.notifier.send(Message(**fields))


async def queue_notification(services: Any, message: Message) -> None:
    """Send `message` through a retried job instead of inline in the request."""
    await services.jobs.enqueue(NOTIFY_JOB, **asdict(message))
