"""GraphQL types of the partners plugin."""

from __future__ import annotations

import enum
import json
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.scalars import JSON

from core.models import AuditEntry as AuditEntryModel
from plugins.partners import models
from plugins.partners.errors import CODES
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Node, to_global_id

if TYPE_CHECKING:
    from plugins.account.api import User


@strawberry.type(description="Why a partner operation failed.")
class PartnerError(PluginError, codes=CODES, plugin="partners"):
    pass


partner_error_handler = PartnerError.handler

UserRef = Annotated["User", strawberry.lazy("plugins.account.api")]  # noqa: F821


@strawberry.enum(description="Where a webhook delivery is.")
class WebhookDeliveryStatus(enum.Enum):
    PENDING = "PENDING"
    RETRYING = "RETRYING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@strawberry.enum(description="What kind of caller sent the request.")
class ViewerKind(enum.Enum):
    ANONYMOUS = "ANONYMOUS"
    USER = "USER"
    APP = "APP"


@strawberry.type(description="A webhook endpoint of an app and the events it receives.")
class WebhookSubscription(Node):
    url: str = strawberry.field(description="Where deliveries are POSTed.")
    events: list[str] = strawberry.field(description="Event names (see `webhookEvents`).")
    active: bool = strawberry.field(description="False once disabled (after 3 days of failures).")
    disabled_reason: str | None = strawberry.field(description="Why it was disabled.")

    @classmethod
    def from_model(cls, row: models.WebhookSubscription) -> WebhookSubscription:
        return cls(
            id=to_global_id("WebhookSubscription", row.pk), url=row.url, events=list(row.events),
            active=row.active, disabled_reason=row.disabled_reason,
        )  # fmt: skip


@strawberry.type(description="A partner integration with a scoped token.")
class App(Node):
    name: str = strawberry.field(description="Display name.")
    permissions: list[str] = strawberry.field(description="Granted permission keys (see `permissions`).")
    token_hint: str = strawberry.field(description="The token's start and end (the token is shown once).")
    created_at: datetime = strawberry.field(description="When it was created.")
    last_used_at: datetime | None = strawberry.field(
        description="Last request (updated at most once a minute)."
    )
    revoked_at: datetime | None = strawberry.field(description="When it was revoked; its token is refused.")
    rate_limit_per_minute: int = strawberry.field(description="Requests per minute this app may make.")
    pk: strawberry.Private[int]

    @strawberry.field(description="The app's webhook subscriptions.")
    async def subscriptions(self) -> list[WebhookSubscription]:
        rows = await models.WebhookSubscription.filter(app_id=self.pk).order_by("id")
        return [WebhookSubscription.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, row: models.App) -> App:
        return cls(
            id=to_global_id("App", row.pk), name=row.name, permissions=list(row.permissions),
            token_hint=row.token_hint, created_at=row.created_at, last_used_at=row.last_used_at,
            revoked_at=row.revoked_at, rate_limit_per_minute=row.rate_limit_per_minute, pk=row.pk,
        )  # fmt: skip


@strawberry.type(description="A new app or token: send it as `Authorization: Bearer <token>`; shown once.")
class AppCreated:
    app: App = strawberry.field(description="The app.")
    token: str = strawberry.field(description="The token (stored hashed; keep it safe).")


@strawberry.type(description="A new subscription or secret: verify deliveries with it; shown once.")
class WebhookSubscriptionCreated:
    subscription: WebhookSubscription = strawberry.field(description="The subscription.")
    secret: str = strawberry.field(description="The signing secret (`whsec_…`).")


@strawberry.type(description="An app permission a plugin defines.")
class PermissionInfo:
    key: str = strawberry.field(description="e.g. `tickets:read`.")
    plugin: str = strawberry.field(description="The plugin that defines it.")
    description: str = strawberry.field(description="What it allows.")


@strawberry.type(description="An event apps can receive as a webhook.")
class WebhookEventType:
    name: str = strawberry.field(description="e.g. `ticket.created`.")
    plugin: str = strawberry.field(description="The plugin that publishes it.")
    description: str = strawberry.field(description="When it is sent.")
    permission: str = strawberry.field(description="The app permission needed to subscribe.")
    example: JSON = strawberry.field(description="An example `data` object.")


@strawberry.type(description="One event sent (or being sent) to one subscription, with its attempts.")
class WebhookDelivery(Node):
    event: str = strawberry.field(description="The event name.")
    webhook_id: str = strawberry.field(description="The `webhook-id` header (the same for every retry).")
    status: WebhookDeliveryStatus = strawberry.field(description="Where it is.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    response_status: int | None = strawberry.field(description="HTTP status of the last answer.")
    last_attempt_at: datetime | None = strawberry.field(description="When it was last tried.")
    next_attempt_at: datetime | None = strawberry.field(description="When it will be tried next.")
    response_body: str | None = strawberry.field(
        description="The start of the last answer's body: at most 64 kB are read, the rest never is."
    )
    body: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: models.WebhookDelivery) -> WebhookDelivery:
        return cls(
            id=to_global_id("WebhookDelivery", row.pk), event=row.event, webhook_id=row.webhook_id,
            status=WebhookDeliveryStatus(row.status), attempts=row.attempts, response_status=row.response_status,
            response_body=row.response_body, last_attempt_at=row.last_attempt_at,
            next_attempt_at=row.next_attempt_at if row.status in ("PENDING", "RETRYING") else None, body=row.body,
        )  # fmt: skip

    @strawberry.field(description="The envelope that is sent.")
    def payload(self) -> JSON:
        return json.loads(self.body)


@strawberry.type(description="One staff or app action on someone else's data (append-only).")
class AuditEntry(Node):
    at: datetime = strawberry.field(description="When.")
    actor_kind: str = strawberry.field(description="USER, APP or SYSTEM.")
    actor_id: strawberry.ID | None = strawberry.field(description="The user's or app's global ID.")
    action: str = strawberry.field(description="What, e.g. `appeal.decided`.")
    target_type: str | None = strawberry.field(description="The kind of object acted on.")
    target_id: strawberry.ID | None = strawberry.field(description="The object's global ID.")
    reason: str | None = strawberry.field(description="Why, as written by the actor.")
    ip: str | None = strawberry.field(description="From where.")

    @classmethod
    def from_model(cls, row: AuditEntryModel) -> AuditEntry:
        actor_type = {"USER": "User", "APP": "App"}.get(row.actor_kind)
        return cls(
            id=to_global_id("AuditEntry", row.pk), at=row.at, actor_kind=row.actor_kind,
            actor_id=to_global_id(actor_type, row.actor_id) if actor_type and row.actor_id else None,
            action=row.action, target_type=row.target_type,
            target_id=to_global_id(row.target_type, row.target_id) if row.target_type and row.target_id else None,
            reason=row.reason, ip=row.ip,
        )  # fmt: skip


@strawberry.input(description="Narrow the audit log (all parts optional).")
class AuditLogFilter:
    action: str | None = strawberry.field(default=None, description="Exact action name.")
    actor_id: strawberry.ID | None = strawberry.field(
        default=None, description="A user's or app's global ID."
    )
    target_id: strawberry.ID | None = strawberry.field(default=None, description="The object's global ID.")
    since: datetime | None = strawberry.field(default=None, description="At or after.")
    until: datetime | None = strawberry.field(default=None, description="Before.")


@strawberry.type(description="Who is calling.")
class Viewer:
    kind: ViewerKind = strawberry.field(description="ANONYMOUS, USER or APP.")
    permissions: list[str] = strawberry.field(description="An app's permissions (empty otherwise).")
    user_pk: strawberry.Private[str | None]
    app_pk: strawberry.Private[int | None]

    @strawberry.field(description="The signed-in user (null for apps and anonymous callers).")
    async def user(self, info: Info) -> UserRef | None:
        from plugins.account.api import load_user

        return await load_user(info.context, self.user_pk)

    @strawberry.field(description="The calling app (null for users and anonymous callers).")
    async def app(self) -> App | None:
        row = await models.App.get_or_none(id=self.app_pk) if self.app_pk else None
        return App.from_model(row) if row else None


def viewer_for(caller: Any) -> Viewer:
    """The `Viewer` of a request's caller."""
    if caller is None:
        return Viewer(kind=ViewerKind.ANONYMOUS, permissions=[], user_pk=None, app_pk=None)
    if caller.is_app:
        return Viewer(
            kind=ViewerKind.APP,
            permissions=sorted(caller.permissions),
            user_pk=None,
            app_pk=int(caller.app_id),
        )
    return Viewer(kind=ViewerKind.USER, permissions=[], user_pk=caller.user_id, app_pk=None)
