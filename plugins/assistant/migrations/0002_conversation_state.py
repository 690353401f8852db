import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("account", "0001_initial"), ("assistant", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Conversation",
            name="state",
            field=fields.JSONField(
                null=True,
                description="What the conversation is in the middle of: a pending action awaiting a slot or a yes/no",
                encoder=functools.partial(dumps, separators=(",", ":")),
                decoder=loads,
            ),
        ),
    ]
