import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial")]

    initial = True

    operations = [
        ops.CreateModel(
            name="Feedback",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("category", fields.CharField(db_index=True, max_length=20)),
                ("text", fields.TextField(unique=False)),
                ("rating", fields.SmallIntField(null=True)),
                (
                    "screenshot",
                    fields.JSONField(
                        null=True, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("language", fields.CharField(default="en", max_length=8)),
                ("created_at", fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "feedback_entry",
                "app": "feedback",
                "pk_attr": "id",
                "table_description": "A user's feedback: category, text, optional 1-5 rating and screenshot (stored file record).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Survey",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("title", fields.CharField(max_length=120)),
                ("description", fields.TextField(default="", unique=False)),
                ("area", fields.CharField(null=True, max_length=20)),
                ("status", fields.CharField(default="DRAFT", max_length=8)),
                (
                    "audience",
                    fields.JSONField(
                        default=dict, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                (
                    "created_by",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="created_by_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("closes_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("opened_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("delivered_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "feedback_survey",
                "app": "feedback",
                "pk_attr": "id",
                "table_description": "A survey: DRAFT, OPEN or CLOSED. `audience` holds roles and registration-date bounds.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SurveyDelivery",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "survey",
                    fields.ForeignKeyField(
                        "feedback.Survey",
                        source_field="survey_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "feedback_survey_delivery",
                "app": "feedback",
                "unique_together": (("survey", "user"),),
                "pk_attr": "id",
                "table_description": "A survey invitation sent to a user (keeps the delivery job idempotent).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SurveyQuestion",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "survey",
                    fields.ForeignKeyField(
                        "feedback.Survey",
                        source_field="survey_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="questions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("position", fields.SmallIntField()),
                ("kind", fields.CharField(max_length=16)),
                ("prompt", fields.CharField(max_length=300)),
                (
                    "options",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("required", fields.BooleanField(default=True)),
            ],
            options={
                "table": "feedback_survey_question",
                "app": "feedback",
                "pk_attr": "id",
                "table_description": "One question: CSAT (1-5), NPS (0-10), SINGLE_CHOICE, MULTIPLE_CHOICE or TEXT.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SurveyResponse",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "survey",
                    fields.ForeignKeyField(
                        "feedback.Survey",
                        source_field="survey_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="responses",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "account.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={
                "table": "feedback_survey_response",
                "app": "feedback",
                "unique_together": (("survey", "user"),),
                "pk_attr": "id",
                "table_description": "One user's answers to one survey (at most one per user).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SurveyAnswer",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                (
                    "response",
                    fields.ForeignKeyField(
                        "feedback.SurveyResponse",
                        source_field="response_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "question",
                    fields.ForeignKeyField(
                        "feedback.SurveyQuestion",
                        source_field="question_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("score", fields.SmallIntField(null=True)),
                (
                    "choices",
                    fields.JSONField(
                        default=list, encoder=functools.partial(dumps, separators=(",", ":")), decoder=loads
                    ),
                ),
                ("text", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "feedback_survey_answer",
                "app": "feedback",
                "pk_attr": "id",
                "table_description": "An answer to one question: a score, chosen options or text.",
            },
            bases=["Model"],
        ),
    ]
