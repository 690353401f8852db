from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0003_real_name_review"), ("support", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="TicketMessage",
            name="author_app_id",
            field=fields.IntField(
                null=True,
                description="The partner app that wrote it in place of an agent (then `author` is null).",
            ),
        ),
        ops.AddField(
            model_name="TicketMessage",
            name="author_name",
            field=fields.CharField(
                null=True,
                max_length=100,
                description="That app's name when it wrote the message (shown as the author).",
            ),
        ),
    ]
