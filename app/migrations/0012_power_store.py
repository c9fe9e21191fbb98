from tortoise import migrations
from tortoise.migrations import operations as ops
from core.users import Role
from game.store.models import Currency, ItemKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0011_campaign_announcements')]

    initial = False

    operations = [
        ops.CreateModel(
            name='BillProgramme',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('pool_id', fields.IntField()),
                ('min_drop_bp', fields.IntField()),
                ('voucher_valid_days', fields.IntField()),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bill_programmes', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A government programme: its capped budget pool and the drop that earns a voucher.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='BillHousehold',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('programme', fields.ForeignKeyField('models.BillProgramme', source_field='programme_id', db_constraint=True, to_field='id', related_name='households', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='bill_households', on_delete=OnDelete.CASCADE)),
                ('account_ref', fields.CharField(max_length=64)),
                ('signed_up_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bill_households', 'app': 'models', 'unique_together': (('programme_id', 'user_id'), ('programme_id', 'account_ref')), 'pk_attr': 'id', 'table_description': 'A player signed up to a programme under the account number of their power bill.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Bill',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('household', fields.ForeignKeyField('models.BillHousehold', source_field='household_id', db_constraint=True, to_field='id', related_name='bills', on_delete=OnDelete.CASCADE)),
                ('month', fields.DateField()),
                ('amount_fen', fields.BigIntField()),
                ('wh', fields.BigIntField()),
                ('outcome', fields.CharField(max_length=16)),
                ('compared_fen', fields.BigIntField(null=True)),
                ('drop_fen', fields.BigIntField(default=0)),
                ('grant_id', fields.BigIntField(null=True, unique=True)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'bill_bills', 'app': 'models', 'unique_together': (('household_id', 'month'),), 'pk_attr': 'id', 'table_description': "One household's bill for one month, judged once against the same month last year."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CreditAccount',
            fields=[
                ('user_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('balance_fen', fields.BigIntField(default=0)),
            ],
            options={'table': 'store_credit_accounts', 'app': 'models', 'pk_attr': 'user_id', 'table_description': "A player's store credit in fen (separate from energy): the sum of its ledger."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CreditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.IntField()),
                ('delta', fields.BigIntField()),
                ('balance_after', fields.BigIntField()),
                ('kind', fields.CharField(max_length=16)),
                ('key', fields.CharField(unique=True, max_length=160)),
                ('reason', fields.CharField(default='', max_length=280)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'store_credit_entries', 'app': 'models', 'indexes': [Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One append-only change of store credit, once per key.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ItemHolding',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item_id', fields.IntField()),
                ('user_id', fields.IntField()),
                ('count', fields.IntField(default=0)),
            ],
            options={'table': 'store_item_holdings', 'app': 'models', 'unique_together': (('item_id', 'user_id'),), 'pk_attr': 'id', 'table_description': 'How many of one item one player has redeemed, guarded against the per-player limit.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Merchant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'store_merchants', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A shop that takes vouchers (a ride-hailing, food-delivery or second-hand platform).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MerchantMember',
            fields=[
                ('user_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('merchant', fields.ForeignKeyField('models.Merchant', source_field='merchant_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'store_merchant_members', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'A user with the merchant role who redeems vouchers for one merchant.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PickupSlot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('area', fields.CharField(max_length=32)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('capacity', fields.IntField()),
                ('booked', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recycling_slots', 'app': 'models', 'indexes': [Index(fields=['area', 'starts_at'])], 'pk_attr': 'id', 'table_description': 'A time slot in an area with room for `capacity` pick-ups (booked never above it).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Pickup',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='pickups', on_delete=OnDelete.CASCADE)),
                ('slot', fields.ForeignKeyField('models.PickupSlot', source_field='slot_id', db_constraint=True, to_field='id', related_name='pickups', on_delete=OnDelete.CASCADE)),
                ('address', fields.CharField(max_length=200)),
                ('kinds', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('estimated_kg', fields.DecimalField(max_digits=8, decimal_places=3)),
                ('status', fields.CharField(default='booked', max_length=10)),
                ('weighed_kg', fields.DecimalField(null=True, max_digits=8, decimal_places=3)),
                ('action_id', fields.BigIntField(null=True, unique=True)),
                ('grams', fields.BigIntField(default=0)),
                ('booked_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recycling_pickups', 'app': 'models', 'indexes': [Index(fields=['user_id', 'id']), Index(fields=['slot_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A booked pick-up: booked, confirmed by the partner, completed with its weight, or'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PowerEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('region', fields.CharField(max_length=32)),
                ('timezone', fields.CharField(max_length=64)),
                ('local_date', fields.DateField()),
                ('window_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('window_end', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('rate_fen_per_kwh', fields.IntField()),
                ('factor_g_per_kwh', fields.DecimalField(max_digits=10, decimal_places=3)),
                ('payout', fields.CharField(max_length=8)),
                ('pool_id', fields.IntField()),
                ('voucher_valid_days', fields.IntField(default=0)),
                ('invited', fields.IntField(default=0)),
                ('announced_by_id', fields.IntField(null=True)),
                ('partner_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'power_events', 'app': 'models', 'indexes': [Index(fields=['region', 'window_start'])], 'pk_attr': 'id', 'table_description': 'A demand-response event: a region, a peak window, a rate per kWh saved and its pool.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PowerEventEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.ForeignKeyField('models.PowerEvent', source_field='event_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='power_event_entries', on_delete=OnDelete.CASCADE)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='joined', max_length=12)),
                ('baseline_wh', fields.BigIntField(null=True)),
                ('actual_wh', fields.BigIntField(null=True)),
                ('saved_wh', fields.BigIntField(default=0)),
                ('peak_w', fields.BigIntField(default=0)),
                ('reward_fen', fields.BigIntField(default=0)),
                ('co2_g', fields.BigIntField(default=0)),
                ('reward_outcome', fields.CharField(default='', max_length=16)),
                ('grant_id', fields.BigIntField(null=True, unique=True)),
                ('action_id', fields.BigIntField(null=True)),
                ('settled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'power_event_entries', 'app': 'models', 'unique_together': (('event_id', 'user_id'),), 'indexes': [Index(fields=['user_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A household that opted in to an event, and its outcome once its readings are in.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StoreItem',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.CharField(default='', max_length=500)),
                ('kind', fields.CharEnumField(description='VOUCHER: voucher\nGOODS: goods\nDONATION: donation', enum_type=ItemKind, max_length=10)),
                ('currency', fields.CharEnumField(description='ENERGY: energy\nCREDIT: credit', enum_type=Currency, max_length=8)),
                ('price', fields.BigIntField()),
                ('stock', fields.IntField()),
                ('sold', fields.IntField(default=0)),
                ('per_player_limit', fields.IntField()),
                ('voucher_value_fen', fields.BigIntField(default=0)),
                ('voucher_valid_days', fields.IntField(default=0)),
                ('merchant_id', fields.IntField(null=True)),
                ('active', fields.BooleanField(default=True)),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'store_items', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An item on sale: its price, the stock left (initial = stock + sold), a per-player limit.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Redemption',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.StoreItem', source_field='item_id', db_constraint=True, to_field='id', related_name='redemptions', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='store_redemptions', on_delete=OnDelete.CASCADE)),
                ('currency', fields.CharEnumField(description='ENERGY: energy\nCREDIT: credit', enum_type=Currency, max_length=8)),
                ('price', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'store_redemptions', 'app': 'models', 'indexes': [Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One item bought by one player at the price of the moment.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='PartnerPlatform',
            name='scopes',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AlterField(
            model_name='User',
            name='role',
            field=fields.CharEnumField(default=Role.PLAYER, description='PLAYER: player\nMODERATOR: moderator\nCAMPAIGN_MANAGER: campaign_manager\nADMIN: admin\nPLANTING_PARTNER: planting_partner\nMERCHANT: merchant', enum_type=Role, max_length=20),
        ),
        ops.AlterField(
            model_name='Voucher',
            name='pool',
            field=fields.ForeignKeyField('models.BudgetPool', source_field='pool_id', null=True, db_constraint=True, to_field='id', related_name='vouchers', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Voucher',
            name='redeemable_at_id',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Voucher',
            name='store_redemption_id',
            field=fields.BigIntField(null=True, unique=True),
        ),
    ]
