"""Shared steps of the partners tests: an admin, apps with chosen permissions, subscriptions."""

from __future__ import annotations

from typing import Any

from core.db import use_orm
from plugins.partners.models import WebhookDelivery

APP_CREATE = """
mutation($input: AppCreateInput!) { appCreate(input: $input) {
  __typename ... on AppCreated { token app { id name permissions tokenHint rateLimitPerMinute lastUsedAt } }
  ... on PartnerError { code field message } } }
"""
SUBSCRIBE = """
mutation($input: WebhookSubscriptionCreateInput!) { webhookSubscriptionCreate(input: $input) {
  __typename ... on WebhookSubscriptionCreated { secret subscription { id url events active } }
  ... on PartnerError { code field message } } }
"""
DELIVERIES = """
query($id: ID!) { webhookDeliveries(subscriptionId: $id) { nodes {
  id event webhookId status attempts responseStatus lastAttemptAt nextAttemptAt } } }
"""
TICKET_CREATE = """
mutation($input: TicketCreateInput!) { ticketCreate(input: $input) {
  __typename ... on Ticket { id number } ... on SupportError { code } } }
"""


def top_code(body: dict[str, Any]) -> str | None:
    """The first top-level error code."""
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


async def make_app(
    client: Any, admin: Any, permissions: list[str], name: str = "Partner", **extra: Any
) -> dict:
    """Create an app as `admin`; returns `{token, app}`."""
    body = await client.gql(
        APP_CREATE, {"input": {"name": name, "permissions": permissions, **extra}}, token=admin.token
    )
    result = body["data"]["appCreate"]
    assert result["__typename"] == "AppCreated", body
    return result


async def subscribe(client: Any, admin: Any, app_id: str, url: str, events: list[str]) -> dict:
    """Subscribe as `admin`; returns `{secret, subscription}`."""
    body = await client.gql(
        SUBSCRIBE, {"input": {"appId": app_id, "url": url, "events": events}}, token=admin.token
    )
    result = body["data"]["webhookSubscriptionCreate"]
    assert result["__typename"] == "WebhookSubscriptionCreated", body
    return result


async def file_ticket(client: Any, user: Any, subject: str = "Cannot log in") -> dict:
    """A user files a ticket."""
    body = await client.gql(
        TICKET_CREATE,
        {
            "input": {
                "category": "payments.refund",
                "subject": subject,
                "body": "Please help me with my account.",
            }
        },
        token=user.token,
    )
    assert body["data"]["ticketCreate"]["__typename"] == "Ticket", body
    return body["data"]["ticketCreate"]


async def delivery_rows(client: Any) -> list[WebhookDelivery]:
    """Every delivery row (assertions on what the API does not show, e.g. the body)."""
    with use_orm(client.services.orm):
        return list(await WebhookDelivery.all().order_by("id"))
