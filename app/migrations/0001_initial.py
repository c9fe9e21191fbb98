from tortoise import migrations
from tortoise.migrations import operations as ops
from core.users import Role
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='DailyUsage',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('scenario', fields.CharField(max_length=48)),
                ('local_date', fields.DateField()),
                ('quantity', fields.DecimalField(default=0, max_digits=15, decimal_places=3)),
            ],
            options={'table': 'carbon_daily_usage', 'app': 'models', 'unique_together': (('user_id', 'scenario', 'local_date'),), 'pk_attr': 'id', 'table_description': "How much of a scenario's daily cap a player has used on one local day."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IdempotencyRecord',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('principal', fields.CharField(max_length=64)),
                ('key', fields.CharField(max_length=128)),
                ('fingerprint', fields.CharField(max_length=64)),
                ('status_code', fields.IntField(null=True)),
                ('content_type', fields.CharField(default='', max_length=100)),
                ('body', fields.BinaryField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'idempotency_records', 'app': 'models', 'unique_together': (('principal', 'key'),), 'pk_attr': 'id', 'table_description': 'The first response given to a (caller, key) pair.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=32)),
                ('display_name', fields.CharField(max_length=64)),
                ('password_hash', fields.CharField(max_length=255)),
                ('role', fields.CharEnumField(default=Role.PLAYER, description='PLAYER: player\nMODERATOR: moderator\nCAMPAIGN_MANAGER: campaign_manager\nADMIN: admin', enum_type=Role, max_length=20)),
                ('timezone', fields.CharField(max_length=64)),
                ('region', fields.CharField(default='', db_index=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'users', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A person (or a staff member) with a login.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Action',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='actions', on_delete=OnDelete.CASCADE)),
                ('scenario', fields.CharField(max_length=48)),
                ('source', fields.CharField(max_length=48)),
                ('external_id', fields.CharField(max_length=128)),
                ('quantity', fields.DecimalField(max_digits=15, decimal_places=3)),
                ('credited_quantity', fields.DecimalField(max_digits=15, decimal_places=3)),
                ('grams', fields.BigIntField()),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('local_date', fields.DateField()),
                ('bubble_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'carbon_actions', 'app': 'models', 'unique_together': (('source', 'external_id'),), 'indexes': [Index(fields=['user_id', 'local_date'])], 'pk_attr': 'id', 'table_description': 'A low-carbon action credited to a player, once per (source, external_id).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuthSession',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_reason', fields.CharField(default='', max_length=32)),
            ],
            options={'table': 'auth_sessions', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One login: the family of refresh tokens that rotate from it. Revoking it logs out.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Bubble',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='bubbles', on_delete=OnDelete.CASCADE)),
                ('scenario', fields.CharField(max_length=48)),
                ('rule', fields.CharField(max_length=8)),
                ('amount', fields.BigIntField()),
                ('remaining', fields.BigIntField()),
                ('collected', fields.BigIntField(default=0)),
                ('stolen', fields.BigIntField(default=0)),
                ('expired', fields.BigIntField(default=0)),
                ('local_date', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ripens_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bubbles', 'app': 'models', 'indexes': [Index(fields=['owner_id', 'expires_at'])], 'pk_attr': 'id', 'table_description': 'Energy waiting in a forest. amount = collected + stolen + remaining + expired, always.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EnergyAccount',
            fields=[
                ('user', fields.OneToOneField('models.User', source_field='user_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='energy', on_delete=OnDelete.CASCADE)),
                ('balance', fields.BigIntField(default=0)),
                ('lifetime_collected', fields.BigIntField(default=0)),
            ],
            options={'table': 'energy_accounts', 'app': 'models', 'pk_attr': 'user_id', 'table_description': "A player's balance, always equal to the sum of their ledger deltas."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='ledger', on_delete=OnDelete.CASCADE)),
                ('delta', fields.BigIntField()),
                ('balance_after', fields.BigIntField()),
                ('kind', fields.CharField(max_length=24)),
                ('key', fields.CharField(unique=True, max_length=160)),
                ('bubble_id', fields.BigIntField(null=True)),
                ('reason', fields.CharField(default='', max_length=280)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'energy_ledger', 'app': 'models', 'indexes': [Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': "One append-only change of a player's balance. Its `key` makes each change happen once."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RefreshToken',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('session', fields.ForeignKeyField('models.AuthSession', source_field='session_id', db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('issued_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'refresh_tokens', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A single-use refresh token, stored only as its SHA-256 hash.'},
            bases=['Model'],
        ),
    ]
