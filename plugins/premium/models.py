"""Premium storage: admin price overrides, subscriptions, purchases, admin grants and course
enrolments. The catalogue itself ships in code (`catalogue.py`)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class ProductSetting(Model):
    """An admin's change to a shipped product: its price and whether it is on sale."""

    id = fields.IntField(primary_key=True)
    product = fields.CharField(max_length=40, unique=True)
    price_coins = fields.IntField()
    active = fields.BooleanField(default=True)
    updated_by = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    updated_by_id: int | None
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "premium_product_setting"


class Subscription(Model):
    """A user's subscription to one product. A purchase extends `expires_at` by one period."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    product = fields.CharField(max_length=40)
    entitlement = fields.CharField(max_length=40)
    started_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)
    status = fields.CharField(max_length=10, default="ACTIVE")

    class Meta:
        table = "premium_subscription"
        unique_together = (("user", "product"),)


class Purchase(Model):
    """One paid period of a product: what it cost and the ledger transaction that paid it."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    product = fields.CharField(max_length=40)
    entitlement = fields.CharField(max_length=40)
    coins = fields.IntField()
    ledger_transaction_id = fields.IntField()
    period_start = fields.DatetimeField()
    period_end = fields.DatetimeField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "premium_purchase"


class EntitlementGrant(Model):
    """An entitlement an admin granted without payment (support gesture, partner, trial)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    entitlement = fields.CharField(max_length=40)
    granted_by = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    granted_by_id: int | None
    note = fields.CharField(max_length=300, default="")
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    active = fields.BooleanField(default=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "premium_entitlement_grant"


class CourseEnrollment(Model):
    """A user enrolled in a course (once per course)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    course = fields.CharField(max_length=60)
    enrolled_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "premium_course_enrollment"
        unique_together = (("user", "course"),)


class LessonProgress(Model):
    """A lesson a user completed."""

    id = fields.IntField(primary_key=True)
    enrollment = fields.ForeignKeyField(
        "premium.CourseEnrollment", related_name="progress", on_delete=fields.CASCADE
    )
    enrollment_id: int
    lesson = fields.CharField(max_length=60)
    completed_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "premium_lesson_progress"
        unique_together = (("enrollment", "lesson"),)
