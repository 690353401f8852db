"""GraphQL types of the features plugin: flag states, flag settings, segments, entitlement grants."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from core.flag_rules import FlagRule
from plugins.account import api as account
from plugins.features.errors import CODES
from plugins.features.service import FlagView
from plugins.premium.api import Holding
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, int_pk, to_global_id

if TYPE_CHECKING:
    from plugins.account.api import Role, User


@strawberry.type(description="Why a feature-flag or entitlement administration operation failed.")
class FeatureError(PluginError, codes=CODES, plugin="features"):
    pass


feature_error_handler = FeatureError.handler

RoleRef = Annotated["Role", strawberry.lazy("plugins.account.api")]  # noqa: F821
UserRef = Annotated["User", strawberry.lazy("plugins.account.api")]  # noqa: F821


@strawberry.type(description="A flag as it applies to the caller (clients hide what is off).")
class FeatureState:
    key: str = strawberry.field(description="Flag key, e.g. `premium.analytics_report` or `support`.")
    enabled: bool = strawberry.field(description="True when the feature is on for the caller.")


@strawberry.type(description="Who a flag targets: a caller meeting every given criterion is in.")
class Segment:
    roles: list[str] | None = strawberry.field(description="Any of these roles.")
    verified_adult: bool | None = strawberry.field(description="Real-name verified adult (or not).")
    registered_before: datetime | None = strawberry.field(description="Accounts created before.")
    registered_after: datetime | None = strawberry.field(description="Accounts created after.")
    has_entitlement: str | None = strawberry.field(description="Holders of this entitlement.")
    user_ids: list[strawberry.ID] | None = strawberry.field(description="These users (global IDs).")
    languages: list[str] | None = strawberry.field(description="Request language, e.g. zh-CN.")
    platforms: list[str] | None = strawberry.field(description="`X-Client-Platform`, e.g. ios.")

    @classmethod
    def from_stored(cls, stored: Any) -> Segment | None:
        if not stored:
            return None
        dates = {
            k: datetime.fromisoformat(stored[k]) if stored.get(k) else None
            for k in ("registered_before", "registered_after")
        }
        ids = stored.get("user_ids")
        return cls(
            roles=stored.get("roles"),
            verified_adult=stored.get("verified_adult"),
            registered_before=dates["registered_before"],
            registered_after=dates["registered_after"],
            has_entitlement=stored.get("has_entitlement"),
            user_ids=None if ids is None else [to_global_id("User", i) for i in ids],
            languages=stored.get("languages"),
            platforms=stored.get("platforms"),
        )


@strawberry.type(description="A declared feature flag and how an admin set it (ADMIN).")
class FeatureFlag:
    key: str = strawberry.field(description="Flag key.")
    plugin: str = strawberry.field(description="The plugin that declares it.")
    description: str = strawberry.field(description="What it switches.")
    enabled: bool = strawberry.field(description="False turns it off for everyone (kill switch).")
    rollout_percent: int = strawberry.field(
        description="Share of signed-in users outside the segment who get it, 0-100."
    )
    segment: Segment | None = strawberry.field(description="Callers who get it whatever the percentage.")
    include_anonymous: bool = strawberry.field(description="Anonymous callers are in a partial rollout too.")
    default: bool = strawberry.field(description="The state when no admin has set it.")
    updated_at: datetime | None = strawberry.field(description="Last change (null: never changed).")
    updated_by: strawberry.ID | None = strawberry.field(description="The `User` who changed it last.")

    @classmethod
    def from_view(cls, view: FlagView) -> FeatureFlag:
        rule: FlagRule = view.rule
        return cls(
            key=view.spec.key,
            plugin=view.spec.plugin,
            description=view.spec.description,
            enabled=rule.enabled,
            rollout_percent=rule.rollout_percent,
            segment=Segment.from_stored(rule.segment),
            include_anonymous=rule.include_anonymous,
            default=view.spec.default,
            updated_at=rule.updated_at,
            updated_by=to_global_id("User", rule.updated_by) if rule.updated_by else None,
        )


@strawberry.input(description="Who a flag targets or a bulk grant reaches; every given criterion must hold.")
class SegmentInput:
    roles: list[RoleRef] | None = strawberry.field(default=None, description="Any of these roles.")
    verified_adult: bool | None = strawberry.field(
        default=None, description="Real-name verified adult (or not)."
    )
    registered_before: datetime | None = strawberry.field(
        default=None, description="Accounts created before."
    )
    registered_after: datetime | None = strawberry.field(default=None, description="Accounts created after.")
    has_entitlement: str | None = strawberry.field(default=None, description="Holders of this entitlement.")
    user_ids: list[strawberry.ID] | None = strawberry.field(
        default=None, description="These users (at most 1000)."
    )
    languages: list[str] | None = strawberry.field(
        default=None, description="Request languages (flags only)."
    )
    platforms: list[str] | None = strawberry.field(
        default=None, description="`X-Client-Platform` values (flags only: requests, not accounts, have one)."
    )

    def to_service(self, field: str = "input.segment") -> dict[str, Any]:
        """Plain values for the service (user IDs decoded to primary keys)."""
        return {
            "roles": None if self.roles is None else [role.value for role in self.roles],
            "verified_adult": self.verified_adult,
            "registered_before": self.registered_before,
            "registered_after": self.registered_after,
            "has_entitlement": self.has_entitlement,
            "user_ids": None
            if self.user_ids is None
            else [int_pk(i, "User", field=f"{field}.userIds") for i in self.user_ids],
            "languages": self.languages,
            "platforms": self.platforms,
        }


@strawberry.input(description="Change a flag; parts left out keep their value (ADMIN).")
class FeatureFlagUpdateInput:
    key: str = strawberry.field(description="Flag key.")
    enabled: bool | None = strawberry.field(default=None, description="On or off for everyone.")
    rollout_percent: int | None = strawberry.field(default=None, description="0-100, sticky per user.")
    segment: SegmentInput | None = strawberry.field(
        default=None, description="Who gets it whatever the percentage; `{}` clears the segment."
    )
    include_anonymous: bool | None = strawberry.field(
        default=None, description="Let anonymous callers into a partial rollout (default: out)."
    )


@strawberry.input(description="Grant an entitlement to everyone in a segment now (ADMIN).")
class EntitlementGrantBulkInput:
    entitlement: str = strawberry.field(description="Entitlement key, e.g. `analytics_report`.")
    segment: SegmentInput = strawberry.field(description="Who gets it (platforms cannot be used).")
    days: int = strawberry.field(description="Length of each grant, 1-3650 days.")
    reason: str = strawberry.field(description="Why (kept in the audit log and on each grant).")


@strawberry.input(description="End a user's admin grants of an entitlement now (ADMIN).")
class EntitlementRevokeInput:
    entitlement: str = strawberry.field(description="Entitlement key.")
    user_id: strawberry.ID = strawberry.field(description="The `User`.")
    reason: str = strawberry.field(description="Why (kept in the audit log).")


@strawberry.type(description="A bulk grant was accepted: `granted` users, written by batch jobs.")
class BulkGrantResult:
    granted: int = strawberry.field(description="Users in the segment, each getting one grant.")
    batches: int = strawberry.field(description="Batch jobs queued to write the grants.")


@strawberry.type(description="What a revocation ended.")
class EntitlementRevoked:
    entitlement: str = strawberry.field(description="Entitlement key.")
    user_id: strawberry.ID = strawberry.field(description="The `User`.")
    revoked: int = strawberry.field(description="Admin grants ended.")
    still_held: bool = strawberry.field(description="True when a paid subscription still grants it.")


@strawberry.enum(description="Why a user holds an entitlement.")
class EntitlementSource(enum.Enum):
    PURCHASE = "PURCHASE"
    GRANT = "GRANT"


@strawberry.type(description="One reason a user holds an entitlement now, with its expiry (ADMIN).")
class EntitlementGrant:
    entitlement: str = strawberry.field(description="Entitlement key.")
    source: EntitlementSource = strawberry.field(description="A purchase (subscription) or an admin grant.")
    user_id: strawberry.ID = strawberry.field(description="The holder (`User` global ID).")
    since: datetime = strawberry.field(description="When it started.")
    expires_at: datetime | None = strawberry.field(description="When it ends (null: until revoked).")
    granted_by: strawberry.ID | None = strawberry.field(description="The admin who granted it.")
    note: str = strawberry.field(description="The grant's reason (empty for purchases).")

    @strawberry.field(description="The holder.")
    async def user(self, info: Info) -> UserRef | None:
        return await account.load_user(info.context, int_pk(self.user_id, "User"))

    @classmethod
    def from_holding(cls, holding: Holding) -> EntitlementGrant:
        return cls(
            entitlement=holding.entitlement,
            source=EntitlementSource(holding.source),
            user_id=to_global_id("User", holding.user_id),
            since=holding.since,
            expires_at=holding.expires_at,
            granted_by=to_global_id("User", holding.granted_by) if holding.granted_by else None,
            note=holding.note,
        )


EntitlementGrantConnection = Connection[EntitlementGrant]
