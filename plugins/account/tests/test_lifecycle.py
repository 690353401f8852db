"""Preferences and account deletion (cooling-off, cancel by signing in, anonymisation job)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.account import lifecycle
from plugins.account.models import User
from plugins.account.tests.util import login, top_code

PREFS = """mutation($input: AccountPreferencesInput!) { accountPreferencesUpdate(input: $input) {
  preferences { theme language notificationChannels } } }"""
DELETE = """mutation($password: String!) { accountDeletionRequest(password: $password) { __typename
  ... on DeletionScheduled { deleteAfter } ... on AccountError { code field } } }"""
STATUS = "query { me { status } }"


async def test_preferences_update(client):
    account = await client.signup()
    body = await client.gql(
        PREFS,
        {"input": {"theme": "DARK", "language": "en", "notificationChannels": ["EMAIL", "INAPP"]}},
        token=account.token,
    )
    prefs = body["data"]["accountPreferencesUpdate"]["preferences"]
    assert prefs == {"theme": "DARK", "language": "en", "notificationChannels": ["EMAIL", "INAPP"]}
    # a partial update keeps the rest
    body = await client.gql(PREFS, {"input": {"theme": "LIGHT"}}, token=account.token)
    assert body["data"]["accountPreferencesUpdate"]["preferences"]["language"] == "en"
    # bad values are typed errors and change nothing
    for bad in ({"language": "fr"}, {"notificationChannels": ["PIGEON"]}):
        body = await client.gql(PREFS, {"input": {"theme": "DARK", **bad}}, token=account.token)
        assert top_code(body) == "INVALID_INPUT"
    me = await client.gql("query { me { preferences { theme } } }", token=account.token)
    assert me["data"]["me"]["preferences"]["theme"] == "LIGHT"
    assert top_code(await client.gql(PREFS, {"input": {"theme": "DARK"}})) == "UNAUTHENTICATED"


async def test_preferences_are_private(client):
    account = await client.signup()
    agent = await client.signup(roles=("AGENT",))
    query = "query($id: ID!) { node(id: $id) { ... on User { preferences { theme } } } }"
    assert top_code(await client.gql(query, {"id": account.id}, token=agent.token)) == "FORBIDDEN"


async def test_deletion_cooling_off_cancelled_by_signing_in(client):
    account = await client.signup(email="bye@example.com", password="a good password")
    wrong = await client.gql(DELETE, {"password": "not it"}, token=account.token)
    assert wrong["data"]["accountDeletionRequest"]["code"] == "INVALID_CREDENTIALS"
    body = await client.gql(DELETE, {"password": "a good password"}, token=account.token)
    due = datetime.fromisoformat(body["data"]["accountDeletionRequest"]["deleteAfter"])
    assert timedelta(days=14, hours=23) < due - datetime.now(UTC) <= timedelta(days=15)
    assert (await client.gql(STATUS, token=account.token))["data"]["me"]["status"] == "DELETION_PENDING"
    assert top_code(await client.gql(DELETE, {"password": "x"})) == "UNAUTHENTICATED"
    # signing in during the cooling-off period cancels it
    session = await login(client, "bye@example.com", "a good password")
    assert session["user"]["status"] == "ACTIVE"
    assert (await client.gql(STATUS, token=account.token))["data"]["me"]["status"] == "ACTIVE"


async def test_deletion_job_anonymises_after_the_cooling_off(client):
    account = await client.signup(email="gone@example.com", password="a good password")
    keep = await client.signup(email="stay@example.com")
    await client.gql(DELETE, {"password": "a good password"}, token=account.token)
    # not yet due: nothing happens
    assert await client.services.jobs.run_now(lifecycle.PURGE_JOB) == 0
    with use_orm(client.services.orm):
        await User.filter(email="gone@example.com").update(
            deletion_due_at=datetime.now(UTC) - timedelta(seconds=1)
        )
    assert await client.services.jobs.run_now(lifecycle.PURGE_JOB) == 1
    with use_orm(client.services.orm):
        gone = await User.get(display_name="Deleted user")
        assert (gone.email, gone.phone, gone.status) == (None, None, "DELETED")
        assert await User.filter(email="stay@example.com").exists()
    assert (await client.gql(STATUS, token=account.token))["data"]["me"] is None
    assert (await login(client, "gone@example.com", "a good password"))["code"] == "INVALID_CREDENTIALS"
    assert (await client.gql(STATUS, token=keep.token))["data"]["me"]["status"] == "ACTIVE"
