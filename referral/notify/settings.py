"""The notification settings, read once from the app config into a plain object so
that jobs and hooks can be tested without Flask."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# Eight attempts with doubling waits from one minute span about four hours: long
# enough to ride out a mail server restart, short enough that a dead address is noticed
# the same day.
DEFAULT_MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=2)
# A worker that claimed a message and died releases it after this long.
CLAIM_LEASE = timedelta(minutes=5)
# The example: a case manager hears about an accepted referral with no outcome
# after a week.
DEFAULT_FOLLOW_UP_DAYS = 7
DEFAULT_WORKER_INTERVAL = 30
# One-click answers in a referral email stay valid as long as a provider plausibly
# works through its inbox; after that the page (with a login) is the way.
RESPOND_LINK_DAYS = 7


@dataclass(frozen=True)
class NotifySettings:
    base_url: str = DEFAULT_BASE_URL
    instance_dir: str = "instance"
    email_transport: str = "file"
    sms_transport: str = "file"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    smtp_from: str = "referral@localhost"
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    follow_up_days: int = DEFAULT_FOLLOW_UP_DAYS
    worker_interval: int = DEFAULT_WORKER_INTERVAL
    secret_key: str | None = None

    @property
    def outbox_dir(self) -> Path:
        return Path(self.instance_dir) / "outbox"

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


def from_config(config: Mapping[str, Any]) -> NotifySettings:
    def get(name: str, default: Any) -> Any:
        value = config.get(name)
        return default if value is None or value == "" else value

    return NotifySettings(
        base_url=str(get("BASE_URL", DEFAULT_BASE_URL)),
        instance_dir=str(get("INSTANCE_DIR", "instance")),
        email_transport=str(get("EMAIL_TRANSPORT", "file")),
        sms_transport=str(get("SMS_TRANSPORT", "file")),
        smtp_host=str(get("SMTP_HOST", "localhost")),
        smtp_port=int(get("SMTP_PORT", 25)),
        smtp_user=get("SMTP_USER", None),
        smtp_password=get("SMTP_PASSWORD", None),
        smtp_starttls=bool(int(get("SMTP_STARTTLS", 1))),
        smtp_from=str(get("SMTP_FROM", "referral@localhost")),
        max_attempts=max(1, int(get("OUTBOX_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))),
        follow_up_days=max(1, int(get("FOLLOW_UP_DAYS", DEFAULT_FOLLOW_UP_DAYS))),
        worker_interval=max(1, int(get("WORKER_INTERVAL", DEFAULT_WORKER_INTERVAL))),
        secret_key=get("SECRET_KEY", None),
    )


def current() -> NotifySettings | None:
    """The settings of the running app, or None outside an application context
    (a bare script or a unit test of the referral service: no notifications then)."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return None
    return from_config(current_app.config)
