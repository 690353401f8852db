"""feedbackSubmit, surveys (define, deliver, answer once, results) through HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.db import use_orm
from plugins.feedback.models import Feedback, SurveyAnswer, SurveyResponse
from plugins.feedback.results import nps_score
from schema.relay import from_global_id

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SUBMIT = """
mutation($input: FeedbackSubmitInput!) {
  feedbackSubmit(input: $input) {
    __typename ... on FeedbackReceipt { id message } ... on FeedbackError { code field }
  }
}
"""
CREATE = """
mutation($input: SurveyCreateInput!) {
  surveyCreate(input: $input) {
    __typename
    ... on Survey { id status audience { roles registeredBefore } questions { id kind options } }
    ... on FeedbackError { code field message }
  }
}
"""
SET_STATUS = """
mutation($input: SurveySetStatusInput!) {
  surveySetStatus(input: $input) { __typename ... on Survey { status } ... on FeedbackError { code } }
}
"""
ANSWER = """
mutation($input: SurveyAnswerInput!) {
  surveyAnswer(input: $input) {
    __typename ... on SurveyResponseReceipt { surveyId message } ... on FeedbackError { code field }
  }
}
"""
MINE = "query { mySurveys { id title } }"
RESULTS = """
query($id: ID!) {
  surveyResults(surveyId: $id) {
    responses
    questions { question { kind } answers average nps distribution { value count } textAnswers }
  }
}
"""
QUESTIONS = [
    {"kind": "CSAT", "prompt": "How satisfied are you with the help center?"},
    {"kind": "NPS", "prompt": "How likely are you to recommend us?"},
    {"kind": "SINGLE_CHOICE", "prompt": "Where did you look first?", "options": ["App", "Website"]},
    {"kind": "TEXT", "prompt": "What should we improve?", "required": False},
]


def test_nps_formula():
    assert nps_score([10, 9, 8, 7, 0]) == 20.0
    assert nps_score([]) is None


async def test_feedback_submit_with_screenshot_and_bad_input(client):
    alice = await client.signup()
    ok = await client.upload(
        SUBMIT, {"input": {"category": "PAYMENTS", "text": "Refund took long", "rating": 2, "screenshot": None}},
        {"input.screenshot": ("s.png", PNG, "image/png")}, token=alice.token,
    )  # fmt: skip
    assert ok["data"]["feedbackSubmit"]["__typename"] == "FeedbackReceipt"
    cases = [
        ({"category": "ACCOUNT", "text": "  "}, "EMPTY_FEEDBACK", "input.text"),
        ({"category": "ACCOUNT", "text": "x" * 2001}, "FEEDBACK_TOO_LONG", "input.text"),
        ({"category": "ACCOUNT", "text": "ok", "rating": 6}, "RATING_OUT_OF_RANGE", "input.rating"),
    ]
    for data, code, field in cases:
        result = (await client.gql(SUBMIT, {"input": data}, token=alice.token))["data"]["feedbackSubmit"]
        assert (result["__typename"], result["code"], result["field"]) == ("FeedbackError", code, field)
    pdf = await client.upload(
        SUBMIT, {"input": {"category": "ACCOUNT", "text": "see file", "screenshot": None}},
        {"input.screenshot": ("s.pdf", b"%PDF-1.4 xx", "application/pdf")}, token=alice.token,
    )  # fmt: skip
    assert pdf["data"]["feedbackSubmit"]["code"] == "FILE_TYPE_NOT_ALLOWED"
    anon = await client.gql(SUBMIT, {"input": {"category": "ACCOUNT", "text": "hi"}})
    assert anon["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    with use_orm(client.services.orm):
        rows = await Feedback.all()
    assert [(r.category, r.rating, r.screenshot["content_type"]) for r in rows] == [
        ("PAYMENTS", 2, "image/png")
    ]
    staff = await client.signup(roles=("AGENT",))
    listed = await client.gql(
        "query { feedbackEntries { edges { node { text hasScreenshot } } } }", token=staff.token
    )
    assert listed["data"]["feedbackEntries"]["edges"][0]["node"] == {
        "text": "Refund took long",
        "hasScreenshot": True,
    }
    denied = await client.gql("query { feedbackEntries { edges { node { text } } } }", token=alice.token)
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def _open_survey(client, admin, audience=None, closes_at=None):
    variables = {"input": {"title": "Help center survey", "area": "HELP_CENTER", "questions": QUESTIONS}}
    if audience:
        variables["input"]["audience"] = audience
    if closes_at:
        variables["input"]["closesAt"] = closes_at
    survey = (await client.gql(CREATE, variables, token=admin.token))["data"]["surveyCreate"]
    assert survey["status"] == "DRAFT", survey
    opened = await client.gql(
        SET_STATUS, {"input": {"surveyId": survey["id"], "status": "OPEN"}}, token=admin.token
    )
    assert opened["data"]["surveySetStatus"]["status"] == "OPEN"
    return survey


def _answers(survey, csat=4, nps=9, choice="App", text="More videos"):
    q = [item["id"] for item in survey["questions"]]
    return {
        "input": {
            "surveyId": survey["id"],
            "answers": [
                {"questionId": q[0], "score": csat},
                {"questionId": q[1], "score": nps},
                {"questionId": q[2], "choices": [choice]},
                {"questionId": q[3], "text": text},
            ],
        }
    }


async def test_only_admins_define_surveys_and_invalid_definitions_are_typed(client):
    user, admin = await client.signup(), await client.signup(roles=("ADMIN",))
    variables = {"input": {"title": "S", "questions": QUESTIONS}}
    assert (await client.gql(CREATE, variables, token=user.token))["errors"][0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    assert (await client.gql(CREATE, variables))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    bad = [
        {"title": "S", "questions": []},
        {"title": "S", "questions": [{"kind": "SINGLE_CHOICE", "prompt": "p", "options": ["one"]}]},
        {"title": "S", "questions": [{"kind": "TEXT", "prompt": "p", "options": ["x", "y"]}]},
        {"title": "", "questions": QUESTIONS},
    ]
    for data in bad:
        result = (await client.gql(CREATE, {"input": data}, token=admin.token))["data"]["surveyCreate"]
        assert result["code"] == "INVALID_SURVEY", data


async def test_survey_delivery_answer_once_and_results(client):
    admin = await client.signup(roles=("ADMIN",))
    alice, bob, carol = await client.signup(), await client.signup(), await client.signup()
    survey = await _open_survey(client, admin)
    await client.services.jobs.drain()
    # delivered in-app by the job through the notifier, to every active user
    invites = [m for m in client.services.notifier.read() if m["kind"] == "feedback.survey"]
    assert {m["channel"] for m in invites} == {"INAPP"} and len(invites) == 4
    survey_pk = int(from_global_id(survey["id"], "Survey")[1])
    assert (
        await client.services.jobs.run_now("feedback.survey_deliver", survey_id=survey_pk) == 0
    )  # idempotent
    assert [s["id"] for s in (await client.gql(MINE, token=alice.token))["data"]["mySurveys"]] == [
        survey["id"]
    ]
    # bad answers are typed, nothing is stored
    out_of_range = (await client.gql(ANSWER, _answers(survey, nps=11), token=alice.token))["data"][
        "surveyAnswer"
    ]
    assert (out_of_range["code"], out_of_range["field"]) == ("SCORE_OUT_OF_RANGE", "input.answers.1")
    bad_csat = (await client.gql(ANSWER, _answers(survey, csat=0), token=alice.token))["data"]["surveyAnswer"]
    assert bad_csat["code"] == "SCORE_OUT_OF_RANGE"
    bad_choice = (await client.gql(ANSWER, _answers(survey, choice="Fax"), token=alice.token))["data"][
        "surveyAnswer"
    ]
    assert bad_choice["code"] == "INVALID_CHOICE"
    missing = _answers(survey)
    missing["input"]["answers"] = missing["input"]["answers"][1:]
    assert (await client.gql(ANSWER, missing, token=alice.token))["data"]["surveyAnswer"][
        "code"
    ] == "ANSWER_REQUIRED"
    with use_orm(client.services.orm):
        assert await SurveyResponse.all().count() == 0 and await SurveyAnswer.all().count() == 0
    # answers once
    ok = (await client.gql(ANSWER, _answers(survey), token=alice.token))["data"]["surveyAnswer"]
    assert ok["__typename"] == "SurveyResponseReceipt"
    twice = (await client.gql(ANSWER, _answers(survey), token=alice.token))["data"]["surveyAnswer"]
    assert twice["code"] == "ALREADY_ANSWERED"
    assert (await client.gql(MINE, token=alice.token))["data"]["mySurveys"] == []
    await client.gql(
        ANSWER, _answers(survey, csat=2, nps=3, choice="Website", text="Search is bad"), token=bob.token
    )
    # closed surveys refuse answers
    await client.gql(SET_STATUS, {"input": {"surveyId": survey["id"], "status": "CLOSED"}}, token=admin.token)
    closed = (await client.gql(ANSWER, _answers(survey), token=carol.token))["data"]["surveyAnswer"]
    assert closed["code"] == "SURVEY_CLOSED"
    # results
    assert (await client.gql(RESULTS, {"id": survey["id"]}, token=alice.token))["errors"][0]["extensions"][
        "code"
    ] == "FORBIDDEN"
    results = (await client.gql(RESULTS, {"id": survey["id"]}, token=admin.token))["data"]["surveyResults"]
    assert results["responses"] == 2
    csat, nps, choice, text = results["questions"]
    assert csat["average"] == 3.0 and {"value": "2", "count": 1} in csat["distribution"]
    assert nps["nps"] == 0.0 and len(nps["distribution"]) == 11
    assert choice["distribution"] == [{"value": "App", "count": 1}, {"value": "Website", "count": 1}]
    assert text["textAnswers"] == ["Search is bad", "More videos"]


async def test_segment_targeting_and_expiry(client):
    admin = await client.signup(roles=("ADMIN",))
    agent, user = await client.signup(roles=("AGENT",)), await client.signup()
    survey = await _open_survey(client, admin, audience={"roles": ["AGENT"]})
    assert [s["id"] for s in (await client.gql(MINE, token=agent.token))["data"]["mySurveys"]] == [
        survey["id"]
    ]
    assert (await client.gql(MINE, token=user.token))["data"]["mySurveys"] == []
    not_for_you = (await client.gql(ANSWER, _answers(survey), token=user.token))["data"]["surveyAnswer"]
    assert not_for_you["code"] == "NOT_FOUND"
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    old_only = await _open_survey(client, admin, audience={"registeredBefore": "2000-01-01"})
    new_only = await _open_survey(client, admin, audience={"registeredBefore": tomorrow})
    ids = [s["id"] for s in (await client.gql(MINE, token=user.token))["data"]["mySurveys"]]
    assert new_only["id"] in ids and old_only["id"] not in ids
    past = (await client.gql(
        CREATE, {"input": {"title": "S", "questions": QUESTIONS, "closesAt": "2001-01-01T00:00:00Z"}}, token=admin.token
    ))["data"]["surveyCreate"]  # fmt: skip
    assert past["code"] == "INVALID_SURVEY"


NPS_TREND = "query($w: Int!) { npsTrend(weeks: $w) { since until responses nps } }"


async def test_the_nps_trend_buckets_answers_by_week_for_admins_only(client):
    admin = await client.signup(roles=("ADMIN",))
    alice, bob = await client.signup(), await client.signup()
    survey = await _open_survey(client, admin)
    await client.gql(ANSWER, _answers(survey, nps=10), token=alice.token)
    await client.gql(ANSWER, _answers(survey, nps=2), token=bob.token)
    with use_orm(client.services.orm):  # Bob answered three weeks ago
        bob_pk = int(from_global_id(bob.id, "User")[1])
        await SurveyResponse.filter(user_id=bob_pk).update(created_at=datetime.now(UTC) - timedelta(days=17))
    forbidden = await client.gql(NPS_TREND, {"w": 4}, token=alice.token)
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    weeks = (await client.gql(NPS_TREND, {"w": 4}, token=admin.token))["data"]["npsTrend"]
    assert [(w["responses"], w["nps"]) for w in weeks] == [(0, None), (1, -100.0), (0, None), (1, 100.0)]
    assert weeks[0]["until"] == weeks[1]["since"]
    clamped = (await client.gql(NPS_TREND, {"w": 500}, token=admin.token))["data"]["npsTrend"]
    assert len(clamped) == 52
    assert len((await client.gql(NPS_TREND, {"w": 0}, token=admin.token))["data"]["npsTrend"]) == 1
