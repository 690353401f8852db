"""feedbackInsights: weak spots ranked from the signals available, with evidence (ADMIN only)."""

from __future__ import annotations

from core.plugins import enabled
from plugins.feedback.tests.test_feedback import ANSWER, SUBMIT, _answers, _open_survey

INSIGHTS = """
query { feedbackInsights { weakSpots { key area title score evidence { source summary value } } sources { name available } } }
"""
THREAD = """
mutation($input: ForumThreadCreateInput!) { forumThreadCreate(input: $input) { __typename ... on ForumThread { id } } }
"""


async def test_insights_rank_weak_spots_with_evidence(client):
    admin = await client.signup(roles=("ADMIN",))
    users = [await client.signup() for _ in range(3)]
    # given complaints about payments (low ratings) and one happy note about content
    for user in users:
        await client.gql(
            SUBMIT, {"input": {"category": "PAYMENTS", "text": "Refund slow", "rating": 1}}, token=user.token
        )
    await client.gql(
        SUBMIT, {"input": {"category": "CONTENT", "text": "Nice editor", "rating": 5}}, token=users[0].token
    )
    # and a survey about the help center with poor CSAT
    survey = await _open_survey(client, admin)
    for user in users:
        await client.gql(ANSWER, _answers(survey, csat=2, nps=4), token=user.token)
    # and a feedback-board thread (when the forum runs)
    if enabled(client.services.pm, "community"):
        await client.gql(
            THREAD,
            {"input": {"board": "feedback", "title": "Add dark mode", "body": "Please"}},
            token=users[0].token,
        )
    # when the admin asks for insights
    body = await client.gql(INSIGHTS, token=admin.token)
    insights = body["data"]["feedbackInsights"]
    spots = {s["key"]: s for s in insights["weakSpots"]}
    sources = {s["name"]: s["available"] for s in insights["sources"]}
    # then our own signals are there, ranked, each with evidence
    assert sources["feedback"] and sources["survey"]
    assert spots["area:PAYMENTS"]["score"] == 9.0  # 3 submissions + 2 x 3 low ratings
    assert spots["area:PAYMENTS"]["evidence"][0]["source"] == "feedback"
    help_center = spots["area:HELP_CENTER"]
    assert {e["source"] for e in help_center["evidence"]} == {"survey"}
    assert any("CSAT 2.00/5" in e["summary"] for e in help_center["evidence"])
    assert any("NPS -100" in e["summary"] for e in help_center["evidence"])
    scores = [s["score"] for s in insights["weakSpots"]]
    assert scores == sorted(scores, reverse=True)
    assert "area:CONTENT" in spots  # one submission still counts, below the complaints
    assert spots["area:CONTENT"]["score"] < spots["area:PAYMENTS"]["score"]
    for name, plugin in (("forum", "community"), ("tickets", "support"), ("helpcenter", "helpcenter")):
        # every plugin is enabled in this fixture, so each of their sources must answer
        assert enabled(client.services.pm, plugin)
        assert sources[name] is True
    if sources.get("forum"):
        assert any(s["title"] == "Add dark mode" and s["area"] == "FEEDBACK" for s in insights["weakSpots"])


async def test_insights_are_admin_only(client):
    user, agent = await client.signup(), await client.signup(roles=("AGENT",))
    assert (await client.gql(INSIGHTS))["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    for account in (user, agent):
        assert (await client.gql(INSIGHTS, token=account.token))["errors"][0]["extensions"][
            "code"
        ] == "FORBIDDEN"


async def test_a_disabled_plugin_is_not_a_source(make_client):
    async with make_client(plugins="account,feedback") as alone:
        admin = await alone.signup(roles=("ADMIN",))
        body = await alone.gql(INSIGHTS, token=admin.token)
    sources = {s["name"]: s["available"] for s in body["data"]["feedbackInsights"]["sources"]}
    assert sources["feedback"] is True
    assert [name for name in ("forum", "tickets", "helpcenter") if sources.get(name)] == []
