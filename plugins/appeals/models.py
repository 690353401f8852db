"""Appeals storage: one appeal per decision (its escalation is a second round of the same appeal)
and the audit trail of every step."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

APPEAL_STATUSES = ("SUBMITTED", "IN_REVIEW", "OVERTURNED", "UPHELD", "ESCALATED")
OPEN_STATUSES = ("SUBMITTED", "IN_REVIEW", "ESCALATED")


class Appeal(Model):
    """A user's appeal against a moderation decision. `round` is 1, or 2 once escalated, and
    `first_reviewer` (who decided round 1) may not decide round 2. The unique decision makes
    a second appeal on the same decision impossible even under concurrent requests."""

    id = fields.IntField(primary_key=True)
    decision = fields.OneToOneField("content.Decision", related_name="appeal", on_delete=fields.CASCADE)
    decision_id: int
    user = fields.ForeignKeyField("account.User", related_name="appeals", on_delete=fields.CASCADE)
    user_id: int
    reason = fields.TextField()
    evidence = fields.JSONField(default=list)
    status = fields.CharField(max_length=12, default="SUBMITTED", db_index=True)
    round = fields.SmallIntField(default=1)
    reviewer = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reviewer_id: int | None
    first_reviewer = fields.ForeignKeyField(
        "account.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    first_reviewer_id: int | None
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    due_at = fields.DatetimeField(db_index=True)
    decided_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "appeals_appeal"


class AppealEvent(Model):
    """One step in an appeal's audit trail (submitted, review started, decided, each restoration
    step of an overturn, escalated), with who did it and a note."""

    id = fields.IntField(primary_key=True)
    appeal = fields.ForeignKeyField("appeals.Appeal", related_name="events", on_delete=fields.CASCADE)
    appeal_id: int
    actor = fields.ForeignKeyField("account.User", related_name=False, null=True, on_delete=fields.SET_NULL)
    actor_id: int | None
    kind = fields.CharField(max_length=32)
    note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "appeals_event"
