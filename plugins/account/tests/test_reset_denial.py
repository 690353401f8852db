"""Issue 11 finding 9: strangers cannot deny a user the password reset. Their code requests spend
their own budgets, their wrong guesses burn only their own codes, and the owner (signed in, or on a
network it signed in from) keeps a budget of its own. Through HTTP, with addresses set by a
trusted proxy's X-Forwarded-For."""

from __future__ import annotations

from plugins.account.tests.util import REQUEST_CODE, RESET, last_code, outbox
from tests.helpers import REGISTER

OWNER_NET, STRANGER = "192.0.2.10", "198.51.100.66"
EMAIL = "victim@example.com"


async def _ask(client, ip, agent, token=None, target=EMAIL):
    variables = {"input": {"channel": "EMAIL", "target": target, "purpose": "RESET_PASSWORD"}}
    headers = {"X-Forwarded-For": ip, "User-Agent": agent}
    return (await client.gql(REQUEST_CODE, variables, token=token, headers=headers))["data"][
        "accountRequestCode"
    ]


async def _reset(client, ip, agent, code, login=EMAIL):
    variables = {"input": {"login": login, "code": code, "newPassword": "my new password 1"}}
    headers = {"X-Forwarded-For": ip, "User-Agent": agent}
    return (await client.gql(RESET, variables, headers=headers))["data"]["accountResetPassword"]


async def _owner(client, monkeypatch):
    monkeypatch.setattr(client.services.settings, "trusted_proxies", "203.0.113.7/32")
    body = await client.gql(
        REGISTER,
        {"input": {"email": EMAIL, "password": "victim password", "displayName": "V"}},
        headers={"X-Forwarded-For": OWNER_NET, "User-Agent": "victim-phone"},
    )
    return body["data"]["accountRegister"]["accessToken"]


async def test_strangers_exhausting_the_daily_budget_do_not_block_the_owner(client, monkeypatch):
    await _owner(client, monkeypatch)
    # given strangers who asked for codes from many devices until they were refused
    answers = [(await _ask(client, STRANGER, f"bot-{i}"))["__typename"] for i in range(14)]
    assert answers[:10] == ["CodeSent"] * 10 and set(answers[10:]) == {"AccountError"}
    # when the owner asks from its own network (a new device there), it still gets a code
    sent = await _ask(client, "192.0.2.77", "victim-laptop")
    assert sent["__typename"] == "CodeSent"
    code = await last_code(client, EMAIL)
    assert (await _reset(client, "192.0.2.77", "victim-laptop", code))["__typename"] == "PasswordUpdated"


async def test_a_signed_in_owner_is_never_blocked_by_strangers(client, monkeypatch):
    token = await _owner(client, monkeypatch)
    for i in range(12):
        await _ask(client, STRANGER, f"bot-{i}")
    # even from a network it never used, with its session it gets its code
    assert (await _ask(client, "203.0.113.200", "hotel-wifi", token=token))["__typename"] == "CodeSent"


async def test_one_stranger_is_limited_per_device_and_address(client, monkeypatch):
    await _owner(client, monkeypatch)
    # the same device waits for the resend cool-down, then its own daily budget ends
    assert (await _ask(client, STRANGER, "bot"))["__typename"] == "CodeSent"
    assert (await _ask(client, STRANGER, "bot"))["code"] == "TOO_MANY_ATTEMPTS"
    for _ in range(5):
        async for key in client.services.redis.scan_iter("account:code:cool:*"):
            await client.services.redis.delete(key)
        last = await _ask(client, STRANGER, "bot")
    assert last["code"] == "TOO_MANY_ATTEMPTS"
    # and an address asking for many targets stops at 20 an hour
    results = [
        (await _ask(client, "198.51.100.67", "bot", target=f"t{i}@example.com"))["__typename"]
        for i in range(21)
    ]
    assert results == ["CodeSent"] * 20 + ["AccountError"]


async def test_strangers_wrong_guesses_do_not_burn_the_owners_code(client, monkeypatch):
    await _owner(client, monkeypatch)
    # given the owner's code, sent to its mailbox
    assert (await _ask(client, OWNER_NET, "victim-phone"))["__typename"] == "CodeSent"
    code = await last_code(client, EMAIL)
    # when a stranger asks for one too and guesses 6 times (once burned the owner's code)
    await _ask(client, STRANGER, "bot")
    for guess in range(6):
        answer = await _reset(client, STRANGER, "bot", f"{guess:06d}" if f"{guess:06d}" != code else "999999")
        assert answer["code"] in ("INVALID_CODE", "TOO_MANY_ATTEMPTS")
    # even the right code does not work for the stranger's device
    assert (await _reset(client, STRANGER, "bot", code))["code"] in ("INVALID_CODE", "TOO_MANY_ATTEMPTS")
    # then the owner's code still works on the owner's device
    assert (await _reset(client, OWNER_NET, "victim-phone", code))["__typename"] == "PasswordUpdated"
    assert len(await outbox(client, "verification_code", EMAIL)) == 2
