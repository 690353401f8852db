"""From events to deliveries, and each delivery's attempts.

`record_deliveries` turns one bus event into one `WebhookDelivery` per matching subscription (its
`webhook_id` derived from event and subscription, so a re-relayed event adds nothing). Attempts run
in the `partners.deliver` job; a delivery is claimed by moving its `next_attempt_at` forward by a
lease in one conditional UPDATE, so two workers never send it at once and a worker killed mid-send
only delays it until the lease ends. A failed attempt schedules the next one as a delayed outbox
job (one key per attempt); the periodic `partners.sweep` job queues anything due that was left
behind (a worker killed mid-send, a queueing failure).
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from tortoise.transactions import in_transaction

from core import outbox
from core.context import Services
from core.db import column
from core.metrics import MetricSpec, count
from core.settings import plugin_settings
from core.stash import StashKey
from plugins.partners import egress, sender
from plugins.partners.catalogue import catalogue
from plugins.partners.models import WebhookDelivery, WebhookSubscription
from plugins.partners.settings import WebhookSettings
from schema.relay import to_global_id

logger = logging.getLogger("selfserve.partners")

DELIVER_JOB = "partners.deliver"
SWEEP_JOB = "partners.sweep"
OPEN = ("PENDING", "RETRYING")
CLIENT_KEY = StashKey[httpx.AsyncClient]()
#: `services.stash[CLOCK_KEY]`: a callable returning the delivery clock's "now" (tests drive
#: retries and the 3-day disabling with it instead of sleeping); the wall clock by default.
CLOCK_KEY = StashKey[Callable[[], datetime]]()
DELIVERIES_METRIC = "selfserve_webhook_deliveries_total"
#: The plugin's metrics (`register_metrics`): attempts by what became of the delivery.
METRICS = (
    MetricSpec(
        DELIVERIES_METRIC,
        "Webhook delivery attempts by outcome: succeeded, retrying (failed, tried again later) or "
        "failed (given up, or the subscription was disabled).",
        labels=("outcome",),
    ),
)


def now() -> datetime:
    """The current UTC time."""
    return datetime.now(UTC)


def clock(services: Any) -> datetime:
    """The delivery clock's current time (`CLOCK_KEY`, else the wall clock)."""
    return services.stash.get(CLOCK_KEY, now)()


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)


def webhook_data(spec: Any, payload: dict[str, Any], permissions: frozenset[str]) -> dict[str, Any]:
    """The `data` of a webhook: the spec's allowed keys, camelCased, ids as global IDs."""
    data = spec.data_for(payload, permissions)
    return {
        _camel(key): (
            str(to_global_id(spec.ids[key], value)) if key in spec.ids and value is not None else value
        )
        for key, value in data.items()
    }


def webhook_id_for(event_id: str, subscription_id: int) -> str:
    """The `webhook-id` of one event to one subscription (the same for every retry)."""
    return "msg_" + hashlib.sha256(f"{event_id}:{subscription_id}".encode()).hexdigest()[:32]


async def record_deliveries(services: Services, event: Any) -> list[int]:
    """Create the deliveries of one bus event; returns the new deliveries' ids. An event relayed
    again finds its deliveries by `webhook_id` and adds none (two relays racing: the unique index
    refuses the second, whose job is retried and then finds them)."""
    specs = catalogue(services).by_bus_name(event.name)
    if not specs:
        return []
    subscriptions = await WebhookSubscription.filter(
        active=True, app__revoked_at__isnull=True
    ).prefetch_related("app")
    wanted = []
    for spec in specs:
        if spec.accept is not None and not spec.accept(event.payload):
            continue
        for subscription in subscriptions:
            permissions = frozenset(subscription.app.permissions)
            if spec.name in subscription.events and spec.permission in permissions:
                webhook_id = webhook_id_for(f"{event.id}:{spec.name}", subscription.pk)
                wanted.append((spec, subscription, permissions, webhook_id))
    if not wanted:
        return []
    known = set(
        await WebhookDelivery.filter(webhook_id__in=[w[3] for w in wanted]).values_list(
            "webhook_id", flat=True
        )
    )
    created = []
    for spec, subscription, permissions, webhook_id in wanted:
        if webhook_id in known:
            continue
        body = {
            "type": spec.name,
            "timestamp": event.at,
            "data": webhook_data(spec, event.payload, permissions),
        }
        delivery = await WebhookDelivery.create(
            subscription_id=subscription.pk,
            event=spec.name,
            webhook_id=webhook_id,
            body=json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            next_attempt_at=clock(services),
        )
        created.append(delivery.pk)
    return created


async def queue(services: Services, delivery_ids: list[int]) -> None:
    """Queue attempts through the outbox (`Jobs.enqueue` writes an outbox row in the caller's
    transaction); a failure to queue only delays them until the next sweep."""
    for delivery_id in delivery_ids:
        try:
            await services.jobs.enqueue(DELIVER_JOB, delivery_id=delivery_id)
        except Exception:  # redis down: the sweeper retries, nothing is lost
            logger.warning("could not queue webhook delivery %s", delivery_id, exc_info=True)


async def on_event(services: Services, event: Any) -> None:
    """The `on_event` consumer (run by the outbox's `core.event` job after the change committed):
    record the event's deliveries and their first attempts in one transaction, so a delivery row
    never exists without the outbox job that sends it."""
    async with in_transaction():
        await queue(services, await record_deliveries(services, event))


def _settings(services: Services) -> WebhookSettings:
    return plugin_settings(services, WebhookSettings)


def next_gap(settings: WebhookSettings, attempts: int) -> float:
    """Seconds before the next attempt after `attempts` failures (exponential with jitter)."""
    schedule = settings.retry_schedule or (60.0,)
    gap = float(schedule[min(attempts - 1, len(schedule) - 1)])
    return gap * (1 + random.uniform(0, settings.jitter))


def active_secrets(services: Services, subscription: WebhookSubscription, at: datetime) -> list[str]:
    """The decrypted secrets that still sign (a rotated one for 24 h)."""
    found = []
    for entry in subscription.secrets:
        expires = entry.get("expires_at")
        if expires is None or datetime.fromisoformat(expires) > at:
            found.append(services.pii.decrypt_text(entry["value"], "webhook-secret"))
    return found


def http_client(services: Services) -> Any:
    """The process's webhook HTTP client (created on first use, closed at shutdown)."""
    client = services.stash.get(CLIENT_KEY, None)
    if client is None:
        client = services.stash[CLIENT_KEY] = sender.make_client(_settings(services).timeout_seconds)
    return client


async def _claim(delivery_id: int, lease: float, at: datetime) -> bool:
    claimed = await WebhookDelivery.filter(id=delivery_id, status__in=OPEN, next_attempt_at__lte=at).update(
        next_attempt_at=at + timedelta(seconds=lease)
    )
    return bool(claimed)


async def deliver(services: Services, delivery_id: int) -> str:
    """The `partners.deliver` job: one attempt of a claimable delivery. Returns its status."""
    status = await _attempt(services, delivery_id)
    if status in ("SUCCEEDED", "RETRYING", "FAILED"):  # not counted: nothing was due ("skipped", "gone")
        count(services, DELIVERIES_METRIC, outcome=status.lower())
    return status


async def _attempt(services: Any, delivery_id: int) -> str:
    settings = _settings(services)
    if not await _claim(delivery_id, settings.lease_seconds + settings.timeout_seconds, clock(services)):
        return "skipped"
    delivery = await WebhookDelivery.get_or_none(id=delivery_id).prefetch_related("subscription__app")
    if delivery is None:
        return "gone"  # its subscription was deleted meanwhile
    subscription = delivery.subscription
    at = clock(services)
    if not subscription.active or subscription.app.revoked_at is not None:
        await _finish(delivery, "FAILED", at, None, "subscription disabled or app revoked")
        return "FAILED"
    allow_private = settings.private_allowed(services.settings.is_production)
    resolve = services.stash.get(egress.RESOLVER_KEY, egress.system_resolve)
    try:
        target = await egress.check(subscription.url, allow_private=allow_private, resolve=resolve)
    except Exception as error:  # refused at connect time (DNS rebinding) or unresolvable
        outcome = sender.Outcome(None, f"refused: {getattr(error, 'params', {}).get('detail', error)}")
    else:
        outcome = await sender.send(
            http_client(services),
            target,
            webhook_id=delivery.webhook_id,
            at=at,
            body=delivery.body,
            active_secrets=active_secrets(services, subscription, at),
            timeout=settings.timeout_seconds,
            max_bytes=settings.max_response_bytes,
        )
    return await _after_attempt(services, settings, delivery, subscription, at, outcome)


async def _finish(
    delivery: WebhookDelivery, status: str, at: datetime, code: int | None, error: str | None
) -> None:
    await WebhookDelivery.filter(id=delivery.pk).update(
        status=status, response_status=code, last_error=error, last_attempt_at=at, next_attempt_at=None
    )


async def _after_attempt(
    services: Services,
    settings: WebhookSettings,
    delivery: WebhookDelivery,
    subscription: Any,
    at: datetime,
    outcome: Any,
) -> str:
    attempts = delivery.attempts + 1
    if outcome.succeeded:
        await WebhookDelivery.filter(id=delivery.pk).update(
            status="SUCCEEDED", attempts=attempts, response_status=outcome.status, last_error=None,
            response_body=_text(outcome.body), last_attempt_at=at, next_attempt_at=None,
        )  # fmt: skip
        await WebhookSubscription.filter(id=subscription.pk).update(failing_since=None)
        return "SUCCEEDED"
    failing_since = subscription.failing_since or at
    if subscription.failing_since is None:
        await WebhookSubscription.filter(id=subscription.pk, failing_since__isnull=True).update(
            failing_since=at
        )
    status, next_at = "RETRYING", at + timedelta(seconds=next_gap(settings, attempts))
    if (at - failing_since).total_seconds() >= settings.disable_after_seconds:
        reason = (
            f"disabled after failing since {failing_since.isoformat()}: {outcome.error or outcome.status}"
        )
        await WebhookSubscription.filter(id=subscription.pk).update(
            active=False, disabled_reason=reason[:300]
        )
        status, next_at = "FAILED", None
    elif (at - delivery.created_at).total_seconds() >= settings.give_up_after_seconds:
        status, next_at = "FAILED", None
    async with in_transaction():
        await WebhookDelivery.filter(id=delivery.pk).update(
            status=status, attempts=attempts, response_status=outcome.status, last_error=(outcome.error or "")[:300],
            response_body=_text(outcome.body), last_attempt_at=at, next_attempt_at=next_at,
        )  # fmt: skip
        if next_at is not None:
            # a hair later than `next_at`, so the claim (`next_attempt_at <= now`) always succeeds
            delay = (next_at - clock(services)).total_seconds() + 0.05
            await outbox.add_job(
                DELIVER_JOB,
                {"delivery_id": delivery.pk},
                key=f"{DELIVER_JOB}:{delivery.pk}:{attempts}",
                delay=delay,
            )
    return status


def _text(body: bytes) -> str:
    """An answer's body for the log (undecodable bytes replaced; at most what was read)."""
    return body.decode("utf-8", errors="replace")


async def sweep(services: Services, limit: int = 200) -> int:
    """The periodic `partners.sweep` job: queue every delivery whose next attempt is due (a lease
    that ran out, a first queueing that failed); returns how many were queued."""
    due = await column(
        WebhookDelivery.filter(status__in=OPEN, next_attempt_at__lte=clock(services))
        .order_by("next_attempt_at")
        .limit(limit),
        "id",
    )
    await queue(services, due)
    return len(due)
