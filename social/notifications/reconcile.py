"""The inbox's own bookkeeping: each player's unread count is their unread notifications."""

from __future__ import annotations

from core.reconcile import Checks

NOTIFICATION_CHECKS = Checks(
    rows={
        "unread count = unread notifications": """
            SELECT u.user_id, u.unread, COALESCE(n.unread, 0) AS counted
            FROM notification_unread u
            LEFT JOIN (SELECT user_id, COUNT(*) AS unread FROM notifications
                       WHERE read_at IS NULL GROUP BY user_id) n ON n.user_id = u.user_id
            WHERE u.unread <> COALESCE(n.unread, 0)
        """,
        "unread notifications have an unread count": """
            SELECT n.user_id, COUNT(*) AS unread FROM notifications n
            LEFT JOIN notification_unread u ON u.user_id = n.user_id
            WHERE n.read_at IS NULL AND u.user_id IS NULL
            GROUP BY n.user_id
        """,
    }
)
