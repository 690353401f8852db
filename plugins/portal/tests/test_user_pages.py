"""The user-side pages through HTTP as a browser without JavaScript sends them: /videos and
/appeals in a restricted session, appealing with evidence (multipart, the API's upload checks),
the JSON answer upload.js asks for, /community, real-name submission with photos, account
deletion, ticket attachments and CSAT."""

from __future__ import annotations

import re

from plugins.portal.tests.test_forms_and_sessions import CSRF, _cookie_header, _login
from tests.moderation import ban, published_video, remove
from tests.samples import EXE, PNG

REASON = "The video is my own recording, the soundtrack is licensed."
TICKET = "mutation($i: TicketCreateInput!) { ticketCreate(input: $i) { __typename ... on Ticket { id } } }"


async def _token(portal, jar: dict[str, str], path: str) -> str:
    response = await portal.http.get(path, headers=_cookie_header(jar))
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return CSRF.search(response.text).group(1)


async def _banned_creator(portal):
    """A user whose video a reviewer removed and whose account the reviewer banned."""
    user = await portal.signup(name="Creator Wu")
    video = await published_video(portal, user, title="Dumpling recipe")
    reviewer = await portal.signup(roles=("REVIEWER",))
    removal = await remove(portal, reviewer, video["id"], statement="The soundtrack matches a recording.")
    assert removal["__typename"] == "Decision", removal
    banned = await ban(portal, reviewer, user.id)
    assert banned["__typename"] == "Decision", banned
    return user, video, removal, banned


async def test_a_banned_user_sees_decisions_and_appeals_with_evidence_without_javascript(portal):
    user, video, removal, _ban = await _banned_creator(portal)
    jar = await _login(portal, user)
    videos = await portal.http.get("/videos", headers=_cookie_header(jar))
    assert videos.status_code == 200
    assert 'role="status">' in videos.text  # the restricted-mode notice in the header
    assert "The soundtrack matches a recording." in videos.text  # the statement of reasons
    page = await portal.http.get(f"/appeals/new?decision={removal['id']}", headers=_cookie_header(jar))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.text
    token = CSRF.search(page.text).group(1)

    wrong = await portal.http.post(
        "/appeals/new", data={"csrf": token, "decision": removal["id"], "reason": REASON},
        files=[("evidence", ("tool.png", EXE, "image/png"))], headers=_cookie_header(jar),
    )  # fmt: skip
    assert wrong.status_code == 400
    assert 'role="alert"' in wrong.text and REASON in wrong.text  # the API's message, the text kept

    sent = await portal.http.post(
        "/appeals/new", data={"csrf": token, "decision": removal["id"], "reason": REASON, "key": "appeal-key-1"},
        files=[("evidence", ("licence.png", PNG, "image/png")), ("evidence", ("", b"", "application/octet-stream"))],
        headers=_cookie_header(jar),
    )  # fmt: skip
    assert sent.status_code == 303, sent.text[:500]
    assert sent.headers["location"] == "/appeals?done=1"
    listing = await portal.http.get("/appeals", headers=_cookie_header(jar))
    assert 'data-status="SUBMITTED"' in listing.text
    assert "licence.png" in listing.text and 'data-step="SUBMITTED"' in listing.text
    # the other decision (the ban) can still be appealed; this one cannot twice
    assert listing.text.count("/appeals/new?decision=") == 1


async def test_upload_js_gets_json_and_a_forged_upload_runs_nothing(portal):
    user, _video, _removal, banned = await _banned_creator(portal)
    jar = await _login(portal, user)
    token = await _token(portal, jar, f"/appeals/new?decision={banned['id']}")
    script = {**_cookie_header(jar), "X-Portal-Upload": "1"}
    short = await portal.http.post(
        "/appeals/new", data={"csrf": token, "decision": banned["id"], "reason": "too short"},
        files=[("evidence", ("a.png", PNG, "image/png"))], headers=script,
    )  # fmt: skip
    assert short.status_code == 400 and short.json()["error"]
    forged = await portal.http.post(
        "/appeals/new", data={"csrf": "forged-token-value-123", "decision": banned["id"], "reason": REASON},
        files=[("evidence", ("a.png", PNG, "image/png"))], headers=script,
    )  # fmt: skip
    assert forged.status_code == 403
    assert "/appeals/new?decision=" in (await portal.http.get("/appeals", headers=_cookie_header(jar))).text
    good = await portal.http.post(
        "/appeals/new", data={"csrf": token, "decision": banned["id"], "reason": REASON},
        files=[("evidence", ("a.png", PNG, "image/png"))], headers=script,
    )  # fmt: skip
    assert good.status_code == 200 and good.json() == {"location": "/appeals?done=1"}


async def test_a_stranger_cannot_make_the_portal_read_an_upload(portal):
    response = await portal.http.post(
        "/appeals/new", data={"csrf": "x" * 32}, files=[("evidence", ("a.png", PNG, "image/png"))]
    )
    assert response.status_code == 303 and response.headers["location"] == "/login?next=/appeals"


async def test_community_thread_reply_vote_and_accept(portal):
    author = await portal.signup(name="Asker")
    helper = await portal.signup(name="Helper")
    board = await portal.http.get("/community")
    assert board.status_code == 200 and "/login?next=/community" in board.text  # reading is public
    jar = await _login(portal, author)
    token = await _token(portal, jar, "/community")
    created = await portal.http.post(
        "/community/new", data={"csrf": token, "board": "payments", "title": "Where is my refund?",
                                "body": "I asked **three days** ago."}, headers=_cookie_header(jar),
    )  # fmt: skip
    assert created.status_code == 303, created.text[:500]
    thread = created.headers["location"]
    assert thread.startswith("/community/threads/")
    helper_jar = await _login(portal, helper)
    helper_token = await _token(portal, helper_jar, thread)
    replied = await portal.http.post(
        thread,
        data={"csrf": helper_token, "body": "Refunds take up to 5 days."},
        headers=_cookie_header(helper_jar),
    )
    assert replied.status_code == 303
    voted = await portal.http.post(
        thread + "/vote", data={"csrf": helper_token, "post": thread.rsplit("/", 1)[1]},
        headers=_cookie_header(helper_jar),
    )  # fmt: skip
    assert voted.status_code == 303
    page = await portal.http.get(thread, headers=_cookie_header(jar))
    assert "<strong>three days</strong>" in page.text and "data-votes>1<" in page.text
    reply_id = re.search(r'data-reply="([^"]+)"', page.text).group(1)
    accepted = await portal.http.post(
        thread + "/accept", data={"csrf": token, "post": reply_id}, headers=_cookie_header(jar)
    )
    assert accepted.status_code == 303
    assert 'class="accepted"' in (await portal.http.get(thread)).text
    again = await portal.http.post(
        thread + "/vote", data={"csrf": helper_token, "post": thread.rsplit("/", 1)[1]},
        headers=_cookie_header(helper_jar),
    )  # fmt: skip
    assert again.status_code == 400 and 'role="alert"' in again.text  # ALREADY_VOTED, in words
    empty = await portal.http.post("/community/new", data={"csrf": token, "board": "payments", "title": "",
                                                           "body": ""}, headers=_cookie_header(jar))  # fmt: skip
    assert empty.status_code == 400


async def test_real_name_with_photos_and_account_deletion(portal):
    user = await portal.signup()
    jar = await _login(portal, user)
    token = await _token(portal, jar, "/account")
    photos = [("id_front", ("front.png", PNG, "image/png")), ("selfie", ("me.png", PNG, "image/png"))]
    bad = await portal.http.post(
        "/account/realname", data={"csrf": token, "full_name": "张三", "id_number": "110101199003071234"},
        files=photos, headers=_cookie_header(jar),
    )  # fmt: skip
    assert bad.status_code == 400 and 'role="alert"' in bad.text  # INVALID_ID_NUMBER (check digit)
    sent = await portal.http.post(
        "/account/realname", data={"csrf": token, "full_name": "张三", "id_number": "110101199003071233"},
        files=photos, headers=_cookie_header(jar),
    )  # fmt: skip
    assert sent.status_code == 303, sent.text[:500]
    account = await portal.http.get("/account", headers=_cookie_header(jar))
    assert 'data-real-name="PENDING"' in account.text and "1101**********1233" in account.text

    wrong = await portal.http.post(
        "/account/delete", data={"csrf": token, "password": "not my password"}, headers=_cookie_header(jar)
    )
    assert wrong.status_code == 400 and 'role="alert"' in wrong.text
    deleted = await portal.http.post(
        "/account/delete", data={"csrf": token, "password": user.password}, headers=_cookie_header(jar)
    )
    assert deleted.status_code == 200 and 'role="status"' in deleted.text
    cookie = next(c for c in deleted.headers.get_list("set-cookie") if c.startswith("selfserve_session="))
    assert "Max-Age=0" in cookie  # this browser is signed out: signing in again would cancel it
    me = await portal.gql("{ me { status } }", token=user.token)
    assert me["data"]["me"]["status"] == "DELETION_PENDING"


async def test_ticket_reply_with_an_attachment_then_solved_and_rated(portal):
    user = await portal.signup()
    created = await portal.gql(
        TICKET, {"i": {"subject": "Screenshot of the error", "body": "see attached", "category": "payments"}},
        token=user.token,
    )  # fmt: skip
    ticket_id = created["data"]["ticketCreate"]["id"]
    jar = await _login(portal, user)
    path = f"/tickets/{ticket_id}"
    token = await _token(portal, jar, path)
    replied = await portal.http.post(
        path, data={"csrf": token, "body": "here is the screenshot"},
        files=[("attachments", ("error.png", PNG, "image/png"))], headers=_cookie_header(jar),
    )  # fmt: skip
    assert replied.status_code == 303
    page = await portal.http.get(path, headers=_cookie_header(jar))
    assert "error.png" in page.text and "/solve" in page.text
    early = await portal.http.post(
        path + "/rate", data={"csrf": token, "score": "5"}, headers=_cookie_header(jar)
    )
    assert early.status_code == 400  # NOT_SOLVED
    solved = await portal.http.post(path + "/solve", data={"csrf": token}, headers=_cookie_header(jar))
    assert solved.status_code == 303
    assert 'id="csat"' in (await portal.http.get(path, headers=_cookie_header(jar))).text
    rated = await portal.http.post(
        path + "/rate", data={"csrf": token, "score": "4", "comment": "quick"}, headers=_cookie_header(jar)
    )
    assert rated.status_code == 303
    page = await portal.http.get(path, headers=_cookie_header(jar))
    assert 'data-rating="4"' in page.text and 'id="csat"' not in page.text
