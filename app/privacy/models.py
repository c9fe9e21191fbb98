"""Deletion requests: when a player asked, when the account is erased, when it was."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class AccountDeletion(Model):
    """A player's request to delete their account, open until erased or cancelled by a login."""

    user_id = fields.IntField(primary_key=True, generated=False)
    requested_at = fields.DatetimeField()
    erase_after = fields.DatetimeField(db_index=True)
    erased_at = fields.DatetimeField(null=True)

    class Meta:
        table = "account_deletions"
