"""GraphQL types of the account plugin."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

import strawberry

from plugins.account import masking, queries
from plugins.account.access import require_self, require_self_or_staff
from plugins.account.errors import CODES
from plugins.account.models import Session
from plugins.account.models import User as UserModel
from schema.errors import plugin_error
from schema.relay import Connection, Node, connection, to_global_id

AccountErrorCode, AccountError, account_error_handler = plugin_error(
    "Account", CODES, "Why an account operation failed."
)


@strawberry.enum(description="A user's roles; staff roles add to USER.")
class Role(enum.Enum):
    USER = "USER"
    AGENT = "AGENT"
    REVIEWER = "REVIEWER"
    ADMIN = "ADMIN"


@strawberry.enum(description="Whether the account may use every service.")
class AccountStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    BANNED = "BANNED"
    DELETION_PENDING = "DELETION_PENDING"


@strawberry.enum(description="Real-name (ID) verification state.")
class RealNameStatus(enum.Enum):
    NONE = "NONE"
    PENDING = "PENDING"
    VERIFIED = "VERIFIED"
    REJECTED = "REJECTED"


@strawberry.enum(description="Colour scheme of the apps.")
class Theme(enum.Enum):
    LIGHT = "LIGHT"
    DARK = "DARK"
    SYSTEM = "SYSTEM"


@strawberry.type(description="Display and notification preferences.")
class Preferences:
    theme: Theme = strawberry.field(description="LIGHT, DARK or SYSTEM (dark mode).")
    language: str = strawberry.field(description="zh-CN or en.")
    notification_channels: list[str] = strawberry.field(
        description="Channels for notices: EMAIL, SMS, INAPP."
    )


@strawberry.type(description="A signed-in device.")
class AccountSession(Node):
    device_name: str = strawberry.field(description="Name the client gave at sign-in.")
    user_agent: str = strawberry.field(description="The client's user agent.")
    ip: str = strawberry.field(description="Address at sign-in.")
    created_at: datetime = strawberry.field(description="When the session started.")
    last_seen_at: datetime = strawberry.field(description="Last token refresh.")
    current: bool = strawberry.field(description="True for the session making this request.")
    restricted: bool = strawberry.field(description="True for a banned account's session.")

    @classmethod
    def from_model(cls, session: Session, current_session_id: str | None) -> AccountSession:
        return cls(
            id=to_global_id("AccountSession", session.pk),
            device_name=session.device_name,
            user_agent=session.user_agent,
            ip=session.ip,
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            current=str(session.pk) == current_session_id,
            restricted=session.restricted,
        )


SessionConnection = Annotated[Connection[AccountSession], strawberry.lazy("plugins.account.types")]


@strawberry.type(description="A person using the platform. Contacts are masked.")
class User(Node):
    pk: strawberry.Private[int]
    record: strawberry.Private[UserModel]
    display_name: str = strawberry.field(description="Public name.")
    email: str | None = strawberry.field(description='Masked email, e.g. "a***@example.com".')
    phone: str | None = strawberry.field(description='Masked phone, e.g. "138****0000".')
    email_verified: bool = strawberry.field(description="The email was confirmed with a code.")
    phone_verified: bool = strawberry.field(description="The phone was confirmed with a code.")
    status: AccountStatus = strawberry.field(description="ACTIVE, BANNED or DELETION_PENDING.")

    @strawberry.field(description="Roles; staff roles come on top of USER. Visible to the user and staff.")
    def roles(self, info: strawberry.Info) -> list[Role]:
        require_self_or_staff(info, self.pk)
        return [Role.USER, *(Role(role) for role in self.record.roles if role in Role.__members__)]

    @strawberry.field(description="Paid add-ons this user may use (entitlement keys).")
    async def entitlements(self, info: strawberry.Info) -> list[str]:
        require_self_or_staff(info, self.pk)
        granted = await info.context.services.entitlements.for_user(str(self.pk))
        return sorted(granted)

    @strawberry.field(description="Display and notification preferences (the user only).")
    def preferences(self, info: strawberry.Info) -> Preferences:
        require_self(info, self.pk)
        return Preferences(
            theme=Theme(self.record.theme),
            language=self.record.language,
            notification_channels=list(self.record.notification_channels or []),
        )

    @strawberry.field(description="Signed-in devices, newest first (the user only).")
    async def sessions(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> SessionConnection:
        require_self(info, self.pk)
        page = await queries.sessions_page(self.pk, first, after)
        current = info.context.actor.session_id if info.context.actor else None
        return connection(page, lambda s: AccountSession.from_model(s, current))

    @classmethod
    def from_model(cls, user: UserModel) -> User:
        return cls(
            id=to_global_id("User", user.pk),
            pk=user.pk,
            record=user,
            display_name=user.display_name,
            email=masking.mask_email(user.email),
            phone=masking.mask_phone(user.phone),
            email_verified=user.email_verified,
            phone_verified=user.phone_verified,
            status=AccountStatus(user.status),
        )


@strawberry.type(description="A signed-in session: tokens and the user.")
class AuthSession:
    access_token: str = strawberry.field(description="Bearer token for `Authorization`, valid 15 minutes.")
    refresh_token: str = strawberry.field(description="Single-use token for `accountRefresh`.")
    expires_at: datetime = strawberry.field(description="When the access token expires.")
    user: User = strawberry.field(description="The signed-in user.")
    restricted: bool = strawberry.field(
        description="True for a banned account: only help, assistant, decisions, appeals and tickets."
    )


@strawberry.type(description="The password was right; send `otp` (authenticator or recovery code) too.")
class SecondFactorRequired:
    message: str = strawberry.field(description="What to do next, in the request's language.")
