"""An agent's ticket tools on `/staff/tickets/<id>` through HTTP: apply a canned reply (public or
as an internal note), assign the ticket to oneself, and the refusals (a plain user, a missing CSRF
token, an unknown macro) with nothing written."""

from __future__ import annotations

import html

import pytest

from plugins.portal.tests.test_forms_and_sessions import _cookie_header, _csrf, _login
from tests.tickets import create_ticket

MACRO_CREATE = """
mutation M($input: SupportMacroCreateInput!) {
  supportMacroCreate(input: $input) { __typename ... on SupportMacro { id } ... on SupportError { code } }
}
"""
THREAD = """
query T($id: ID!) { node(id: $id) { ... on Ticket {
  assignee { id } messages { nodes { body internal kind } } } } }
"""


async def _desk(portal):
    """A requester's ticket, an agent signed in to the portal and a saved macro."""
    requester = await portal.signup(name="Alice")
    ticket = await create_ticket(portal, requester)
    agent = await portal.signup(name="Agent Zhang", roles=("AGENT",))
    created = await portal.gql(
        MACRO_CREATE, {"input": {"title": "Refund sent", "body": "Hi {name}, #{number}: refund sent. {agent}"}},
        token=agent.token,
    )  # fmt: skip
    assert created["data"]["supportMacroCreate"]["__typename"] == "SupportMacro", created
    return ticket, agent, await _login(portal, agent), created["data"]["supportMacroCreate"]["id"]


async def _post(portal, jar, path, data):
    token = await _csrf(portal, jar, path.rsplit("/", 1)[0])
    return await portal.http.post(path, data={"csrf": token, **data}, headers=_cookie_header(jar))


async def _thread(portal, ticket, agent):
    body = await portal.gql(THREAD, {"id": ticket["id"]}, token=agent.token)
    return body["data"]["node"]


async def test_an_agent_applies_a_macro_and_the_filled_reply_shows_in_the_thread(portal):
    ticket, agent, jar, macro_id = await _desk(portal)
    path = f"/staff/tickets/{ticket['id']}"
    page = await portal.http.get(path, headers=_cookie_header(jar))
    assert page.status_code == 200
    assert f'<option value="{macro_id}">Refund sent</option>' in page.text
    applied = await _post(portal, jar, path + "/macro", {"macro": macro_id})
    assert applied.status_code == 303 and applied.headers["location"] == path
    filled = f"Hi Alice, #{ticket['number']}: refund sent. Agent Zhang"
    thread = html.unescape((await portal.http.get(path, headers=_cookie_header(jar))).text)
    assert f"<p>{filled}</p>" in thread
    assert {"body": filled, "internal": False, "kind": "AGENT"} in (await _thread(portal, ticket, agent))[
        "messages"
    ]["nodes"]
    noted = await _post(portal, jar, path + "/macro", {"macro": macro_id, "internal": "on"})
    assert noted.status_code == 303
    internal = [m for m in (await _thread(portal, ticket, agent))["messages"]["nodes"] if m["internal"]]
    assert [m["body"] for m in internal] == [filled]


async def test_an_unknown_macro_is_shown_as_an_error_not_a_500(portal):
    ticket, agent, jar, _macro_id = await _desk(portal)
    before = len((await _thread(portal, ticket, agent))["messages"]["nodes"])
    path = f"/staff/tickets/{ticket['id']}"
    wrong = await _post(portal, jar, path + "/macro", {"macro": ticket["id"]})  # a ticket's ID, not a macro's
    assert wrong.status_code == 400 and 'role="alert"' in wrong.text
    assert f'action="{path}"' in wrong.text  # the reply form still posts to the ticket
    assert len((await _thread(portal, ticket, agent))["messages"]["nodes"]) == before
    unknown = await _post(portal, jar, path + "/nope", {})
    assert unknown.status_code == 404


async def test_an_agent_assigns_the_ticket_to_themself(portal):
    ticket, agent, jar, _macro_id = await _desk(portal)
    path = f"/staff/tickets/{ticket['id']}"
    before = await portal.http.get(path, headers=_cookie_header(jar))
    assert 'data-assignee=""' in before.text and 'value="me"' in before.text
    assigned = await _post(portal, jar, path + "/assign", {"to": "me"})
    assert assigned.status_code == 303 and assigned.headers["location"] == path
    assert (await _thread(portal, ticket, agent))["assignee"] == {"id": agent.id}
    after = await portal.http.get(path, headers=_cookie_header(jar))
    assert f'data-assignee="{agent.id}">Agent Zhang</p>' in after.text
    assert 'value="me"' not in after.text  # already theirs


@pytest.mark.parametrize("action", ["macro", "assign"])
async def test_a_plain_user_is_refused_and_nothing_changes(portal, action):
    ticket, agent, _jar, macro_id = await _desk(portal)
    user = await portal.signup()
    user_jar = await _login(portal, user)
    token = await _csrf(portal, user_jar, "/tickets")
    refused = await portal.http.post(f"/staff/tickets/{ticket['id']}/{action}",
                                     data={"csrf": token, "macro": macro_id, "to": "me"},
                                     headers=_cookie_header(user_jar))  # fmt: skip
    assert refused.status_code == 403
    thread = await _thread(portal, ticket, agent)
    assert thread["assignee"] is None
    assert [m["kind"] for m in thread["messages"]["nodes"]] == ["REQUESTER"]


@pytest.mark.parametrize("action", ["macro", "assign"])
async def test_a_post_without_the_csrf_token_is_refused(portal, action):
    ticket, agent, jar, macro_id = await _desk(portal)
    await _csrf(portal, jar, f"/staff/tickets/{ticket['id']}")
    for data in (
        {"macro": macro_id, "to": "me"},
        {"csrf": "forged-token-value", "macro": macro_id, "to": "me"},
    ):
        forged = await portal.http.post(f"/staff/tickets/{ticket['id']}/{action}", data=data,
                                        headers=_cookie_header(jar))  # fmt: skip
        assert forged.status_code == 403
    thread = await _thread(portal, ticket, agent)
    assert thread["assignee"] is None
    assert [m["kind"] for m in thread["messages"]["nodes"]] == ["REQUESTER"]
