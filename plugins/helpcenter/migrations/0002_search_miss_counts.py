from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial"), ("helpcenter", "0001_initial")]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name="HelpSearchMiss",
            options={
                "table": "helpcenter_search_miss",
                "app": "helpcenter",
                "unique_together": (("query", "language", "day"),),
                "pk_attr": "id",
                "table_description": "Searches that found nothing good, counted per normalised query, language and UTC day (one",
            },
        ),
        ops.AlterField(
            model_name="HelpSearchMiss",
            name="created_at",
            field=fields.DatetimeField(
                db_index=True, description="The first miss of the day.", auto_now=False, auto_now_add=True
            ),
        ),
        ops.AddField(
            model_name="HelpSearchMiss",
            name="count",
            field=fields.IntField(default=1),
        ),
        ops.AddField(
            model_name="HelpSearchMiss",
            name="day",
            field=fields.DateField(
                null=True,
                description="The day the misses were counted on (null on rows written before misses were aggregated).",
            ),
        ),
        ops.AddConstraint(
            model_name="HelpSearchMiss",
            constraint=UniqueConstraint(fields=("query", "language", "day"), name=None),
        ),
    ]
