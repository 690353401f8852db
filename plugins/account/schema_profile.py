"""GraphQL operations for sessions, security events, real-name verification, preferences and
deletion (thin resolvers over the service modules)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.file_uploads import Upload

from core import audit
from core.errors import DomainError
from core.roles import Role
from plugins.account import lifecycle, realname, security_events, sessions
from plugins.account.client import from_context
from plugins.account.models import Session
from plugins.account.types import AccountError, Theme, User
from plugins.account.types_security import DeletionScheduled, RealNameVerification, SecurityEvent
from schema.info import Info
from schema.permissions import requires
from schema.relay import from_global_id, int_pk

AccountSecurityEventConfirmResult = Annotated[
    SecurityEvent | AccountError, strawberry.union("AccountSecurityEventConfirmResult")
]
AccountRealNameSubmitResult = Annotated[
    RealNameVerification | AccountError, strawberry.union("AccountRealNameSubmitResult")
]
RealNameReviewResult = Annotated[
    RealNameVerification | AccountError, strawberry.union("RealNameReviewResult")
]
AccountDeletionRequestResult = Annotated[
    DeletionScheduled | AccountError, strawberry.union("AccountDeletionRequestResult")
]


@strawberry.input(description="Real-name verification: name and ID number, optional photos (JPEG/PNG, 5 MB).")
class AccountRealNameSubmitInput:
    full_name: str = strawberry.field(description="Full name as on the ID card.")
    id_number: str = strawberry.field(description="18-digit mainland China resident ID number.")
    id_front: Upload | None = strawberry.field(default=None, description="Photo of the ID card's front.")
    id_back: Upload | None = strawberry.field(default=None, description="Photo of the ID card's back.")
    selfie: Upload | None = strawberry.field(default=None, description="A selfie holding the ID card.")


@strawberry.input(description="A reviewer's decision on a pending real-name verification.")
class RealNameReviewInput:
    user_id: strawberry.ID = strawberry.field(description="The user whose verification is decided.")
    approve: bool = strawberry.field(description="True to verify, false to reject.")
    note: str = strawberry.field(description="Why (kept with the decision).")


@strawberry.input(description="Preferences to change; fields left out stay as they are.")
class AccountPreferencesInput:
    theme: Theme | None = strawberry.field(default=None, description="LIGHT, DARK or SYSTEM.")
    language: str | None = strawberry.field(default=None, description="zh-CN or en.")
    notification_channels: list[str] | None = strawberry.field(
        default=None, description="Any of EMAIL, SMS, INAPP."
    )


def _session_uuid(global_id: str) -> str:
    _, pk = from_global_id(global_id, "Session")
    if len(pk) != 36:
        raise DomainError("INVALID_INPUT", field="id", detail="malformed ID")
    return pk


@strawberry.type
class AccountProfileMutation:
    @strawberry.mutation(
        description="Sign out one of your sessions. False when it is not yours or already ended."
    )
    async def account_session_revoke(self, info: Info, id: strawberry.ID) -> bool:
        actor = info.context.require_user(allow_restricted=True)
        try:
            pk = _session_uuid(id)
        except DomainError:
            return False
        owned = await Session.filter(id=pk, user_id=int(actor.user_id), revoked_at__isnull=True)
        return (
            await sessions.revoke_sessions(info.context.services, list(owned), reason="revoked_by_user") == 1
        )

    @strawberry.mutation(description="Sign out every session but this one; returns how many ended.")
    async def account_sessions_revoke_others(self, info: Info) -> int:
        actor = info.context.require_user(allow_restricted=True)
        return await sessions.revoke_user_sessions(
            info.context.services,
            int(actor.user_id),
            except_session=actor.session_id,
            reason="revoked_others",
        )

    @strawberry.mutation(
        description="Answer a security alert. wasMe false signs out everywhere and requires a reset."
    )
    async def account_security_event_confirm(
        self, info: Info, id: strawberry.ID, was_me: bool
    ) -> AccountSecurityEventConfirmResult:
        actor = info.context.require_user(allow_restricted=True)
        event = await security_events.confirm(
            info.context.services, actor.record, int_pk(id, "SecurityEvent"), was_me
        )
        return SecurityEvent.from_model(event)

    @strawberry.mutation(description="Submit real-name verification (18+, one account per ID).")
    async def account_real_name_submit(
        self, info: Info, input: AccountRealNameSubmitInput
    ) -> AccountRealNameSubmitResult:
        actor = info.context.require_user()
        record = await realname.submit(
            info.context.services,
            actor.record,
            full_name=input.full_name,
            id_number=input.id_number,
            photos={"idFront": input.id_front, "idBack": input.id_back, "selfie": input.selfie},
            ip=info.context.ip,
        )
        return RealNameVerification.from_model(record)

    @strawberry.mutation(
        description="Verify or reject a pending real-name submission.", extensions=requires(Role.REVIEWER)
    )
    async def real_name_review(self, info: Info, input: RealNameReviewInput) -> RealNameReviewResult:
        actor = info.context.require_user(allow_restricted=True)  # `requires` let only a reviewer in
        user_pk = int_pk(input.user_id, "User", field="userId")
        record = await realname.review(
            info.context.services,
            int(actor.user_id),
            user_pk=user_pk,
            approve=input.approve,
            note=input.note,
        )
        await audit.record(
            info.context.services, actor=actor, action="account.real_name_reviewed", target_type="User",
            target_id=user_pk, reason=input.note, ip=info.context.ip, data={"approve": bool(input.approve)},
        )  # fmt: skip
        return RealNameVerification.from_model(record)

    @strawberry.mutation(description="Change theme (dark mode), language or notification channels.")
    async def account_preferences_update(self, info: Info, input: AccountPreferencesInput) -> User:
        actor = info.context.require_user(allow_restricted=True)
        user = await lifecycle.update_preferences(
            actor.record,
            theme=input.theme.value if input.theme else None,
            language=input.language,
            channels=input.notification_channels,
        )
        return User.from_model(user)

    @strawberry.mutation(description="Request account deletion (15-day cooling-off; signing in cancels it).")
    async def account_deletion_request(self, info: Info, password: str) -> AccountDeletionRequestResult:
        actor = info.context.require_user()
        due = await lifecycle.request_deletion(
            info.context.services, actor.record, password, from_context(info.context)
        )
        return DeletionScheduled(delete_after=due)
