"""GraphQL operations of the features plugin: thin resolvers over the services."""

from __future__ import annotations

from typing import Annotated

import strawberry

from core.roles import Role
from plugins.features import grants, service
from plugins.features.types import (
    BulkGrantResult,
    EntitlementGrant,
    EntitlementGrantBulkInput,
    EntitlementGrantConnection,
    EntitlementRevoked,
    EntitlementRevokeInput,
    FeatureError,
    FeatureFlag,
    FeatureFlagUpdateInput,
    FeatureState,
)
from plugins.premium import api as premium
from schema.info import Info
from schema.permissions import RequiresFeature, requires
from schema.relay import connection, int_pk, to_global_id

FeatureFlagUpdateResult = Annotated[FeatureFlag | FeatureError, strawberry.union("FeatureFlagUpdateResult")]
EntitlementGrantBulkResult = Annotated[
    BulkGrantResult | FeatureError, strawberry.union("EntitlementGrantBulkResult")
]
EntitlementRevokeResult = Annotated[
    EntitlementRevoked | FeatureError, strawberry.union("EntitlementRevokeResult")
]


@strawberry.type
class FeaturesQuery:
    @strawberry.field(
        description="Every flag as it applies to the caller (anyone may ask; clients hide what is off).",
        extensions=[RequiresFeature("features", directive=False)],
    )
    async def features(self, info: Info) -> list[FeatureState]:
        flags = info.context.services.flags
        return [FeatureState(key=spec.key, enabled=on) for spec, on in await flags.states(info.context)]

    @strawberry.field(
        description="Every declared flag and its setting (ADMIN).", extensions=requires(Role.ADMIN)
    )
    async def feature_flags(self, info: Info) -> list[FeatureFlag]:
        return [FeatureFlag.from_view(view) for view in await service.flag_views(info.context.services)]

    @strawberry.field(
        description="Who holds what now: purchases and admin grants, with expiry (ADMIN).",
        extensions=requires(Role.ADMIN, permission="entitlements:read"),
    )
    async def entitlement_grants(
        self,
        info: Info,
        entitlement: str | None = None,
        user_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> EntitlementGrantConnection:
        page = await premium.holdings_page(
            entitlement=entitlement,
            user_id=None if user_id is None else int_pk(user_id, "User", field="userId"),
            first=first,
            after=after,
        )
        return connection(page, EntitlementGrant.from_holding)


@strawberry.type
class FeaturesMutation:
    @strawberry.mutation(
        description="Turn a flag on or off, roll it out to a share of users or target a segment (ADMIN; audited).",
        extensions=requires(Role.ADMIN),
    )
    async def feature_flag_update(self, info: Info, input: FeatureFlagUpdateInput) -> FeatureFlagUpdateResult:
        context = info.context
        actor = context.caller
        view = await service.update_flag(
            context.services,
            actor,
            key=input.key,
            enabled=input.enabled,
            rollout_percent=input.rollout_percent,
            segment=service.UNCHANGED if input.segment is None else input.segment.to_service(),
            include_anonymous=input.include_anonymous,
            ip=context.ip,
        )
        return FeatureFlag.from_view(view)

    @strawberry.mutation(
        description="Grant an entitlement to everyone in a segment, in batch jobs (ADMIN; audited).",
        extensions=requires(Role.ADMIN, permission="entitlements:write"),
    )
    async def entitlement_grant_bulk(
        self, info: Info, input: EntitlementGrantBulkInput
    ) -> EntitlementGrantBulkResult:
        context = info.context
        actor = context.caller
        done = await grants.bulk_grant(
            context.services,
            actor,
            entitlement=input.entitlement,
            segment=input.segment.to_service(),
            days=input.days,
            reason=input.reason,
            ip=context.ip,
        )
        return BulkGrantResult(granted=done.granted, batches=done.batches)

    @strawberry.mutation(
        description="End a user's admin grants of an entitlement now, on every process (ADMIN; audited).",
        extensions=requires(Role.ADMIN, permission="entitlements:write"),
    )
    async def entitlement_revoke(self, info: Info, input: EntitlementRevokeInput) -> EntitlementRevokeResult:
        context = info.context
        actor = context.caller
        done = await grants.revoke(
            context.services,
            actor,
            entitlement=input.entitlement,
            user_id=int_pk(input.user_id, "User", field="input.userId"),
            reason=input.reason,
            ip=context.ip,
        )
        return EntitlementRevoked(
            entitlement=done.entitlement,
            user_id=to_global_id("User", done.user_id),
            revoked=done.revoked,
            still_held=done.still_held,
        )
