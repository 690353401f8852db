"""Apps and their tokens through HTTP: who may create them, the token shown once and stored hashed,
the app caller (`viewer`), rotation and revocation refusing the old token at once, lastUsedAt."""

from __future__ import annotations

from core.db import use_orm
from plugins.partners.models import App
from plugins.partners.tests.support import top_code
from tests.partner_apps import APP_CREATE, make_app

VIEWER = "{ viewer { kind permissions user { id } app { id name } } }"
ROTATE = "mutation($id: ID!) { appTokenRotate(id: $id) { __typename ... on AppCreated { token } ... on PartnerError { code } } }"
REVOKE = "mutation($id: ID!) { appRevoke(id: $id) { __typename ... on App { revokedAt } ... on PartnerError { code } } }"
APPS = "{ apps { nodes { id name tokenHint lastUsedAt revokedAt permissions } } }"


def _input(**extra):
    return {"input": {"name": "Zendesk bridge", "permissions": ["tickets:read"], **extra}}


SESSIONS_AND_EVENTS = (
    "{ me { sessions(first: 100) { nodes { id } } securityEvents(first: 100) { edges { node { id } } } } }"
)


async def test_only_admins_create_apps(client):
    user = await client.signup()
    agent = await client.signup(roles=("AGENT",))
    admin = await client.signup(roles=("ADMIN",))
    assert top_code(await client.gql(APP_CREATE, _input())) == "UNAUTHENTICATED"
    assert top_code(await client.gql(APP_CREATE, _input(), token=user.token)) == "FORBIDDEN"
    assert top_code(await client.gql(APP_CREATE, _input(), token=agent.token)) == "FORBIDDEN"
    manager = await make_app(client, admin, ["webhooks:manage", "tickets:read"])
    assert top_code(await client.gql(APP_CREATE, _input(), token=manager["token"])) == "FORBIDDEN"
    assert top_code(await client.gql(APPS, token=manager["token"])) == "FORBIDDEN"
    with use_orm(client.services.orm):
        assert await App.all().count() == 1


async def test_the_token_is_shown_once_with_a_prefix_and_stored_hashed(client):
    admin = await client.signup(roles=("ADMIN",))
    created = await make_app(client, admin, ["tickets:read"], rateLimitPerMinute=50)
    token, app = created["token"], created["app"]
    assert token.startswith("ssk_") and len(token) >= 40
    assert app["tokenHint"] == f"{token[:8]}…{token[-4:]}" and app["rateLimitPerMinute"] == 50
    with use_orm(client.services.orm):
        row = await App.get(name="Partner")
    assert token not in (row.token_hash, row.token_hint) and len(row.token_hash) == 64
    listed = await client.gql(APPS, token=admin.token)
    assert "token" not in listed["data"]["apps"]["nodes"][0]


async def test_bad_input_is_a_typed_error_and_writes_nothing(client):
    admin = await client.signup(roles=("ADMIN",))
    for variables, code, field in [
        (_input(permissions=["tickets:read", "root:all"]), "UNKNOWN_PERMISSION", "input.permissions"),
        (_input(rateLimitPerMinute=0), "INVALID_RATE_LIMIT", "input.rateLimitPerMinute"),
        (_input(name="  "), "INVALID_INPUT", "input.name"),
    ]:
        result = (await client.gql(APP_CREATE, variables, token=admin.token))["data"]["appCreate"]
        assert (result["__typename"], result["code"], result["field"]) == ("PartnerError", code, field)
    with use_orm(client.services.orm):
        assert await App.all().count() == 0


async def test_viewer_tells_anonymous_user_and_app_apart(client):
    admin = await client.signup(roles=("ADMIN",))
    created = await make_app(client, admin, ["tickets:read", "appeals:read"])
    assert (await client.gql(VIEWER))["data"]["viewer"] == {
        "kind": "ANONYMOUS",
        "permissions": [],
        "user": None,
        "app": None,
    }
    me = (await client.gql(VIEWER, token=admin.token))["data"]["viewer"]
    assert me["kind"] == "USER" and me["user"]["id"] == admin.id and me["app"] is None
    app = (await client.gql(VIEWER, token=created["token"]))["data"]["viewer"]
    assert app == {
        "kind": "APP", "permissions": ["appeals:read", "tickets:read"], "user": None,
        "app": {"id": created["app"]["id"], "name": "Partner"},
    }  # fmt: skip


async def test_rotation_and_revocation_refuse_the_old_token_at_once(client):
    admin = await client.signup(roles=("ADMIN",))
    created = await make_app(client, admin, ["tickets:read"])
    old, app_id = created["token"], created["app"]["id"]
    assert (await client.gql(VIEWER, token=old))["data"]["viewer"]["kind"] == "APP"  # cached now
    rotated = await client.gql(ROTATE, {"id": app_id}, token=admin.token)
    new = rotated["data"]["appTokenRotate"]["token"]
    response = await client.http.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": f"Bearer {old}"}
    )
    assert (
        response.status_code == 401
        and response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    )
    assert (await client.gql(VIEWER, token=new))["data"]["viewer"]["kind"] == "APP"
    revoked = await client.gql(REVOKE, {"id": app_id}, token=admin.token)
    assert revoked["data"]["appRevoke"]["revokedAt"]
    for query in (VIEWER, "{ tickets { nodes { id } } }", "{ webhookEvents { name } }"):
        response = await client.http.post(
            "/graphql", json={"query": query}, headers={"Authorization": f"Bearer {new}"}
        )
        assert response.status_code == 401, query
    again = await client.gql(ROTATE, {"id": app_id}, token=admin.token)
    assert again["data"]["appTokenRotate"]["code"] == "APP_REVOKED"
    # A made-up token of the same shape is refused the same way (no enumeration).
    fake = await client.http.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": "Bearer ssk_" + "x" * 43}
    )
    assert fake.status_code == 401


async def _sessions_and_events(client, account) -> tuple[int, int]:
    """How many signed-in devices and security events the user sees on their own account."""
    body = await client.gql(SESSIONS_AND_EVENTS, token=account.token)
    me = body["data"]["me"]
    return len(me["sessions"]["nodes"]), len(me["securityEvents"]["edges"])


async def test_app_calls_create_no_session_and_send_no_sign_in_alert(client):
    admin = await client.signup(roles=("ADMIN",))
    created = await make_app(client, admin, ["tickets:read"])
    await client.services.jobs.drain()
    outbox = client.services.settings.outbox_path
    # The admin is the only user: every session and security event there is, is theirs (and an app
    # acts for its creator, if for anyone).
    before = await _sessions_and_events(client, admin)
    assert before[0] == 1  # the sign-up's session: the count sees a new one
    sent_before = outbox.read_text().count("\n") if outbox.exists() else 0
    for _ in range(3):
        await client.gql(VIEWER, token=created["token"])
    await client.services.jobs.drain()
    assert await _sessions_and_events(client, admin) == before
    assert (outbox.read_text().count("\n") if outbox.exists() else 0) == sent_before


async def test_last_used_at_is_written_at_most_once_a_minute(client):
    admin = await client.signup(roles=("ADMIN",))
    created = await make_app(client, admin, ["tickets:read"])
    assert created["app"]["lastUsedAt"] is None
    await client.gql(VIEWER, token=created["token"])
    with use_orm(client.services.orm):
        first = (await App.get(name="Partner")).last_used_at
        await client.gql(VIEWER, token=created["token"])
        second = (await App.get(name="Partner")).last_used_at
    assert first is not None and second == first
