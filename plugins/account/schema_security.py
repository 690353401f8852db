"""GraphQL operations for codes, passwords, contacts, re-authentication and two-step verification
(thin resolvers over the service modules)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from plugins.account import contacts, passwords, reauth, twofactor
from plugins.account.client import from_context
from plugins.account.types import AccountError, User
from plugins.account.types_security import (
    CodeChannel,
    CodePurpose,
    CodeSent,
    PasswordUpdated,
    Reauthenticated,
    RecoveryCodes,
    TwoFactorSetup,
)
from schema.info import Info

AccountRequestCodeResult = Annotated[CodeSent | AccountError, strawberry.union("AccountRequestCodeResult")]
AccountChangePasswordResult = Annotated[
    PasswordUpdated | AccountError, strawberry.union("AccountChangePasswordResult")
]
AccountResetPasswordResult = Annotated[
    PasswordUpdated | AccountError, strawberry.union("AccountResetPasswordResult")
]
AccountBindContactResult = Annotated[User | AccountError, strawberry.union("AccountBindContactResult")]
AccountReauthenticateResult = Annotated[
    Reauthenticated | AccountError, strawberry.union("AccountReauthenticateResult")
]
AccountTwoFactorSetupResult = Annotated[
    TwoFactorSetup | AccountError, strawberry.union("AccountTwoFactorSetupResult")
]
AccountTwoFactorEnableResult = Annotated[
    RecoveryCodes | AccountError, strawberry.union("AccountTwoFactorEnableResult")
]
AccountTwoFactorDisableResult = Annotated[
    User | AccountError, strawberry.union("AccountTwoFactorDisableResult")
]


@strawberry.input(description="Ask for a verification code.")
class AccountRequestCodeInput:
    channel: CodeChannel = strawberry.field(description="EMAIL or SMS.")
    target: str = strawberry.field(description="The email address or phone number to send it to.")
    purpose: CodePurpose = strawberry.field(
        description="VERIFY_CONTACT (a new contact, signed in), RESET_PASSWORD, or SENSITIVE_ACTION "
        "(a contact already bound, signed in)."
    )


@strawberry.input(description="Change the password while signed in.")
class AccountChangePasswordInput:
    current_password: str = strawberry.field(description="The current password.")
    new_password: str = strawberry.field(description="8 to 128 characters, not a common password.")


@strawberry.input(description="Reset a forgotten password with a RESET_PASSWORD code.")
class AccountResetPasswordInput:
    login: str = strawberry.field(description="The email or phone the code was sent to.")
    code: str = strawberry.field(description="The 6-digit code.")
    new_password: str = strawberry.field(description="8 to 128 characters, not a common password.")


@strawberry.input(description="Bind or change an email or phone with a VERIFY_CONTACT code sent to it.")
class AccountBindContactInput:
    channel: CodeChannel = strawberry.field(description="EMAIL or SMS.")
    target: str = strawberry.field(description="The new email address or phone number.")
    code: str = strawberry.field(description="The 6-digit code sent to it.")


@strawberry.input(
    description="Confirm it's you before a sensitive change: the password, an authenticator code, or a "
    "SENSITIVE_ACTION code to a contact the account had before (not one bound in the last 7 days)."
)
class AccountReauthenticateInput:
    password: str | None = strawberry.field(default=None, description="The current password.")
    channel: CodeChannel | None = strawberry.field(
        default=None, description="Where the SENSITIVE_ACTION code was sent (with `code`)."
    )
    code: str | None = strawberry.field(default=None, description="A SENSITIVE_ACTION code.")
    otp: str | None = strawberry.field(
        default=None,
        description="An authenticator code (when two-step verification was on before this session).",
    )


@strawberry.input(description="Turn two-step verification off (the password, or a recent re-authentication).")
class AccountTwoFactorDisableInput:
    password: str | None = strawberry.field(
        default=None,
        description="The current password; may be left out within 10 minutes of accountReauthenticate.",
    )


def _user(info: Info):
    return info.context.require_user().record


@strawberry.type
class AccountSecurityMutation:
    @strawberry.mutation(description="Send a verification code (answers the same for unknown accounts).")
    async def account_request_code(
        self, info: Info, input: AccountRequestCodeInput
    ) -> AccountRequestCodeResult:
        actor = info.context.actor
        user = None if actor is None or actor.restricted else actor.record
        ticket = await passwords.request_code(
            info.context.services,
            from_context(info.context),
            user,
            channel=input.channel.value,
            target=input.target,
            purpose=input.purpose.value,
            session_id=actor.session_id if actor is not None and user is not None else None,
        )
        return CodeSent(expires_at=ticket.expires_at, resend_after=ticket.resend_after)

    @strawberry.mutation(description="Change the password; every other session is signed out.")
    async def account_change_password(
        self, info: Info, input: AccountChangePasswordInput
    ) -> AccountChangePasswordResult:
        actor = info.context.require_user()
        revoked = await passwords.change_password(
            info.context.services,
            actor.record,
            actor.session_id,
            from_context(info.context),
            current=input.current_password,
            new=input.new_password,
        )
        return PasswordUpdated(revoked_sessions=revoked, message=info.context.message("PASSWORD_UPDATED"))

    @strawberry.mutation(
        description="Reset the password with a code; every session of the account is signed out."
    )
    async def account_reset_password(
        self, info: Info, input: AccountResetPasswordInput
    ) -> AccountResetPasswordResult:
        actor = info.context.actor
        revoked = await passwords.reset_password(
            info.context.services,
            from_context(info.context),
            actor.session_id if actor else None,
            login=input.login,
            code=input.code,
            new=input.new_password,
        )
        return PasswordUpdated(revoked_sessions=revoked, message=info.context.message("PASSWORD_UPDATED"))

    @strawberry.mutation(
        description="Bind or change an email or phone (needs a recent accountReauthenticate)."
    )
    async def account_bind_contact(
        self, info: Info, input: AccountBindContactInput
    ) -> AccountBindContactResult:
        actor = info.context.require_user()
        user = await contacts.bind_contact(
            info.context.services,
            actor.record,
            actor.session_id,
            from_context(info.context),
            channel=input.channel.value,
            target=input.target,
            code=input.code,
        )
        return User.from_model(user)

    @strawberry.mutation(
        description="Re-authenticate this session for 10 minutes (password, authenticator or "
        "SENSITIVE_ACTION code)."
    )
    async def account_reauthenticate(
        self, info: Info, input: AccountReauthenticateInput
    ) -> AccountReauthenticateResult:
        actor = info.context.require_user()
        valid = await reauth.reauthenticate(
            info.context.services,
            actor.record,
            actor.session_id,
            from_context(info.context),
            password=input.password,
            channel=input.channel.value if input.channel else None,
            code=input.code,
            otp=input.otp,
        )
        return Reauthenticated(valid_for=valid)

    @strawberry.mutation(
        description="Start setting up an authenticator app: secret, otpauth URI and QR code."
    )
    async def account_two_factor_setup(self, info: Info) -> AccountTwoFactorSetupResult:
        setup = await twofactor.setup(info.context.services, _user(info))
        return TwoFactorSetup(secret=setup.secret, otpauth_uri=setup.uri, qr_code_svg=setup.qr_svg)

    @strawberry.mutation(
        description="Turn two-step verification on with a first code (needs a recent "
        "accountReauthenticate); returns recovery codes."
    )
    async def account_two_factor_enable(self, info: Info, code: str) -> AccountTwoFactorEnableResult:
        actor = info.context.require_user()
        codes = await twofactor.enable(
            info.context.services, actor.record, actor.session_id, code, from_context(info.context)
        )
        return RecoveryCodes(codes=codes)

    @strawberry.mutation(description="Turn two-step verification off (needs re-authentication).")
    async def account_two_factor_disable(
        self, info: Info, input: AccountTwoFactorDisableInput
    ) -> AccountTwoFactorDisableResult:
        actor = info.context.require_user()
        await twofactor.disable(
            info.context.services, actor.record, actor.session_id, input.password, from_context(info.context)
        )
        return User.from_model(actor.record)
