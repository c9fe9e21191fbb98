from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0008_campaigns')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BudgetDay',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform_id', fields.IntField()),
                ('day', fields.DateField()),
                ('budget', fields.BigIntField()),
                ('used', fields.BigIntField(default=0)),
            ],
            options={'table': 'partner_budget_days', 'app': 'models', 'unique_together': (('platform_id', 'day'),), 'pk_attr': 'id', 'table_description': "A partner's gram budget for one day of its own calendar. used <= budget, always."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Meter',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(max_length=48)),
                ('meter_ref', fields.CharField(max_length=64)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='meters', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'power_meters', 'app': 'models', 'unique_together': (('source', 'meter_ref'),), 'pk_attr': 'id', 'table_description': 'A smart meter known by the reference its source gives it, belonging to one player.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MeterReading',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meter', fields.ForeignKeyField('models.Meter', source_field='meter_id', db_constraint=True, to_field='id', related_name='readings', on_delete=OnDelete.CASCADE)),
                ('interval_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('local_date', fields.DateField()),
                ('wh', fields.BigIntField()),
                ('revision', fields.IntField(default=0)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'power_meter_readings', 'app': 'models', 'unique_together': (('meter_id', 'interval_start'),), 'indexes': [Index(fields=['meter_id', 'local_date'])], 'pk_attr': 'id', 'table_description': 'Energy used in one 15-minute interval, in watt-hours, once per (meter, interval).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerCall',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform_id', fields.IntField(null=True)),
                ('key_id', fields.CharField(default='', max_length=40)),
                ('method', fields.CharField(max_length=8)),
                ('path', fields.CharField(max_length=200)),
                ('address', fields.CharField(default='', max_length=64)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('signed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('signature', fields.CharField(null=True, unique=True, max_length=64)),
                ('body_sha256', fields.CharField(max_length=64)),
                ('body_bytes', fields.IntField()),
                ('outcome', fields.CharField(default='', max_length=48)),
                ('items', fields.IntField(default=0)),
                ('counts', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('grams', fields.BigIntField(default=0)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'partner_calls', 'app': 'models', 'indexes': [Index(fields=['platform_id', 'id']), Index(fields=['received_at'])], 'pk_attr': 'id', 'table_description': 'One call to the partner API, refused or served, and what came of it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerCredit',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('action', fields.OneToOneField('models.Action', source_field='action_id', db_constraint=True, to_field='id', related_name='partner_credit', on_delete=OnDelete.CASCADE)),
                ('platform_id', fields.IntField()),
                ('consent_id', fields.BigIntField()),
                ('call_id', fields.BigIntField(null=True)),
                ('grams', fields.BigIntField()),
                ('budget_day', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'partner_credits', 'app': 'models', 'indexes': [Index(fields=['platform_id', 'budget_day'])], 'pk_attr': 'id', 'table_description': 'A credited partner action: the consent it relied on and the budget day it drew from.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerPlatform',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=120)),
                ('scenarios', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('meter_readings', fields.BooleanField(default=False)),
                ('timezone', fields.CharField(max_length=64)),
                ('contact', fields.CharField(max_length=200)),
                ('daily_budget_grams', fields.BigIntField()),
                ('requests_per_minute', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'partner_platforms', 'app': 'models', 'pk_attr': 'id', 'table_description': "A platform that reports players' actions or meter readings, with its limits."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Consent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='partner_consents', on_delete=OnDelete.CASCADE)),
                ('platform', fields.ForeignKeyField('models.PartnerPlatform', source_field='platform_id', db_constraint=True, to_field='id', related_name='consents', on_delete=OnDelete.CASCADE)),
                ('user_ref', fields.CharField(max_length=128)),
                ('meter_readings', fields.BooleanField(default=False)),
                ('granted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_reason', fields.CharField(default='', max_length=16)),
                ('current_ref', fields.CharField(null=True, max_length=128)),
                ('current_user_id', fields.IntField(null=True)),
            ],
            options={'table': 'partner_consents', 'app': 'models', 'unique_together': (('platform_id', 'current_ref'), ('platform_id', 'current_user_id')), 'indexes': [Index(fields=['user_id', 'id']), Index(fields=['platform_id', 'user_ref'])], 'pk_attr': 'id', 'table_description': 'A player lets a platform report some scenarios (and meter readings) under its own user_ref.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConsentScenario',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consent', fields.ForeignKeyField('models.Consent', source_field='consent_id', db_constraint=True, to_field='id', related_name='scenarios', on_delete=OnDelete.CASCADE)),
                ('scenario', fields.CharField(max_length=48)),
            ],
            options={'table': 'partner_consent_scenarios', 'app': 'models', 'unique_together': (('consent_id', 'scenario'),), 'pk_attr': 'id', 'table_description': 'One scenario a consent covers.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerKey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('platform', fields.ForeignKeyField('models.PartnerPlatform', source_field='platform_id', db_constraint=True, to_field='id', related_name='keys', on_delete=OnDelete.CASCADE)),
                ('key_id', fields.CharField(unique=True, max_length=40)),
                ('sealed_secret', fields.BinaryField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_reason', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'partner_keys', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A key id and its secret, sealed at rest. Usable until revoked or past `expires_at`.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReadingCorrection',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reading', fields.ForeignKeyField('models.MeterReading', source_field='reading_id', db_constraint=True, to_field='id', related_name='corrections', on_delete=OnDelete.CASCADE)),
                ('old_wh', fields.BigIntField()),
                ('new_wh', fields.BigIntField()),
                ('revision', fields.IntField()),
                ('corrected_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'power_reading_corrections', 'app': 'models', 'unique_together': (('reading_id', 'revision'),), 'pk_attr': 'id', 'table_description': 'A resent interval whose value changed: the old and the new value, kept for audit.'},
            bases=['Model'],
        ),
    ]
