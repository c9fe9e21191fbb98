from tortoise import migrations
from tortoise.migrations import operations as ops
from core.users import Role
from game.trees.coplanting.models import CoPlantingStatus
from game.trees.plantings.models import PlantingStatus
from game.trees.projects.models import ProjectStatus
from game.trees.welfare.models import OpenStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_stealing_watering_props')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PartnerOrganisation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=120)),
                ('region', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'planting_partners', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An organisation that plants trees and reports them (a planting partner).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PartnerMember',
            fields=[
                ('user', fields.OneToOneField('models.User', source_field='user_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='partner_membership', on_delete=OnDelete.CASCADE)),
                ('organisation', fields.ForeignKeyField('models.PartnerOrganisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'planting_partner_members', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'A user with the planting_partner role who reports for one organisation.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlantingProject',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('organisation', fields.ForeignKeyField('models.PartnerOrganisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='projects', on_delete=OnDelete.CASCADE)),
                ('species', fields.CharField(db_index=True, max_length=32)),
                ('region', fields.CharField(default='', max_length=64)),
                ('place', fields.CharField(max_length=160)),
                ('quota_per_year', fields.IntField()),
                ('status', fields.CharEnumField(default=ProjectStatus.ACTIVE, description='ACTIVE: active\nPAUSED: paused\nCLOSED: closed', enum_type=ProjectStatus, max_length=12)),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'planting_projects', 'app': 'models', 'pk_attr': 'id', 'table_description': "A partner's planting site for one species, with a yearly quota of trees."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CoPlanting',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('starter', fields.ForeignKeyField('models.User', source_field='starter_id', db_constraint=True, to_field='id', related_name='coplantings_started', on_delete=OnDelete.CASCADE)),
                ('species', fields.CharField(max_length=32)),
                ('project', fields.ForeignKeyField('models.PlantingProject', source_field='project_id', db_constraint=True, to_field='id', related_name='coplantings', on_delete=OnDelete.CASCADE)),
                ('year', fields.IntField()),
                ('cost', fields.BigIntField()),
                ('funded', fields.BigIntField(default=0)),
                ('status', fields.CharEnumField(default=CoPlantingStatus.OPEN, description='OPEN: open\nPLANTED: planted\nCANCELLED: cancelled', enum_type=CoPlantingStatus, max_length=12)),
                ('planting_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'coplantings', 'app': 'models', 'indexes': [Index(fields=['project_id', 'year', 'status'])], 'pk_attr': 'id', 'table_description': 'A tree friends fund together. Its quota is reserved when it starts.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CoPlantingContribution',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('coplanting', fields.ForeignKeyField('models.CoPlanting', source_field='coplanting_id', db_constraint=True, to_field='id', related_name='contributions', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='coplanting_contributions', on_delete=OnDelete.CASCADE)),
                ('grams', fields.BigIntField()),
                ('refunded', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'coplanting_contributions', 'app': 'models', 'indexes': [Index(fields=['coplanting_id', 'user_id'])], 'pk_attr': 'id', 'table_description': 'Energy a member put into a co-planted tree, refunded in full if it is cancelled.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CoPlantingMember',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('coplanting', fields.ForeignKeyField('models.CoPlanting', source_field='coplanting_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='coplanting_memberships', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'coplanting_members', 'app': 'models', 'unique_together': (('coplanting_id', 'user_id'),), 'indexes': [Index(fields=['user_id', 'coplanting_id'])], 'pk_attr': 'id', 'table_description': 'A player invited to fund a co-planted tree (the starter is a member too).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Planting',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('project', fields.ForeignKeyField('models.PlantingProject', source_field='project_id', db_constraint=True, to_field='id', related_name='plantings', on_delete=OnDelete.CASCADE)),
                ('year', fields.IntField()),
                ('species', fields.CharField(max_length=32)),
                ('cost', fields.BigIntField()),
                ('coplanting_id', fields.BigIntField(null=True, unique=True)),
                ('status', fields.CharEnumField(default=PlantingStatus.ALLOCATED, description='ALLOCATED: allocated\nPLANTED: planted\nVERIFIED: verified', enum_type=PlantingStatus, max_length=12)),
                ('version', fields.IntField(default=1)),
                ('code', fields.CharField(unique=True, max_length=16)),
                ('planted_on', fields.DateField(null=True)),
                ('plot', fields.CharField(default='', max_length=64)),
                ('latitude_e6', fields.IntField(null=True)),
                ('longitude_e6', fields.IntField(null=True)),
                ('photo', fields.CharField(default='', max_length=80)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'plantings', 'app': 'models', 'indexes': [Index(fields=['project_id', 'year']), Index(fields=['project_id', 'status'])], 'pk_attr': 'id', 'table_description': 'One real tree paid for with energy, from allocation to verified planting.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlantingEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('planting', fields.ForeignKeyField('models.Planting', source_field='planting_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(max_length=12)),
                ('version', fields.IntField()),
                ('actor_id', fields.IntField(null=True)),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'planting_events', 'app': 'models', 'unique_together': (('planting_id', 'version'),), 'pk_attr': 'id', 'table_description': 'One status change of a planting, kept as its history.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlantingOwner',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('planting', fields.ForeignKeyField('models.Planting', source_field='planting_id', db_constraint=True, to_field='id', related_name='owners', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='plantings_owned', on_delete=OnDelete.CASCADE)),
                ('grams', fields.BigIntField()),
            ],
            options={'table': 'planting_owners', 'app': 'models', 'unique_together': (('planting_id', 'user_id'),), 'indexes': [Index(fields=['user_id', 'planting_id'])], 'pk_attr': 'id', 'table_description': "A player named on a planting's certificate and the energy they gave for it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProjectYear',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('project', fields.ForeignKeyField('models.PlantingProject', source_field='project_id', db_constraint=True, to_field='id', related_name='years', on_delete=OnDelete.CASCADE)),
                ('year', fields.IntField()),
                ('quota', fields.IntField()),
                ('used', fields.IntField(default=0)),
                ('remaining', fields.IntField()),
            ],
            options={'table': 'planting_project_years', 'app': 'models', 'unique_together': (('project_id', 'year'),), 'pk_attr': 'id', 'table_description': "A project's quota for one calendar year. quota = used + remaining, always."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProtectedArea',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('region', fields.CharField(default='', max_length=64)),
                ('place', fields.CharField(max_length=160)),
                ('steward', fields.CharField(max_length=120)),
                ('description', fields.CharField(default='', max_length=400)),
                ('price_grams_per_m2', fields.BigIntField()),
                ('total_m2', fields.BigIntField()),
                ('sold_m2', fields.BigIntField(default=0)),
                ('remaining_m2', fields.BigIntField()),
                ('status', fields.CharEnumField(default=OpenStatus.OPEN, description='OPEN: open\nCLOSED: closed', enum_type=OpenStatus, max_length=8)),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'protected_areas', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Land protected with energy, priced per square metre. total = sold + remaining, always.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Adoption',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('area', fields.ForeignKeyField('models.ProtectedArea', source_field='area_id', db_constraint=True, to_field='id', related_name='adoptions', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='adoptions', on_delete=OnDelete.CASCADE)),
                ('square_metres', fields.BigIntField()),
                ('grams', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'area_adoptions', 'app': 'models', 'indexes': [Index(fields=['user_id', 'area_id'])], 'pk_attr': 'id', 'table_description': 'Square metres of a protected area a player adopted, and the energy it took.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TreeChoice',
            fields=[
                ('user', fields.OneToOneField('models.User', source_field='user_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='tree_choice', on_delete=OnDelete.CASCADE)),
                ('species', fields.CharField(max_length=32)),
                ('chosen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tree_choices', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'The species a player is growing in their forest.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WelfareProject',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=120)),
                ('beneficiary', fields.CharField(max_length=120)),
                ('description', fields.CharField(default='', max_length=400)),
                ('sponsor', fields.CharField(default='', max_length=120)),
                ('match_budget', fields.BigIntField(default=0)),
                ('match_spent', fields.BigIntField(default=0)),
                ('match_remaining', fields.BigIntField(default=0)),
                ('raised', fields.BigIntField(default=0)),
                ('status', fields.CharEnumField(default=OpenStatus.OPEN, description='OPEN: open\nCLOSED: closed', enum_type=OpenStatus, max_length=8)),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'welfare_projects', 'app': 'models', 'pk_attr': 'id', 'table_description': "A public-welfare cause players donate energy to, optionally matched by a sponsor's pool."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Donation',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('project', fields.ForeignKeyField('models.WelfareProject', source_field='project_id', db_constraint=True, to_field='id', related_name='donations', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='donations', on_delete=OnDelete.CASCADE)),
                ('grams', fields.BigIntField()),
                ('matched', fields.BigIntField(default=0)),
                ('code', fields.CharField(unique=True, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'welfare_donations', 'app': 'models', 'indexes': [Index(fields=['user_id', 'id'])], 'pk_attr': 'id', 'table_description': 'Energy a player gave to a welfare project, and what the sponsor matched.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='User',
            name='role',
            field=fields.CharEnumField(default=Role.PLAYER, description='PLAYER: player\nMODERATOR: moderator\nCAMPAIGN_MANAGER: campaign_manager\nADMIN: admin\nPLANTING_PARTNER: planting_partner', enum_type=Role, max_length=20),
        ),
    ]
