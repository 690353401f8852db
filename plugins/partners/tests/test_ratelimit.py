"""Rate limits for every caller: an app's own `rateLimitPerMinute`, then HTTP 429 with the three
headers and RATE_LIMITED; other apps, users and anonymous callers keep their own budgets."""

from __future__ import annotations

from tests.partner_apps import make_app

VIEWER = {"query": "{ viewer { kind } }"}


async def _call(client, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.http.post("/graphql", json=VIEWER, headers=headers)


async def test_an_app_over_its_limit_gets_429_with_headers_and_others_are_unaffected(client):
    admin = await client.signup(roles=("ADMIN",))
    limited = await make_app(client, admin, ["tickets:read"], rateLimitPerMinute=3)
    other = await make_app(client, admin, ["tickets:read"], name="Other", rateLimitPerMinute=3)
    answers = [await _call(client, limited["token"]) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].headers["RateLimit-Policy"] == '"app";q=3;w=60'
    assert answers[2].headers["RateLimit"].startswith('"app";r=0;t=')
    refused = await _call(client, limited["token"])
    assert refused.status_code == 429
    retry_after = int(refused.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert refused.headers["RateLimit-Policy"] == '"app";q=3;w=60'
    assert refused.headers["RateLimit"] == f'"app";r=0;t={retry_after}'
    (error,) = refused.json()["errors"]
    assert error["extensions"] == {"code": "RATE_LIMITED", "retryAfter": retry_after}
    assert "data" not in refused.json()
    assert (await _call(client, other["token"])).status_code == 200
    assert (await _call(client, admin.token)).status_code == 200
    assert (await _call(client)).status_code == 200


async def test_users_and_anonymous_callers_are_limited_per_user_and_per_ip(client):
    limiter = client.services.request_limits
    saved = (limiter.user_per_minute, limiter.ip_per_minute)
    limiter.user_per_minute, limiter.ip_per_minute = 2, 2
    try:
        alice, bob = await client.signup(), await client.signup()
        await limiter.reset()
        assert [(await _call(client, alice.token)).status_code for _ in range(3)] == [200, 200, 429]
        assert (await _call(client, bob.token)).status_code == 200
        assert [(await _call(client)).status_code for _ in range(3)] == [200, 200, 429]
        refused = await _call(client)
        assert refused.headers["RateLimit-Policy"] == '"ip";q=2;w=60'
    finally:
        limiter.user_per_minute, limiter.ip_per_minute = saved
