"""Shared steps of the partners tests: webhook subscriptions, their deliveries, a ticket to deliver
(apps are made with `tests.partner_apps`)."""

from __future__ import annotations

from typing import Any

from core.db import use_orm
from plugins.partners.models import WebhookDelivery
from tests.tickets import create_ticket

SUBSCRIBE = """
mutation($input: WebhookSubscriptionCreateInput!) { webhookSubscriptionCreate(input: $input) {
  __typename ... on WebhookSubscriptionCreated { secret subscription { id url events active } }
  ... on PartnerError { code field message } } }
"""
DELIVERIES = """
query($id: ID!) { webhookDeliveries(subscriptionId: $id) { nodes {
  id event webhookId status attempts responseStatus lastAttemptAt nextAttemptAt } } }
"""


def top_code(body: dict[str, Any]) -> str | None:
    """The first top-level error code."""
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def subscribe(client: Any, admin: Any, app_id: str, url: str, events: list[str]) -> dict:
    """Subscribe as `admin`; returns `{secret, subscription}`."""
    body = await client.gql(
        SUBSCRIBE, {"input": {"appId": app_id, "url": url, "events": events}}, token=admin.token
    )
    result = body["data"]["webhookSubscriptionCreate"]
    assert result["__typename"] == "WebhookSubscriptionCreated", body
    return result


async def file_ticket(client: Any, user: Any, subject: str = "Cannot log in") -> dict:
    """A user files a ticket (the usual event of the webhook tests)."""
    return await create_ticket(client, user, subject=subject)


async def delivery_rows(client: Any) -> list[WebhookDelivery]:
    """Every delivery row (assertions on what the API does not show, e.g. the body)."""
    with use_orm(client.services.orm):
        return list(await WebhookDelivery.all().order_by("id"))
