from tortoise import migrations
from tortoise.migrations import operations as ops
from social.checkins.models import State
from social.moderation.models import TargetKind
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_trees')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CheckIn',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='checkins', on_delete=OnDelete.CASCADE)),
                ('topic', fields.CharField(max_length=32)),
                ('text', fields.TextField(unique=False)),
                ('state', fields.CharEnumField(default=State.VISIBLE, description='VISIBLE: visible\nHELD: held\nHIDDEN: hidden\nREMOVED: removed', enum_type=State, max_length=12)),
                ('flags', fields.CharField(default='', max_length=64)),
                ('like_count', fields.IntField(default=0)),
                ('comment_count', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'checkins', 'app': 'models', 'indexes': [Index(fields=['state', 'id']), Index(fields=['author_id', 'state', 'id']), Index(fields=['topic', 'state', 'id'])], 'pk_attr': 'id', 'table_description': 'A community post with a topic, text and up to nine photos.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Comment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('checkin', fields.ForeignKeyField('models.CheckIn', source_field='checkin_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('text', fields.TextField(unique=False)),
                ('state', fields.CharEnumField(default=State.VISIBLE, description='VISIBLE: visible\nHELD: held\nHIDDEN: hidden\nREMOVED: removed', enum_type=State, max_length=12)),
                ('flags', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'checkin_comments', 'app': 'models', 'indexes': [Index(fields=['checkin_id', 'state', 'id'])], 'pk_attr': 'id', 'table_description': 'A comment on a check-in.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Like',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('checkin', fields.ForeignKeyField('models.CheckIn', source_field='checkin_id', db_constraint=True, to_field='id', related_name='likes', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='likes', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'checkin_likes', 'app': 'models', 'unique_together': (('checkin_id', 'user_id'),), 'pk_attr': 'id', 'table_description': 'A player likes a check-in (once).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ModerationAction',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('moderator', fields.ForeignKeyField('models.User', source_field='moderator_id', null=True, db_constraint=True, to_field='id', related_name='moderation_actions', on_delete=OnDelete.SET_NULL)),
                ('action', fields.CharField(max_length=12)),
                ('target_kind', fields.CharEnumField(description='CHECKIN: checkin\nCOMMENT: comment\nPLAYER: player', enum_type=TargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('affected_user', fields.ForeignKeyField('models.User', source_field='affected_user_id', db_constraint=True, to_field='id', related_name='moderation_received', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharField(max_length=500)),
                ('until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'moderation_audit', 'app': 'models', 'indexes': [Index(fields=['target_kind', 'target_id']), Index(fields=['affected_user_id', 'id'])], 'pk_attr': 'id', 'table_description': 'One entry of the audit log: who did what to which target, and why.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Photo',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('checkin', fields.ForeignKeyField('models.CheckIn', source_field='checkin_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('author_id', fields.IntField(db_index=True)),
                ('position', fields.SmallIntField()),
                ('media_key', fields.CharField(unique=True, max_length=32)),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('thumb_width', fields.IntField()),
                ('thumb_height', fields.IntField()),
                ('dhash', fields.BigIntField(db_index=True)),
                ('repost_of_id', fields.BigIntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'checkin_photos', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One cleaned photo of a check-in, stored as a display JPEG and a thumbnail.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Report',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reporter', fields.ForeignKeyField('models.User', source_field='reporter_id', db_constraint=True, to_field='id', related_name='reports_made', on_delete=OnDelete.CASCADE)),
                ('target_kind', fields.CharEnumField(description='CHECKIN: checkin\nCOMMENT: comment\nPLAYER: player', enum_type=TargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('reason', fields.CharField(max_length=20)),
                ('note', fields.CharField(default='', max_length=500)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'reports', 'app': 'models', 'unique_together': (('reporter_id', 'target_kind', 'target_id'),), 'indexes': [Index(fields=['target_kind', 'target_id', 'resolved_at'])], 'pk_attr': 'id', 'table_description': 'A player says a check-in or comment breaks the rules. One per reporter and target.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReviewCase',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('target_kind', fields.CharEnumField(description='CHECKIN: checkin\nCOMMENT: comment\nPLAYER: player', enum_type=TargetKind, max_length=12)),
                ('target_id', fields.BigIntField()),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='review_cases', on_delete=OnDelete.CASCADE)),
                ('is_open', fields.BooleanField(default=True)),
                ('report_count', fields.IntField(default=0)),
                ('flags', fields.CharField(default='', max_length=64)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review_cases', 'app': 'models', 'unique_together': (('target_kind', 'target_id'),), 'indexes': [Index(fields=['is_open', 'report_count', 'opened_at'])], 'pk_attr': 'id', 'table_description': "One target waiting for (or past) a moderator's review: the queue is the open cases."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='User',
            name='suspended_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
