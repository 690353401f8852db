"""Advertising inquiries and advertiser applications with review, through HTTP."""

from __future__ import annotations

from core.db import use_orm
from plugins.ads.credit_code import check_character, is_valid
from plugins.ads.models import AdApplication, AdInquiry

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64
CODE = "9144030071526726XG"

INQUIRY = """
mutation($input: AdInquiryCreateInput!) {
  adInquiryCreate(input: $input) {
    __typename
    ... on AdInquiryReceipt { id queue respondWithinHours nextSteps }
    ... on AdsError { code field message }
  }
}
"""
INQUIRIES = "query { adInquiries { edges { node { company contact queue budget } } } }"
APPLY = """
mutation($input: AdApplicationCreateInput!) {
  adApplicationCreate(input: $input) {
    __typename
    ... on AdApplication { id status creditCode licence { contentType } documents { contentType } progress { kind } }
    ... on AdsError { code field }
  }
}
"""
REVIEW = """
mutation($input: AdApplicationReviewInput!) {
  adApplicationReview(input: $input) {
    __typename
    ... on AdApplication { id status decisionReason }
    ... on AdsError { code field }
  }
}
"""
ADD_DOCS = """
mutation($input: AdApplicationDocumentsAddInput!) {
  adApplicationDocumentsAdd(input: $input) {
    __typename
    ... on AdApplication { status documents { contentType } }
    ... on AdsError { code field }
  }
}
"""
MINE = "query { myAdApplications { id status statusText decisionReason progress { kind status note } } }"
ONE = "query($id: ID!) { adApplication(id: $id) { id status } }"


def _inquiry(**overrides):
    data = {
        "company": "Acme Tea",
        "contactName": "Li Lei",
        "contact": "13800001234",
        "budget": "OVER_1M",
        "goals": "Launch a new drink",
    }
    return {"input": {**data, **overrides}}


def _apply_vars(industry="ECOMMERCE", code=CODE):
    return {"input": {"companyName": "Acme", "creditCode": code, "industry": industry, "licence": None}}


async def _apply(client, account, files=None, **kwargs):
    files = files or {"input.licence": ("licence.png", PNG, "image/png")}
    body = await client.upload(APPLY, _apply_vars(**kwargs), files, token=account.token)
    return body["data"]["adApplicationCreate"]


def test_credit_code_check_digit():
    assert is_valid(CODE)
    assert is_valid("91350100M000100Y43")
    assert not is_valid("91350100M000100Y44")
    assert not is_valid("9135010OM000100Y43")  # letter O is not in the alphabet
    assert check_character("91350100M000100Y4") == "3"


async def test_inquiry_routes_by_budget_with_bilingual_next_steps(client):
    # anonymous callers may ask; the answer follows Accept-Language
    body = await client.gql(INQUIRY, _inquiry(), headers={"Accept-Language": "zh-CN"})
    receipt = body["data"]["adInquiryCreate"]
    assert receipt["__typename"] == "AdInquiryReceipt"
    assert receipt["queue"] == "sales-key-accounts" and receipt["respondWithinHours"] == 8
    assert "大客户经理" in receipt["nextSteps"][0]
    small = (await client.gql(INQUIRY, _inquiry(budget="UNDER_10K", contact="boss@acme.cn")))["data"]
    assert small["adInquiryCreate"]["queue"] == "sales-self-serve"
    assert "self-serve" in small["adInquiryCreate"]["nextSteps"][0]
    await client.services.jobs.drain()
    mails = [m for m in client.services.notifier.read() if m["kind"] == "ads.inquiry"]
    assert [m["target"] for m in mails] == ["boss@acme.cn"]
    # sales staff see the queue with the contact; others may not
    user = await client.signup()
    denied = await client.gql(INQUIRIES, token=user.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await client.gql(INQUIRIES))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    sales = await client.signup(roles=("SALES",))
    edges = (await client.gql(INQUIRIES, token=sales.token))["data"]["adInquiries"]["edges"]
    assert {e["node"]["contact"] for e in edges} == {"+8613800001234", "boss@acme.cn"}
    with use_orm(client.services.orm):
        stored = await AdInquiry.all()
    assert all("1380000" not in i.contact_enc for i in stored)  # encrypted at rest


async def test_inquiry_bad_input_is_typed(client):
    cases = [
        (_inquiry(company=" "), "INVALID_INPUT", "input.company"),
        (_inquiry(contact="call me"), "INVALID_CONTACT", "input.contact"),
        (_inquiry(goals="x" * 2001), "INVALID_INPUT", "input.goals"),
    ]
    for variables, code, field in cases:
        result = (await client.gql(INQUIRY, variables))["data"]["adInquiryCreate"]
        assert (result["__typename"], result["code"], result["field"]) == ("AdsError", code, field)
    with use_orm(client.services.orm):
        assert await AdInquiry.all().count() == 0


async def test_application_validates_code_files_and_qualifications(client):
    alice = await client.signup()
    bad_code = await _apply(client, alice, code="91350100M000100Y44")
    assert (bad_code["code"], bad_code["field"]) == ("INVALID_CREDIT_CODE", "input.creditCode")
    text_file = await _apply(
        client, alice, files={"input.licence": ("licence.png", b"hello, not an image", "image/png")}
    )
    assert (text_file["code"], text_file["field"]) == ("FILE_TYPE_NOT_ALLOWED", "input.licence")
    regulated = await _apply(client, alice, industry="FINANCE")
    assert regulated["code"] == "QUALIFICATION_REQUIRED"
    with use_orm(client.services.orm):
        assert await AdApplication.all().count() == 0
    anon = await client.upload(APPLY, _apply_vars(), {"input.licence": ("l.png", PNG, "image/png")})
    assert anon["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    variables = _apply_vars(industry="FINANCE")
    variables["input"]["qualifications"] = [None]
    ok = await client.upload(
        APPLY, variables,
        {"input.licence": ("l.pdf", PDF, "application/pdf"), "input.qualifications.0": ("q.png", PNG, "image/png")},
        token=alice.token,
    )  # fmt: skip
    application = ok["data"]["adApplicationCreate"]
    assert application["status"] == "SUBMITTED"
    assert application["licence"]["contentType"] == "application/pdf"
    assert application["documents"] == [{"contentType": "image/png"}]
    assert application["progress"] == [{"kind": "SUBMITTED"}]
    again = await _apply(
        client, alice, industry="FINANCE", files={"input.licence": ("l.png", PNG, "image/png")}
    )
    assert again["code"] in ("QUALIFICATION_REQUIRED", "APPLICATION_PENDING")
    twice = await _apply(client, alice)
    assert twice["code"] == "APPLICATION_PENDING"


async def test_review_flow_with_documents_request_and_decision(client):
    alice, bob = await client.signup(), await client.signup()
    sales = await client.signup(roles=("SALES",))
    reviewer = await client.signup(roles=("REVIEWER",))
    app_id = (await _apply(client, alice))["id"]

    def review(action, reason=None):
        return {"input": {"applicationId": app_id, "action": action, "reason": reason}}  # noqa: E731

    # the applicant and other users cannot review; others cannot see it
    assert (await client.gql(REVIEW, review("APPROVE"), token=alice.token))["errors"][0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await client.gql(ONE, {"id": app_id}, token=bob.token))["data"]["adApplication"] is None
    assert (await client.gql(ONE, {"id": app_id}, token=sales.token))["data"]["adApplication"]["id"] == app_id
    # sales starts the review and asks for documents (a reason is required)
    started = (await client.gql(REVIEW, review("START_REVIEW"), token=sales.token))["data"][
        "adApplicationReview"
    ]
    assert started["status"] == "IN_REVIEW"
    no_reason = (await client.gql(REVIEW, review("REQUEST_DOCUMENTS"), token=sales.token))["data"]
    assert no_reason["adApplicationReview"]["code"] == "REASON_REQUIRED"
    asked = await client.gql(
        REVIEW, review("REQUEST_DOCUMENTS", "Licence photo is blurred"), token=sales.token
    )
    assert asked["data"]["adApplicationReview"]["status"] == "NEEDS_DOCUMENTS"
    # the applicant sees why, and uploads (a text file is refused, nothing changes)
    mine = (await client.gql(MINE, token=alice.token, headers={"Accept-Language": "en"}))["data"][
        "myAdApplications"
    ][0]
    assert mine["decisionReason"] == "Licence photo is blurred"
    assert "More documents" in mine["statusText"]
    docs = {"input": {"applicationId": app_id, "documents": [None]}}
    bad = await client.upload(
        ADD_DOCS, docs, {"input.documents.0": ("x.txt", b"plain text", "text/plain")}, token=alice.token
    )
    assert bad["data"]["adApplicationDocumentsAdd"]["code"] == "FILE_TYPE_NOT_ALLOWED"
    other = await client.upload(
        ADD_DOCS, docs, {"input.documents.0": ("x.png", PNG, "image/png")}, token=bob.token
    )
    assert other["data"]["adApplicationDocumentsAdd"]["code"] == "NOT_FOUND"
    added = await client.upload(
        ADD_DOCS, docs, {"input.documents.0": ("x.png", PNG, "image/png")}, token=alice.token
    )
    assert added["data"]["adApplicationDocumentsAdd"]["status"] == "IN_REVIEW"
    # the reviewer approves; a decided application cannot change
    approved = (await client.gql(REVIEW, review("APPROVE", "All good"), token=reviewer.token))["data"]
    assert approved["adApplicationReview"]["status"] == "APPROVED"
    late = (await client.gql(REVIEW, review("REJECT", "changed my mind"), token=reviewer.token))["data"]
    assert late["adApplicationReview"]["code"] == "INVALID_TRANSITION"
    mine = (await client.gql(MINE, token=alice.token))["data"]["myAdApplications"][0]
    assert [s["kind"] for s in mine["progress"]] == [
        "SUBMITTED", "START_REVIEW", "REQUEST_DOCUMENTS", "DOCUMENTS_ADDED", "APPROVE",
    ]  # fmt: skip
    await client.services.jobs.drain()
    notices = [m for m in client.services.notifier.read() if m["kind"] == "ads.application"]
    assert [m["data"]["status"] for m in notices] == ["IN_REVIEW", "NEEDS_DOCUMENTS", "APPROVED"]
    queue = await client.gql(
        "query { adApplications(status: APPROVED) { edges { node { id } } } }", token=sales.token
    )
    assert [e["node"]["id"] for e in queue["data"]["adApplications"]["edges"]] == [app_id]
    denied = await client.gql("query { adApplications { edges { node { id } } } }", token=bob.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
