from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    initial = False

    operations = [
        ops.AddField(
            model_name="WebhookDelivery",
            name="response_body",
            field=fields.TextField(
                null=True,
                description="The start of the last answer's body, at most 64 kB (what the sender read), as text.",
                unique=False,
            ),
        ),
    ]
