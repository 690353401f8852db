from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0002_search_miss_counts")]

    initial = False

    operations = [
        ops.CreateModel(
            name="HelpMediaFile",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("name", fields.CharField(unique=True, max_length=128)),
                ("key", fields.CharField(max_length=64)),
                ("content_type", fields.CharField(max_length=40)),
                ("size", fields.IntField()),
                ("uploaded_by_id", fields.IntField(null=True)),
                ("uploaded_at", fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={"table": "helpcenter_media_file", "app": "helpcenter", "pk_attr": "id"},
            bases=["Model"],
        ),
    ]
