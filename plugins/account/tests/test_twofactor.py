"""Two-step verification through HTTP: setup, enable, sign-in with TOTP or recovery codes, disable."""

from __future__ import annotations

import time

import pyotp

from plugins.account.tests.util import login, top_code

SETUP = """mutation { accountTwoFactorSetup { __typename
  ... on TwoFactorSetup { secret otpauthUri qrCodeSvg } ... on AccountError { code } } }"""
ENABLE = """mutation($code: String!) { accountTwoFactorEnable(code: $code) { __typename
  ... on RecoveryCodes { codes } ... on AccountError { code field } } }"""
DISABLE = """mutation($input: AccountTwoFactorDisableInput!) { accountTwoFactorDisable(input: $input) {
  __typename ... on User { twoFactorEnabled } ... on AccountError { code } } }"""


REAUTH = """mutation($input: AccountReauthenticateInput!) { accountReauthenticate(input: $input) {
  __typename ... on AccountError { code field } } }"""


async def reauth(client, account):
    """Re-authenticate the account's session with its password."""
    body = await client.gql(REAUTH, {"input": {"password": account.password}}, token=account.token)
    assert body["data"]["accountReauthenticate"]["__typename"] == "Reauthenticated", body


async def forget_reauth(client):
    """Let every re-authentication lapse (stands in for the 10 minutes passing)."""
    async for key in client.services.redis.scan_iter("account:reauth:*"):
        await client.services.redis.delete(key)


async def _enabled(client, account):
    await reauth(client, account)
    setup = (await client.gql(SETUP, token=account.token))["data"]["accountTwoFactorSetup"]
    totp = pyotp.TOTP(setup["secret"])
    body = await client.gql(ENABLE, {"code": totp.now()}, token=account.token)
    return totp, body["data"]["accountTwoFactorEnable"]["codes"]


async def test_setup_returns_secret_uri_and_qr_svg(client):
    account = await client.signup(email="totp@example.com")
    body = await client.gql(SETUP, token=account.token)
    setup = body["data"]["accountTwoFactorSetup"]
    assert setup["__typename"] == "TwoFactorSetup"
    assert (
        setup["otpauthUri"].startswith("otpauth://totp/selfserve:") and setup["secret"] in setup["otpauthUri"]
    )
    assert setup["qrCodeSvg"].startswith("<svg") and "t%2A%2A%2A%40example.com" in setup["otpauthUri"]
    assert top_code(await client.gql(SETUP)) == "UNAUTHENTICATED"


async def test_enable_needs_a_reauthentication_and_a_right_code(client):
    account = await client.signup()
    setup = (await client.gql(SETUP, token=account.token))["data"]["accountTwoFactorSetup"]
    # a stolen session alone cannot add an authenticator (it would lock the owner out)
    body = await client.gql(ENABLE, {"code": pyotp.TOTP(setup["secret"]).now()}, token=account.token)
    assert body["data"]["accountTwoFactorEnable"]["code"] == "REAUTH_REQUIRED"
    await reauth(client, account)
    body = await client.gql(ENABLE, {"code": "12345x"}, token=account.token)
    assert body["data"]["accountTwoFactorEnable"]["code"] == "INVALID_CODE"
    # another user has no pending setup
    other = await client.signup()
    await reauth(client, other)
    body = await client.gql(ENABLE, {"code": "123456"}, token=other.token)
    assert body["data"]["accountTwoFactorEnable"]["code"] == "INVALID_CODE"


async def test_sign_in_needs_the_second_factor_once_enabled(client):
    account = await client.signup(email="two@example.com", password="a good password")
    totp, codes = await _enabled(client, account)
    assert len(codes) == 10 and len(set(codes)) == 10
    # the password alone answers SecondFactorRequired
    first = await login(client, "two@example.com", "a good password")
    assert first["__typename"] == "SecondFactorRequired" and first["message"]
    # the next step's code works once, and only once
    otp = totp.at(time.time() + 30)
    ok = await login(client, "two@example.com", "a good password", otp=otp)
    assert ok["__typename"] == "AuthSession" and ok["user"]["twoFactorEnabled"] is True
    again = await login(client, "two@example.com", "a good password", otp=otp)
    assert (again["code"], again["field"]) == ("INVALID_CODE", "otp")
    # a recovery code works once, too
    assert (await login(client, "two@example.com", "a good password", otp=codes[0].upper()))[
        "__typename"
    ] == "AuthSession"
    assert (await login(client, "two@example.com", "a good password", otp=codes[0]))["code"] == "INVALID_CODE"
    # a wrong password with a right code is still INVALID_CREDENTIALS
    wrong = await login(client, "two@example.com", "not the password", otp=codes[1])
    assert wrong["code"] == "INVALID_CREDENTIALS"


async def test_disable_needs_reauthentication(client):
    account = await client.signup(password="a good password")
    await _enabled(client, account)
    await forget_reauth(client)  # 10 minutes later
    body = await client.gql(DISABLE, {"input": {}}, token=account.token)
    assert body["data"]["accountTwoFactorDisable"]["code"] == "REAUTH_REQUIRED"
    body = await client.gql(DISABLE, {"input": {"password": "wrong one!"}}, token=account.token)
    assert body["data"]["accountTwoFactorDisable"]["code"] == "INVALID_CREDENTIALS"
    body = await client.gql(DISABLE, {"input": {"password": "a good password"}}, token=account.token)
    assert body["data"]["accountTwoFactorDisable"] == {"__typename": "User", "twoFactorEnabled": False}
    events = await client.gql("query { me { securityEvents { nodes { kind } } } }", token=account.token)
    kinds = [n["kind"] for n in events["data"]["me"]["securityEvents"]["nodes"]]
    assert kinds == ["TWO_FACTOR_DISABLED", "TWO_FACTOR_ENABLED"]
    assert top_code(await client.gql(DISABLE, {"input": {"password": "x"}})) == "UNAUTHENTICATED"


async def test_staff_sees_two_factor_state_other_users_do_not(client):
    account = await client.signup()
    other = await client.signup()
    agent = await client.signup(roles=("AGENT",))
    query = "query($id: ID!) { node(id: $id) { ... on User { twoFactorEnabled realNameStatus } } }"
    assert (await client.gql(query, {"id": account.id}, token=other.token))["data"]["node"] is None
    staff = await client.gql(query, {"id": account.id}, token=agent.token)
    assert staff["data"]["node"] == {"twoFactorEnabled": False, "realNameStatus": "NONE"}
