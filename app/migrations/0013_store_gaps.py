from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_power_store')]

    initial = False

    operations = [
        ops.CreateModel(
            name='StockMove',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.StoreItem', source_field='item_id', db_constraint=True, to_field='id', related_name='stock_moves', on_delete=OnDelete.CASCADE)),
                ('quantity', fields.IntField()),
                ('stock_after', fields.BigIntField()),
                ('key', fields.CharField(unique=True, max_length=160)),
                ('by_user_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'store_stock_moves', 'app': 'models', 'indexes': [Index(fields=['item_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One restock of an item, append-only, once per key (docs/store.md#managing-items).'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='PowerEventEntry',
            name='status',
            field=fields.CharField(default='joined', max_length=16),
        ),
        ops.AddField(
            model_name='StoreItem',
            name='restocked',
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name='Voucher',
            name='void_reason',
            field=fields.CharField(default='', max_length=200),
        ),
        ops.AddField(
            model_name='Voucher',
            name='voided_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Voucher',
            name='voided_by_id',
            field=fields.IntField(null=True),
        ),
    ]
