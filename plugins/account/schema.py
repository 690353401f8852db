"""GraphQL operations of the account plugin: thin resolvers over `service` and `sessions`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import strawberry

from plugins.account import service, sessions
from plugins.account.client import from_context
from plugins.account.types import AccountError, AuthSession, SecondFactorRequired, User
from schema.info import Info

AccountRegisterResult = Annotated[AuthSession | AccountError, strawberry.union("AccountRegisterResult")]
AccountLoginResult = Annotated[
    AuthSession | SecondFactorRequired | AccountError, strawberry.union("AccountLoginResult")
]
AccountRefreshResult = Annotated[AuthSession | AccountError, strawberry.union("AccountRefreshResult")]


@strawberry.input(description="A new account: an email or a phone (or both), a password and a name.")
class AccountRegisterInput:
    email: str | None = strawberry.field(default=None, description="Email address.")
    phone: str | None = strawberry.field(
        default=None, description="Mainland China mobile (13800000000) or E.164 (+8613800000000)."
    )
    password: str = strawberry.field(description="8 to 128 characters, not a common password.")
    display_name: str = strawberry.field(description="Public name, 1 to 64 characters.")
    birth_date: date | None = strawberry.field(default=None, description="Date of birth.")


@strawberry.input(description="Sign in with an email or phone and the password.")
class AccountLoginInput:
    login: str = strawberry.field(description="Email or phone number.")
    password: str = strawberry.field(description="The password.")
    otp: str | None = strawberry.field(default=None, description="Authenticator or recovery code (2FA).")
    device_name: str | None = strawberry.field(default=None, description="Shown in the device list.")


def auth_session(issued: sessions.IssuedSession) -> AuthSession:
    """The GraphQL shape of an issued session."""
    return AuthSession(
        access_token=issued.access_token,
        refresh_token=issued.refresh_token,
        expires_at=issued.expires_at,
        user=User.from_model(issued.user, owner_session=str(issued.session.pk)),
        restricted=issued.restricted,
    )


@strawberry.type
class AccountQuery:
    @strawberry.field(description="The signed-in user, or null when anonymous.")
    async def me(self, info: Info) -> User | None:
        actor = info.context.actor
        if actor is None:
            return None
        return User.from_model(actor.record)


@strawberry.type
class AccountMutation:
    @strawberry.mutation(description="Create an account and sign in.")
    async def account_register(self, info: Info, input: AccountRegisterInput) -> AccountRegisterResult:
        issued = await service.register(
            info.context.services,
            from_context(info.context),
            email=input.email,
            phone=input.phone,
            password=input.password,
            display_name=input.display_name,
            birth_date=input.birth_date,
        )
        return auth_session(issued)

    @strawberry.mutation(description="Sign in. Unknown account and wrong password answer the same.")
    async def account_login(self, info: Info, input: AccountLoginInput) -> AccountLoginResult:
        result = await service.login(
            info.context.services,
            from_context(info.context, input.device_name or ""),
            login=input.login,
            password=input.password,
            otp=input.otp,
            device_name=input.device_name or "",
        )
        if isinstance(result, service.SecondFactorNeeded):
            return SecondFactorRequired(message=info.context.message("SECOND_FACTOR_REQUIRED"))
        return auth_session(result)

    @strawberry.mutation(description="Exchange a refresh token for new tokens (the old one stops working).")
    async def account_refresh(self, info: Info, refresh_token: str) -> AccountRefreshResult:
        return auth_session(await sessions.rotate(info.context.services, refresh_token))

    @strawberry.mutation(description="Sign out this session. False when nobody was signed in.")
    async def account_logout(self, info: Info) -> bool:
        actor = info.context.actor
        if actor is None or actor.session_id is None:
            return False
        await sessions.revoke_sessions_by_id(info.context.services, [actor.session_id], reason="logout")
        return True
