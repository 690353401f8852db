"""GraphQL types of the payments plugin."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import strawberry

from core.pagination import Page
from plugins.payments import service
from plugins.payments.errors import CODES
from plugins.payments.models import RechargeOrder as OrderModel
from plugins.payments.models import Refund as RefundModel
from schema.errors import PluginError
from schema.info import Info
from schema.relay import Connection, Node, connection, to_global_id


@strawberry.type(description="Why a payment operation failed (no money moved).")
class PaymentError(PluginError, codes=CODES, plugin="payments"):
    pass


payment_error_handler = PaymentError.handler


@strawberry.enum(description="Where a top-up order stands.")
class OrderStatus(enum.Enum):
    PENDING = "PENDING"
    PAID = "PAID"
    FAILED = "FAILED"
    REFUNDED = "REFUNDED"


@strawberry.enum(description="Where a refund stands.")
class RefundStatus(enum.Enum):
    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


@strawberry.type(description="The user's coin wallet. 10 coins = 1 CNY = 100 fen.")
class Wallet:
    balance: int = strawberry.field(description="Coins: the sum of the wallet's ledger entries.")
    currency: str = strawberry.field(description="Always `COIN` (抖币).")
    value_fen: int = strawberry.field(description="What the coins are worth in fen (1 coin = 10 fen).")


async def _load_refunds(order_ids: list[int]) -> list[RefundModel | None]:
    return await service.refunds_by_order_ids(order_ids)


async def _load_orders(ids: list[int]) -> list[OrderModel | None]:
    return await service.orders_by_ids(ids)


@strawberry.type(description="A top-up: pay `amount` fen at `paymentUrl`, get `coins` once PAID.")
class RechargeOrder(Node):
    pk: strawberry.Private[int]
    user_pk: strawberry.Private[int]
    status: OrderStatus = strawberry.field(description="PENDING until the provider confirms.")
    coins: int = strawberry.field(description="Coins credited when paid.")
    amount: int = strawberry.field(description="Price in minor units (fen).")
    currency: str = strawberry.field(description="ISO 4217 currency of `amount` (CNY).")
    channel: str = strawberry.field(description="Payment channel, e.g. `sandbox`.")
    payment_url: str = strawberry.field(description="Where the customer pays (the provider's page).")
    created_at: datetime = strawberry.field(description="When the order was created.")
    paid_at: datetime | None = strawberry.field(description="When the provider confirmed payment.")

    @strawberry.field(description="The refund of this order, if one was requested.")
    async def refund(self, info: Info) -> Refund | None:
        found = await info.context.loader("payments.refunds_by_order", _load_refunds).load(self.pk)
        return Refund.from_model(found) if found else None

    @classmethod
    def from_model(cls, order: OrderModel) -> RechargeOrder:
        return cls(
            id=to_global_id("RechargeOrder", order.pk),
            pk=order.pk,
            user_pk=order.user_id,
            status=OrderStatus(order.status),
            coins=order.coins,
            amount=order.amount,
            currency=order.currency,
            channel=order.channel,
            payment_url=order.payment_url,
            created_at=order.created_at,
            paid_at=order.paid_at,
        )


@strawberry.type(description="Money of a paid top-up going back to the payer.")
class Refund(Node):
    order_pk: strawberry.Private[int]
    user_pk: strawberry.Private[int]
    status: RefundStatus = strawberry.field(description="PENDING until the provider has refunded.")
    coins: int = strawberry.field(description="Coins taken back out of the wallet.")
    amount: int = strawberry.field(description="Money returned, in fen.")
    reason: str = strawberry.field(description="Why the user asked for it.")
    created_at: datetime = strawberry.field(description="When it was requested.")
    completed_at: datetime | None = strawberry.field(description="When it succeeded or failed.")

    @strawberry.field(description="The refunded order.")
    async def order(self, info: Info) -> RechargeOrder:
        found = await info.context.loader("payments.orders", _load_orders).load(self.order_pk)
        return RechargeOrder.from_model(found)

    @classmethod
    def from_model(cls, refund: RefundModel) -> Refund:
        return cls(
            id=to_global_id("Refund", refund.pk),
            order_pk=refund.order_id,
            user_pk=refund.user_id,
            status=RefundStatus(refund.status),
            coins=refund.coins,
            amount=refund.amount,
            reason=refund.reason,
            created_at=refund.created_at,
            completed_at=refund.completed_at,
        )


@strawberry.type(name="OrderConnection", description="A page of top-up orders, newest first.")
class OrderConnection(Connection[RechargeOrder]):
    @classmethod
    def from_page(cls, page: Page) -> OrderConnection:
        return connection_of(cls, page, RechargeOrder.from_model)


@strawberry.type(name="RefundConnection", description="A page of refunds, newest first.")
class RefundConnection(Connection[Refund]):
    @classmethod
    def from_page(cls, page: Page) -> RefundConnection:
        return connection_of(cls, page, Refund.from_model)


def connection_of(cls: type, page: Page, convert: Any) -> Any:
    """A named connection class filled from a service page."""
    generic = connection(page, convert)
    return cls(page_info=generic.page_info, nodes=generic.nodes, cursors=generic.cursors)
