"""Sessions, security events and login anomaly detection through HTTP."""

from __future__ import annotations

from core.db import QueryCounter, use_orm
from plugins.account.models import SecurityEvent, User
from plugins.account.security_events import network_of
from plugins.account.tests.util import EVENTS, login, outbox, top_code
from tests.helpers import account_user_pk

SESSIONS = (
    "query { me { sessions { edges { node { id deviceName userAgent ip createdAt lastSeenAt current } } } } }"
)
REVOKE = "mutation($id: ID!) { accountSessionRevoke(id: $id) }"
REVOKE_OTHERS = "mutation { accountSessionsRevokeOthers }"
CONFIRM = """mutation($id: ID!, $wasMe: Boolean!) { accountSecurityEventConfirm(id: $id, wasMe: $wasMe) {
  __typename ... on SecurityEvent { kind wasMe } ... on AccountError { code } } }"""


async def _sessions(client, token):
    body = await client.gql(SESSIONS, token=token)
    return [e["node"] for e in body["data"]["me"]["sessions"]["edges"]]


async def test_sessions_list_and_revoke(client):
    account = await client.signup(email="dev@example.com", password="a good password")
    phone = await login(client, "dev@example.com", "a good password", deviceName="My Phone")
    listed = await _sessions(client, account.token)
    assert len(listed) == 2
    mine = next(s for s in listed if s["current"])
    other = next(s for s in listed if not s["current"])
    assert other["deviceName"] == "My Phone" and other["ip"] == "203.0.113.7" and other["userAgent"]
    assert mine["createdAt"] and mine["lastSeenAt"]
    # another user cannot revoke it, anonymous cannot either
    stranger = await client.signup()
    assert (await client.gql(REVOKE, {"id": other["id"]}, token=stranger.token))["data"][
        "accountSessionRevoke"
    ] is False
    assert top_code(await client.gql(REVOKE, {"id": other["id"]})) == "UNAUTHENTICATED"
    assert (await client.gql(REVOKE, {"id": "garbage"}, token=account.token))["data"][
        "accountSessionRevoke"
    ] is False
    # the owner can
    assert (await client.gql(REVOKE, {"id": other["id"]}, token=account.token))["data"][
        "accountSessionRevoke"
    ] is True
    assert (await client.gql("query { me { id } }", token=phone["accessToken"]))["data"]["me"] is None


async def test_revoke_all_other_sessions(client):
    account = await client.signup(email="many@example.com", password="a good password")
    for _ in range(3):
        await login(client, "many@example.com", "a good password")
    body = await client.gql(REVOKE_OTHERS, token=account.token)
    assert body["data"]["accountSessionsRevokeOthers"] == 3
    assert [s["current"] for s in await _sessions(client, account.token)] == [True]
    assert top_code(await client.gql(REVOKE_OTHERS)) == "UNAUTHENTICATED"


async def test_sign_in_from_a_new_device_alerts_the_user(client):
    account = await client.signup(email="alert@example.com", password="a good password")
    # the device and network it registered from are known: no alert
    await login(client, "alert@example.com", "a good password")
    assert (await client.gql(EVENTS, token=account.token))["data"]["me"]["securityEvents"]["edges"] == []
    # a new device: an event and an email
    await client.gql(
        "mutation($i: AccountLoginInput!) { accountLogin(input: $i) { __typename } }",
        {"i": {"login": "alert@example.com", "password": "a good password"}},
        headers={"User-Agent": "Douyin/30.0 (iPhone; iOS 18)"},
    )
    events = (await client.gql(EVENTS, token=account.token))["data"]["me"]["securityEvents"]["edges"]
    assert [e["node"]["kind"] for e in events] == ["NEW_DEVICE"]
    alerts = await outbox(client, "security_alert", "alert@example.com")
    assert len(alerts) == 1
    assert "new device" in alerts[0]["body"] or "新设备" in alerts[0]["body"]  # noqa: selfserve-or-assert (language)


def test_networks_group_addresses():
    assert network_of("203.0.113.7") == network_of("203.0.113.200") == "203.0.113.0/24"
    assert network_of("2001:db8:1:2::1") == "2001:db8:1::/48"


async def test_failure_burst_and_the_hundred_failure_ceiling(client):
    account = await client.signup(email="burst@example.com", password="a good password")
    for _ in range(5):
        await login(client, "burst@example.com", "wrong password")
    events = (await client.gql(EVENTS, token=account.token))["data"]["me"]["securityEvents"]["edges"]
    assert [e["node"]["kind"] for e in events] == ["FAILED_LOGIN_BURST"]
    # 99 failures so far from many networks (set directly), then one more reaches the ceiling
    with use_orm(client.services.orm):
        await User.filter(email="burst@example.com").update(failed_logins=99)
    await client.services.redis.flushdb()  # other networks: no per-IP delay here
    assert (await login(client, "burst@example.com", "wrong password"))["code"] == "INVALID_CREDENTIALS"
    right = await login(client, "burst@example.com", "a good password")
    assert right["code"] == "PASSWORD_RESET_REQUIRED"
    # a wrong password answers exactly the same (it used to say INVALID_CREDENTIALS: an oracle)
    await client.services.redis.flushdb()
    assert await login(client, "burst@example.com", "wrong again") == right


async def test_not_me_signs_out_everywhere_and_requires_a_reset(client):
    account = await client.signup(email="notme@example.com", password="a good password")
    await client.gql(
        "mutation($i: AccountLoginInput!) { accountLogin(input: $i) { __typename } }",
        {"i": {"login": "notme@example.com", "password": "a good password", "deviceName": "Unknown tablet"}},
    )
    event = (await client.gql(EVENTS, token=account.token))["data"]["me"]["securityEvents"]["edges"][0][
        "node"
    ]
    # another user cannot answer it (and cannot see it by node id)
    stranger = await client.signup()
    body = await client.gql(CONFIRM, {"id": event["id"], "wasMe": False}, token=stranger.token)
    assert body["data"]["accountSecurityEventConfirm"]["code"] == "NOT_FOUND"
    node = await client.gql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": event["id"]}, token=stranger.token
    )
    assert node["data"]["node"] is None
    assert top_code(await client.gql(CONFIRM, {"id": event["id"], "wasMe": False})) == "UNAUTHENTICATED"
    # the owner says "not me"
    body = await client.gql(CONFIRM, {"id": event["id"], "wasMe": False}, token=account.token)
    assert body["data"]["accountSecurityEventConfirm"] == {
        "__typename": "SecurityEvent",
        "kind": "NEW_DEVICE",
        "wasMe": False,
    }
    assert (await client.gql("query { me { id } }", token=account.token))["data"]["me"] is None
    assert (await login(client, "notme@example.com", "a good password"))["code"] == "PASSWORD_RESET_REQUIRED"


async def test_was_me_just_records_the_answer(client):
    account = await client.signup(email="me@example.com", password="a good password")
    await login(client, "me@example.com", "a good password", deviceName="Laptop")
    event = (await client.gql(EVENTS, token=account.token))["data"]["me"]["securityEvents"]["edges"][0][
        "node"
    ]
    body = await client.gql(CONFIRM, {"id": event["id"], "wasMe": True}, token=account.token)
    assert body["data"]["accountSecurityEventConfirm"]["wasMe"] is True
    assert (await client.gql("query { me { id } }", token=account.token))["data"]["me"] is not None


async def test_security_events_sql_count_does_not_grow(client):
    account = await client.signup()
    user_pk = int(account_user_pk(account))
    await client.gql("{ me { id } }", token=account.token)  # fills the actor cache for both counts

    async def count_for(n):
        with use_orm(client.services.orm):
            await SecurityEvent.filter(user_id=user_pk).delete()
            await SecurityEvent.bulk_create(
                [SecurityEvent(user_id=user_pk, kind="NEW_DEVICE") for _ in range(n)]
            )
        with QueryCounter() as counter:
            body = await client.gql(
                "query { me { securityEvents(first: 100) { nodes { kind } } sessions(first: 100) { nodes { id } } } }",
                token=account.token,
            )
        assert len(body["data"]["me"]["securityEvents"]["nodes"]) == n
        return counter.count

    assert await count_for(10) == await count_for(100)
