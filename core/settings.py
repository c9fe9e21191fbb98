"""One typed settings object read from the environment (documented in docs/rules.md)."""

from __future__ import annotations

import secrets
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.clock import is_place_timezone


class Settings(BaseSettings):
    """Every number and address the server uses; tests build one with overrides."""

    model_config = SettingsConfigDict(env_prefix="GREENSPARK_", extra="ignore", frozen=True)

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "GREENSPARK_DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "GREENSPARK_REDIS_URL")
    )
    data_dir: Path = Path("./var")
    redis_prefix: str = "gs:"
    # REDIS_URL names one node of a Redis Cluster (docs/scaling.md#redis-cluster).
    redis_cluster: bool = False
    # The job queue's own Redis; REDIS_URL when unset (docs/scaling.md#redis-cluster).
    queue_redis_url: str | None = None

    ripen_delay_seconds: int = Field(default=300, ge=0)
    daily_ripen_hour: int = Field(default=7, ge=0, le=23)
    bubble_lifetime_seconds: int = Field(default=259_200, gt=0)
    default_timezone: str = "Asia/Shanghai"

    steal_share_percent: int = Field(default=30, ge=0, le=100)
    steal_owner_floor_percent: int = Field(default=50, ge=0, le=100)
    water_amounts: tuple[int, ...] = (10, 18, 66)
    water_times_per_day: int = Field(default=3, ge=0)
    prop_effect_seconds: int = Field(default=86_400, gt=0)
    expiring_notice_seconds: int = Field(default=3_600, ge=0)
    notice_cron: str = Field(
        default="* * * * * */5",
        description="When the worker sends bubble notices (6th field: seconds)",
    )
    ws_heartbeat_seconds: float = Field(default=25.0, gt=0)
    ws_idle_timeout_seconds: float = Field(default=90.0, gt=0)
    ws_max_message_bytes: int = Field(default=4_096, gt=0)
    ws_send_timeout_seconds: float = Field(default=5.0, gt=0)
    event_history_seconds: int = Field(
        default=3_600, gt=0, description="How long sent events stay for reconnecting clients"
    )

    secret_key: str | None = None
    password_memory_kib: int = Field(default=65_536, ge=8)
    password_time_cost: int = Field(default=3, ge=1)
    access_token_seconds: int = Field(default=900, gt=0)
    board_batch_seconds: float = Field(
        default=0.05, ge=0, le=5, description="How long gains wait to reach the boards together"
    )
    session_cache_seconds: float = Field(
        default=30.0, ge=0, description="Longest a process answers from a remembered session"
    )
    refresh_token_seconds: int = Field(default=30 * 86_400, gt=0)
    login_window_seconds: int = Field(default=900, gt=0)
    login_failures_per_account: int = Field(default=5, gt=0)
    login_attempts_per_address: int = Field(default=30, gt=0)

    auto_migrate: bool | None = Field(
        default=None, description="Migrate on start; by default only on the embedded SQLite file"
    )
    leaderboard_grace_seconds: int = Field(
        default=172_800, ge=0, description="How long a finished week or month board is kept"
    )
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    # Planting partners' photos; an upload is also capped at 16 MiB whatever this says.
    planting_photo_max_bytes: int = Field(default=8 * 1_048_576, gt=0, le=16 * 1_048_576)
    planting_photo_max_pixels: int = Field(default=40_000_000, gt=0)
    max_upload_bytes: int = Field(default=20 * 1_048_576, gt=0)
    log_json: bool = False

    # Reliability (docs/reliability.md): how long a Redis call may take before the request gives
    # up with 503, how often an idle pooled Redis connection is checked before use, what 503s
    # tell clients to wait, which proxies may set X-Forwarded-For, which origins may call.
    redis_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    redis_health_check_seconds: int = Field(default=10, ge=0)
    unavailable_retry_after_seconds: int = Field(default=5, ge=1)
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated addresses or networks whose X-Forwarded-For is believed",
    )
    cors_origins: tuple[str, ...] = ()
    ws_ticket_seconds: int = Field(default=30, gt=0, le=600)
    # Privacy: how long a deleted account can still be restored by logging in, and how often
    # the worker erases accounts whose grace period is over.
    account_deletion_grace_seconds: int = Field(default=7 * 86_400, ge=0)
    erasure_cron: str = "*/5 * * * *"

    # Community: photo limits, text caps, posting limits, moderation (docs/rules.md).
    max_photo_bytes: int = Field(default=8 * 1_048_576, gt=0)
    max_photo_pixels: int = Field(default=50_000_000, gt=0)
    max_photos_per_checkin: int = Field(default=9, ge=0, le=9)
    checkin_text_max: int = Field(default=2000, ge=1)
    comment_text_max: int = Field(default=500, ge=1)
    checkins_per_window: int = Field(default=10, gt=0)
    checkin_window_seconds: int = Field(default=3600, gt=0)
    comments_per_window: int = Field(default=30, gt=0)
    comment_window_seconds: int = Field(default=600, gt=0)
    repost_scan_photos: int = Field(default=5000, ge=0)
    reports_to_hide: int = Field(default=3, gt=0)

    # Campaigns, teams and rewards (docs/rules.md#campaigns).
    campaign_settle_after_seconds: int = Field(
        default=86_400, ge=0, description="How long after its end a campaign settles"
    )
    campaign_cron: str = Field(
        default="* * * * * */10",
        description="When the worker rewards teams and regions and settles campaigns",
    )
    team_size_max: int = Field(default=10, ge=2, le=100)
    campaign_announce_active_days: int = Field(
        default=30, ge=1, le=365, description="Who hears of a campaign's start: players seen within"
    )
    campaign_announce_batch: int = Field(
        default=500, ge=1, le=10_000, description="Players told per transaction of the start"
    )
    # Dating of actions that carry their own time (docs/rules.md#carbon-actions).
    action_max_age_seconds: int = Field(default=7 * 86_400, gt=0)
    action_max_ahead_seconds: int = Field(default=300, ge=0)

    # Partner platforms (docs/rules.md#partner-platforms, docs/partners.md).
    partner_signature_window_seconds: int = Field(default=300, gt=0, le=3_600)
    partner_batch_max_items: int = Field(default=500, gt=0, le=5_000)
    partner_requests_per_minute: int = Field(default=120, gt=0)
    partner_daily_budget_grams: int = Field(default=10_000_000, ge=0)
    partner_key_overlap_seconds: int = Field(default=86_400, ge=0)
    partner_call_history_days: int = Field(default=90, gt=0)
    # Players whose items of one batch are credited side by side (each item its own transaction).
    partner_parallel_players: int = Field(default=4, ge=1, le=16)
    # Encrypts partner secrets at rest; derived from the signing key when unset.
    partner_secrets_key: str | None = None

    # Smart-meter readings (docs/rules.md#meter-readings).
    meter_reading_max_age_seconds: int = Field(default=35 * 86_400, gt=0)
    meter_max_kwh_per_interval: int = Field(default=1_000, gt=0)
    # Power saving: peak-hour events and bill-drop vouchers (docs/power.md).
    power_event_baseline_days: int = Field(
        default=5, ge=1, le=20, description="Weekdays before an event whose mean is the baseline"
    )
    power_event_readings_grace_days: int = Field(
        default=3, ge=1, le=35,
        description="Days after an event's window before households still waiting settle as "
        "missing-readings",
    )  # fmt: skip
    power_event_rate_fen_per_kwh: int = Field(default=200, ge=0, le=100_000)
    power_event_grid_factor_g_per_kwh: str = Field(
        default="570.3", pattern=r"^\d{1,5}(\.\d{1,3})?$", description="g CO2 per kWh saved"
    )
    bill_drop_min_percent: str = Field(
        default="5", pattern=r"^\d{1,2}(\.\d{1,2})?$", description="A drop above this earns"
    )
    bill_voucher_valid_days: int = Field(default=90, ge=1, le=3_650)
    # What brings players back: helping, reviving, the inbox, push, weekly results (docs/rules.md).
    help_window_seconds: int = Field(
        default=3_600, ge=0, description="A friend may help collect a bubble this close to expiry"
    )
    revive_window_seconds: int = Field(
        default=86_400, ge=0, description="An expired bubble may be revived this long after expiry"
    )
    revive_share_percent: int = Field(default=50, ge=0, le=100)
    notification_retention_seconds: int = Field(default=30 * 86_400, gt=0)
    push_webhook_url: str | None = None
    push_webhook_secret: str | None = None
    push_timeout_seconds: float = Field(default=5.0, gt=0)
    push_max_attempts: int = Field(default=6, ge=1, le=20)
    push_backoff_seconds: int = Field(default=30, ge=1)
    push_cron: str = Field(default="* * * * * */5", description="When the worker sends pushes")
    max_devices_per_player: int = Field(default=10, ge=1)
    weekly_results_cron: str = Field(
        default="*/5 * * * *", description="When the worker records finished weeks"
    )
    suggestion_active_seconds: int = Field(
        default=7 * 86_400, gt=0, description="Seen this recently counts as active for suggestions"
    )

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        if not is_place_timezone(value):
            raise ValueError(f"unknown time zone {value!r}")
        return value

    @field_validator("push_webhook_secret")
    @classmethod
    def _long_secret(cls, value: str | None) -> str | None:
        if value and len(value) < 16:
            raise ValueError("the push webhook secret needs at least 16 characters")
        return value or None

    @model_validator(mode="after")
    def _push_needs_secret(self) -> Settings:
        if self.push_webhook_url and not self.push_webhook_secret:
            raise ValueError("GREENSPARK_PUSH_WEBHOOK_URL needs GREENSPARK_PUSH_WEBHOOK_SECRET")
        return self

    @property
    def uses_embedded_redis(self) -> bool:
        """True when no REDIS_URL is configured and the server runs its own Redis."""
        return not self.redis_url

    @property
    def migrates_on_start(self) -> bool:
        """Whether the server applies migrations itself when it starts."""
        if self.auto_migrate is not None:
            return self.auto_migrate
        return not self.database_url

    @cached_property
    def resolved_database_url(self) -> str:
        """The configured database, or a SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite://{(self.data_dir / 'greenspark.sqlite3').resolve()}"

    @cached_property
    def tz(self) -> ZoneInfo:
        """The default player time zone as a ZoneInfo."""
        return ZoneInfo(self.default_timezone)

    @cached_property
    def signing_key(self) -> str:
        """The token signing key: configured, or generated once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        path = self.data_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.touch(mode=0o600)
        path.write_text(key)
        return key
