"""Verification codes and password reset through HTTP, including abuse: wrong, expired, reused
codes, the 6th try, concurrent guesses and concurrent resets."""

from __future__ import annotations

import asyncio

from plugins.account.tests.util import RESET, last_code, login, outbox, request_code, top_code


async def _forget(client, pattern):
    """Delete redis keys, standing in for the time that makes them expire."""
    redis = client.services.redis
    async for key in redis.scan_iter(pattern):
        await redis.delete(key)


async def _expire_codes(client):
    await _forget(client, "account:code:*")


async def _clear_cooldowns(client):
    await _forget(client, "account:code:cool:*")


async def test_reset_code_answers_the_same_for_unknown_accounts(client):
    # given one registered account
    await client.signup(email="known@example.com")
    # when codes are requested for it and for an address nobody registered
    known = await request_code(client, "known@example.com", "RESET_PASSWORD")
    unknown = await request_code(client, "nobody@example.com", "RESET_PASSWORD")
    # then both answers have the same shape, and only the real account gets a message (by a job)
    assert known["__typename"] == unknown["__typename"] == "CodeSent"
    assert known["resendAfter"] == unknown["resendAfter"] == 60
    assert len(await outbox(client, "verification_code", "known@example.com")) == 1
    assert await outbox(client, "verification_code", "nobody@example.com") == []


async def test_codes_are_stored_hashed(client):
    await client.signup(email="hash@example.com")
    await request_code(client, "hash@example.com", "RESET_PASSWORD")
    code = await last_code(client, "hash@example.com")
    redis = client.services.redis
    keys = [key async for key in redis.scan_iter("account:code:*")]
    values = [await redis.get(key) for key in keys if await redis.type(key) == "string"]
    assert keys and all(code not in key and "hash@example.com" not in key for key in keys)
    assert all(code not in (value or "") for value in values)


async def test_resend_waits_and_replaces_the_old_code(client):
    await client.signup(email="resend@example.com")
    await request_code(client, "resend@example.com", "RESET_PASSWORD")
    first = await last_code(client, "resend@example.com")
    too_soon = await request_code(client, "resend@example.com", "RESET_PASSWORD")
    assert too_soon["code"] == "TOO_MANY_ATTEMPTS" and "seconds" in too_soon["message"]
    # after the 60 s cool-down (cleared here) a new code replaces the first
    await _clear_cooldowns(client)
    await request_code(client, "resend@example.com", "RESET_PASSWORD")
    second = await last_code(client, "resend@example.com")
    old = await client.gql(RESET, _reset("resend@example.com", first if first != second else "000000"))
    assert old["data"]["accountResetPassword"]["code"] == "INVALID_CODE"
    new = await client.gql(RESET, _reset("resend@example.com", second))
    assert new["data"]["accountResetPassword"]["__typename"] == "PasswordUpdated"


async def test_daily_cap_per_requester_and_target(client):
    # one device may have 5 codes a day sent to one target (test_reset_denial covers the
    # strangers' shared budget of 10 and the owner's own one)
    await client.signup(email="cap@example.com")
    kinds = []
    for _ in range(6):
        await _clear_cooldowns(client)
        result = await request_code(client, "cap@example.com", "RESET_PASSWORD")
        kinds.append(result.get("code") or result["__typename"])
    assert kinds == ["CodeSent"] * 5 + ["TOO_MANY_ATTEMPTS"]


async def test_per_ip_limit_across_targets(client):
    results = [await request_code(client, f"ip{i}@example.com", "RESET_PASSWORD") for i in range(21)]
    assert [r["__typename"] for r in results[:20]] == ["CodeSent"] * 20
    assert results[20]["code"] == "TOO_MANY_ATTEMPTS"


async def test_malformed_targets_are_invalid_input(client):
    for channel, target in [("EMAIL", "not-an-email"), ("SMS", "12345"), ("SMS", "+86 1200000000")]:
        result = await request_code(client, target, "RESET_PASSWORD", channel=channel)
        assert (result["__typename"], result["code"], result["field"]) == (
            "AccountError",
            "INVALID_INPUT",
            "target",
        )


async def test_contact_codes_need_a_signed_in_user(client):
    body = await request_code(client, "new@example.com", "VERIFY_CONTACT")
    assert top_code(body) == "UNAUTHENTICATED"
    body = await request_code(client, "new@example.com", "SENSITIVE_ACTION")
    assert top_code(body) == "UNAUTHENTICATED"
    # a SENSITIVE_ACTION code goes only to the user's own bound contact
    alice = await client.signup(email="alice-sa@example.com")
    other = await request_code(client, "bob-sa@example.com", "SENSITIVE_ACTION", token=alice.token)
    assert (other["code"], other["field"]) == ("INVALID_INPUT", "target")


def _reset(login_, code, password="brand new secret 1"):
    return {"input": {"login": login_, "code": code, "newPassword": password}}


async def test_reset_password_revokes_sessions_and_records_an_event(client):
    # given an account signed in on two devices
    account = await client.signup(email="reset@example.com", password="old password here")
    await login(client, "reset@example.com", "old password here")
    await request_code(client, "reset@example.com", "RESET_PASSWORD")
    code = await last_code(client, "reset@example.com")
    # when it resets the password anonymously
    body = await client.gql(RESET, _reset("reset@example.com", code))
    result = body["data"]["accountResetPassword"]
    # then every session ended, the new password works, the old one does not
    assert result["__typename"] == "PasswordUpdated" and result["revokedSessions"] == 2
    assert (await client.gql("query { me { id } }", token=account.token))["data"]["me"] is None
    assert (await login(client, "reset@example.com", "old password here"))["code"] == "INVALID_CREDENTIALS"
    fresh = await login(client, "reset@example.com", "brand new secret 1")
    assert fresh["__typename"] == "AuthSession"
    events = await client.gql(
        "query { me { securityEvents { nodes { kind } } } }", token=fresh["accessToken"]
    )
    assert "PASSWORD_RESET" in [e["kind"] for e in events["data"]["me"]["securityEvents"]["nodes"]]
    assert await outbox(client, "security_alert", "reset@example.com")


async def test_reset_with_wrong_expired_reused_codes(client):
    await client.signup(email="codes@example.com")
    # no code at all, and an unknown account: the same answer
    for login_ in ("codes@example.com", "ghost@example.com"):
        body = await client.gql(RESET, _reset(login_, "123456"))
        assert body["data"]["accountResetPassword"]["code"] == "INVALID_CODE"
    # weak new password is refused before the code is spent
    await request_code(client, "codes@example.com", "RESET_PASSWORD")
    code = await last_code(client, "codes@example.com")
    weak = await client.gql(RESET, _reset("codes@example.com", code, "password"))
    assert weak["data"]["accountResetPassword"]["code"] == "WEAK_PASSWORD"
    ok = await client.gql(RESET, _reset("codes@example.com", code))
    assert ok["data"]["accountResetPassword"]["__typename"] == "PasswordUpdated"
    reused = await client.gql(RESET, _reset("codes@example.com", code, "another new secret"))
    assert reused["data"]["accountResetPassword"]["code"] == "INVALID_CODE"
    # an expired code (its redis key gone after 10 minutes) is just as invalid
    await _clear_cooldowns(client)
    await request_code(client, "codes@example.com", "RESET_PASSWORD")
    code = await last_code(client, "codes@example.com")
    await _expire_codes(client)
    expired = await client.gql(RESET, _reset("codes@example.com", code))
    assert expired["data"]["accountResetPassword"]["code"] == "INVALID_CODE"


async def test_sixth_try_is_refused_even_with_the_right_code(client):
    await client.signup(email="six@example.com")
    await request_code(client, "six@example.com", "RESET_PASSWORD")
    code = await last_code(client, "six@example.com")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        body = await client.gql(RESET, _reset("six@example.com", wrong))
        assert body["data"]["accountResetPassword"]["code"] == "INVALID_CODE"
    sixth = await client.gql(RESET, _reset("six@example.com", code))
    assert sixth["data"]["accountResetPassword"]["code"] == "TOO_MANY_ATTEMPTS"


async def test_fifty_concurrent_wrong_codes_check_at_most_five(client):
    await client.signup(email="flood@example.com")
    await request_code(client, "flood@example.com", "RESET_PASSWORD")
    code = await last_code(client, "flood@example.com")
    guesses = [f"{(int(code) + i) % 1_000_000:06d}" for i in range(1, 51)]
    bodies = await asyncio.gather(*(client.gql(RESET, _reset("flood@example.com", g)) for g in guesses))
    codes = [b["data"]["accountResetPassword"]["code"] for b in bodies]
    assert codes.count("INVALID_CODE") <= 5
    assert codes.count("TOO_MANY_ATTEMPTS") >= 45
    # and the real code is dead too: the code was burned
    after = await client.gql(RESET, _reset("flood@example.com", code))
    assert after["data"]["accountResetPassword"]["__typename"] == "AccountError"


async def test_concurrent_resets_with_one_code_succeed_exactly_once(client):
    await client.signup(email="race@example.com")
    await request_code(client, "race@example.com", "RESET_PASSWORD")
    code = await last_code(client, "race@example.com")
    passwords = [f"racing password {i}" for i in range(5)]
    bodies = await asyncio.gather(
        *(client.gql(RESET, _reset("race@example.com", code, p)) for p in passwords)
    )
    kinds = [b["data"]["accountResetPassword"]["__typename"] for b in bodies]
    assert kinds.count("PasswordUpdated") == 1
    winner = passwords[kinds.index("PasswordUpdated")]
    assert (await login(client, "race@example.com", winner))["__typename"] == "AuthSession"
