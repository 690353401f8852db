"""GraphQL types of the premium plugin: catalogue, subscriptions, grants and courses."""

from __future__ import annotations

import enum
from datetime import datetime

import strawberry

from plugins.premium import catalogue
from plugins.premium.errors import CODES
from plugins.premium.models import EntitlementGrant
from plugins.premium.service import Product
from schema.errors import PluginError
from schema.relay import Node, to_global_id


@strawberry.type(description="Why a premium operation failed.")
class PremiumError(PluginError, codes=CODES, plugin="premium"):
    pass


premium_error_handler = PremiumError.handler


def _text(texts: dict[str, str], language: str) -> str:
    return texts.get(language) or texts["en"]


@strawberry.type(description="A product's title and description in one language.")
class ProductTranslation:
    language: str = strawberry.field(description="zh-CN or en.")
    title: str = strawberry.field(description="Title in that language.")
    description: str = strawberry.field(description="Description in that language.")


@strawberry.type(description="A paid add-on: the entitlement it grants, its price in coins and its period.")
class PremiumProduct:
    key: str = strawberry.field(description="Product key, e.g. `analytics_report`.")
    entitlement: str = strawberry.field(description="The entitlement a purchase grants.")
    title: str = strawberry.field(description="Title in the request's language.")
    description: str = strawberry.field(description="Description in the request's language.")
    translations: list[ProductTranslation] = strawberry.field(
        description="Title and description in zh-CN and en."
    )
    price_coins: int = strawberry.field(description="Price of one period, in coins (10 coins = 1 CNY).")
    period_days: int = strawberry.field(description="Days one purchase adds to the subscription.")
    active: bool = strawberry.field(description="False when an admin took it off sale.")

    @classmethod
    def from_product(cls, product: Product, language: str) -> PremiumProduct:
        spec = product.spec
        return cls(
            key=spec.key,
            entitlement=spec.entitlement,
            title=_text(spec.title, language),
            description=_text(spec.description, language),
            translations=[
                ProductTranslation(language=lang, title=spec.title[lang], description=spec.description[lang])
                for lang in ("zh-CN", "en")
            ],
            price_coins=product.price_coins,
            period_days=spec.period_days,
            active=product.active,
        )


@strawberry.type(description="A subscription to a product: the entitlement holds until `expiresAt`.")
class PremiumSubscription:
    product: str = strawberry.field(description="Product key.")
    entitlement: str = strawberry.field(description="Entitlement granted.")
    expires_at: datetime = strawberry.field(description="When the entitlement ends unless renewed.")


@strawberry.type(description="An entitlement an admin granted without payment.")
class PremiumGrant(Node):
    entitlement: str = strawberry.field(description="The entitlement granted.")
    note: str = strawberry.field(description="Why (internal).")
    expires_at: datetime | None = strawberry.field(description="End of the grant; null until revoked.")
    revoked_at: datetime | None = strawberry.field(description="When an admin revoked it.")

    @classmethod
    def from_model(cls, grant: EntitlementGrant) -> PremiumGrant:
        return cls(
            id=to_global_id("PremiumGrant", grant.pk),
            entitlement=grant.entitlement,
            note=grant.note,
            expires_at=grant.expires_at,
            revoked_at=grant.revoked_at,
        )


@strawberry.enum(description="How a course is taught.")
class CourseFormat(enum.Enum):
    ONLINE = "ONLINE"
    OFFLINE = "OFFLINE"


@strawberry.type(description="An online lesson.")
class CourseLesson(Node):
    key: str = strawberry.field(description="Lesson key within its course.")
    title: str = strawberry.field(description="Title in the request's language.")
    minutes: int = strawberry.field(description="Length in minutes.")


@strawberry.type(description="An offline session of a course.")
class CourseSession:
    key: str = strawberry.field(description="Session key.")
    city: str = strawberry.field(description="City, in the request's language.")
    venue: str = strawberry.field(description="Where it takes place.")
    starts_at: datetime = strawberry.field(description="Start time (UTC).")
    seats: int = strawberry.field(description="Places in the room.")


@strawberry.type(description="A course of the `courses` add-on. The catalogue is visible to everyone.")
class Course(Node):
    key: str = strawberry.field(description="Course key.")
    format: CourseFormat = strawberry.field(description="ONLINE lessons or OFFLINE sessions.")
    title: str = strawberry.field(description="Title in the request's language.")
    description: str = strawberry.field(description="Description in the request's language.")
    lessons: list[CourseLesson] = strawberry.field(description="Online lessons, in order.")
    sessions: list[CourseSession] = strawberry.field(description="Offline sessions, by date.")
    enrolled: bool = strawberry.field(description="True when the caller is enrolled.")

    @classmethod
    def from_course(cls, item: catalogue.Course, language: str, enrolled: bool = False) -> Course:
        return cls(
            id=to_global_id("Course", item.key),
            key=item.key,
            format=CourseFormat(item.format),
            title=_text(item.title, language),
            description=_text(item.description, language),
            lessons=[
                CourseLesson(
                    id=to_global_id("CourseLesson", f"{item.key}/{lesson.key}"),
                    key=lesson.key,
                    title=_text(lesson.title, language),
                    minutes=lesson.minutes,
                )
                for lesson in item.lessons
            ],
            sessions=[
                CourseSession(
                    key=s.key,
                    city=_text(s.city, language),
                    venue=s.venue,
                    starts_at=datetime.fromisoformat(s.starts_at),
                    seats=s.seats,
                )
                for s in item.sessions
            ],
            enrolled=enrolled,
        )


@strawberry.type(description="The caller's enrolment in a course and their progress.")
class Enrollment:
    course: Course = strawberry.field(description="The course.")
    enrolled_at: datetime = strawberry.field(description="When the caller enrolled.")
    completed_lessons: list[str] = strawberry.field(description="Keys of completed lessons.")
    progress_percent: int = strawberry.field(description="Completed share of the online lessons, 0-100.")
