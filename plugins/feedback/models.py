"""Feedback storage: submissions, admin-defined surveys, their questions, deliveries and answers."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Feedback(Model):
    """A user's feedback: category, text, optional 1-5 rating and screenshot (stored file record)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    category = fields.CharField(max_length=20, db_index=True)
    text = fields.TextField()
    rating = fields.SmallIntField(null=True)
    screenshot = fields.JSONField(null=True)
    language = fields.CharField(max_length=8, default="en")
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "feedback_entry"


class Survey(Model):
    """A survey: DRAFT, OPEN or CLOSED. `audience` holds roles and registration-date bounds."""

    id = fields.IntField(primary_key=True)
    title = fields.CharField(max_length=120)
    description = fields.TextField(default="")
    area = fields.CharField(max_length=20, null=True)
    status = fields.CharField(max_length=8, default="DRAFT")
    audience = fields.JSONField(default=dict)
    created_by = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    closes_at = fields.DatetimeField(null=True)
    opened_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "feedback_survey"


class SurveyQuestion(Model):
    """One question: CSAT (1-5), NPS (0-10), SINGLE_CHOICE, MULTIPLE_CHOICE or TEXT."""

    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField("feedback.Survey", related_name="questions", on_delete=fields.CASCADE)
    survey_id: int
    position = fields.SmallIntField()
    kind = fields.CharField(max_length=16)
    prompt = fields.CharField(max_length=300)
    options = fields.JSONField(default=list)
    required = fields.BooleanField(default=True)

    class Meta:
        table = "feedback_survey_question"


class SurveyResponse(Model):
    """One user's answers to one survey (at most one per user)."""

    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField("feedback.Survey", related_name="responses", on_delete=fields.CASCADE)
    survey_id: int
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "feedback_survey_response"
        unique_together = (("survey", "user"),)


class SurveyAnswer(Model):
    """An answer to one question: a score, chosen options or text."""

    id = fields.IntField(primary_key=True)
    response = fields.ForeignKeyField(
        "feedback.SurveyResponse", related_name="answers", on_delete=fields.CASCADE
    )
    response_id: int
    question = fields.ForeignKeyField(
        "feedback.SurveyQuestion", related_name="answers", on_delete=fields.CASCADE
    )
    question_id: int
    score = fields.SmallIntField(null=True)
    choices = fields.JSONField(default=list)
    text = fields.TextField(default="")

    class Meta:
        table = "feedback_survey_answer"


class SurveyDelivery(Model):
    """A survey invitation sent to a user (keeps the delivery job idempotent)."""

    id = fields.IntField(primary_key=True)
    survey = fields.ForeignKeyField("feedback.Survey", related_name=False, on_delete=fields.CASCADE)
    survey_id: int
    user = fields.ForeignKeyField("account.User", related_name=False, on_delete=fields.CASCADE)
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "feedback_survey_delivery"
        unique_together = (("survey", "user"),)
