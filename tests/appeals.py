"""Appeals as a banned user files them and a reviewer decides them: the steps that the appeals,
partners and staff-moderation tests share."""

from __future__ import annotations

from typing import Any

from tests.helpers import LOGIN, Account
from tests.moderation import ban

CREATE = """
mutation A($input: AppealCreateInput!) {
  appealCreate(input: $input) {
    __typename
    ... on Appeal { id status reason dueAt createdAt canEscalate evidence { contentType size }
      decision { id kind reversed } }
    ... on AppealError { code field message }
  }
}
"""
DECIDE = """
mutation D($input: AppealDecideInput!) {
  appealDecide(input: $input) {
    __typename
    ... on Appeal { id status note canEscalate escalated decision { reversed } }
    ... on AppealError { code field }
  }
}
"""


async def file_appeal(
    client: Any,
    token: str | None,
    decision_id: str,
    reason: str = "This was a mistake, please look again.",
    files: list[tuple[str, bytes, str]] | None = None,
) -> dict:
    """`appealCreate` with `token` (a restricted session's too), evidence files uploaded; returns the
    result object (or the whole body on a top-level error)."""
    variables = {"input": {"decisionId": decision_id, "reason": reason}}
    if files:
        variables["input"]["evidence"] = [None] * len(files)
        mapping = {f"input.evidence.{i}": spec for i, spec in enumerate(files)}
        body = await client.upload(CREATE, variables, mapping, token=token)
    else:
        body = await client.gql(CREATE, variables, token=token)
    return body["data"]["appealCreate"] if body.get("data") else body


async def decide_appeal(
    client: Any,
    reviewer: Any,
    appeal_id: str,
    outcome: str = "OVERTURN",
    note: str = "The account is genuine.",
) -> dict:
    """A reviewer decides an appeal; returns the result object (or the body on a top-level error)."""
    body = await client.gql(
        DECIDE, {"input": {"appealId": appeal_id, "outcome": outcome, "note": note}}, token=reviewer.token
    )
    return body["data"]["appealDecide"] if body.get("data") else body


async def banned_user(client: Any) -> tuple[Account, Account, dict, str]:
    """A user banned by a moderator: (user, moderator, the ban decision, the user's restricted
    session token from signing in again)."""
    user = await client.signup()
    moderator = await client.signup(roles=("REVIEWER",))
    decision = await ban(client, moderator, user.id)
    login = await client.gql(LOGIN, {"input": {"login": user.email, "password": user.password}})
    return user, moderator, decision, login["data"]["accountLogin"]["accessToken"]
