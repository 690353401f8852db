"""Reviewers see what they decide: the full name and the three photos (decrypted on the fly, each
view audited, never their own), face-verification scores, and the 30-day photo retention."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from core.db import use_orm
from core.models import AuditEntry
from plugins.account.face import script_sandbox
from plugins.account.models import RealNameVerification
from plugins.account.realname_files import purge_photos
from plugins.account.tests.test_realname import JPEG, PNG
from plugins.account.tests.util import top_code
from tests.files import assert_safe, download, file_views, url_as
from tests.helpers import account_user_pk
from tests.real_name import REVIEW, SUBMIT, resident_id

KIND = "real-name-photo"
QUEUE = """
{ realNameQueue { edges { node { user { id } fullName idFrontUrl idBackUrl selfieUrl
  faceCheck { provider liveness match } verification { maskedIdNumber } } } } }
"""
AUDIT = """query($action: String) { auditLog(filter: {action: $action}) { edges { node {
  action actorId targetType targetId } } } }"""
SELFIE = b"\x89PNG\r\n\x1a\n" + b"\x01" * 300


async def _submit(client, account, sequence="123", name="张三"):
    variables = {"input": {"fullName": name, "idNumber": resident_id(sequence=sequence)}}
    variables["input"].update({"idFront": None, "idBack": None, "selfie": None})
    files = {
        "input.idFront": ("f.png", PNG, "image/png"),
        "input.idBack": ("b.jpg", JPEG, "image/jpeg"),
        "input.selfie": ("s.png", SELFIE, "image/png"),
    }
    body = await client.upload(SUBMIT, variables, files, token=account.token)
    return body["data"]["accountRealNameSubmit"]


async def _item(client, reviewer, account):
    body = await client.gql(QUEUE, token=reviewer.token)
    assert "errors" not in body, body
    return next(
        e["node"] for e in body["data"]["realNameQueue"]["edges"] if e["node"]["user"]["id"] == account.id
    )


async def test_a_reviewer_opens_the_name_and_photos_and_each_view_is_audited(client):
    alice = await client.signup()
    assert (await _submit(client, alice))["status"] == "PENDING"
    reviewer = await client.signup(roles=("REVIEWER",))
    item = await _item(client, reviewer, alice)
    assert item["fullName"] == "张三"
    assert item["faceCheck"] == {"provider": "sandbox", "liveness": 0.5, "match": 0.5}
    front, back, selfie = [await download(client, item[k]) for k in ("idFrontUrl", "idBackUrl", "selfieUrl")]
    assert_safe(front, "image/png")
    assert_safe(back, "image/jpeg")
    assert (front.content, back.content, selfie.content) == (PNG, JPEG, SELFIE)
    pk = account_user_pk(alice)
    views = await file_views(client, KIND)
    assert sorted(v.target_id for v in views) == sorted(f"{pk}:{f}" for f in ("idFront", "idBack", "selfie"))
    assert {v.actor_id for v in views} == {account_user_pk(reviewer)}
    with use_orm(client.services.orm):
        names = await AuditEntry.filter(action="realname.viewed", target_id=pk).count()
    assert names == 1
    # and an administrator reads the views in the audit log through the API
    admin = await client.signup(roles=("ADMIN",))
    log = await client.gql(AUDIT, {"action": "file.viewed"}, token=admin.token)
    entries = [e["node"] for e in log["data"]["auditLog"]["edges"]]
    assert {(e["actorId"], e["targetType"]) for e in entries} == {(reviewer.id, KIND)}
    assert len(entries) == 3
    # the storage holds ciphertext only: the answer was decrypted in memory
    with use_orm(client.services.orm):
        row = await RealNameVerification.get(user_id=int(pk))
    for photo in row.photos_enc.values():
        assert PNG not in client.services.storage.path_for(photo["key"]).read_bytes()


async def test_other_users_agents_the_owner_and_expired_urls_get_nothing(client):
    alice = await client.signup()
    await _submit(client, alice)
    pk = account_user_pk(alice)
    for roles in ((), ("AGENT",), ("SALES",)):
        other = await client.signup(roles=roles)
        assert top_code(await client.gql(QUEUE, token=other.token)) == "FORBIDDEN"
        assert (await download(client, url_as(client, other, KIND, f"{pk}:idFront"))).status_code == 403
    assert top_code(await client.gql(QUEUE)) == "UNAUTHENTICATED"
    assert (await download(client, url_as(client, alice, KIND, f"{pk}:idFront"))).status_code == 403
    reviewer = await client.signup(roles=("REVIEWER",))
    expired = url_as(client, reviewer, KIND, f"{pk}:selfie", now=time.time() - 400)
    assert (await download(client, expired)).status_code == 403
    assert await file_views(client, KIND) == []


async def test_nobody_reviews_their_own_submission(client):
    reviewer = await client.signup(roles=("REVIEWER",))
    await _submit(client, reviewer)
    item = await _item(client, reviewer, reviewer)
    assert (item["fullName"], item["idFrontUrl"], item["selfieUrl"]) == (None, None, None)
    pk = account_user_pk(reviewer)
    assert (await download(client, url_as(client, reviewer, KIND, f"{pk}:idFront"))).status_code == 403
    body = await client.gql(
        REVIEW, {"input": {"userId": reviewer.id, "approve": True, "note": "me"}}, token=reviewer.token
    )
    assert body["data"]["realNameReview"] == {
        "__typename": "AccountError",
        "code": "CONFLICT_OF_INTEREST",
        "field": "userId",
    }


async def test_a_clear_face_pass_verifies_at_once_and_anything_else_waits_with_the_score(client):
    passing, doubtful, failing = [await client.signup() for _ in range(3)]
    await script_sandbox(client.services, account_user_pk(passing), liveness=0.98, match=0.93)
    await script_sandbox(client.services, account_user_pk(doubtful), liveness=0.98, match=0.6)
    await client.services.redis.set(f"account:face_sandbox:{account_user_pk(failing)}", "error")
    assert (await _submit(client, passing, sequence="111"))["status"] == "VERIFIED"
    assert (await _submit(client, doubtful, sequence="222"))["status"] == "PENDING"
    assert (await _submit(client, failing, sequence="333"))["status"] == "PENDING"
    reviewer = await client.signup(roles=("REVIEWER",))
    assert (await _item(client, reviewer, doubtful))["faceCheck"]["match"] == 0.6
    assert (await _item(client, reviewer, failing))["faceCheck"] is None


async def test_id_photos_are_deleted_30_days_after_the_decision_and_the_decision_stays(client):
    alice = await client.signup()
    await _submit(client, alice)
    reviewer = await client.signup(roles=("REVIEWER",))
    url = (await _item(client, reviewer, alice))["idFrontUrl"]
    body = await client.gql(
        REVIEW, {"input": {"userId": alice.id, "approve": True, "note": "ok"}}, token=reviewer.token
    )
    assert body["data"]["realNameReview"]["status"] == "VERIFIED"
    pk = int(account_user_pk(alice))
    with use_orm(client.services.orm):
        row = await RealNameVerification.get(user_id=pk)
        masked = row.masked_id_number
        paths = [client.services.storage.path_for(p["key"]) for p in row.photos_enc.values()]
        assert await purge_photos(client.services, now=datetime.now(UTC) + timedelta(days=29)) == 0
        assert all(p.exists() for p in paths)
        assert await purge_photos(client.services, now=datetime.now(UTC) + timedelta(days=31)) == 1
        row = await RealNameVerification.get(user_id=pk)
    assert row.photos_enc == {} and row.photos_deleted_at is not None
    assert (row.status, row.masked_id_number) == ("VERIFIED", masked)
    assert not any(p.exists() for p in paths)
    assert (await download(client, url)).status_code == 403
