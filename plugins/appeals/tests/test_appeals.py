"""Appeals through HTTP: filing (also from a restricted session), the reviewers' queue, overturn
restoring the subject in one transaction, upholding and one escalation, and every bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.db import QueryCounter
from core.settings import use_plugin_settings
from plugins.appeals import service
from plugins.appeals.models import Appeal, AppealEvent
from plugins.appeals.settings import AppealsSettings
from schema.relay import from_global_id
from tests.appeals import DECIDE, banned_user, decide_appeal, file_appeal
from tests.helpers import account_user_pk, db, error_code
from tests.moderation import ban, published_video, remove, upload
from tests.samples import EXE, PNG, mp4

ESCALATE = """
mutation E($input: AppealEscalateInput!) {
  appealEscalate(input: $input) {
    __typename
    ... on Appeal { status escalated dueAt evidence { round contentType } auditTrail { kind note actor { id } } }
    ... on AppealError { code field }
  }
}
"""
START = "mutation S($id: ID!) { appealStartReview(id: $id) { __typename ... on Appeal { status } ... on AppealError { code } } }"
MINE = "{ appeals { edges { node { id status dueAt note decision { kind } auditTrail { kind actor { id } } } } } }"
QUEUE = """
query Q($first: Int) {
  appealQueue(first: $first) {
    edges { node { id status dueAt reason decision { kind reason statement subjectId reviewer { displayName } }
      user { displayName } auditTrail { kind note actor { displayName } } } }
  }
}
"""
ME = "{ me { status } }"
MY_VIDEOS = "{ myVideos { edges { node { id status } } } }"
DECISIONS = "{ decisions { kind reversed } }"
PDF = b"%PDF-1.4\n" + b"0" * 64


async def test_wrongly_banned_user_appeals_from_restricted_mode_and_gets_the_account_back(client):
    user, moderator, decision, restricted = await banned_user(client)
    reviewer = await client.signup(roles=("REVIEWER",))
    assert error_code(await client.gql(MY_VIDEOS, token=restricted)) == "FORBIDDEN"
    appeal = await file_appeal(
        client,
        restricted,
        decision["id"],
        files=[("id.png", PNG, "image/png"), ("p.pdf", PDF, "application/pdf")],
    )
    assert (appeal["__typename"], appeal["status"]) == ("Appeal", "SUBMITTED")
    assert [e["contentType"] for e in appeal["evidence"]] == ["image/png", "application/pdf"]
    due = datetime.fromisoformat(appeal["dueAt"]) - datetime.fromisoformat(appeal["createdAt"])
    assert timedelta(hours=47, minutes=59) < due <= timedelta(hours=48, seconds=1)
    listed = (await client.gql(MINE, token=restricted))["data"]["appeals"]["edges"]
    assert [(e["node"]["status"], e["node"]["auditTrail"]) for e in listed] == [
        ("SUBMITTED", [{"kind": "SUBMITTED", "actor": None}])
    ]
    queue = (await client.gql(QUEUE, token=reviewer.token))["data"]["appealQueue"]["edges"]
    assert [e["node"]["id"] for e in queue] == [appeal["id"]]

    assert (await decide_appeal(client, moderator, appeal["id"]))["code"] == "CONFLICT_OF_INTEREST"
    decided = await decide_appeal(client, reviewer, appeal["id"])
    assert (decided["status"], decided["note"], decided["decision"]["reversed"]) == (
        "OVERTURNED",
        "The account is genuine.",
        True,
    )

    # the same restricted token is a full session again, and the user was told
    assert (await client.gql(ME, token=restricted))["data"]["me"]["status"] == "ACTIVE"
    assert "errors" not in await client.gql(MY_VIDEOS, token=restricted)
    await client.services.jobs.drain()
    notices = [
        m for m in client.services.notifier.read() if m.get("kind") == "appeal" and m["channel"] == "INAPP"
    ]
    assert len(notices) == 2 and "The account is genuine." in notices[-1]["body"]
    trail = (await client.gql(QUEUE, token=reviewer.token))["data"]["appealQueue"]["edges"]
    assert trail == []  # decided: out of the queue
    node = await client.gql(
        "query N($id: ID!) { node(id: $id) { ... on Appeal { auditTrail { kind actor { displayName } } } } }",
        {"id": appeal["id"]},
        token=reviewer.token,
    )
    kinds = [e["kind"] for e in node["data"]["node"]["auditTrail"]]
    assert kinds == ["SUBMITTED", "OVERTURNED", "BAN_LIFTED", "SESSIONS_UPGRADED", "DECISION_REVERSED"]
    assert (await decide_appeal(client, reviewer, appeal["id"]))["code"] == "INVALID_STATUS"
    seen = "{ decisions { reversed reversalNote reviewer { id } reversedBy { id } } }"
    assert (await client.gql(seen, token=restricted))["data"]["decisions"] == [
        {"reversed": True, "reversalNote": "The account is genuine.", "reviewer": None, "reversedBy": None}
    ]


async def test_overturn_publishes_a_removed_video_even_after_the_owner_deleted_it(client):
    owner = await client.signup()
    moderator, reviewer = await client.signup(roles=("REVIEWER",)), await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    decision = await remove(client, moderator, video["id"])
    await client.gql(
        "mutation D($id: ID!) { videoDelete(id: $id) { __typename } }", {"id": video["id"]}, token=owner.token
    )
    appeal = await file_appeal(client, owner.token, decision["id"])
    assert (await decide_appeal(client, reviewer, appeal["id"]))["status"] == "OVERTURNED"
    videos = (await client.gql(MY_VIDEOS, token=owner.token))["data"]["myVideos"]["edges"]
    assert [v["node"]["status"] for v in videos] == ["PUBLISHED"]


async def test_overturn_is_one_transaction_with_the_appeal(client, monkeypatch):
    owner = await client.signup()
    moderator, reviewer = await client.signup(roles=("REVIEWER",)), await client.signup(roles=("REVIEWER",))
    video = await published_video(client, owner)
    decision = await remove(client, moderator, video["id"])
    appeal = await file_appeal(client, owner.token, decision["id"])

    async def broken(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(AppealEvent, "bulk_create", broken)
    failed = await client.gql(
        DECIDE,
        {"input": {"appealId": appeal["id"], "outcome": "OVERTURN", "note": "ok"}},
        token=reviewer.token,
    )
    assert error_code(failed) == "INTERNAL_SERVER_ERROR"
    monkeypatch.undo()
    videos = (await client.gql(MY_VIDEOS, token=owner.token))["data"]["myVideos"]["edges"]
    decisions = (await client.gql(DECISIONS, token=owner.token))["data"]["decisions"]
    stored_appeal = await db(client, lambda: Appeal.get(user_id=int(account_user_pk(owner))))
    assert ([v["node"]["status"] for v in videos], decisions, stored_appeal.status) == (
        ["REMOVED"],
        [{"kind": "VIDEO_REMOVAL", "reversed": False}],
        "SUBMITTED",
    )


async def test_bad_appeals_are_typed_errors_and_write_nothing(client, monkeypatch):
    user, moderator, decision, restricted = await banned_user(client)
    other = await client.signup()
    assert (await file_appeal(client, other.token, decision["id"]))["code"] == "NOT_FOUND"
    assert error_code(await file_appeal(client, None, decision["id"])) == "UNAUTHENTICATED"
    assert (await file_appeal(client, restricted, decision["id"], reason="too short"))[
        "field"
    ] == "input.reason"
    assert (await file_appeal(client, restricted, decision["id"], reason=" " * 20))["code"] == "INVALID_INPUT"
    assert (await file_appeal(client, restricted, decision["id"], reason="x" * 2001))[
        "code"
    ] == "INVALID_INPUT"
    exe = await file_appeal(client, restricted, decision["id"], files=[("proof.pdf", EXE, "application/pdf")])
    assert (exe["code"], exe["field"]) == ("FILE_TYPE_NOT_ALLOWED", "input.evidence.0")
    six = await file_appeal(
        client, restricted, decision["id"], files=[(f"{i}.png", PNG, "image/png") for i in range(6)]
    )
    assert six["code"] == "TOO_MANY_FILES"
    with use_plugin_settings(client.services, AppealsSettings(max_evidence_bytes=100)):
        big = await file_appeal(client, restricted, decision["id"], files=[("clip.mp4", mp4(), "video/mp4")])
    assert big["code"] == "FILE_TOO_LARGE"
    malformed = await file_appeal(client, restricted, "bogus")
    assert malformed["code"] == "INVALID_INPUT"
    assert await db(client, lambda: Appeal.all().count()) == 0
    closed = datetime.fromisoformat(decision["appealableUntil"]) + timedelta(minutes=1)
    monkeypatch.setattr(service, "_now", lambda: closed)  # a minute after the window
    assert (await file_appeal(client, restricted, decision["id"]))["code"] == "APPEAL_WINDOW_CLOSED"
    assert await db(client, lambda: Appeal.all().count()) == 0


async def test_one_appeal_per_decision(client):
    user, moderator, decision, restricted = await banned_user(client)
    assert (await file_appeal(client, restricted, decision["id"]))["__typename"] == "Appeal"
    assert (await file_appeal(client, restricted, decision["id"]))["code"] == "ALREADY_APPEALED"


async def test_uphold_then_one_escalation_to_a_different_reviewer(client):
    user, moderator, decision, restricted = await banned_user(client)
    first = await client.signup(roles=("REVIEWER",))
    second = await client.signup(roles=("REVIEWER",))
    third = await client.signup(roles=("REVIEWER",))
    other = await client.signup()
    appeal = await file_appeal(client, restricted, decision["id"])
    assert error_code(await decide_appeal(client, other, appeal["id"])) == "FORBIDDEN"
    banned_reviewer = await client.signup(roles=("REVIEWER",))
    await ban(client, await client.signup(roles=("ADMIN",)), banned_reviewer.id)  # staff: admins ban
    assert error_code(await decide_appeal(client, banned_reviewer, appeal["id"])) == "FORBIDDEN"
    assert (await client.gql(START, {"id": appeal["id"]}, token=first.token))["data"]["appealStartReview"][
        "status"
    ] == "IN_REVIEW"
    assert (await decide_appeal(client, second, appeal["id"], "UPHOLD"))[
        "code"
    ] == "ASSIGNED_TO_ANOTHER_REVIEWER"
    assert (await decide_appeal(client, first, appeal["id"], "UPHOLD", note=" "))["code"] == "INVALID_INPUT"
    upheld = await decide_appeal(client, first, appeal["id"], "UPHOLD", note="Evidence shows impersonation.")
    assert (upheld["status"], upheld["canEscalate"], upheld["decision"]["reversed"]) == (
        "UPHELD",
        True,
        False,
    )
    assert (await client.gql(ME, token=restricted))["data"]["me"]["status"] == "BANNED"

    mine = {"input": {"appealId": appeal["id"]}}
    assert (await client.gql(ESCALATE, mine, token=other.token))["data"]["appealEscalate"][
        "code"
    ] == "NOT_FOUND"
    assert error_code(await client.gql(ESCALATE, mine)) == "UNAUTHENTICATED"
    bad_file = {"input": {"appealId": appeal["id"], "evidence": [None]}}
    refused = await client.upload(
        ESCALATE, bad_file, {"input.evidence.0": ("a.png", EXE, "image/png")}, token=restricted
    )
    assert refused["data"]["appealEscalate"]["code"] == "FILE_TYPE_NOT_ALLOWED"
    more = {"input": {"appealId": appeal["id"], "reason": "Here is my verified ID.", "evidence": [None]}}
    escalated = (
        await client.upload(
            ESCALATE, more, {"input.evidence.0": ("id.png", PNG, "image/png")}, token=restricted
        )
    )["data"]["appealEscalate"]
    assert (escalated["status"], escalated["escalated"]) == ("ESCALATED", True)
    assert [e["round"] for e in escalated["evidence"]] == [2]
    history = escalated["auditTrail"]
    assert [(h["kind"], h["actor"]) for h in history] == [
        ("SUBMITTED", None),
        ("REVIEW_STARTED", None),
        ("UPHELD", None),
        ("ESCALATED", None),
    ]
    assert history[-1]["note"] == "Here is my verified ID."
    assert (await decide_appeal(client, first, appeal["id"]))["code"] == "CONFLICT_OF_INTEREST"
    final = await decide_appeal(client, second, appeal["id"], "UPHOLD", note="Confirmed by a second review.")
    assert (final["status"], final["canEscalate"]) == ("UPHELD", False)
    again = (await client.gql(ESCALATE, mine, token=restricted))["data"]["appealEscalate"]
    assert again["code"] == "ALREADY_ESCALATED"
    assert (await decide_appeal(client, third, appeal["id"]))["code"] == "INVALID_STATUS"


async def test_a_reviewer_cannot_decide_their_own_appeal(client):
    reviewer_owner = await client.signup(roles=("REVIEWER",))
    moderator = await client.signup(roles=("ADMIN",))  # a staff member's video: only an admin removes it
    video = await published_video(client, reviewer_owner)
    decision = await remove(client, moderator, video["id"])
    appeal = await file_appeal(client, reviewer_owner.token, decision["id"])
    assert (await decide_appeal(client, reviewer_owner, appeal["id"]))["code"] == "CONFLICT_OF_INTEREST"
    assert (await client.gql(START, {"id": appeal["id"]}, token=reviewer_owner.token))["data"][
        "appealStartReview"
    ]["code"] == "CONFLICT_OF_INTEREST"


async def test_appeal_lists_and_node_visibility(client):
    user, moderator, decision, restricted = await banned_user(client)
    other = await client.signup()
    appeal = await file_appeal(client, restricted, decision["id"])
    assert (await client.gql(MINE, token=other.token))["data"]["appeals"]["edges"] == []
    assert error_code(await client.gql(MINE)) == "UNAUTHENTICATED"
    assert error_code(await client.gql(QUEUE, token=other.token)) == "FORBIDDEN"
    assert error_code(await client.gql(QUEUE, token=restricted)) == "FORBIDDEN"
    node = "query N($id: ID!) { node(id: $id) { id } }"
    assert (await client.gql(node, {"id": appeal["id"]}, token=restricted))["data"]["node"]["id"] == appeal[
        "id"
    ]
    assert (await client.gql(node, {"id": appeal["id"]}, token=other.token))["data"]["node"] is None
    assert (await client.gql(node, {"id": appeal["id"]}, token=moderator.token))["data"]["node"][
        "id"
    ] == appeal["id"]


async def _open_appeals(client, count: int) -> None:
    """`count` open appeals of one user, against the removals of as many of their videos."""
    subject, moderator = await client.signup(), await client.signup(roles=("REVIEWER",))
    uid = int(account_user_pk(subject))
    now = datetime.now(UTC)
    decision_ids = []
    for _ in range(count):
        video = await upload(client, subject)
        assert video["__typename"] == "Video", video
        removal = await remove(client, moderator, video["id"])
        assert removal["__typename"] == "Decision", removal
        decision_ids.append(int(from_global_id(removal["id"], "Decision")[1]))

    async def create():
        await Appeal.bulk_create(
            [
                Appeal(decision_id=i, user_id=uid, reason="r" * 20, due_at=now + timedelta(hours=n))
                for n, i in enumerate(decision_ids)
            ]
        )
        appeal_ids = [a.id for a in await Appeal.filter(user_id=uid)]
        await AppealEvent.bulk_create(
            [AppealEvent(appeal_id=a, actor_id=uid, kind="SUBMITTED") for a in appeal_ids]
        )

    await db(client, create)


@pytest.mark.parametrize("sizes", [(10, 100)])
async def test_review_queue_sql_count_does_not_grow_with_page_size(client, sizes):
    reviewer = await client.signup(roles=("REVIEWER",))
    small, large = sizes
    await _open_appeals(client, small)
    # Setting up goes through the API and may outlast the actor cache's TTL: one request first, so
    # that both counted requests find the caller in the cache and count only the queue's statements.
    await client.gql(QUEUE, {"first": 1}, token=reviewer.token)
    with QueryCounter() as ten:
        body = await client.gql(QUEUE, {"first": 100}, token=reviewer.token)
    edges = body["data"]["appealQueue"]["edges"]
    assert len(edges) == small
    due = [e["node"]["dueAt"] for e in edges]
    assert due == sorted(due)
    await _open_appeals(client, large - small)
    await client.gql(QUEUE, {"first": 1}, token=reviewer.token)
    with QueryCounter() as hundred:
        body = await client.gql(QUEUE, {"first": 100}, token=reviewer.token)
    assert len(body["data"]["appealQueue"]["edges"]) == large
    assert ten.count == hundred.count


async def test_concurrent_filing_and_deciding_have_exactly_one_effect(client):
    import asyncio

    user, moderator, decision, restricted = await banned_user(client)
    first, second = await client.signup(roles=("REVIEWER",)), await client.signup(roles=("REVIEWER",))
    results = await asyncio.gather(*(file_appeal(client, restricted, decision["id"]) for _ in range(4)))
    assert sorted(r["__typename"] for r in results) == ["Appeal", "AppealError", "AppealError", "AppealError"]
    appeal = next(r for r in results if r["__typename"] == "Appeal")
    decided = await asyncio.gather(
        decide_appeal(client, first, appeal["id"], "OVERTURN"),
        decide_appeal(client, second, appeal["id"], "UPHOLD"),
    )
    assert sorted(d["__typename"] for d in decided) == ["Appeal", "AppealError"]
    winner = next(d for d in decided if d["__typename"] == "Appeal")
    events = await db(client, lambda: AppealEvent.filter(kind__in=["OVERTURNED", "UPHELD"]).count())
    assert events == 1
    status = (await client.gql(ME, token=restricted))["data"]["me"]["status"]
    assert status == ("ACTIVE" if winner["status"] == "OVERTURNED" else "BANNED")


async def test_every_appeal_operation_by_each_kind_of_caller(client):
    user, moderator, decision, restricted = await banned_user(client)
    reviewer, other = await client.signup(roles=("REVIEWER",)), await client.signup()
    # a reviewer cannot appeal someone else's decision either
    assert (await file_appeal(client, reviewer.token, decision["id"]))["code"] == "NOT_FOUND"
    appeal = await file_appeal(client, restricted, decision["id"])
    staff_only = [
        (QUEUE, {"first": 5}),
        (START, {"id": appeal["id"]}),
        (DECIDE, {"input": {"appealId": appeal["id"], "outcome": "UPHOLD", "note": "n"}}),
    ]
    for query, variables in staff_only:
        assert error_code(await client.gql(query, variables)) == "UNAUTHENTICATED"
        assert error_code(await client.gql(query, variables, token=other.token)) == "FORBIDDEN"
        assert error_code(await client.gql(query, variables, token=restricted)) == "FORBIDDEN"
    started = (await client.gql(START, {"id": appeal["id"]}, token=reviewer.token))["data"][
        "appealStartReview"
    ]
    assert started["status"] == "IN_REVIEW"
    again = (await client.gql(START, {"id": appeal["id"]}, token=reviewer.token))["data"]["appealStartReview"]
    assert again["status"] == "IN_REVIEW"  # idempotent for the same reviewer
    taken = (await client.gql(START, {"id": appeal["id"]}, token=moderator.token))["data"][
        "appealStartReview"
    ]
    assert taken["code"] == "CONFLICT_OF_INTEREST"
    escalate = {"input": {"appealId": appeal["id"]}}
    early = (await client.gql(ESCALATE, escalate, token=restricted))["data"]["appealEscalate"]
    assert early["code"] == "INVALID_STATUS"
    assert (await client.gql(MINE, token=reviewer.token))["data"]["appeals"]["edges"] == []
