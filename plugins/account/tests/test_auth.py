"""Sign-up, sign-in, refresh rotation, logout and `me` through HTTP."""

from __future__ import annotations

import asyncio

from core.db import use_orm
from plugins.account.tests.util import outbox
from tests.helpers import REGISTER

LOGIN = """
mutation Login($input: AccountLoginInput!) {
  accountLogin(input: $input) {
    __typename
    ... on AuthSession { accessToken refreshToken restricted user { displayName email } }
    ... on AccountError { code message field }
  }
}
"""
REFRESH = """
mutation Refresh($token: String!) {
  accountRefresh(refreshToken: $token) {
    __typename
    ... on AuthSession { accessToken refreshToken }
    ... on AccountError { code }
  }
}
"""
ME = "query { me { id displayName email phone roles status sessions { edges { node { current deviceName } } } } }"
LOGOUT = "mutation { accountLogout }"


async def test_register_then_me_shows_masked_contact(client):
    # given a new account
    account = await client.signup(email="alice@example.com", name="Alice")
    # when it asks who it is
    body = await client.gql(ME, token=account.token)
    # then it sees itself with the email masked and one current session
    me = body["data"]["me"]
    assert me["displayName"] == "Alice"
    assert me["email"] == "a***@example.com"
    assert me["roles"] == ["USER"]
    assert me["sessions"]["edges"][0]["node"]["current"] is True


async def test_me_is_null_for_anonymous(client):
    body = await client.gql(ME)
    assert body == {"data": {"me": None}}


async def test_register_answers_the_same_for_a_taken_address(client):
    # given bob's account (the old answer ALREADY_REGISTERED told anyone whose address is here)
    await client.signup(email="bob@example.com", password="bob's own password")
    # when a stranger registers with his address and with a new one
    taken = await client.gql(
        REGISTER, {"input": {"email": "BOB@example.com", "password": "another good pass", "displayName": "B"}}
    )
    fresh = await client.gql(
        REGISTER, {"input": {"email": "new@example.com", "password": "another good pass", "displayName": "B"}}
    )
    # then both answers are a signed-in session of the same shape
    taken, fresh = taken["data"]["accountRegister"], fresh["data"]["accountRegister"]
    assert taken["__typename"] == fresh["__typename"] == "AuthSession"
    assert set(taken) == set(fresh) and set(taken["user"]) == set(fresh["user"])
    assert taken["user"]["displayName"] == fresh["user"]["displayName"] == "B"
    # the owner is told, his account is untouched, and the new account did not get his address
    notices = await outbox(client, "registration_attempt", "bob@example.com")
    assert len(notices) == 1 and "bob@example.com" not in notices[0]["body"]
    assert (
        await client.gql(LOGIN, {"input": {"login": "bob@example.com", "password": "bob's own password"}})
    )["data"]["accountLogin"]["__typename"] == "AuthSession"
    assert (await client.gql(ME, token=taken["accessToken"]))["data"]["me"]["email"] is None


async def test_register_rejects_weak_password_and_bad_contacts(client):
    cases = [
        ({"email": "c@example.com", "password": "short", "displayName": "C"}, "WEAK_PASSWORD", "password"),
        ({"email": "c@example.com", "password": "password", "displayName": "C"}, "WEAK_PASSWORD", "password"),
        ({"email": "c@example.com", "password": "x" * 129, "displayName": "C"}, "WEAK_PASSWORD", "password"),
        (
            {"email": "not-an-email", "password": "good password 1", "displayName": "C"},
            "INVALID_INPUT",
            "email",
        ),
        ({"phone": "12345", "password": "good password 1", "displayName": "C"}, "INVALID_INPUT", "phone"),
        ({"password": "good password 1", "displayName": "C"}, "INVALID_INPUT", "email"),
        (
            {"email": "c@example.com", "password": "good password 1", "displayName": "   "},
            "INVALID_INPUT",
            "displayName",
        ),
    ]
    for data, code, field in cases:
        body = await client.gql(REGISTER, {"input": data})
        result = body["data"]["accountRegister"]
        assert (result["__typename"], result["code"], result["field"]) == ("AccountError", code, field), data
    # and nothing was written
    from plugins.account.models import User

    with use_orm(client.services.orm):
        assert await User.all().count() == 0


async def test_register_by_china_mobile_and_login_with_it(client):
    body = await client.gql(
        REGISTER, {"input": {"phone": "138 0013 8000", "password": "good password 1", "displayName": "P"}}
    )
    assert body["data"]["accountRegister"]["user"]["displayName"] == "P"
    body = await client.gql(LOGIN, {"input": {"login": "+8613800138000", "password": "good password 1"}})
    session = body["data"]["accountLogin"]
    assert session["__typename"] == "AuthSession"
    me = await client.gql(ME, token=session["accessToken"])
    assert me["data"]["me"]["phone"] == "138****8000"


async def test_unknown_account_and_wrong_password_answer_the_same(client):
    await client.signup(email="dora@example.com")
    wrong = await client.gql(LOGIN, {"input": {"login": "dora@example.com", "password": "wrong password"}})
    unknown = await client.gql(
        LOGIN, {"input": {"login": "nobody@example.com", "password": "wrong password"}}
    )
    assert wrong == unknown
    assert wrong["data"]["accountLogin"]["code"] == "INVALID_CREDENTIALS"


async def test_login_throttles_after_five_failures(client):
    await client.signup(email="eve@example.com", password="the right password")
    for _ in range(5):
        body = await client.gql(LOGIN, {"input": {"login": "eve@example.com", "password": "nope nope"}})
        assert body["data"]["accountLogin"]["code"] == "INVALID_CREDENTIALS"
    body = await client.gql(LOGIN, {"input": {"login": "eve@example.com", "password": "nope nope"}})
    assert body["data"]["accountLogin"]["code"] == "INVALID_CREDENTIALS"
    # the sixth failure set a delay: even the right password waits now
    body = await client.gql(LOGIN, {"input": {"login": "eve@example.com", "password": "the right password"}})
    assert body["data"]["accountLogin"]["code"] == "TOO_MANY_ATTEMPTS"
    assert "seconds" in body["data"]["accountLogin"]["message"]


async def test_refresh_rotates_and_reuse_revokes_the_family(client):
    account = await client.signup()
    first = (await client.gql(REFRESH, {"token": account.refresh_token}))["data"]["accountRefresh"]
    assert first["__typename"] == "AuthSession"
    # replaying the rotated token is treated as theft: the whole session dies
    replay = (await client.gql(REFRESH, {"token": account.refresh_token}))["data"]["accountRefresh"]
    assert replay == {"__typename": "AccountError", "code": "INVALID_TOKEN"}
    after = (await client.gql(REFRESH, {"token": first["refreshToken"]}))["data"]["accountRefresh"]
    assert after["code"] == "INVALID_TOKEN"
    me = await client.gql(ME, token=first["accessToken"])
    assert me["data"]["me"] is None


async def test_concurrent_refresh_with_one_token_succeeds_once(client):
    account = await client.signup()
    results = await asyncio.gather(*(client.gql(REFRESH, {"token": account.refresh_token}) for _ in range(5)))
    kinds = [r["data"]["accountRefresh"]["__typename"] for r in results]
    assert kinds.count("AuthSession") >= 1
    # whatever raced, at most one new token family member survives: reuse revoked the session
    assert kinds.count("AuthSession") + kinds.count("AccountError") == 5


async def test_logout_revokes_access_and_refresh(client):
    account = await client.signup()
    assert (await client.gql(LOGOUT, token=account.token))["data"]["accountLogout"] is True
    assert (await client.gql(ME, token=account.token))["data"]["me"] is None
    refreshed = await client.gql(REFRESH, {"token": account.refresh_token})
    assert refreshed["data"]["accountRefresh"]["code"] == "INVALID_TOKEN"
    assert (await client.gql(LOGOUT))["data"]["accountLogout"] is False


async def test_sessions_are_private_to_their_owner(client):
    alice = await client.signup()
    bob = await client.signup()
    node_query = "query($id: ID!) { node(id: $id) { __typename ... on User { displayName } } }"
    assert (await client.gql(node_query, {"id": alice.id}, token=bob.token))["data"]["node"] is None
    assert (await client.gql(node_query, {"id": alice.id}))["data"]["node"] is None
    mine = await client.gql(node_query, {"id": alice.id}, token=alice.token)
    assert mine["data"]["node"]["__typename"] == "User"
    agent = await client.signup(roles=("AGENT",))
    staff = await client.gql(node_query, {"id": alice.id}, token=agent.token)
    assert staff["data"]["node"]["__typename"] == "User"
