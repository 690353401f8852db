"""GraphQL operations of the partners plugin: thin resolvers over `service`, `catalogue`, `core.audit`."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from core import audit
from core.errors import DomainError
from core.roles import Role
from plugins.partners import service
from plugins.partners.catalogue import catalogue
from plugins.partners.types import (
    App,
    AppCreated,
    AuditEntry,
    AuditLogFilter,
    PartnerError,
    PermissionInfo,
    Viewer,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookEventType,
    WebhookSubscription,
    WebhookSubscriptionCreated,
    viewer_for,
)
from schema.info import Info
from schema.permissions import requires
from schema.relay import Connection, connection, from_global_id, int_pk

AppCreateResult = Annotated[AppCreated | PartnerError, strawberry.union("AppCreateResult")]
AppTokenRotateResult = Annotated[AppCreated | PartnerError, strawberry.union("AppTokenRotateResult")]
AppRevokeResult = Annotated[App | PartnerError, strawberry.union("AppRevokeResult")]
WebhookSubscriptionCreateResult = Annotated[
    WebhookSubscriptionCreated | PartnerError, strawberry.union("WebhookSubscriptionCreateResult")
]
WebhookRedeliverResult = Annotated[WebhookDelivery | PartnerError, strawberry.union("WebhookRedeliverResult")]


@strawberry.input(description="A new partner app.")
class AppCreateInput:
    name: str = strawberry.field(description="Display name.")
    permissions: list[str] = strawberry.field(description="Permission keys to grant (see `permissions`).")
    rate_limit_per_minute: int | None = strawberry.field(default=700, description="Requests per minute.")


@strawberry.input(description="A webhook endpoint for an app.")
class WebhookSubscriptionCreateInput:
    app_id: strawberry.ID = strawberry.field(description="The app.")
    url: str = strawberry.field(description="An https URL on a public address.")
    events: list[str] = strawberry.field(description="Event names (see `webhookEvents`).")


def _raw_id(global_id: strawberry.ID | None, field: str) -> str | None:
    return from_global_id(global_id, field=field)[1] if global_id else None


@strawberry.type
class PartnersQuery:
    @strawberry.field(description="Who is calling: anonymous, a user or an app, with its permissions.")
    def viewer(self, info: Info) -> Viewer:
        return viewer_for(info.context.caller)

    @strawberry.field(description="Partner apps, newest first.", extensions=requires(Role.ADMIN))
    async def apps(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[App]:
        return connection(await service.list_apps(first, after), App.from_model)

    @strawberry.field(description="Every app permission the plugins define.", extensions=requires(Role.ADMIN))
    def permissions(self, info: Info) -> list[PermissionInfo]:
        found = catalogue(info.context.services).permissions.values()
        return [PermissionInfo(key=p.key, plugin=p.plugin, description=p.description) for p in found]

    @strawberry.field(description="The webhook event catalogue (public).")
    def webhook_events(self, info: Info) -> list[WebhookEventType]:
        return [
            WebhookEventType(
                name=spec.name,
                plugin=spec.plugin,
                description=spec.description,
                permission=spec.permission,
                example=JSON(spec.example),
            )  # fmt: skip
            for spec in catalogue(info.context.services).events.values()
        ]

    @strawberry.field(
        description="A subscription's delivery log, newest first.",
        extensions=requires(Role.ADMIN, permission="webhooks:manage"),
    )
    async def webhook_deliveries(
        self,
        info: Info,
        subscription_id: strawberry.ID,
        status: WebhookDeliveryStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WebhookDelivery]:
        pk = int_pk(subscription_id, "WebhookSubscription", field="subscriptionId")
        page = await service.deliveries(
            info.context.caller, pk, status.value if status else None, first, after
        )
        return connection(page, WebhookDelivery.from_model)

    @strawberry.field(description="The audit log, newest first (read-only).", extensions=requires(Role.ADMIN))
    async def audit_log(
        self,
        info: Info,
        filter: AuditLogFilter | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditEntry]:
        flt = filter or AuditLogFilter()
        if flt.since and flt.until and flt.since > flt.until:
            raise DomainError("INVALID_INPUT", field="filter.since", detail="since is after until")
        page = await audit.page(
            audit.AuditFilter(
                action=flt.action, actor_id=_raw_id(flt.actor_id, "filter.actorId"),
                target_id=_raw_id(flt.target_id, "filter.targetId"), since=flt.since, until=flt.until,
            ),
            first, after,
        )  # fmt: skip
        return connection(page, AuditEntry.from_model)


@strawberry.type
class PartnersMutation:
    @strawberry.mutation(
        description="Create an app; its token is in the answer, once.", extensions=requires(Role.ADMIN)
    )
    async def app_create(self, info: Info, input: AppCreateInput) -> AppCreateResult:
        app, token = await service.create_app(
            info.context.services, info.context.caller, name=input.name, permissions=list(input.permissions),
            rate_limit=700 if input.rate_limit_per_minute is None else input.rate_limit_per_minute, ip=info.context.ip,
        )  # fmt: skip
        return AppCreated(app=App.from_model(app), token=token)

    @strawberry.mutation(
        description="Issue a new token; the old one stops at once.", extensions=requires(Role.ADMIN)
    )
    async def app_token_rotate(self, info: Info, id: strawberry.ID) -> AppTokenRotateResult:
        ctx = info.context
        app, token = await service.rotate_token(ctx.services, ctx.caller, int_pk(id, "App"), ctx.ip)
        return AppCreated(app=App.from_model(app), token=token)

    @strawberry.mutation(
        description="Revoke an app: its token stops at once.", extensions=requires(Role.ADMIN)
    )
    async def app_revoke(self, info: Info, id: strawberry.ID) -> AppRevokeResult:
        ctx = info.context
        return App.from_model(await service.revoke(ctx.services, ctx.caller, int_pk(id, "App"), ctx.ip))

    @strawberry.mutation(
        description="Subscribe an app's URL to events; the signing secret is in the answer, once.",
        extensions=requires(Role.ADMIN, permission="webhooks:manage"),
    )
    async def webhook_subscription_create(
        self, info: Info, input: WebhookSubscriptionCreateInput
    ) -> WebhookSubscriptionCreateResult:
        ctx = info.context
        subscription, secret = await service.create_subscription(
            ctx.services, ctx.caller, app_id=int_pk(input.app_id, "App", field="input.appId"), url=input.url,
            events=list(input.events), ip=ctx.ip,
        )  # fmt: skip
        return WebhookSubscriptionCreated(
            subscription=WebhookSubscription.from_model(subscription), secret=secret
        )

    @strawberry.mutation(
        description="Delete a subscription.", extensions=requires(Role.ADMIN, permission="webhooks:manage")
    )
    async def webhook_subscription_delete(self, info: Info, id: strawberry.ID) -> bool:
        ctx = info.context
        return await service.delete_subscription(
            ctx.services, ctx.caller, int_pk(id, "WebhookSubscription"), ctx.ip
        )

    @strawberry.mutation(
        description="A new signing secret; the old one keeps signing beside it for 24 h.",
        extensions=requires(Role.ADMIN, permission="webhooks:manage"),
    )
    async def webhook_secret_rotate(self, info: Info, id: strawberry.ID) -> WebhookSubscriptionCreateResult:
        ctx = info.context
        subscription, secret = await service.rotate_secret(
            ctx.services, ctx.caller, int_pk(id, "WebhookSubscription"), ctx.ip
        )
        return WebhookSubscriptionCreated(
            subscription=WebhookSubscription.from_model(subscription), secret=secret
        )

    @strawberry.mutation(
        description="Send a delivery again now, with the same `webhook-id`.",
        extensions=requires(Role.ADMIN, permission="webhooks:manage"),
    )
    async def webhook_redeliver(self, info: Info, delivery_id: strawberry.ID) -> WebhookRedeliverResult:
        ctx = info.context
        pk = int_pk(delivery_id, "WebhookDelivery", field="deliveryId")
        return WebhookDelivery.from_model(await service.redeliver(ctx.services, ctx.caller, pk, ctx.ip))
