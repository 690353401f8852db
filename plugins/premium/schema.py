"""GraphQL operations of the premium plugin: thin resolvers over the services."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import strawberry

from core import audit
from core.roles import Role
from plugins.payments.api import PaymentError
from plugins.premium import analytics, courses, service
from plugins.premium.advice import advise
from plugins.premium.types import (
    Course,
    Enrollment,
    PremiumError,
    PremiumGrant,
    PremiumProduct,
    PremiumSubscription,
)
from plugins.premium.types_analytics import AnalyticsReport, PromotionAdvice, report_type
from schema.info import Info
from schema.permissions import (
    EntitlementRequired,
    FeatureUnavailable,
    RequiresEntitlement,
    RequiresFeature,
    requires,
)
from schema.relay import from_global_id, int_pk

PremiumPurchaseResult = Annotated[
    PremiumSubscription | PaymentError, strawberry.union("PremiumPurchaseResult")
]
AnalyticsReportResult = Annotated[
    AnalyticsReport | EntitlementRequired | FeatureUnavailable, strawberry.union("AnalyticsReportResult")
]
PromotionAdviceResult = Annotated[
    PromotionAdvice | EntitlementRequired | FeatureUnavailable, strawberry.union("PromotionAdviceResult")
]
CourseEnrollResult = Annotated[
    Enrollment | EntitlementRequired | FeatureUnavailable | PremiumError,
    strawberry.union("CourseEnrollResult"),
]
LessonCompleteResult = Annotated[
    Enrollment | EntitlementRequired | FeatureUnavailable | PremiumError,
    strawberry.union("LessonCompleteResult"),
]
CourseProgressResult = Annotated[
    Enrollment | EntitlementRequired | FeatureUnavailable | PremiumError,
    strawberry.union("CourseProgressResult"),
]
PremiumProductUpdateResult = Annotated[
    PremiumProduct | PremiumError, strawberry.union("PremiumProductUpdateResult")
]
PremiumGrantResult = Annotated[PremiumGrant | PremiumError, strawberry.union("PremiumGrantResult")]

ADVICE_DAYS = 30


def _gated(entitlement: str) -> list:
    """The add-on's flag, then its entitlement (the last-listed extension runs first, so a flag
    that is off answers `FeatureUnavailable` even to a holder)."""
    return [RequiresEntitlement(entitlement), RequiresFeature(f"premium.{entitlement}")]


@strawberry.input(description="Buy one period of a product with coins from the wallet.")
class PremiumPurchaseInput:
    product: str = strawberry.field(description="Product key, e.g. `analytics_report`.")
    idempotency_key: str = strawberry.field(description="8-100 characters, e.g. a UUID, new per purchase.")


@strawberry.input(description="Change a product's price or availability (ADMIN).")
class PremiumProductUpdateInput:
    product: str = strawberry.field(description="Product key.")
    price_coins: int | None = strawberry.field(default=None, description="New price in coins.")
    active: bool | None = strawberry.field(default=None, description="False takes it off sale.")


@strawberry.input(description="Grant a product's entitlement without payment (ADMIN).")
class PremiumGrantInput:
    user_id: strawberry.ID = strawberry.field(description="The `User`.")
    product: str = strawberry.field(description="Product key.")
    days: int | None = strawberry.field(default=None, description="Length in days; null until revoked.")
    note: str = strawberry.field(default="", description="Why (internal).")


async def _enrollment(info: Info, enrolled) -> Enrollment:
    item = courses.find_course(enrolled.course)
    done = (await courses.completed_lessons([enrolled.id]))[0]
    total = len(item.lessons)
    return Enrollment(
        course=Course.from_course(item, info.context.language, enrolled=True),
        enrolled_at=enrolled.enrolled_at,
        completed_lessons=done,
        progress_percent=round(len(done) * 100 / total) if total else 0,
    )


def _course_key(course_id: str, field: str = "courseId") -> str:
    return from_global_id(course_id, "Course", field)[1]


@strawberry.type
class PremiumQuery:
    @strawberry.field(description="Paid add-ons on sale, with prices in coins.")
    async def premium_products(self, info: Info) -> list[PremiumProduct]:
        return [PremiumProduct.from_product(p, info.context.language) for p in await service.products()]

    @strawberry.field(description="The signed-in user's subscriptions, latest expiry first.")
    async def premium_subscriptions(self, info: Info) -> list[PremiumSubscription]:
        actor = info.context.require_user()
        return [
            PremiumSubscription(product=s.product, entitlement=s.entitlement, expires_at=s.expires_at)
            for s in await service.subscriptions_of(actor.user_id)
        ]

    @strawberry.field(
        description="Your account analytics (add-on `analytics_report`).",
        extensions=_gated("analytics_report"),
    )
    async def analytics_report(
        self, info: Info, days: int | None = 30, utc_offset_hours: int | None = 8
    ) -> AnalyticsReportResult | None:
        actor = info.context.require_user()
        days = 30 if days is None else days
        utc_offset_hours = 8 if utc_offset_hours is None else utc_offset_hours
        report = await analytics.build(actor.user_id, days, utc_offset_hours, services=info.context.services)
        base = info.context.services.settings.base_url.rstrip("/")
        url = f"{base}/premium/analytics.csv?days={days}&utcOffsetHours={utc_offset_hours}"
        return report_type(report, info.context.language, analytics.to_csv(report), url)

    @strawberry.field(
        description="Concrete advice from your last 30 days (add-on `promotion_advice`).",
        extensions=_gated("promotion_advice"),
    )
    async def promotion_advice(self, info: Info) -> PromotionAdviceResult | None:
        actor = info.context.require_user()
        report = await analytics.build(actor.user_id, ADVICE_DAYS, services=info.context.services)
        return PromotionAdvice.of(advise(report, info.context.language), ADVICE_DAYS, datetime.now(UTC))

    @strawberry.field(description="The course catalogue (visible to everyone).")
    async def courses(self, info: Info) -> list[Course]:
        actor = info.context.actor
        enrolled = await courses.enrolled_keys(actor.user_id) if actor else set()
        return [
            Course.from_course(c, info.context.language, c.key in enrolled) for c in courses.all_courses()
        ]

    @strawberry.field(
        description="Your progress in a course (add-on `courses`).",
        extensions=_gated("courses"),
    )
    async def course_progress(self, info: Info, course_id: strawberry.ID) -> CourseProgressResult | None:
        actor = info.context.require_user()
        return await _enrollment(info, await courses.enrollment(actor.user_id, _course_key(course_id)))


@strawberry.type
class PremiumMutation:
    @strawberry.mutation(
        description="Buy one period of a product from the wallet (idempotent). Needs a verified adult."
    )
    async def premium_purchase(self, info: Info, input: PremiumPurchaseInput) -> PremiumPurchaseResult:
        actor = info.context.require_user()
        bought = await service.purchase(
            info.context.services,
            actor.user_id,
            product_key=input.product,
            idempotency_key=input.idempotency_key,
        )
        return PremiumSubscription(
            product=bought.product, entitlement=bought.entitlement, expires_at=bought.period_end
        )

    @strawberry.mutation(description="Enrol in a course (add-on `courses`).", extensions=_gated("courses"))
    async def course_enroll(self, info: Info, course_id: strawberry.ID) -> CourseEnrollResult:
        actor = info.context.require_user()
        return await _enrollment(info, await courses.enroll(actor.user_id, _course_key(course_id)))

    @strawberry.mutation(
        description="Mark an online lesson done (add-on `courses`).",
        extensions=_gated("courses"),
    )
    async def lesson_complete(self, info: Info, lesson_id: strawberry.ID) -> LessonCompleteResult:
        actor = info.context.require_user()
        course_key, _, lesson_key = from_global_id(lesson_id, "CourseLesson", "lessonId")[1].partition("/")
        return await _enrollment(info, await courses.complete_lesson(actor.user_id, course_key, lesson_key))

    @strawberry.mutation(
        description="Change a product's price or availability (ADMIN).",
        extensions=requires(Role.ADMIN),
    )
    async def premium_product_update(
        self, info: Info, input: PremiumProductUpdateInput
    ) -> PremiumProductUpdateResult:
        actor = info.context.require_caller()
        updated = await service.update_product(
            input.product, price_coins=input.price_coins, active=input.active, admin_id=actor.user_id
        )
        return PremiumProduct.from_product(updated, info.context.language)

    @strawberry.mutation(
        description="Grant a product's entitlement without payment.",
        extensions=requires(Role.ADMIN, permission="entitlements:write"),
    )
    async def premium_grant(self, info: Info, input: PremiumGrantInput) -> PremiumGrantResult:
        caller = info.context.require_caller()
        created = await service.grant(
            info.context.services,
            user_id=int_pk(input.user_id, "User", field="input.userId"),
            product_key=input.product,
            days=input.days,
            note=input.note,
            admin_id=None if caller.is_app else caller.user_id,
        )
        await _audit_grant(info, "entitlement.granted", created, input.note)
        return PremiumGrant.from_model(created)

    @strawberry.mutation(
        description="End a grant now.", extensions=requires(Role.ADMIN, permission="entitlements:write")
    )
    async def premium_grant_revoke(self, info: Info, id: strawberry.ID) -> PremiumGrantResult:
        revoked = await service.revoke_grant(info.context.services, int_pk(id, "PremiumGrant"))
        await _audit_grant(info, "entitlement.revoked", revoked, None)
        return PremiumGrant.from_model(revoked)


async def _audit_grant(info: Info, action: str, grant: object, reason: str | None) -> None:
    """Admin grants act on someone else's entitlements: audited."""
    await audit.record(
        info.context.services,
        actor=info.context.caller,
        action=action,
        target_type="PremiumGrant",
        target_id=getattr(grant, "pk", None),
        reason=reason,
        ip=info.context.ip,
        data={
            "userId": str(getattr(grant, "user_id", "")),
            "entitlement": getattr(grant, "entitlement", None),
        },
    )
