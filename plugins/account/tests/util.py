"""Helpers shared by the account tests: GraphQL documents, codes from the outbox (ID numbers and the
real-name steps are in `tests.real_name`)."""

from __future__ import annotations

import re
from typing import Any

LOGIN = """
mutation Login($input: AccountLoginInput!) {
  accountLogin(input: $input) {
    __typename
    ... on AuthSession { accessToken refreshToken user { id twoFactorEnabled status } }
    ... on SecondFactorRequired { message }
    ... on AccountError { code message field }
  }
}
"""
REQUEST_CODE = """
mutation Code($input: AccountRequestCodeInput!) {
  accountRequestCode(input: $input) {
    __typename
    ... on CodeSent { expiresAt resendAfter }
    ... on AccountError { code message field }
  }
}
"""
RESET = """
mutation Reset($input: AccountResetPasswordInput!) {
  accountResetPassword(input: $input) {
    __typename
    ... on PasswordUpdated { revokedSessions message }
    ... on AccountError { code message field }
  }
}
"""
EVENTS = "query { me { securityEvents(first: 100) { edges { node { id kind ip wasMe } } } } }"
ME = "query { me { id email phone emailVerified phoneVerified status twoFactorEnabled realNameStatus isAdult } }"


async def outbox(client: Any, kind: str | None = None, target: str | None = None) -> list[dict[str, Any]]:
    """Messages delivered so far (after running queued jobs), optionally filtered."""
    await client.services.jobs.drain()
    messages = client.services.notifier.read()
    return [
        m
        for m in messages
        if (kind is None or m["kind"] == kind) and (target is None or m["target"] == target)
    ]


async def last_code(client: Any, target: str) -> str:
    """The newest verification code sent to `target`."""
    sent = await outbox(client, "verification_code", target)
    assert sent, f"no code sent to {target}"
    return re.search(r"\b(\d{6})\b", sent[-1]["body"]).group(1)


async def request_code(
    client: Any, target: str, purpose: str, channel: str = "EMAIL", token: str | None = None
):
    """Ask for a code; returns the result object."""
    body = await client.gql(
        REQUEST_CODE, {"input": {"channel": channel, "target": target, "purpose": purpose}}, token=token
    )
    return body["data"]["accountRequestCode"] if body.get("data") else body


async def login(client: Any, login: str, password: str, **extra: Any) -> dict[str, Any]:
    """Sign in; returns the result object."""
    body = await client.gql(LOGIN, {"input": {"login": login, "password": password, **extra}})
    return body["data"]["accountLogin"]


def top_code(body: dict[str, Any]) -> str:
    """The `extensions.code` of a top-level error."""
    return body["errors"][0]["extensions"]["code"]
