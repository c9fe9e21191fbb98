from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0006_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccountDeletion',
            fields=[
                ('user_id', fields.IntField(primary_key=True, unique=True, db_index=True)),
                ('requested_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('erase_after', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('erased_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'account_deletions', 'app': 'models', 'pk_attr': 'user_id', 'table_description': "A player's request to delete their account, open until erased or cancelled by a login."},
            bases=['Model'],
        ),
        # Idempotency records now commit with their effect; a row still "in progress" was left
        # by a crash under the old scheme and its effect never committed (docs/reliability.md).
        ops.RunSQL(
            "DELETE FROM idempotency_records WHERE status_code IS NULL",
            reverse_sql="SELECT 1",
        ),
    ]
