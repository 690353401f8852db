"""Flag administration (no GraphQL): the stored rules the built-in provider evaluates, the admin's
view of every declared flag, and audited updates that reach every process through the event bus."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tortoise.transactions import in_transaction

from core import audit
from core.context import Services
from core.errors import DomainError
from core.events import Event
from core.flag_rules import FlagRule, FlagSpec
from core.flags import CHANGED
from plugins.features import segments
from plugins.features.models import FlagSetting

#: Marks "leave as it is" in an update (None clears a segment).
UNCHANGED: Any = object()


def to_rule(setting: FlagSetting) -> FlagRule:
    """The provider's view of a stored setting."""
    return FlagRule(
        key=setting.key,
        enabled=setting.enabled,
        rollout_percent=setting.rollout_percent,
        segment=setting.segment or None,
        include_anonymous=setting.include_anonymous,
        updated_at=setting.updated_at,
        updated_by=setting.updated_by,
    )


async def stored_rules() -> list[FlagRule]:
    """Every stored setting as a rule (one query; the `flag_rules` hook)."""
    return [to_rule(setting) for setting in await FlagSetting.all()]


@dataclass(frozen=True)
class FlagView:
    """A declared flag with its current setting (the default when none is stored)."""

    spec: FlagSpec
    rule: FlagRule


def _view(spec: FlagSpec, rule: FlagRule | None) -> FlagView:
    return FlagView(spec, rule or FlagRule(spec.key, enabled=spec.default))


async def flag_views(services: Services) -> list[FlagView]:
    """Every declared flag, by key, with its stored setting (one query)."""
    stored = {rule.key: rule for rule in await stored_rules()}
    return [_view(spec, stored.get(key)) for key, spec in sorted(services.flags.specs.items())]


async def update_flag(
    services: Services,
    actor: Any,
    *,
    key: str,
    enabled: bool | None = None,
    rollout_percent: int | None = None,
    segment: Any = UNCHANGED,
    include_anonymous: bool | None = None,
    ip: str | None = None,
) -> FlagView:
    """Change a flag (unset parts keep their value; an empty segment clears it), audited, and
    tell every process (`feature.changed`)."""
    spec = services.flags.specs.get(key)
    if spec is None:
        raise DomainError("UNKNOWN_FLAG", field="input.key", key=str(key)[:100])
    if not services.flags.builtin:
        raise DomainError("EXTERNAL_PROVIDER", field="input.key")
    if rollout_percent is not None and not 0 <= rollout_percent <= 100:
        raise DomainError("INVALID_INPUT", field="input.rolloutPercent", detail="rolloutPercent: 0 to 100")
    normalised = UNCHANGED if segment is UNCHANGED else segments.normalise(segment)
    async with in_transaction():
        await FlagSetting.get_or_create(key=key, defaults={"enabled": spec.default})
        setting = await FlagSetting.filter(key=key).select_for_update().get()
        before = to_rule(setting)
        if enabled is not None:
            setting.enabled = enabled
        if rollout_percent is not None:
            setting.rollout_percent = rollout_percent
        if normalised is not UNCHANGED:
            setting.segment = normalised
        if include_anonymous is not None:
            setting.include_anonymous = include_anonymous
        setting.updated_by = actor.user_id
        await setting.save()
        await audit.record(
            services,
            actor=actor,
            action="feature.flag_updated",
            target_type="FeatureFlag",
            target_id=key,
            ip=ip,
            data={"before": _audit_data(before), "after": _audit_data(to_rule(setting))},
        )
    services.flags.invalidate()
    await services.events.publish(Event(CHANGED, {"key": key}))
    return FlagView(spec, to_rule(setting))


def _audit_data(rule: FlagRule) -> dict[str, Any]:
    return {
        "enabled": rule.enabled,
        "rolloutPercent": rule.rollout_percent,
        "segment": dict(rule.segment) if rule.segment else None,
        "includeAnonymous": rule.include_anonymous,
    }
