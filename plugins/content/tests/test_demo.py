"""The demo data: idempotent, and the wrongly banned account can appeal from restricted mode."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from plugins.account.api import demo_password
from plugins.content import api
from plugins.content.demo import seed
from tests.helpers import db

LOGIN = "mutation L($input: AccountLoginInput!) { accountLogin(input: $input) { ... on AuthSession { accessToken restricted user { id } } } }"


async def test_demo_seed_is_idempotent_and_shows_the_wrongful_ban(client):
    first = await db(client, lambda: seed(client.services))
    again = await db(client, lambda: seed(client.services))
    assert first == ["creator videos", "removal decision", "wrongful ban"]
    assert again == []
    body = await client.gql(LOGIN, {"input": {"login": "banned@example.com", "password": demo_password()}})
    session = body["data"]["accountLogin"]
    assert session["restricted"] is True
    decisions = await client.gql("{ decisions { kind statement } }", token=session["accessToken"])
    assert decisions["data"]["decisions"][0]["kind"] == "ACCOUNT_BAN"
    creator = await client.gql(
        LOGIN, {"input": {"login": "creator@example.com", "password": demo_password()}}
    )
    from schema.relay import from_global_id

    creator_pk = from_global_id(creator["data"]["accountLogin"]["user"]["id"], "User")[1]
    today = datetime.now(UTC).date()
    days = await db(client, lambda: api.stats_by_day(creator_pk, today - timedelta(days=13), today))
    assert len(days) == 14 and all(day.views > 0 for day in days)
