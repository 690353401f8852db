"""GraphQL operations of the payments plugin: thin resolvers over `service`."""

from __future__ import annotations

from typing import Annotated

import strawberry

from core.roles import Role
from plugins.payments import ledger, service
from plugins.payments.settings import payment_settings
from plugins.payments.types import (
    OrderConnection,
    PaymentError,
    RechargeOrder,
    Refund,
    RefundConnection,
    Wallet,
)
from schema.info import Info
from schema.permissions import requires
from schema.relay import int_pk

RechargeCreateResult = Annotated[RechargeOrder | PaymentError, strawberry.union("RechargeCreateResult")]
RefundRequestResult = Annotated[Refund | PaymentError, strawberry.union("RefundRequestResult")]


@strawberry.input(description="Buy coins. The same key with the same input returns the same order.")
class RechargeCreateInput:
    coins: int = strawberry.field(description="10 to 50,000 coins per order (200,000 per day).")
    channel: str = strawberry.field(description="Payment channel: `sandbox` (more via provider plugins).")
    idempotency_key: str = strawberry.field(description="8-100 characters, e.g. a UUID, new per purchase.")


@strawberry.input(description="Refund the unspent coins of a paid top-up (within 7 days).")
class RefundRequestInput:
    order_id: strawberry.ID = strawberry.field(description="The `RechargeOrder` to refund.")
    reason: str = strawberry.field(description="Why, 1 to 500 characters.")
    idempotency_key: str = strawberry.field(description="8-100 characters, e.g. a UUID, new per refund.")


@strawberry.type
class PaymentsQuery:
    @strawberry.field(description="The signed-in user's wallet (null when anonymous).")
    async def wallet(self, info: Info) -> Wallet | None:
        actor = info.context.actor
        if actor is None:
            return None
        info.context.require_user()
        balance = await ledger.wallet_balance(actor.user_id)
        fen = balance * payment_settings(info.context.services).fen_per_coin
        return Wallet(balance=balance, currency="COIN", value_fen=fen)

    @strawberry.field(description="The signed-in user's top-up orders, newest first.")
    async def orders(self, info: Info, first: int | None = None, after: str | None = None) -> OrderConnection:
        actor = info.context.require_user()
        page = await service.orders_page(actor.user_id, first, after)
        return OrderConnection.from_page(page)

    @strawberry.field(description="The signed-in user's refunds, newest first.")
    async def refunds(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> RefundConnection:
        actor = info.context.require_user()
        page = await service.refunds_page(actor.user_id, first, after)
        return RefundConnection.from_page(page)

    @strawberry.field(
        description="A user's top-up orders, for a support ticket (AGENT, ADMIN).",
        extensions=requires(Role.AGENT, permission="payments:read"),
    )
    async def user_orders(
        self,
        info: Info,
        user_id: strawberry.ID,
        first: int | None = None,
        after: str | None = None,
    ) -> OrderConnection:
        page = await service.orders_page(int_pk(user_id, "User", field="userId"), first, after)
        return OrderConnection.from_page(page)


@strawberry.type
class PaymentsMutation:
    @strawberry.mutation(
        description="Create a top-up order; pay at its `paymentUrl`. Needs a verified adult."
    )
    async def recharge_create(self, info: Info, input: RechargeCreateInput) -> RechargeCreateResult:
        actor = info.context.require_user()
        order, _ = await service.create_recharge(
            info.context.services,
            actor.user_id,
            coins=input.coins,
            channel=input.channel,
            idempotency_key=input.idempotency_key,
        )
        return RechargeOrder.from_model(order)

    @strawberry.mutation(description="Refund the unspent coins of one of your paid top-ups.")
    async def refund_request(self, info: Info, input: RefundRequestInput) -> RefundRequestResult:
        actor = info.context.require_user()
        refund, _ = await service.request_refund(
            info.context.services,
            actor.user_id,
            order_id=int_pk(input.order_id, "RechargeOrder", field="input.orderId"),
            reason=input.reason,
            idempotency_key=input.idempotency_key,
        )
        return Refund.from_model(refund)
