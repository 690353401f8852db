"""The reviewers' real-name queue: pending submissions, oldest first (REVIEWER role)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from core.pagination import page_by_offset
from plugins.account.api import load_user
from plugins.account.models import RealNameVerification as RealNameModel
from plugins.account.types import User
from plugins.account.types_security import RealNameVerification
from schema.relay import Connection, connection


@strawberry.type(description="A real-name submission waiting for a reviewer.")
class RealNameReviewItem:
    user_pk: strawberry.Private[int]
    verification: RealNameVerification = strawberry.field(description="Status and masked ID number.")
    birth_date: datetime | None = strawberry.field(description="Birth date read from the ID number.")
    photos: list[str] = strawberry.field(description="Which photos were submitted: idFront, idBack, selfie.")

    @strawberry.field(description="Who submitted it.")
    async def user(self, info: strawberry.Info) -> User:
        return await load_user(info.context, self.user_pk)

    @classmethod
    def from_model(cls, record: RealNameModel) -> RealNameReviewItem:
        return cls(
            user_pk=record.user_id,
            verification=RealNameVerification.from_model(record),
            birth_date=datetime(record.birth_date.year, record.birth_date.month, record.birth_date.day),
            photos=sorted(record.photos_enc or {}),
        )


RealNameQueue = Annotated[Connection[RealNameReviewItem], strawberry.lazy("plugins.account.schema_review")]


@strawberry.type
class AccountReviewQuery:
    @strawberry.field(description="REVIEWER: pending real-name submissions, oldest first.")
    async def real_name_queue(
        self, info: strawberry.Info, first: int | None = None, after: str | None = None
    ) -> RealNameQueue:
        info.context.require_role("REVIEWER")
        query = RealNameModel.filter(status="PENDING").order_by("submitted_at", "id")
        page = await page_by_offset(query, first, after)
        return connection(page, RealNameReviewItem.from_model)
