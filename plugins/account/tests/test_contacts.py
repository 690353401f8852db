"""Binding and changing contacts, with re-authentication, through HTTP."""

from __future__ import annotations

from plugins.account.tests.util import ME, last_code, outbox, request_code, top_code

BIND = """
mutation Bind($input: AccountBindContactInput!) {
  accountBindContact(input: $input) {
    __typename
    ... on User { email phone emailVerified phoneVerified }
    ... on AccountError { code field }
  }
}
"""
REAUTH = """
mutation Reauth($input: AccountReauthenticateInput!) {
  accountReauthenticate(input: $input) {
    __typename
    ... on Reauthenticated { validFor }
    ... on AccountError { code field }
  }
}
"""


def _bind(channel, target, code):
    return {"input": {"channel": channel, "target": target, "code": code}}


async def test_bind_a_first_phone_needs_the_code_and_a_reauthentication(client):
    account = await client.signup(email="phone@example.com")
    sent = await request_code(client, "13800138000", "VERIFY_CONTACT", channel="SMS", token=account.token)
    assert sent["__typename"] == "CodeSent"
    code = await last_code(client, "+8613800138000")
    # a first contact needs a re-authentication too (a stolen token alone once bound one)
    body = await client.gql(BIND, _bind("SMS", "138 0013 8000", code), token=account.token)
    assert body["data"]["accountBindContact"]["code"] == "REAUTH_REQUIRED"
    await client.gql(REAUTH, {"input": {"password": account.password}}, token=account.token)
    body = await client.gql(BIND, _bind("SMS", "138 0013 8000", code), token=account.token)
    user = body["data"]["accountBindContact"]
    assert user == {
        "__typename": "User",
        "email": "p***@example.com",
        "phone": "138****8000",
        "emailVerified": False,
        "phoneVerified": True,
    }


async def test_confirm_the_bound_email(client):
    account = await client.signup(email="confirm@example.com")
    await request_code(client, "confirm@example.com", "VERIFY_CONTACT", token=account.token)
    code = await last_code(client, "confirm@example.com")
    body = await client.gql(BIND, _bind("EMAIL", "confirm@example.com", code), token=account.token)
    assert body["data"]["accountBindContact"]["emailVerified"] is True


async def test_changing_a_bound_email_needs_reauthentication(client):
    account = await client.signup(email="old@example.com", password="my good password")
    await request_code(client, "new@example.com", "VERIFY_CONTACT", token=account.token)
    code = await last_code(client, "new@example.com")
    # without re-authentication: refused, and the code is not spent
    body = await client.gql(BIND, _bind("EMAIL", "new@example.com", code), token=account.token)
    assert body["data"]["accountBindContact"]["code"] == "REAUTH_REQUIRED"
    wrong = await client.gql(REAUTH, {"input": {"password": "not my password"}}, token=account.token)
    assert wrong["data"]["accountReauthenticate"]["code"] == "INVALID_CREDENTIALS"
    ok = await client.gql(REAUTH, {"input": {"password": "my good password"}}, token=account.token)
    assert ok["data"]["accountReauthenticate"] == {"__typename": "Reauthenticated", "validFor": 600}
    body = await client.gql(BIND, _bind("EMAIL", "new@example.com", code), token=account.token)
    assert body["data"]["accountBindContact"]["email"] == "n***@example.com"
    # the old address is told, and a security event is recorded
    assert await outbox(client, "security_alert", "old@example.com")
    me = await client.gql("query { me { securityEvents { nodes { kind } } } }", token=account.token)
    assert [n["kind"] for n in me["data"]["me"]["securityEvents"]["nodes"]] == ["CONTACT_CHANGED"]


async def test_reauthenticate_with_a_sensitive_action_code(client):
    account = await client.signup(email="sens@example.com")
    await request_code(client, "sens@example.com", "SENSITIVE_ACTION", token=account.token)
    code = await last_code(client, "sens@example.com")
    bad = await client.gql(
        REAUTH,
        {"input": {"channel": "EMAIL", "code": "000000" if code != "000000" else "1"}},
        token=account.token,
    )
    assert bad["data"]["accountReauthenticate"]["code"] == "INVALID_CODE"
    ok = await client.gql(REAUTH, {"input": {"channel": "EMAIL", "code": code}}, token=account.token)
    assert ok["data"]["accountReauthenticate"]["__typename"] == "Reauthenticated"


async def test_a_contact_of_another_account_is_already_registered(client):
    await client.signup(email="taken@example.com")
    account = await client.signup(email="mine@example.com", password="my good password")
    await client.gql(REAUTH, {"input": {"password": "my good password"}}, token=account.token)
    await request_code(client, "taken@example.com", "VERIFY_CONTACT", token=account.token)
    code = await last_code(client, "taken@example.com")
    body = await client.gql(BIND, _bind("EMAIL", "taken@example.com", code), token=account.token)
    assert body["data"]["accountBindContact"]["code"] == "ALREADY_REGISTERED"
    me = await client.gql(ME, token=account.token)
    assert me["data"]["me"]["email"] == "m***@example.com"


async def test_bind_rejects_bad_input_and_anonymous(client):
    account = await client.signup()
    body = await client.gql(BIND, _bind("SMS", "12345", "123456"), token=account.token)
    assert body["data"]["accountBindContact"] == {
        "__typename": "AccountError",
        "code": "INVALID_INPUT",
        "field": "target",
    }
    body = await client.gql(BIND, _bind("SMS", "13900139000", "123456"), token=account.token)
    assert body["data"]["accountBindContact"]["code"] == "REAUTH_REQUIRED"
    await client.gql(REAUTH, {"input": {"password": account.password}}, token=account.token)
    body = await client.gql(BIND, _bind("SMS", "13900139000", "123456"), token=account.token)
    assert body["data"]["accountBindContact"]["code"] == "INVALID_CODE"
    assert top_code(await client.gql(BIND, _bind("EMAIL", "x@example.com", "123456"))) == "UNAUTHENTICATED"
    assert top_code(await client.gql(REAUTH, {"input": {"password": "x"}})) == "UNAUTHENTICATED"


async def test_a_code_for_one_user_does_not_bind_for_another(client):
    alice = await client.signup()
    mallory = await client.signup()
    await request_code(client, "shared@example.com", "VERIFY_CONTACT", token=alice.token)
    code = await last_code(client, "shared@example.com")
    # mallory (another user, with a recent re-auth) cannot use alice's code
    await client.gql(REAUTH, {"input": {"password": mallory.password}}, token=mallory.token)
    body = await client.gql(BIND, _bind("EMAIL", "shared@example.com", code), token=mallory.token)
    assert body["data"]["accountBindContact"]["code"] == "INVALID_CODE"
