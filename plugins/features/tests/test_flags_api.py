"""Feature flags through the API: who may read and change them, what a flag that is off answers,
rollouts and segments for real users, the audit trail, and a schema that never changes."""

from __future__ import annotations

import pytest

from core.db import QueryCounter, use_orm
from tests.helpers import account_user_pk, grant_entitlement

FEATURES = "{ features { key enabled } }"
FLAGS = """{ featureFlags { key plugin description enabled rolloutPercent includeAnonymous default
  updatedAt updatedBy segment { roles verifiedAdult userIds languages platforms registeredBefore } } }"""
UPDATE = """mutation U($input: FeatureFlagUpdateInput!) { featureFlagUpdate(input: $input) { __typename
  ... on FeatureFlag { key enabled rolloutPercent updatedBy segment { userIds roles platforms } }
  ... on FeatureError { code field message } } }"""
REPORT = """{ analyticsReport { __typename ... on FeatureUnavailable { feature message }
  ... on EntitlementRequired { entitlement } ... on AnalyticsReport { days } } }"""
PRODUCTS = "{ premiumProducts { key } }"
INTROSPECTION = "{ __schema { types { name fields { name type { name kind ofType { name } } } } } }"


async def _grant(client, account, entitlement="analytics_report"):
    await grant_entitlement(client, account, entitlement)


async def _update(client, admin, **values):
    body = await client.gql(UPDATE, {"input": values}, token=admin.token)
    return body["data"]["featureFlagUpdate"] if body.get("data") else body


def _state(body, key):
    return {f["key"]: f["enabled"] for f in body["data"]["features"]}[key]


async def test_features_lists_every_flag_for_any_caller(client):
    body = await client.gql(FEATURES)
    keys = {f["key"] for f in body["data"]["features"]}
    assert {"premium", "support", "account", "premium.analytics_report", "premium.courses"} <= keys
    assert all(f["enabled"] for f in body["data"]["features"])


@pytest.mark.parametrize("roles", [(), ("AGENT",), ("REVIEWER",)])
async def test_only_admins_read_or_change_flags(client, roles):
    anonymous = await client.gql(FLAGS)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    caller = await client.signup(roles=roles)
    read = await client.gql(FLAGS, token=caller.token)
    assert read["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    write = await client.gql(UPDATE, {"input": {"key": "premium", "enabled": False}}, token=caller.token)
    assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert _state(await client.gql(FEATURES), "premium") is True  # nothing changed


async def test_an_admin_update_is_audited_with_who_and_when(client):
    from core.models import AuditEntry

    admin = await client.signup(roles=("ADMIN",))
    updated = await _update(client, admin, key="premium.courses", enabled=False)
    assert updated["__typename"] == "FeatureFlag" and updated["enabled"] is False
    assert updated["updatedBy"] == admin.id
    flags = {f["key"]: f for f in (await client.gql(FLAGS, token=admin.token))["data"]["featureFlags"]}
    assert flags["premium.courses"]["plugin"] == "premium" and flags["premium.courses"]["updatedAt"]
    assert flags["premium.analytics_report"]["updatedAt"] is None  # never changed: its default
    with use_orm(client.services.orm):
        entry = await AuditEntry.get(action="feature.flag_updated")
    assert (entry.actor_kind, entry.actor_id, entry.target_id) == (
        "USER",
        account_user_pk(admin),
        "premium.courses",
    )
    assert entry.at is not None and entry.ip == "203.0.113.7"
    assert entry.data["before"]["enabled"] is True and entry.data["after"]["enabled"] is False


@pytest.mark.parametrize(
    ("values", "code", "field"),
    [
        ({"key": "no.such.flag", "enabled": False}, "UNKNOWN_FLAG", "input.key"),
        ({"key": "premium", "rolloutPercent": 101}, "INVALID_INPUT", "input.rolloutPercent"),
        ({"key": "premium", "rolloutPercent": -1}, "INVALID_INPUT", "input.rolloutPercent"),
        ({"key": "premium", "segment": {"userIds": ["not-an-id"]}}, "INVALID_INPUT", "input.segment.userIds"),
        ({"key": "premium", "segment": {"languages": ["x" * 40]}}, "INVALID_SEGMENT", "input.segment"),
        (
            {
                "key": "premium",
                "segment": {
                    "registeredAfter": "2026-02-01T00:00:00Z",
                    "registeredBefore": "2026-01-01T00:00:00Z",
                },
            },
            "INVALID_SEGMENT",
            "input.segment.registeredAfter",
        ),
    ],
)
async def test_bad_updates_get_a_typed_error_and_change_nothing(client, values, code, field):
    from core.models import AuditEntry
    from plugins.features.models import FlagSetting

    admin = await client.signup(roles=("ADMIN",))
    result = await _update(client, admin, **values)
    assert (result["__typename"], result["code"], result["field"]) == ("FeatureError", code, field)
    with use_orm(client.services.orm):
        assert await FlagSetting.all().count() == 0
        assert await AuditEntry.all().count() == 0


async def test_an_addon_flag_that_is_off_answers_feature_unavailable_even_to_a_holder(client):
    admin, holder = await client.signup(roles=("ADMIN",)), await client.signup()
    await _grant(client, holder)
    assert (await client.gql(REPORT, token=holder.token))["data"]["analyticsReport"][
        "__typename"
    ] == "AnalyticsReport"
    await _update(client, admin, key="premium.analytics_report", enabled=False)
    report = (await client.gql(REPORT, token=holder.token))["data"]["analyticsReport"]
    assert report["__typename"] == "FeatureUnavailable" and report["feature"] == "premium.analytics_report"
    zh = await client.gql(REPORT, token=holder.token, headers={"Accept-Language": "zh-CN"})
    assert zh["data"]["analyticsReport"]["message"] == "该功能目前对你不可用。"
    assert _state(await client.gql(FEATURES, token=holder.token), "premium.analytics_report") is False
    await _update(client, admin, key="premium.analytics_report", enabled=True)
    assert (await client.gql(REPORT, token=holder.token))["data"]["analyticsReport"][
        "__typename"
    ] == "AnalyticsReport"


async def test_at_zero_percent_a_user_id_segment_admits_only_that_user(client):
    admin, chosen, other = (
        await client.signup(roles=("ADMIN",)),
        await client.signup(),
        await client.signup(),
    )
    for user in (chosen, other):
        await _grant(client, user)
    updated = await _update(
        client, admin, key="premium.analytics_report", rolloutPercent=0, segment={"userIds": [chosen.id]}
    )
    assert updated["segment"]["userIds"] == [chosen.id]
    answers = {
        name: (await client.gql(REPORT, token=user.token))["data"]["analyticsReport"]["__typename"]
        for name, user in (("chosen", chosen), ("other", other), ("admin", admin))
    }
    assert answers == {
        "chosen": "AnalyticsReport",
        "other": "FeatureUnavailable",
        "admin": "FeatureUnavailable",
    }
    anonymous = await client.gql(FEATURES)
    assert _state(anonymous, "premium.analytics_report") is False


async def test_a_flag_that_is_on_still_needs_the_entitlement(client):
    user = await client.signup()
    report = (await client.gql(REPORT, token=user.token))["data"]["analyticsReport"]
    assert report == {"__typename": "EntitlementRequired", "entitlement": "analytics_report"}


async def test_segments_by_role_language_and_platform(client):
    admin, agent, user = (
        await client.signup(roles=("ADMIN",)),
        await client.signup(roles=("AGENT",)),
        await client.signup(),
    )
    await _update(client, admin, key="premium.courses", rolloutPercent=0, segment={"roles": ["AGENT"]})
    assert _state(await client.gql(FEATURES, token=agent.token), "premium.courses") is True
    assert _state(await client.gql(FEATURES, token=user.token), "premium.courses") is False
    await _update(client, admin, key="premium.courses", segment={"platforms": ["iOS"], "languages": ["en"]})
    ios_en = {"X-Client-Platform": "ios", "Accept-Language": "en"}
    assert _state(await client.gql(FEATURES, token=user.token, headers=ios_en), "premium.courses") is True
    android = {"X-Client-Platform": "android", "Accept-Language": "en"}
    assert _state(await client.gql(FEATURES, token=user.token, headers=android), "premium.courses") is False
    ios_zh = {"X-Client-Platform": "ios", "Accept-Language": "zh-CN"}
    assert _state(await client.gql(FEATURES, token=user.token, headers=ios_zh), "premium.courses") is False
    cleared = await _update(client, admin, key="premium.courses", segment={})
    assert cleared["segment"] is None


async def test_anonymous_callers_join_a_partial_rollout_only_when_the_flag_says_so(client):
    admin = await client.signup(roles=("ADMIN",))
    await _update(client, admin, key="premium.courses", rolloutPercent=50)
    assert _state(await client.gql(FEATURES), "premium.courses") is False
    await _update(client, admin, key="premium.courses", includeAnonymous=True)
    assert _state(await client.gql(FEATURES), "premium.courses") is True


async def test_a_plugin_kill_switch_turns_all_of_it_off(client):
    admin, holder = await client.signup(roles=("ADMIN",)), await client.signup()
    await _grant(client, holder)
    await _update(client, admin, key="premium", enabled=False)
    report = (await client.gql(REPORT, token=holder.token))["data"]["analyticsReport"]
    assert report["__typename"] == "FeatureUnavailable" and report["feature"] == "premium"
    products = await client.gql(PRODUCTS)  # no union fits a list: a top-level error
    assert products["errors"][0]["extensions"] == {"code": "FEATURE_UNAVAILABLE", "feature": "premium"}
    # the features plugin's admin fields have no kill switch: the admin can turn it back on
    assert (await _update(client, admin, key="premium", enabled=True))["enabled"] is True
    assert "errors" not in await client.gql(PRODUCTS)


async def test_the_schema_is_the_same_in_every_flag_state(client):
    admin = await client.signup(roles=("ADMIN",))
    before = await client.gql(INTROSPECTION)
    for key in sorted(client.services.flags.specs):
        if key != "features":
            await _update(client, admin, key=key, enabled=False)
    all_off = await client.gql(INTROSPECTION)
    await _update(
        client, admin, key="premium", enabled=True, rolloutPercent=10, segment={"languages": ["en"]}
    )
    partial = await client.gql(INTROSPECTION)
    assert before == all_off == partial
    assert client.app.state.schema.as_str() + "\n" == open("schema/schema.graphql", encoding="utf-8").read()


async def test_flags_plainly_on_cost_no_sql_per_request(client):
    user = await client.signup()
    await client.gql(FEATURES, token=user.token)  # loads the rules once for this process
    with QueryCounter() as counted:
        await client.gql(FEATURES, token=user.token)
    assert counted.count == 0  # the actor is cached too: no user row, flag rule or context lookup


async def test_the_priority_support_flag_switches_ticket_priority_off_for_holders(client):
    from tests.tickets import create_ticket

    admin, holder = await client.signup(roles=("ADMIN",)), await client.signup()
    await _grant(client, holder, "priority_support")
    assert (await create_ticket(client, holder))["priority"] == "HIGH"
    await _update(client, admin, key="premium.priority_support", enabled=False)
    assert (await create_ticket(client, holder))["priority"] == "NORMAL"
