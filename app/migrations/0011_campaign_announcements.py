from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("models", "0010_retention")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Campaign",
            name="announced_through",
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name="Campaign",
            name="announced_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
