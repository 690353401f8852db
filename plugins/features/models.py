"""Storage of the features plugin: the operator's setting of each flag (absent: its default)."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class FlagSetting(Model):
    """How an admin set one flag: on/off, percentage rollout, targeted segment."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=100, unique=True)
    enabled = fields.BooleanField(default=True)
    rollout_percent = fields.IntField(default=100)
    #: Segment criteria in snake_case (see `core.flag_rules.SEGMENT_KEYS`), null for none.
    segment: dict | None = fields.JSONField(null=True)
    include_anonymous = fields.BooleanField(default=False)
    updated_at = fields.DatetimeField(auto_now=True)
    updated_by = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "features_flag_setting"
        table_description = "Admin settings of feature flags (rollout, segment, on/off)."
