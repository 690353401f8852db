"""Rollout and segment rules of the built-in provider, evaluated through OpenFeature (unit level)."""

from __future__ import annotations

from datetime import UTC, datetime

from openfeature import api
from openfeature.evaluation_context import EvaluationContext

from core.flag_rules import FlagRule, FlagSpec, RuleProvider, evaluate, in_rollout, segment_matches

USERS = [str(n) for n in range(1, 10_001)]


def test_a_ten_percent_rollout_admits_ten_percent_and_keeps_them_at_twenty():
    at_10 = {u for u in USERS if in_rollout("premium.analytics_report", u, 10)}
    at_20 = {u for u in USERS if in_rollout("premium.analytics_report", u, 20)}
    assert 900 <= len(at_10) <= 1100
    assert 1800 <= len(at_20) <= 2200
    assert at_10 <= at_20


def test_rollouts_of_two_flags_pick_different_users():
    first = {u for u in USERS if in_rollout("premium.analytics_report", u, 10)}
    second = {u for u in USERS if in_rollout("premium.courses", u, 10)}
    assert len(first & second) < 300  # independent buckets: about 1 % overlap, not 10 %


def test_the_edges_of_a_rollout():
    assert not any(in_rollout("k", u, 0) for u in USERS[:500])
    assert all(in_rollout("k", u, 100) for u in USERS[:500])


def _user(uid="7", **attributes):
    return EvaluationContext(targeting_key=uid, attributes=attributes)


def test_every_segment_criterion_must_hold():
    segment = {"roles": ["AGENT"], "verified_adult": True, "languages": ["en"]}
    assert segment_matches(segment, _user(roles=["USER", "AGENT"], verifiedAdult=True, language="en"))
    assert not segment_matches(segment, _user(roles=["USER"], verifiedAdult=True, language="en"))
    assert not segment_matches(segment, _user(roles=["AGENT"], verifiedAdult=False, language="en"))
    assert not segment_matches(segment, _user(roles=["AGENT"], verifiedAdult=True, language="zh-CN"))


def test_registration_window_entitlement_platform_and_user_ids():
    window = {
        "registered_after": "2026-01-01T00:00:00+00:00",
        "registered_before": "2026-06-01T00:00:00+00:00",
    }
    assert segment_matches(window, _user(registeredAt="2026-03-01T00:00:00+00:00"))
    assert not segment_matches(window, _user(registeredAt="2026-07-01T00:00:00+00:00"))
    assert not segment_matches(window, _user())  # unknown registration: not in a window
    assert segment_matches({"has_entitlement": "courses"}, _user(entitlements=["courses"]))
    assert not segment_matches({"has_entitlement": "courses"}, _user(entitlements=[]))
    assert segment_matches({"platforms": ["ios"]}, _user(platform="ios"))
    assert not segment_matches({"platforms": ["ios"]}, _user(platform="android"))
    assert segment_matches({"user_ids": ["7"]}, _user("7"))
    assert not segment_matches({"user_ids": ["7"]}, _user("8"))
    assert not segment_matches({"user_ids": ["7"]}, EvaluationContext())
    assert not segment_matches({}, _user())  # no criterion: nobody is targeted


def test_anonymous_callers_are_out_of_partial_rollouts_unless_the_flag_says_so():
    anonymous = EvaluationContext(attributes={"anonymous": True})
    assert evaluate(FlagRule("k", rollout_percent=99), anonymous)[0] is False
    assert evaluate(FlagRule("k", rollout_percent=99, include_anonymous=True), anonymous)[0] is True
    assert evaluate(FlagRule("k", rollout_percent=100), anonymous)[0] is True
    assert evaluate(FlagRule("k", enabled=False), anonymous)[0] is False


def test_the_provider_answers_through_the_openfeature_client():
    provider = RuleProvider([FlagSpec("a", "A", default=True), FlagSpec("b", "B", default=False)])
    domain = f"test-{datetime.now(UTC).timestamp()}"
    api.set_provider_and_wait(provider, domain=domain)
    client = api.get_client(domain)
    assert client.get_boolean_value("a", False) is True  # the declared default, not the caller's
    assert client.get_boolean_value("b", True) is False
    provider.replace_rules({"a": FlagRule("a", rollout_percent=0, segment={"user_ids": ["7"]})})
    assert client.get_boolean_value("a", False, _user("7")) is True
    assert client.get_boolean_value("a", True, _user("8")) is False
    details = client.get_boolean_details("missing", True)
    assert details.value is True and details.error_code == "FLAG_NOT_FOUND"
