"""Advertising desk storage: inquiries (sales leads), applications and their review timeline."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

APPLICATION_STATUSES = ("SUBMITTED", "IN_REVIEW", "NEEDS_DOCUMENTS", "APPROVED", "REJECTED")


class AdInquiry(Model):
    """A consultation request routed to a sales queue. The contact is encrypted, shown masked."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    user_id: int | None
    company = fields.CharField(max_length=100)
    contact_name = fields.CharField(max_length=50)
    contact_enc = fields.TextField()
    contact_masked = fields.CharField(max_length=64)
    budget = fields.CharField(max_length=20)
    goals = fields.TextField()
    queue = fields.CharField(max_length=30, db_index=True)
    status = fields.CharField(max_length=12, default="NEW")
    language = fields.CharField(max_length=8, default="en")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ads_inquiry"


class AdApplication(Model):
    """An advertiser's application: business licence, qualification documents and review state.

    Files are stored content-addressed by `services.storage`, each recorded as
    {key, content_type, size, filename, uploaded_at} in `licence` and `documents`.
    """

    id = fields.IntField(primary_key=True)
    applicant = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    applicant_id: int
    company_name = fields.CharField(max_length=100)
    credit_code = fields.CharField(max_length=18, db_index=True)
    industry = fields.CharField(max_length=20)
    licence = fields.JSONField()
    documents = fields.JSONField(default=list)
    status = fields.CharField(max_length=16, default="SUBMITTED", db_index=True)
    reviewer = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reviewer_id: int | None
    decision_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "ads_application"


class AdApplicationEvent(Model):
    """One step of an application's progress (what the applicant sees as its timeline)."""

    id = fields.IntField(primary_key=True)
    application = fields.ForeignKeyField("ads.AdApplication", related_name="events", on_delete=fields.CASCADE)
    application_id: int
    actor = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    actor_id: int | None
    kind = fields.CharField(max_length=20)
    status = fields.CharField(max_length=16)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ads_application_event"
