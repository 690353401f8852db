"""Flag rules and the built-in OpenFeature provider that evaluates them (no GraphQL, no storage).

A rule is what an operator set for one flag: on or off, a percentage rollout and a segment.
Semantics (LaunchDarkly-style targeting, Unleash-style stickiness):

1. `enabled` false: off for everyone (kill switch).
2. A caller matching the `segment` (every given criterion holds; a list criterion matches any of
   its values) is in, whatever the percentage.
3. Otherwise the percentage rollout decides: 100 admits everyone, anonymous callers included;
   below 100 a signed-in user is in when `bucket(key, user id)` falls under the percentage (sticky:
   a user in at 10 % stays in at 20 %), and an anonymous caller only when `include_anonymous`.

The provider keeps the rules of this process in memory; `core.flags.Flags` refills it from the
`flag_rules` hook and invalidates it through the event bus.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from openfeature.evaluation_context import EvaluationContext
from openfeature.exception import ErrorCode
from openfeature.flag_evaluation import FlagResolutionDetails, Reason
from openfeature.provider import AbstractProvider, Metadata

BUCKETS = 10_000
#: Segment criteria, in the order they are documented and shown.
SEGMENT_KEYS = (
    "roles",
    "verified_adult",
    "registered_before",
    "registered_after",
    "has_entitlement",
    "user_ids",
    "languages",
    "platforms",
)


def bucket(flag_key: str, user_id: str) -> int:
    """The user's fixed place (0..9999) in the rollout of `flag_key`: a hash of both, so one flag's
    early adopters are not every flag's early adopters."""
    digest = hashlib.sha256(f"{flag_key}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def in_rollout(flag_key: str, user_id: str, percent: int) -> bool:
    """True when the user falls inside a `percent` rollout of the flag (monotonic in `percent`)."""
    return bucket(flag_key, user_id) < max(0, min(100, percent)) * (BUCKETS // 100)


@dataclass(frozen=True)
class FlagSpec:
    """A flag a plugin declares (`register_flags`): its key, what it switches, and its default."""

    key: str
    description: str
    default: bool = True
    plugin: str = ""


@dataclass(frozen=True)
class FlagRule:
    """An operator's setting of one flag (stored by the features plugin)."""

    key: str
    enabled: bool = True
    rollout_percent: int = 100
    segment: Mapping[str, Any] | None = None
    include_anonymous: bool = False
    updated_at: datetime | None = None
    updated_by: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def context_free(self) -> bool:
        """True when the answer is the same for every caller (no need to know who asks)."""
        return not self.enabled or (self.rollout_percent >= 100 and not self.segment)


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _names(value: Any) -> set[str]:
    """A list attribute of the evaluation context (`roles`, `entitlements`) as a set; empty when absent
    or not a list."""
    return {str(item) for item in value} if isinstance(value, list | tuple | set | frozenset) else set()


def segment_matches(segment: Mapping[str, Any] | None, context: EvaluationContext) -> bool:
    """True when the caller described by `context` meets every criterion of `segment`."""
    if not segment or not any(segment.get(k) is not None for k in SEGMENT_KEYS):
        return False
    attrs = context.attributes
    user = context.targeting_key
    checks: list[bool] = []
    if segment.get("user_ids") is not None:
        checks.append(user is not None and str(user) in {str(i) for i in segment["user_ids"]})
    if segment.get("roles") is not None:
        checks.append(bool(_names(attrs.get("roles")) & set(segment["roles"])))
    if segment.get("verified_adult") is not None:
        checks.append(bool(attrs.get("verifiedAdult")) == bool(segment["verified_adult"]))
    registered = _as_datetime(attrs.get("registeredAt"))
    for name, before in (("registered_before", True), ("registered_after", False)):
        if segment.get(name) is not None:
            bound = _as_datetime(segment[name])
            if registered is None or bound is None:
                checks.append(False)
            else:
                checks.append(registered < bound if before else registered > bound)
    if segment.get("has_entitlement") is not None:
        checks.append(segment["has_entitlement"] in _names(attrs.get("entitlements")))
    if segment.get("languages") is not None:
        checks.append(attrs.get("language") in set(segment["languages"]))
    if segment.get("platforms") is not None:
        checks.append(attrs.get("platform") in set(segment["platforms"]))
    return all(checks)


def evaluate(rule: FlagRule, context: EvaluationContext) -> tuple[bool, Reason]:
    """The rule's answer for a caller and why (see the module docstring)."""
    if not rule.enabled:
        return False, Reason.DISABLED
    if segment_matches(rule.segment, context):
        return True, Reason.TARGETING_MATCH
    if rule.rollout_percent >= 100:
        return True, Reason.STATIC
    if context.targeting_key is None:
        return rule.include_anonymous, Reason.DEFAULT
    return in_rollout(rule.key, context.targeting_key, rule.rollout_percent), Reason.SPLIT


@dataclass
class RuleProviderMetadata(Metadata):
    name: str = "selfserve database flags"


class RuleProvider(AbstractProvider):
    """The built-in OpenFeature provider: boolean flags from the rules this process holds, with
    each declared flag's default where no rule is stored."""

    def __init__(self, specs: Sequence[FlagSpec]) -> None:
        self._defaults = {spec.key: spec.default for spec in specs}
        self._rules: dict[str, FlagRule] = {}

    def get_metadata(self) -> Metadata:
        return RuleProviderMetadata()

    def replace_rules(self, rules: Mapping[str, FlagRule]) -> None:
        """Swap in a fresh set of rules (one assignment: readers never see half a set)."""
        self._rules = dict(rules)

    def rule(self, key: str) -> FlagRule | None:
        """The stored rule of `key`, if any."""
        return self._rules.get(key)

    def context_free(self, key: str) -> bool:
        """True when `key` answers the same for everyone (the caller's details need not be loaded)."""
        rule = self._rules.get(key)
        return rule is None or rule.context_free

    def resolve_boolean_details(
        self, flag_key: str, default_value: bool, evaluation_context: EvaluationContext | None = None
    ) -> FlagResolutionDetails[bool]:
        rule = self._rules.get(flag_key)
        if rule is None:
            if flag_key not in self._defaults:
                return FlagResolutionDetails(
                    value=default_value, reason=Reason.ERROR, error_code=ErrorCode.FLAG_NOT_FOUND
                )
            return FlagResolutionDetails(value=self._defaults[flag_key], reason=Reason.DEFAULT)
        value, reason = evaluate(rule, evaluation_context or EvaluationContext())
        return FlagResolutionDetails(value=value, reason=reason, variant="on" if value else "off")

    def _not_boolean(self, default_value: Any) -> FlagResolutionDetails[Any]:
        return FlagResolutionDetails(
            value=default_value, reason=Reason.ERROR, error_code=ErrorCode.TYPE_MISMATCH
        )

    def resolve_string_details(self, flag_key, default_value, evaluation_context=None):  # noqa: ANN001
        return self._not_boolean(default_value)

    def resolve_integer_details(self, flag_key, default_value, evaluation_context=None):  # noqa: ANN001
        return self._not_boolean(default_value)

    def resolve_float_details(self, flag_key, default_value, evaluation_context=None):  # noqa: ANN001
        return self._not_boolean(default_value)

    def resolve_object_details(self, flag_key, default_value, evaluation_context=None):  # noqa: ANN001
        return self._not_boolean(default_value)
