from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_checkins')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OutboxEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('type', fields.CharField(max_length=48)),
                ('data', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_events', 'app': 'models', 'indexes': [Index(fields=['sent_at', 'id']), Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One event for one player, with when the relay handed it to Redis (null until then).'},
            bases=['Model'],
        ),
    ]
