from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_friends')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DailyCounter',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('what', fields.CharField(max_length=24)),
                ('local_date', fields.DateField()),
                ('count', fields.IntField(default=0)),
            ],
            options={'table': 'daily_counters', 'app': 'models', 'unique_together': (('user_id', 'what', 'local_date'),), 'pk_attr': 'id', 'table_description': 'How many times a player did something limited per local day (watering, …).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NoticeMark',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('sent_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notice_marks', 'app': 'models', 'pk_attr': 'name', 'table_description': 'Up to when a kind of scheduled notice has been sent, so none is sent twice or skipped.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PropEffect',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('kind', fields.CharField(max_length=24)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'prop_effects', 'app': 'models', 'indexes': [Index(fields=['user_id', 'kind', 'ends_at'])], 'pk_attr': 'id', 'table_description': 'A prop in use: its effect lasts from starts_at until ends_at.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PropLedger',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField(db_index=True)),
                ('kind', fields.CharField(max_length=24)),
                ('delta', fields.IntField()),
                ('quantity_after', fields.IntField()),
                ('reason', fields.CharField(default='', max_length=280)),
                ('key', fields.CharField(unique=True, max_length=160)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'prop_ledger', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One append-only change of a prop stock (granted, used), once per key.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PropStock',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='props', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=24)),
                ('quantity', fields.IntField(default=0)),
            ],
            options={'table': 'prop_stock', 'app': 'models', 'unique_together': (('user_id', 'kind'),), 'pk_attr': 'id', 'table_description': 'How many of one kind of prop a player holds.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Steal',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('bubble', fields.ForeignKeyField('models.Bubble', source_field='bubble_id', db_constraint=True, to_field='id', related_name='steals', on_delete=OnDelete.CASCADE)),
                ('thief', fields.ForeignKeyField('models.User', source_field='thief_id', db_constraint=True, to_field='id', related_name='steals', on_delete=OnDelete.CASCADE)),
                ('grams', fields.BigIntField()),
                ('doubled', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'energy_steals', 'app': 'models', 'unique_together': (('bubble_id', 'thief_id'),), 'pk_attr': 'id', 'table_description': 'What one friend took from one bubble. A friend steals from a bubble at most once.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TimelineEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='timeline', on_delete=OnDelete.CASCADE)),
                ('actor', fields.ForeignKeyField('models.User', source_field='actor_id', db_constraint=True, to_field='id', related_name='timeline_acts', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('grams', fields.BigIntField(default=0)),
                ('bubble_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'timeline_entries', 'app': 'models', 'indexes': [Index(fields=['owner_id', 'id'])], 'pk_attr': 'id', 'table_description': "Something a friend did to the owner's forest."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Watering',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('giver', fields.ForeignKeyField('models.User', source_field='giver_id', db_constraint=True, to_field='id', related_name='waterings_given', on_delete=OnDelete.CASCADE)),
                ('receiver', fields.ForeignKeyField('models.User', source_field='receiver_id', db_constraint=True, to_field='id', related_name='waterings_received', on_delete=OnDelete.CASCADE)),
                ('grams', fields.BigIntField()),
                ('local_date', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'energy_waterings', 'app': 'models', 'indexes': [Index(fields=['giver_id', 'local_date'])], 'pk_attr': 'id', 'table_description': 'Energy a player gave a friend from their own balance.'},
            bases=['Model'],
        ),
    ]
