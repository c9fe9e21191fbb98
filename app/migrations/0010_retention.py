from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_partners')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BoardCount',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('board', fields.CharField(max_length=24)),
                ('user_id', fields.IntField()),
                ('count', fields.IntField(default=0)),
                ('reached_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'board_counts', 'app': 'models', 'unique_together': (('board', 'user_id'),), 'indexes': [Index(fields=['board', 'reached_at'])], 'pk_attr': 'id', 'table_description': "A player's count on a count board (kindness), raised with the act it counts."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Device',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('platform', fields.CharField(max_length=8)),
                ('token', fields.CharField(unique=True, max_length=512)),
                ('registered_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_devices', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A phone (or browser) a player receives pushes on, by its push token.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Help',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bubble', fields.ForeignKeyField('models.Bubble', source_field='bubble_id', db_constraint=True, to_field='id', related_name='helps', on_delete=OnDelete.CASCADE)),
                ('owner_id', fields.IntField()),
                ('helper_id', fields.IntField(db_index=True)),
                ('grams', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'forest_helps', 'app': 'models', 'unique_together': (('bubble_id', 'helper_id'),), 'pk_attr': 'id', 'table_description': "A friend collected a bubble about to expire on its owner's behalf (once per bubble)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('kind', fields.CharField(max_length=24)),
                ('event_type', fields.CharField(max_length=48)),
                ('event_id', fields.BigIntField()),
                ('data', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notifications', 'app': 'models', 'indexes': [Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One thing that happened to a player, kept for the retention period, read or not.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationSettings',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(unique=True)),
                ('inbox_off', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('push_off', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('quiet_start', fields.IntField(null=True)),
                ('quiet_end', fields.IntField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification_settings', 'app': 'models', 'pk_attr': 'id', 'table_description': "A player's choices: kinds turned off (for the inbox or for push) and quiet hours."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushDelivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('notification_id', fields.BigIntField()),
                ('kind', fields.CharField(max_length=24)),
                ('status', fields.CharField(default='pending', max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('not_after', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(default='', max_length=280)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_deliveries', 'app': 'models', 'indexes': [Index(fields=['status', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'A push waiting to go, sent, dropped, or given up on (the dead-letter list).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Revival',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bubble', fields.OneToOneField('models.Bubble', source_field='bubble_id', db_constraint=True, to_field='id', related_name='revival', on_delete=OnDelete.CASCADE)),
                ('owner_id', fields.IntField()),
                ('reviver_id', fields.IntField()),
                ('paid_with', fields.CharField(max_length=8)),
                ('grams', fields.BigIntField()),
                ('cost', fields.BigIntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'forest_revivals', 'app': 'models', 'indexes': [Index(fields=['reviver_id', 'id'])], 'pk_attr': 'id', 'table_description': 'An expired bubble brought back once: by its owner with a revive card, or by a friend.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnreadCount',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(unique=True)),
                ('unread', fields.IntField(default=0)),
            ],
            options={'table': 'notification_unread', 'app': 'models', 'pk_attr': 'id', 'table_description': "How many of a player's notifications are unread, kept with every change to them."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WeeklyResult',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('week', fields.CharField(max_length=8)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('grams', fields.BigIntField()),
                ('rank', fields.IntField()),
                ('players', fields.IntField()),
                ('rival_id', fields.IntField(null=True)),
                ('rival_grams', fields.BigIntField(null=True)),
                ('outcome', fields.CharField(max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'weekly_results', 'app': 'models', 'unique_together': (('user_id', 'week'),), 'indexes': [Index(fields=['week', 'user_id'])], 'pk_attr': 'id', 'table_description': "A player's finished week among their friends: rank, grams and the friend of their duel."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Bubble',
            name='revived',
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name='User',
            name='last_seen_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
