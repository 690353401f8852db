import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="FlagSetting",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("key", fields.CharField(unique=True, max_length=100)),
                ("enabled", fields.BooleanField(default=True)),
                ("rollout_percent", fields.IntField(default=100)),
                (
                    "segment",
                    fields.JSONField(
                        null=True,
                        description="Segment criteria in snake_case (see `core.flag_rules.SEGMENT_KEYS`), null for none.",
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("include_anonymous", fields.BooleanField(default=False)),
                ("updated_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ("updated_by", fields.CharField(null=True, max_length=64)),
            ],
            options={
                "table": "features_flag_setting",
                "app": "features",
                "pk_attr": "id",
                "table_description": "Admin settings of feature flags (rollout, segment, on/off).",
            },
            bases=["Model"],
        ),
    ]
