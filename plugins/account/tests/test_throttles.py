"""Issue 11 findings 3, 10 and 16 through HTTP: throttles keyed by the account whatever the
spelling of the login, second factors counted like passwords, the client address behind trusted
proxies, shared addresses, and no password oracle on a locked account."""

from __future__ import annotations

import time

import pydantic
import pyotp
import pytest

from core.db import use_orm
from core.settings import Settings
from plugins.account.models import User
from plugins.account.tests.util import EVENTS, LOGIN, outbox
from tests.helpers import REGISTER

PASSWORD = "the right password"
SPELLINGS = [
    "+86 138 0013 8000",
    "008613800138000",
    "138-0013-8000",
    "(138)00138000",
    "+8613800138000",
    " 13800138000 ",
    "138 0013 8000",
    "(+86) 138-0013-8000",
]
SETUP = "mutation { accountTwoFactorSetup { __typename ... on TwoFactorSetup { secret } } }"
ENABLE = "mutation($c: String!) { accountTwoFactorEnable(code: $c) { __typename } }"
REAUTH = "mutation($i: AccountReauthenticateInput!) { accountReauthenticate(input: $i) { __typename } }"
SESSIONS = "query { me { sessions { edges { node { ip current } } } } }"


async def _login(client, login, password, *, ip=None, otp=None, agent=None):
    headers = {}
    if ip:
        headers["X-Forwarded-For"] = ip
    if agent:
        headers["User-Agent"] = agent
    variables = {"input": {"login": login, "password": password, "otp": otp}}
    return (await client.gql(LOGIN, variables, headers=headers))["data"]["accountLogin"]


async def _phone_account_with_2fa(client):
    body = await client.gql(
        REGISTER, {"input": {"phone": "13800138000", "password": PASSWORD, "displayName": "T"}}
    )
    token = body["data"]["accountRegister"]["accessToken"]
    await client.gql(REAUTH, {"i": {"password": PASSWORD}}, token=token)
    secret = (await client.gql(SETUP, token=token))["data"]["accountTwoFactorSetup"]["secret"]
    await client.gql(ENABLE, {"c": pyotp.TOTP(secret).now()}, token=token)
    return token, pyotp.TOTP(secret)


def _wrong(totp, i):
    """A 6-digit code that is not valid now (nor a step either side)."""
    valid = {totp.at(time.time() + d) for d in (-60, -30, 0, 30, 60)}
    code = f"{(i * 7919) % 1_000_000:06d}"
    return code if code not in valid else f"{(int(code) + 1) % 1_000_000:06d}"


async def test_wrong_totp_codes_across_spellings_are_not_all_checked(client):
    # given an attacker who knows the password of a phone account with two-step verification
    token, totp = await _phone_account_with_2fa(client)
    # when 260 wrong codes are sent, cycling through 8 spellings of the phone number
    answers = [
        (await _login(client, SPELLINGS[i % len(SPELLINGS)], PASSWORD, otp=_wrong(totp, i)))["code"]
        for i in range(260)
    ]
    # then only a handful were checked at all (5 free, then a delay that doubles each time; the
    # spellings once each had their own budget and all 260 were checked)
    checked = answers.count("INVALID_CODE")
    assert checked <= 12 and answers.count("TOO_MANY_ATTEMPTS") == 260 - checked
    # each wrong code counted like a wrong password: the account's failure total and the address
    with use_orm(client.services.orm):
        assert (await User.get(phone="+8613800138000")).failed_logins == checked
    assert int(await client.services.redis.get("thr:n:login-ip:203.0.113.7")) == checked
    # and the 5th wrong second factor raised an event and an alert to the account's contact
    kinds = [
        e["node"]["kind"]
        for e in (await client.gql(EVENTS, token=token))["data"]["me"]["securityEvents"]["edges"]
    ]
    assert kinds.count("SECOND_FACTOR_FAILURES") == 1 and "FAILED_LOGIN_BURST" in kinds
    alerts = await outbox(client, "security_alert", "+8613800138000")
    assert [a for a in alerts if a["data"]["event"] == "SECOND_FACTOR_FAILURES"]


async def test_wrong_totp_codes_from_many_addresses_are_not_all_checked(client, monkeypatch):
    monkeypatch.setattr(client.services.settings, "trusted_proxies", "203.0.113.7/32")
    _, totp = await _phone_account_with_2fa(client)
    answers = [
        (await _login(client, SPELLINGS[i % 6], PASSWORD, otp=_wrong(totp, i), ip=f"198.51.{i}.1"))["code"]
        for i in range(40)
    ]
    # a fresh address per try gets no fresh budget for the second factor of one account
    assert answers.count("INVALID_CODE") <= 10
    assert answers.count("TOO_MANY_ATTEMPTS") == 40 - answers.count("INVALID_CODE")


async def test_wrong_passwords_across_spellings_share_one_budget(client):
    await client.gql(REGISTER, {"input": {"phone": "13800138000", "password": PASSWORD, "displayName": "T"}})
    answers = [(await _login(client, spelling, "wrong password"))["code"] for spelling in SPELLINGS * 2]
    assert answers[:6] == ["INVALID_CREDENTIALS"] * 6 and set(answers[6:]) == {"TOO_MANY_ATTEMPTS"}
    # emails: case and spaces do not make another budget either
    await client.signup(email="case@example.com", password=PASSWORD)
    emails = ["case@example.com", "CASE@example.com", " Case@Example.COM ", "cAsE@example.com"] * 2
    answers = [(await _login(client, e, "wrong password"))["code"] for e in emails]
    assert answers[:6] == ["INVALID_CREDENTIALS"] * 6 and set(answers[6:]) == {"TOO_MANY_ATTEMPTS"}


async def test_client_address_comes_from_trusted_proxies_only(client, monkeypatch):
    account = await client.signup(email="ip@example.com", password=PASSWORD)

    async def session_ip(forwarded):
        await client.services.redis.flushdb()
        result = await _login(client, "ip@example.com", PASSWORD, ip=forwarded)
        sessions = (await client.gql(SESSIONS, token=result["accessToken"]))["data"]["me"]["sessions"][
            "edges"
        ]
        return next(s["node"]["ip"] for s in sessions if s["node"]["current"])

    # without SELFSERVE_TRUSTED_PROXIES a client's X-Forwarded-For is ignored
    assert await session_ip("6.6.6.6") == "203.0.113.7"
    monkeypatch.setattr(client.services.settings, "trusted_proxies", "203.0.113.7/32, 10.0.0.0/8")
    # the right-most address that is not a trusted proxy is the client; what it wrote is not
    assert await session_ip("198.51.100.20") == "198.51.100.20"
    assert await session_ip("6.6.6.6, 198.51.100.20") == "198.51.100.20"
    assert await session_ip("6.6.6.6, 198.51.100.20, 10.1.2.3") == "198.51.100.20"
    assert await session_ip("garbage, 10.1.2.3") == "10.1.2.3"
    assert await session_ip("2001:db8::1") == "2001:db8::1"
    assert account.token


async def test_a_shared_address_keeps_its_users_signing_in_while_a_spray_is_slowed(client, monkeypatch):
    # given three users who signed in before from one shared address (CGNAT, or a company proxy)
    monkeypatch.setattr(client.services.settings, "trusted_proxies", "203.0.113.7/32")
    monkeypatch.setattr(client.services.settings, "login_ip_free_failures", 5)
    shared = "100.64.0.1"
    users = [f"neighbour{i}@example.com" for i in range(3)]
    for email in users:
        await client.signup(email=email, password=PASSWORD)
        assert (await _login(client, email, PASSWORD, ip=shared))["__typename"] == "AuthSession"
    # when an attacker behind the same address sprays guesses at accounts (mostly unknown ones)
    spray = [
        (await _login(client, f"guess{i}@example.com", "Summer2026!", ip=shared))["code"] for i in range(8)
    ]
    # then the spray is slowed once the address used its free failures
    assert spray[:5] == ["INVALID_CREDENTIALS"] * 5 and "TOO_MANY_ATTEMPTS" in spray[5:]
    # (a long spray: the address now waits 10 minutes)
    redis = client.services.redis
    await redis.set("thr:n:login-ip:100.64.0.1", 30)
    await redis.set("thr:lock:login-ip:100.64.0.1", str(time.time() + 600), ex=600)
    assert (await _login(client, "guess99@example.com", "Summer2026!", ip=shared))[
        "code"
    ] == "TOO_MANY_ATTEMPTS"
    # and the users of that address still sign in with their right passwords (the address's
    # counter used to lock them all out, and a success does not clear the attacker's count)
    for email in users:
        assert (await _login(client, email, PASSWORD, ip=shared))["__typename"] == "AuthSession"
    assert await redis.exists("thr:lock:login-ip:100.64.0.1")
    # an account never signed in from there waits like the spray (it cannot be told apart)
    await client.signup(email="newcomer@example.com", password=PASSWORD)
    assert (await _login(client, "newcomer@example.com", PASSWORD, ip=shared))["code"] == "TOO_MANY_ATTEMPTS"
    # another address is not affected
    assert (await _login(client, "newcomer@example.com", PASSWORD, ip="192.0.2.44"))[
        "__typename"
    ] == "AuthSession"


async def test_a_locked_account_answers_the_same_for_right_and_wrong_passwords(client):
    account = await client.signup(email="locked@example.com", password=PASSWORD)
    with use_orm(client.services.orm):
        await User.filter(email="locked@example.com").update(password_reset_required=True)
    right = await _login(client, "locked@example.com", PASSWORD)
    wrong = await _login(client, "locked@example.com", "not the password")
    assert (
        right
        == wrong
        == {
            "__typename": "AccountError",
            "code": "PASSWORD_RESET_REQUIRED",
            "message": right["message"],
            "field": None,
        }
    )
    # and the throttle counts both alike: after 5 more of either, both wait
    answers = [(await _login(client, "locked@example.com", p))["code"] for p in [PASSWORD, "nope"] * 3]
    assert answers[:4] == ["PASSWORD_RESET_REQUIRED"] * 4 and answers[4:] == ["TOO_MANY_ATTEMPTS"] * 2
    assert account.token


def test_a_bad_trusted_proxy_entry_stops_start_up():
    with pytest.raises(pydantic.ValidationError, match="not a CIDR"):
        Settings(trusted_proxies="10.0.0.0/8, not-a-network")
    assert [str(n) for n in Settings(trusted_proxies="10.0.0.0/8,127.0.0.1").trusted_proxy_networks] == [
        "10.0.0.0/8",
        "127.0.0.1/32",
    ]
