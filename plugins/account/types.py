"""GraphQL types of the account plugin."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Annotated, Any

import strawberry

from plugins.account import masking, reads, realname
from plugins.account.access import require_self, require_self_or_staff
from plugins.account.errors import CODES
from plugins.account.idnumber import age_on
from plugins.account.models import Session
from plugins.account.models import User as UserModel
from plugins.account.types_security import RealNameStatus, RealNameVerification, SecurityEvent
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, connection, to_global_id


@strawberry.type(description="Why an account operation failed.")
class AccountError(PluginError, codes=CODES, plugin="account"):
    pass


account_error_handler = AccountError.handler


@strawberry.enum(description="A user's roles; staff roles add to USER.")
class Role(enum.Enum):
    USER = "USER"
    AGENT = "AGENT"
    REVIEWER = "REVIEWER"
    ADMIN = "ADMIN"
    SALES = "SALES"


@strawberry.enum(description="Whether the account may use every service.")
class AccountStatus(enum.Enum):
    ACTIVE = "ACTIVE"
    BANNED = "BANNED"
    DELETION_PENDING = "DELETION_PENDING"
    DELETED = "DELETED"


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


@strawberry.type(name="Session", description="A signed-in device.")
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
            id=to_global_id("Session", session.pk),
            device_name=session.device_name,
            user_agent=session.user_agent,
            ip=session.ip,
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            current=str(session.pk) == current_session_id,
            restricted=session.restricted,
        )


SessionConnection = Annotated[Connection[AccountSession], strawberry.lazy("plugins.account.types")]
SecurityEventConnection = Connection[SecurityEvent]


async def _batch_real_names(user_ids: list[int]) -> list[Any]:
    return await realname.status_by_user(list(user_ids))


async def real_name_of(info: Info, user_pk: int) -> Any:
    """The user's real-name record (or None), batched per request."""
    return await info.context.loader("account.real_name", _batch_real_names).load(user_pk)


@strawberry.type(description="A person using the platform. Contacts are masked.")
class User(Node):
    pk: strawberry.Private[int]
    record: strawberry.Private[UserModel]
    #: Set when the object answers a sign-in: the caller proved it is this user without a token yet.
    owner_session: strawberry.Private[str | None]
    display_name: str = strawberry.field(description="Public name.")
    email: str | None = strawberry.field(description='Masked email, e.g. "a***@example.com".')
    phone: str | None = strawberry.field(description='Masked phone, e.g. "138****0000".')
    email_verified: bool = strawberry.field(description="The email was confirmed with a code.")
    phone_verified: bool = strawberry.field(description="The phone was confirmed with a code.")
    status: AccountStatus = strawberry.field(description="ACTIVE, BANNED or DELETION_PENDING.")

    def _self(self, info: Info) -> None:
        if self.owner_session is None:
            require_self(info, self.pk)

    def _self_or_staff(self, info: Info) -> None:
        if self.owner_session is None:
            require_self_or_staff(info, self.pk)

    @strawberry.field(description="Roles; staff roles come on top of USER. Visible to the user and staff.")
    def roles(self, info: Info) -> list[Role]:
        self._self_or_staff(info)
        return [Role.USER, *(Role(role) for role in self.record.roles if role in Role.__members__)]

    @strawberry.field(description="Paid add-ons this user may use (entitlement keys).")
    async def entitlements(self, info: Info) -> list[str]:
        self._self_or_staff(info)
        granted = await info.context.services.entitlements.for_user(str(self.pk))
        return sorted(granted)

    @strawberry.field(description="Display and notification preferences (the user only).")
    def preferences(self, info: Info) -> Preferences:
        self._self(info)
        return Preferences(
            theme=Theme(self.record.theme),
            language=self.record.language,
            notification_channels=list(self.record.notification_channels or []),
        )

    @strawberry.field(description="Signed-in devices, newest first (the user only).")
    async def sessions(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> SessionConnection:
        self._self(info)
        page = await reads.sessions_page(self.pk, first, after)
        current = self.owner_session or (info.context.actor.session_id if info.context.actor else None)
        return connection(page, lambda s: AccountSession.from_model(s, current))

    @strawberry.field(description="True when an authenticator or recovery code is needed to sign in.")
    def two_factor_enabled(self, info: Info) -> bool:
        self._self_or_staff(info)
        return self.record.two_factor_enabled

    @strawberry.field(description="Real-name (ID) verification state: NONE, PENDING, VERIFIED or REJECTED.")
    async def real_name_status(self, info: Info) -> RealNameStatus:
        self._self_or_staff(info)
        record = await real_name_of(info, self.pk)
        return RealNameStatus(record.status) if record else RealNameStatus.NONE

    @strawberry.field(
        description="18 or older: from the verified ID, else from the declared birth date, else null."
    )
    async def is_adult(self, info: Info) -> bool | None:
        self._self_or_staff(info)
        record = await real_name_of(info, self.pk)
        born = record.birth_date if record and record.status == "VERIFIED" else self.record.birth_date
        return None if born is None else age_on(born, date.today()) >= realname.ADULT_AGE

    @strawberry.field(description="The latest real-name submission (masked), or null (the user only).")
    async def real_name_verification(self, info: Info) -> RealNameVerification | None:
        self._self(info)
        record = await real_name_of(info, self.pk)
        return RealNameVerification.from_model(record) if record else None

    @strawberry.field(description="Security alerts (new devices, password changes ...), newest first.")
    async def security_events(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> SecurityEventConnection:
        self._self(info)
        page = await reads.security_events_page(self.pk, first, after)
        return connection(page, SecurityEvent.from_model)

    @classmethod
    def from_model(cls, user: UserModel, owner_session: str | None = None) -> User:
        return cls(
            id=to_global_id("User", user.pk),
            pk=user.pk,
            record=user,
            owner_session=owner_session,
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
