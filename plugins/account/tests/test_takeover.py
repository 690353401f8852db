"""Issue 11 finding 2: a stolen access token must not become a permanent takeover.

Sensitive changes need a recent re-authentication with a factor the account had before the
session; a newly bound contact cannot vouch for 7 days; alerts go to every earlier contact; and
"this wasn't me" signs out everywhere and puts a changed contact back. All through HTTP.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pyotp

from core.db import use_orm
from plugins.account.models import User
from plugins.account.tests.util import EVENTS, ME, RESET, last_code, login, outbox, request_code
from tests.helpers import REGISTER

REAUTH = """mutation($input: AccountReauthenticateInput!) { accountReauthenticate(input: $input) {
  __typename ... on Reauthenticated { validFor } ... on AccountError { code field } } }"""
BIND = """mutation($input: AccountBindContactInput!) { accountBindContact(input: $input) {
  __typename ... on User { email phone } ... on AccountError { code field } } }"""
SETUP = "mutation { accountTwoFactorSetup { __typename ... on TwoFactorSetup { secret } } }"
ENABLE = """mutation($code: String!) { accountTwoFactorEnable(code: $code) { __typename
  ... on RecoveryCodes { codes } ... on AccountError { code } } }"""
DISABLE = """mutation($input: AccountTwoFactorDisableInput!) { accountTwoFactorDisable(input: $input) {
  __typename ... on User { twoFactorEnabled } ... on AccountError { code } } }"""
CHANGE = """mutation($input: AccountChangePasswordInput!) { accountChangePassword(input: $input) {
  __typename ... on PasswordUpdated { revokedSessions } ... on AccountError { code field } } }"""
DELETE = """mutation($p: String!) { accountDeletionRequest(password: $p) {
  __typename ... on DeletionScheduled { deleteAfter } ... on AccountError { code } } }"""
CONFIRM = """mutation($id: ID!, $wasMe: Boolean!) { accountSecurityEventConfirm(id: $id, wasMe: $wasMe) {
  __typename ... on SecurityEvent { kind wasMe } ... on AccountError { code } } }"""

PHONE, PHONE_E164 = "13800138000", "+8613800138000"
PASSWORD = "victim's good password"
EVIL = "thief@evil.example"


async def _register_phone(client, phone=PHONE, password=PASSWORD):
    body = await client.gql(REGISTER, {"input": {"phone": phone, "password": password, "displayName": "V"}})
    return body["data"]["accountRegister"]["accessToken"]


async def _reauth(client, token, **factor):
    return (await client.gql(REAUTH, {"input": factor}, token=token))["data"]["accountReauthenticate"]


async def _bind(client, token, channel, target, code):
    variables = {"input": {"channel": channel, "target": target, "code": code}}
    return (await client.gql(BIND, variables, token=token))["data"]["accountBindContact"]


async def _enable_2fa(client, token):
    assert (await _reauth(client, token, password=PASSWORD))["__typename"] == "Reauthenticated"
    secret = (await client.gql(SETUP, token=token))["data"]["accountTwoFactorSetup"]["secret"]
    body = await client.gql(ENABLE, {"code": pyotp.TOTP(secret).now()}, token=token)
    assert body["data"]["accountTwoFactorEnable"]["__typename"] == "RecoveryCodes"
    return pyotp.TOTP(secret)


async def _forget_reauth(client):
    async for key in client.services.redis.scan_iter("account:reauth:*"):
        await client.services.redis.delete(key)


async def _forget_used_totp(client):
    """Codes of earlier steps were used by set-up and sign-in; let those steps pass."""
    async for key in client.services.redis.scan_iter("account:totp-used:*"):
        await client.services.redis.delete(key)


async def _events(client, token):
    edges = (await client.gql(EVENTS, token=token))["data"]["me"]["securityEvents"]["edges"]
    return [e["node"] for e in edges]


async def test_the_stolen_token_attack_chain_fails_at_every_step(client):
    # given a victim with a phone, a password and two-step verification, signed in on a device
    totp = await _enable_2fa(client, await _register_phone(client))
    signed_in = await login(client, PHONE, PASSWORD, otp=totp.at(time.time() + 30))
    stolen = signed_in["accessToken"]  # the thief has this token, nothing else

    # step 1: bind a first email (once needed nothing but a code to the thief's own mailbox)
    assert (await request_code(client, EVIL, "VERIFY_CONTACT", token=stolen))["__typename"] == "CodeSent"
    verify_code = await last_code(client, EVIL)
    assert await _bind(client, stolen, "EMAIL", EVIL, verify_code) == {
        "__typename": "AccountError",
        "code": "REAUTH_REQUIRED",
        "field": None,
    }
    # step 2: use a code to that email as re-authentication
    asked = await request_code(client, EVIL, "SENSITIVE_ACTION", token=stolen)
    assert (asked["__typename"], asked["code"]) == ("AccountError", "INVALID_INPUT")
    for channel in ("EMAIL", "SMS"):
        refused = await _reauth(client, stolen, channel=channel, code=verify_code)
        assert refused["__typename"] == "AccountError" and refused["code"] in (
            "INVALID_INPUT",
            "INVALID_CODE",
        )
    # a TOTP the thief does not have, or a guessed password, do not help either
    assert (await _reauth(client, stolen, password="a guessed password"))["code"] == "INVALID_CREDENTIALS"
    # step 3: disable two-step verification
    body = await client.gql(DISABLE, {"input": {}}, token=stolen)
    assert body["data"]["accountTwoFactorDisable"]["code"] == "REAUTH_REQUIRED"
    # step 4: reset the password through the (never bound) email
    assert (await request_code(client, EVIL, "RESET_PASSWORD", token=stolen))["__typename"] == "CodeSent"
    # only the VERIFY_CONTACT code of step 1 ever went to the thief; no reset code did
    assert len(await outbox(client, "verification_code", EVIL)) == 1
    reset = await client.gql(
        RESET, {"input": {"login": EVIL, "code": verify_code, "newPassword": "thief pw 12"}}
    )
    assert reset["data"]["accountResetPassword"]["code"] == "INVALID_CODE"
    change = await client.gql(
        CHANGE, {"input": {"currentPassword": "guess guess", "newPassword": "thief pw 12"}}, token=stolen
    )
    assert change["data"]["accountChangePassword"]["code"] == "INVALID_CREDENTIALS"

    # then the account is as it was: no email, 2FA on, the victim's password and TOTP still work
    me = (await client.gql(ME, token=stolen))["data"]["me"]
    assert (me["email"], me["twoFactorEnabled"]) == (None, True)
    await _forget_used_totp(client)
    again = await login(client, PHONE, PASSWORD, otp=totp.now())
    assert again["__typename"] == "AuthSession"


async def test_every_sensitive_change_needs_a_recent_reauthentication(client):
    account = await client.signup(email="owner@example.com", password=PASSWORD)
    # bind (first phone), enable and disable 2FA: REAUTH_REQUIRED without it
    await request_code(client, PHONE, "VERIFY_CONTACT", channel="SMS", token=account.token)
    code = await last_code(client, PHONE_E164)
    assert (await _bind(client, account.token, "SMS", PHONE, code))["code"] == "REAUTH_REQUIRED"
    secret = (await client.gql(SETUP, token=account.token))["data"]["accountTwoFactorSetup"]["secret"]
    enable = await client.gql(ENABLE, {"code": pyotp.TOTP(secret).now()}, token=account.token)
    assert enable["data"]["accountTwoFactorEnable"]["code"] == "REAUTH_REQUIRED"
    # password change and deletion take the current password itself (a factor the thief lacks)
    change = await client.gql(
        CHANGE, {"input": {"currentPassword": "", "newPassword": "new pass 123"}}, token=account.token
    )
    assert change["data"]["accountChangePassword"]["code"] == "INVALID_CREDENTIALS"
    assert (await client.gql(DELETE, {"p": "wrong one"}, token=account.token))["data"][
        "accountDeletionRequest"
    ]["code"] == "INVALID_CREDENTIALS"
    # with a recent re-authentication the owner can; after 10 minutes it is needed again
    assert (await _reauth(client, account.token, password=PASSWORD))["validFor"] == 600
    assert (await _bind(client, account.token, "SMS", PHONE, code))["phone"] == "138****8000"
    await _forget_reauth(client)
    await request_code(client, "13900139000", "VERIFY_CONTACT", channel="SMS", token=account.token)
    code = await last_code(client, "+8613900139000")
    assert (await _bind(client, account.token, "SMS", "13900139000", code))["code"] == "REAUTH_REQUIRED"


async def test_a_newly_bound_contact_cannot_vouch_for_seven_days(client):
    token = await _register_phone(client)
    assert (await _reauth(client, token, password=PASSWORD))["__typename"] == "Reauthenticated"
    await request_code(client, "me@example.com", "VERIFY_CONTACT", token=token)
    assert (await _bind(client, token, "EMAIL", "me@example.com", await last_code(client, "me@example.com")))[
        "email"
    ] == "m***@example.com"
    await _forget_reauth(client)
    # the new email cannot receive a SENSITIVE_ACTION code, nor confirm with one
    asked = await request_code(client, "me@example.com", "SENSITIVE_ACTION", token=token)
    assert (asked["code"], asked["field"]) == ("INVALID_INPUT", "target")
    assert (await _reauth(client, token, channel="EMAIL", code="123456"))["code"] == "INVALID_INPUT"
    # the phone the account had from the start can
    await request_code(client, PHONE, "SENSITIVE_ACTION", channel="SMS", token=token)
    ok = await _reauth(client, token, channel="SMS", code=await last_code(client, PHONE_E164))
    assert ok["__typename"] == "Reauthenticated"
    await _forget_reauth(client)
    # 8 days later, in a session begun after the binding, the email vouches too
    with use_orm(client.services.orm):
        await User.filter(phone=PHONE_E164).update(email_bound_at=datetime.now(UTC) - timedelta(days=8))
    fresh = (await login(client, "me@example.com", PASSWORD))["accessToken"]
    await request_code(client, "me@example.com", "SENSITIVE_ACTION", token=fresh)
    ok = await _reauth(client, fresh, channel="EMAIL", code=await last_code(client, "me@example.com"))
    assert ok["__typename"] == "Reauthenticated"


async def test_an_authenticator_vouches_only_in_sessions_begun_after_it(client):
    token = await _register_phone(client)
    totp = await _enable_2fa(client, token)
    await _forget_reauth(client)
    # enabled during this session: it cannot re-authenticate this session
    refused = await _reauth(client, token, otp=totp.now())
    assert (refused["code"], refused["field"]) == ("INVALID_INPUT", "otp")
    # a later session may use it; a wrong code is INVALID_CODE and counted
    later = (await login(client, PHONE, PASSWORD, otp=totp.at(time.time() + 30)))["accessToken"]
    assert (await _reauth(client, later, otp="000000" if totp.now() != "000000" else "111111"))["code"] == (
        "INVALID_CODE"
    )
    await _forget_used_totp(client)
    assert (await _reauth(client, later, otp=totp.now()))["__typename"] == "Reauthenticated"


async def test_alerts_go_to_every_earlier_contact_for_each_change(client):
    account = await client.signup(email="first@example.com", password=PASSWORD)
    await _reauth(client, account.token, password=PASSWORD)
    await request_code(client, PHONE, "VERIFY_CONTACT", channel="SMS", token=account.token)
    await _bind(client, account.token, "SMS", PHONE, await last_code(client, PHONE_E164))
    # changing the email: the old email and the phone are told, the new email is not
    await request_code(client, "second@example.com", "VERIFY_CONTACT", token=account.token)
    await _bind(
        client, account.token, "EMAIL", "second@example.com", await last_code(client, "second@example.com")
    )
    alerts = await outbox(client, "security_alert")
    changed = [a["target"] for a in alerts if a["data"]["event"] == "CONTACT_CHANGED"]
    # first bind (phone) told the email; the change told the old email and the phone
    assert changed == ["first@example.com", "first@example.com", PHONE_E164]
    assert "second@example.com" not in changed
    # 2FA on and off, a password change and a deletion request each alert both contacts
    totp_secret = (await client.gql(SETUP, token=account.token))["data"]["accountTwoFactorSetup"]["secret"]
    await client.gql(ENABLE, {"code": pyotp.TOTP(totp_secret).now()}, token=account.token)
    await client.gql(DISABLE, {"input": {"password": PASSWORD}}, token=account.token)
    await client.gql(
        CHANGE, {"input": {"currentPassword": PASSWORD, "newPassword": "new pass 1234"}}, token=account.token
    )
    await client.gql(DELETE, {"p": "new pass 1234"}, token=account.token)
    alerts = await outbox(client, "security_alert")
    for kind in ("TWO_FACTOR_ENABLED", "TWO_FACTOR_DISABLED", "PASSWORD_CHANGED", "DELETION_REQUESTED"):
        targets = sorted(a["target"] for a in alerts if a["data"]["event"] == kind)
        assert targets == [PHONE_E164, "second@example.com"], kind


async def test_not_me_on_a_contact_change_signs_out_everywhere_and_puts_it_back(client):
    # given a thief who knew the password and changed the email of a signed-in victim
    victim = await client.signup(email="victim@example.com", password=PASSWORD)
    thief = (await login(client, "victim@example.com", PASSWORD, deviceName="thief"))["accessToken"]
    await _reauth(client, thief, password=PASSWORD)
    await request_code(client, EVIL, "VERIFY_CONTACT", token=thief)
    assert (await _bind(client, thief, "EMAIL", EVIL, await last_code(client, EVIL)))[
        "email"
    ] == "t***@evil.example"
    alert = [
        a
        for a in await outbox(client, "security_alert", "victim@example.com")
        if a["data"]["event"] == "CONTACT_CHANGED"
    ]
    assert alert and not [
        a for a in await outbox(client, "security_alert", EVIL) if a["data"]["event"] == "CONTACT_CHANGED"
    ]
    # when the victim answers the alert "not me"
    event = next(e for e in await _events(client, victim.token) if e["kind"] == "CONTACT_CHANGED")
    body = await client.gql(CONFIRM, {"id": event["id"], "wasMe": False}, token=victim.token)
    assert body["data"]["accountSecurityEventConfirm"]["wasMe"] is False
    # then every session is gone (the thief's too), the old email is back, and it resets the password
    for token in (thief, victim.token):
        assert (await client.gql(ME, token=token))["data"]["me"] is None
    with use_orm(client.services.orm):
        user = await User.get(email="victim@example.com")
        assert (user.email_verified, user.email_bound_at) == (False, None)
    await request_code(client, "victim@example.com", "RESET_PASSWORD")
    code = await last_code(client, "victim@example.com")
    body = await client.gql(
        RESET, {"input": {"login": "victim@example.com", "code": code, "newPassword": "fresh pw 123"}}
    )
    assert body["data"]["accountResetPassword"]["__typename"] == "PasswordUpdated"
    assert (await login(client, EVIL, "fresh pw 123"))["code"] == "INVALID_CREDENTIALS"


async def test_not_me_on_a_first_contact_removes_it(client):
    token = await _register_phone(client)
    await _reauth(client, token, password=PASSWORD)
    await request_code(client, EVIL, "VERIFY_CONTACT", token=token)
    await _bind(client, token, "EMAIL", EVIL, await last_code(client, EVIL))
    victim = (await login(client, PHONE, PASSWORD))["accessToken"]
    event = next(e for e in await _events(client, victim) if e["kind"] == "CONTACT_CHANGED")
    await client.gql(CONFIRM, {"id": event["id"], "wasMe": False}, token=victim)
    with use_orm(client.services.orm):
        user = await User.get(phone=PHONE_E164)
        assert user.email is None and user.password_reset_required is True
