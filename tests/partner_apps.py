"""Partner apps as an admin creates them (`appCreate`): tests of several plugins need an app token
with chosen permissions."""

from __future__ import annotations

from typing import Any

APP_CREATE = """
mutation($input: AppCreateInput!) { appCreate(input: $input) {
  __typename ... on AppCreated { token app { id name permissions tokenHint rateLimitPerMinute lastUsedAt } }
  ... on PartnerError { code field message } } }
"""


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
