"""The gated add-ons: analytics report (+ CSV), promotion advice and courses."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from core.db import use_orm
from tests.helpers import account_user_pk

REPORT = """
query R($days: Int) {
  analyticsReport(days: $days) {
    __typename
    ... on EntitlementRequired { entitlement product message }
    ... on AnalyticsReport {
      days since until csv csvUrl
      totals { views likes comments shares engagementRate followerChange videosPublished }
      previous { views followerChange }
      trends { metric current previous changePercent direction }
      topVideos { title views engagementRate }
      bestHours { slot label videos averageViews }
      bestWeekdays { slot label }
      daily { day views }
    }
  }
}
"""
ADVICE = """
query { promotionAdvice { __typename ... on EntitlementRequired { entitlement }
  ... on PromotionAdvice { basedOnDays items { kind title detail confidence } } } }
"""
COURSES = "query { courses { id key format title enrolled lessons { id key } sessions { city startsAt } } }"
ENROLL = """
mutation E($id: ID!) { courseEnroll(courseId: $id) { __typename
  ... on Enrollment { progressPercent completedLessons course { key enrolled } }
  ... on EntitlementRequired { entitlement product message } ... on PremiumError { code } } }
"""
LESSON = """
mutation L($id: ID!) { lessonComplete(lessonId: $id) { __typename
  ... on Enrollment { progressPercent completedLessons } ... on EntitlementRequired { entitlement }
  ... on PremiumError { code } } }
"""


async def _grant(client, account, *products):
    from plugins.premium.models import EntitlementGrant

    with use_orm(client.services.orm):
        for product in products:
            await EntitlementGrant.create(user_id=int(account_user_pk(account)), entitlement=product)
    await client.services.entitlements.invalidate(account_user_pk(account))


async def _video(services, owner_pk, title, *, hours_ago, seconds, tags, views, likes=0, shares=0):
    """A published video with `views` on its publishing day (through content's api)."""
    from plugins.content import api as content

    published = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=hours_ago)
    video_id = await content.add_published_video(
        services, owner_pk, title, tags=tags, duration_seconds=seconds, published_at=published
    )
    await content.bump_video(video_id, published.date(), views=views, likes=likes, shares=shares)
    return video_id


async def _creator_data(client, account):
    from plugins.content import api as content

    pk = int(account_user_pk(account))
    with use_orm(client.services.orm):
        for title, hours_ago, seconds, tags, views, likes, shares in (
            ("Dumpling recipe", 30, 25, ["food", "recipe"], 900, 120, 30),
            ("Noodle recipe", 54, 28, ["food", "recipe"], 700, 40, 0),
            ("Morning vlog", 80, 200, ["vlog"], 100, 2, 0),
            ("Evening vlog", 105, 240, ["vlog", "food"], 150, 3, 0),
        ):
            await _video(
                client.services,
                pk,
                title,
                hours_ago=hours_ago,
                seconds=seconds,
                tags=tags,
                views=views,
                likes=likes,
                shares=shares,
            )
        # the previous period: fewer views
        old = await _video(
            client.services, pk, "Old clip", hours_ago=24 * 40, seconds=20, tags=["food"], views=50
        )
        await content.bump_video(old, (datetime.now(UTC) - timedelta(days=40)).date(), views=10)
        await content.record_follow(pk, 12)
        await content.record_follow(pk, -2)


async def test_gated_fields_upsell_without_the_entitlement(client):
    alice = await client.signup()
    report = (await client.gql(REPORT, token=alice.token))["data"]["analyticsReport"]
    assert report["__typename"] == "EntitlementRequired" and report["entitlement"] == "analytics_report"
    assert (await client.gql(ADVICE, token=alice.token))["data"]["promotionAdvice"][
        "entitlement"
    ] == "promotion_advice"
    anonymous = await client.gql(REPORT)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await client.http.get("/premium/analytics.csv", headers=alice.headers)).status_code == 403
    assert (await client.http.get("/premium/analytics.csv")).status_code == 401


async def test_analytics_report_from_content_stats(client):
    alice, bob = await client.signup(), await client.signup()
    await _creator_data(client, alice)
    await _grant(client, alice, "analytics_report")
    body = await client.gql(REPORT, {"days": 30}, token=alice.token)
    report = body["data"]["analyticsReport"]
    assert report["__typename"] == "AnalyticsReport", body
    assert report["totals"]["views"] == 1850 and report["totals"]["videosPublished"] == 4
    assert report["totals"]["followerChange"] == 10
    assert report["totals"]["engagementRate"] == round(195 / 1850, 4)
    assert report["previous"]["views"] == 60
    views_trend = next(t for t in report["trends"] if t["metric"] == "views")
    assert views_trend["direction"] == "UP" and views_trend["changePercent"] == 2983.3
    assert [v["title"] for v in report["topVideos"]][:2] == ["Dumpling recipe", "Noodle recipe"]
    assert (report["bestHours"][0]["averageViews"], report["bestHours"][0]["videos"]) == (800.0, 2)
    assert len(report["daily"]) == 30
    rows = list(csv.reader(io.StringIO(report["csv"])))
    assert rows[0][0] == "date" and rows[-2][0] == "total" and rows[-2][1] == "1850"
    # the CSV download
    response = await client.http.get("/premium/analytics.csv?days=30", headers=alice.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"] and response.text == report["csv"]
    assert (await client.http.get("/premium/analytics.csv?days=0", headers=alice.headers)).status_code == 400
    # bad days is a typed top-level error
    assert (await client.gql(REPORT, {"days": 0}, token=alice.token))["errors"][0]["extensions"][
        "code"
    ] == "INVALID_INPUT"
    # bob's (empty) report is his own
    await _grant(client, bob, "analytics_report")
    assert (await client.gql(REPORT, token=bob.token))["data"]["analyticsReport"]["totals"]["views"] == 0


async def test_promotion_advice_is_concrete_and_explained(client):
    alice, bob = await client.signup(), await client.signup()
    await _creator_data(client, alice)
    await _grant(client, alice, "promotion_advice")
    advice = (await client.gql(ADVICE, token=alice.token))["data"]["promotionAdvice"]
    kinds = {item["kind"]: item for item in advice["items"]}
    assert {"POSTING_TIME", "LENGTH", "TAGS", "CONTENT", "FREQUENCY"} <= set(kinds)
    assert "15-30 s" in kinds["LENGTH"]["title"] and "800" in kinds["LENGTH"]["detail"]
    assert "#recipe" in kinds["TAGS"]["title"]
    assert "Dumpling recipe" in kinds["CONTENT"]["title"]
    zh = await client.gql(ADVICE, token=alice.token, headers={"Accept-Language": "zh-CN"})
    assert any("发布" in item["title"] for item in zh["data"]["promotionAdvice"]["items"])
    # no data: one honest piece of advice
    await _grant(client, bob, "promotion_advice")
    items = (await client.gql(ADVICE, token=bob.token))["data"]["promotionAdvice"]["items"]
    assert [i["kind"] for i in items] == ["START"]


async def test_courses_are_public_and_enrolment_is_gated(client):
    alice, bob = await client.signup(), await client.signup()
    catalogue = (await client.gql(COURSES))["data"]["courses"]
    assert {c["format"] for c in catalogue} == {"ONLINE", "OFFLINE"}
    online = next(c for c in catalogue if c["format"] == "ONLINE")
    offline = next(c for c in catalogue if c["format"] == "OFFLINE")
    assert offline["sessions"] and not any(c["enrolled"] for c in catalogue)
    denied = (await client.gql(ENROLL, {"id": online["id"]}, token=alice.token))["data"]["courseEnroll"]
    assert (denied["__typename"], denied["entitlement"], denied["product"]) == (
        "EntitlementRequired",
        "courses",
        "courses",
    )
    assert (await client.gql(ENROLL, {"id": online["id"]}))["errors"][0]["extensions"][
        "code"
    ] == "UNAUTHENTICATED"
    await _grant(client, alice, "courses")
    # a lesson before enrolling
    lesson = online["lessons"][0]["id"]
    assert (await client.gql(LESSON, {"id": lesson}, token=alice.token))["data"]["lessonComplete"][
        "code"
    ] == "NOT_ENROLLED"
    enrolled = (await client.gql(ENROLL, {"id": online["id"]}, token=alice.token))["data"]["courseEnroll"]
    assert enrolled["course"]["enrolled"] is True and enrolled["progressPercent"] == 0
    done = (await client.gql(LESSON, {"id": lesson}, token=alice.token))["data"]["lessonComplete"]
    assert done["completedLessons"] == [online["lessons"][0]["key"]] and done["progressPercent"] == 33
    again = (await client.gql(ENROLL, {"id": online["id"]}, token=alice.token))["data"]["courseEnroll"]
    assert again["progressPercent"] == 33
    assert (await client.gql(ENROLL, {"id": "bogus"}, token=alice.token))["data"]["courseEnroll"][
        "code"
    ] == "INVALID_INPUT"
    from schema.relay import to_global_id

    missing = await client.gql(ENROLL, {"id": to_global_id("Course", "nope")}, token=alice.token)
    assert missing["data"]["courseEnroll"]["code"] == "NOT_FOUND"
    mine = (await client.gql(COURSES, token=alice.token))["data"]["courses"]
    assert [c["enrolled"] for c in mine if c["key"] == online["key"]] == [True]
    # bob still sees the upsell
    assert (await client.gql(LESSON, {"id": lesson}, token=bob.token))["data"]["lessonComplete"][
        "__typename"
    ] == "EntitlementRequired"
