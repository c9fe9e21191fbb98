from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Block',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('blocker', fields.ForeignKeyField('models.User', source_field='blocker_id', db_constraint=True, to_field='id', related_name='blocks_made', on_delete=OnDelete.CASCADE)),
                ('blocked', fields.ForeignKeyField('models.User', source_field='blocked_id', db_constraint=True, to_field='id', related_name='blocked_by', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'blocks', 'app': 'models', 'unique_together': (('blocker_id', 'blocked_id'),), 'pk_attr': 'id', 'table_description': 'The blocker wants nothing to do with the blocked player, and vice versa.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FriendRequest',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sender', fields.ForeignKeyField('models.User', source_field='sender_id', db_constraint=True, to_field='id', related_name='sent_requests', on_delete=OnDelete.CASCADE)),
                ('recipient', fields.ForeignKeyField('models.User', source_field='recipient_id', db_constraint=True, to_field='id', related_name='received_requests', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(default='pending', max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'friend_requests', 'app': 'models', 'unique_together': (('sender_id', 'recipient_id'),), 'indexes': [Index(fields=['recipient_id', 'status'])], 'pk_attr': 'id', 'table_description': 'An offer of friendship from sender to recipient, pending until answered.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Friendship',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='friendships', on_delete=OnDelete.CASCADE)),
                ('friend', fields.ForeignKeyField('models.User', source_field='friend_id', db_constraint=True, to_field='id', related_name='befriended_by', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'friendships', 'app': 'models', 'unique_together': (('user_id', 'friend_id'),), 'pk_attr': 'id', 'table_description': 'One direction of a friendship. Every friendship is two rows, a to b and b to a.'},
            bases=['Model'],
        ),
    ]
