"""The reviewers' real-name queue: pending submissions, oldest first (REVIEWER role)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry

from core.pagination import page_by_offset
from core.roles import Role
from plugins.account.api import load_user
from plugins.account.models import RealNameVerification as RealNameModel
from plugins.account.realname_files import photo_url
from plugins.account.types import User
from plugins.account.types_security import RealNameVerification
from schema.info import Info
from schema.permissions import requires
from schema.relay import Connection, connection


@strawberry.type(description="A face-verification provider's scores for a submission (0 to 1).")
class FaceCheck:
    provider: str = strawberry.field(description="Which provider checked it.")
    liveness: float = strawberry.field(description="How likely the selfie shows a live person.")
    match: float = strawberry.field(description="How likely the selfie and the ID photo are one person.")


@strawberry.type(description="A real-name submission waiting for a reviewer.")
class RealNameReviewItem:
    user_pk: strawberry.Private[int]
    record: strawberry.Private[RealNameModel]
    verification: RealNameVerification = strawberry.field(description="Status and masked ID number.")
    birth_date: datetime | None = strawberry.field(description="Birth date read from the ID number.")
    photos: list[str] = strawberry.field(description="Which photos were submitted: idFront, idBack, selfie.")

    @strawberry.field(description="Who submitted it.")
    async def user(self, info: Info) -> User:
        return await load_user(info.context, self.user_pk)

    @strawberry.field(
        description="REVIEWER: the full name as submitted (decrypted; each view audited; null on "
        "one's own submission)."
    )
    async def full_name(self, info: Info) -> str | None:
        from plugins.account.review import reveal_full_name

        return await reveal_full_name(info.context, self.record)

    @strawberry.field(
        description="REVIEWER: signed URL of the ID card's front (5 minutes; each view audited)."
    )
    def id_front_url(self, info: Info) -> str | None:
        return photo_url(info.context, self.record, "idFront")

    @strawberry.field(
        description="REVIEWER: signed URL of the ID card's back (5 minutes; each view audited)."
    )
    def id_back_url(self, info: Info) -> str | None:
        return photo_url(info.context, self.record, "idBack")

    @strawberry.field(description="REVIEWER: signed URL of the selfie (5 minutes; each view audited).")
    def selfie_url(self, info: Info) -> str | None:
        return photo_url(info.context, self.record, "selfie")

    @strawberry.field(description="The face-verification scores, when a provider checked it.")
    def face_check(self) -> FaceCheck | None:
        found = self.record.face_check
        return FaceCheck(**found) if found else None

    @classmethod
    def from_model(cls, record: RealNameModel) -> RealNameReviewItem:
        return cls(
            user_pk=record.user_id,
            record=record,
            verification=RealNameVerification.from_model(record),
            birth_date=datetime(record.birth_date.year, record.birth_date.month, record.birth_date.day),
            photos=sorted(record.photos_enc or {}),
        )


RealNameQueue = Annotated[Connection[RealNameReviewItem], strawberry.lazy("plugins.account.schema_review")]


@strawberry.type
class AccountReviewQuery:
    @strawberry.field(
        description="REVIEWER: pending real-name submissions, oldest first.",
        extensions=requires(Role.REVIEWER),
    )
    async def real_name_queue(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> RealNameQueue:
        query = RealNameModel.filter(status="PENDING").order_by("submitted_at", "id")
        page = await page_by_offset(query, first, after)
        return connection(page, RealNameReviewItem.from_model)
