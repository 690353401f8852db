"""Portal forms and sessions as an attacker sees them: CSRF on every form, cookie flags, the API's
own answers for wrong passwords, staff pages only for staff, the live socket only from this site."""

from __future__ import annotations

import re

import pytest

from plugins.portal import session

CSRF = re.compile(r'name="csrf" value="([^"]+)"')
ARTICLES = """query($after: String) { helpArticles(first: 100, after: $after) {
  edges { node { id helpfulCount } } pageInfo { hasNextPage endCursor } } }"""


def _cookie_header(jar: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())}


async def _csrf(portal, jar: dict[str, str], path: str = "/login") -> str:
    response = await portal.http.get(path, headers=_cookie_header(jar))
    for value in response.headers.get_list("set-cookie"):
        name, _, rest = value.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return CSRF.search(response.text).group(1)


async def _login(portal, account) -> dict[str, str]:
    jar: dict[str, str] = {}
    token = await _csrf(portal, jar)
    response = await portal.http.post(
        "/login", data={"csrf": token, "login": account.email, "password": account.password, "next": "/account"},
        headers=_cookie_header(jar),
    )  # fmt: skip
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/account"
    for value in response.headers.get_list("set-cookie"):
        name, _, rest = value.partition("=")
        jar[name] = rest.split(";", 1)[0]
    return jar


@pytest.mark.parametrize(
    "path",
    [
        "/login",
        "/logout",
        "/preferences",
        "/chat",
        "/account/revoke",
        "/help/payments/payments-refund/feedback",
    ],
)
async def test_every_form_refuses_a_post_without_the_csrf_token(portal, path):
    jar: dict[str, str] = {}
    await _csrf(portal, jar)
    response = await portal.http.post(path, data={"csrf": "forged-token-value"}, headers=_cookie_header(jar))
    assert response.status_code == 403
    missing = await portal.http.post(path, data={}, headers=_cookie_header(jar))
    assert missing.status_code == 403


async def _helpful_votes(client) -> dict[str, int]:
    """Each published article's helpful count, in both languages, as the help center lists them."""
    counts: dict[str, int] = {}
    for language in ("zh-CN", "en"):
        after = None
        while True:
            body = await client.gql(ARTICLES, {"after": after}, headers={"Accept-Language": language})
            page = body["data"]["helpArticles"]
            counts.update({e["node"]["id"]: e["node"]["helpfulCount"] for e in page["edges"]})
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
    return counts


async def test_a_forged_feedback_post_writes_nothing(portal):
    before = await _helpful_votes(portal)
    assert before, "the help center lists the seeded articles"
    jar: dict[str, str] = {}
    await _csrf(portal, jar)
    await portal.http.post(
        "/help/payments/payments-refund/feedback", data={"csrf": "x" * 32, "helpful": "yes", "id": "x"},
        headers=_cookie_header(jar),
    )  # fmt: skip
    assert await _helpful_votes(portal) == before


async def test_signing_in_sets_an_httponly_secure_lax_session_cookie(portal):
    account = await portal.signup()
    jar: dict[str, str] = {}
    token = await _csrf(portal, jar)
    response = await portal.http.post(
        "/login", data={"csrf": token, "login": account.email, "password": account.password},
        headers=_cookie_header(jar),
    )  # fmt: skip
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(session.SESSION_COOKIE))
    assert "HttpOnly" in cookie and "Secure" in cookie and "SameSite=lax" in cookie


async def test_a_wrong_password_gets_the_apis_answer_and_no_session(portal):
    account = await portal.signup()
    jar: dict[str, str] = {}
    token = await _csrf(portal, jar)
    response = await portal.http.post(
        "/login", data={"csrf": token, "login": account.email, "password": "wrong password here"},
        headers=_cookie_header(jar),
    )  # fmt: skip
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert not any(c.startswith(session.SESSION_COOKIE) for c in response.headers.get_list("set-cookie"))


async def test_account_page_needs_a_session(portal):
    response = await portal.http.get("/account")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/account"


async def test_a_signed_in_user_sees_their_account_and_sessions(portal):
    account = await portal.signup(name="Owner Person")
    jar = await _login(portal, account)
    response = await portal.http.get("/account", headers=_cookie_header(jar))
    assert response.status_code == 200
    assert "Owner Person" in response.text
    assert response.headers["cache-control"] == "no-store"


async def test_staff_console_is_refused_to_users_and_split_by_role(portal):
    user = await portal.signup()
    jar = await _login(portal, user)
    assert (await portal.http.get("/staff", headers=_cookie_header(jar))).status_code == 403
    agent = await portal.signup(roles=("AGENT",))
    page = await portal.http.get("/staff", headers=_cookie_header(await _login(portal, agent)))
    assert page.status_code == 200
    assert 'id="agent"' in page.text and 'id="reviewer"' not in page.text
    reviewer = await portal.signup(roles=("REVIEWER",))
    page = await portal.http.get("/staff", headers=_cookie_header(await _login(portal, reviewer)))
    assert 'id="reviewer"' in page.text and 'id="agent"' not in page.text


async def test_another_users_ticket_page_is_not_found(portal):
    owner = await portal.signup()
    created = await portal.gql(
        "mutation($i: TicketCreateInput!) { ticketCreate(input: $i) { __typename ... on Ticket { id } } }",
        {"i": {"subject": "Refund please", "body": "my refund did not arrive", "category": "payments"}},
        token=owner.token,
    )
    ticket = created["data"]["ticketCreate"]
    assert ticket["__typename"] == "Ticket", created
    other = await portal.signup()
    response = await portal.http.get(
        f"/tickets/{ticket['id']}", headers=_cookie_header(await _login(portal, other))
    )
    assert response.status_code == 404
    mine = await portal.http.get(
        f"/tickets/{ticket['id']}", headers=_cookie_header(await _login(portal, owner))
    )
    assert mine.status_code == 200 and "Refund please" in mine.text


async def test_an_expired_access_token_is_refreshed_on_the_server(portal):
    account = await portal.signup(name="Refreshed Person")
    jar = await _login(portal, account)
    tokens = session.decode_tokens(jar[session.SESSION_COOKIE])
    stale = session.encode_tokens(session.Tokens(access="expired.or.revoked", refresh=tokens.refresh))
    response = await portal.http.get(
        "/account", headers=_cookie_header({**jar, session.SESSION_COOKIE: stale})
    )
    assert response.status_code == 200 and "Refreshed Person" in response.text
    renewed = next(c for c in response.headers.get_list("set-cookie") if c.startswith(session.SESSION_COOKIE))
    fresh = session.decode_tokens(renewed.split(";", 1)[0].split("=", 1)[1])
    assert fresh.refresh != tokens.refresh  # the API rotated it
    # the old refresh token is spent: using it again signs the browser out
    again = await portal.http.get("/account", headers=_cookie_header({**jar, session.SESSION_COOKIE: stale}))
    assert again.status_code == 303
