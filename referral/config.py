"""Settings: defaults in code, overridden by REFERRAL_* environment variables.

Each setting named here can be given as ``REFERRAL_<NAME>``; tests pass a mapping
to ``create_app`` instead.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

ENV_PREFIX = "REFERRAL_"

# Settings read from the environment, with the type each is parsed as.
ENV_SETTINGS: dict[str, type] = {
    "DATABASE_URL": str,
    "INSTANCE_DIR": str,
    "SECRET_KEY": str,
    "SEARCH_INDEX_DIR": str,
    "SEARCH_BACKEND": str,  # "whoosh" (default) or "database" (no index files)
    "SEARCH_REBUILD": str,  # missing index: "thread" (default), "inline" or "off"
    "HOST": str,
    "PORT": int,
    "THREADS": int,
    "LOG_LEVEL": str,
    # Accounts and security (referral.accounts.security has the defaults).
    "SESSION_IDLE_MINUTES": int,
    "SESSION_MAX_HOURS": int,
    "RATELIMIT_STORAGE_URL": str,  # redis://host:6379/0 to share limits; else memory://
    "LOGIN_RATE_LIMIT": str,
    "COOKIE_SECURE": int,  # 1 or 0; default: 1 unless HOST is a loopback address
    "CONTENT_SECURITY_POLICY": str,
    # Notifications and the worker (referral.notify.settings has the defaults).
    "BASE_URL": str,  # absolute links in messages, e.g. https://referrals.example.org
    "EMAIL_TRANSPORT": str,  # "file" (default: INSTANCE_DIR/outbox/), "console" or "smtp"
    "SMS_TRANSPORT": str,  # "file" (default), "console" or "package.module:callable"
    "SMTP_HOST": str,
    "SMTP_PORT": int,
    "SMTP_USER": str,
    "SMTP_PASSWORD": str,
    "SMTP_STARTTLS": int,  # 1 (default) or 0
    "SMTP_FROM": str,
    "OUTBOX_MAX_ATTEMPTS": int,
    "FOLLOW_UP_DAYS": int,  # remind the case manager this long after acceptance
    "WORKER_INTERVAL": int,  # seconds between worker ticks
    # Listing freshness and change requests (referral.curation.verification).
    "STALE_AFTER_DAYS": int,  # not verified for this long: labelled stale (default 365)
    "HIDE_AFTER_DAYS": int,  # verified longer ago than this: left out of results (default off)
    "SUGGEST_RATE_LIMIT": str,  # public "suggest an edit" posts per address (default below)
    # The language providers write listings in (BCP 47, default "en"): pages in another
    # language mark listing text with it (lang="en"), WCAG 2.1 SC 3.1.2.
    "LISTING_LANGUAGE": str,
    # Seconds an analytics table is reused by the next requests (the page's charts);
    # 0 computes every request (default 60, referral.analytics.web).
    "ANALYTICS_REUSE_SECONDS": int,
}
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def default_instance_dir() -> Path:
    return Path.cwd() / "instance"


def from_environ(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """The REFERRAL_* settings present in the environment, parsed."""
    environ = os.environ if environ is None else environ
    found: dict[str, object] = {}
    for name, kind in ENV_SETTINGS.items():
        raw = environ.get(ENV_PREFIX + name)
        if raw is None or raw == "":
            continue
        try:
            found[name] = kind(raw)
        except ValueError as exc:
            raise ValueError(f"{ENV_PREFIX}{name} must be {kind.__name__}, got {raw!r}") from exc
    return found


def resolve(overrides: Mapping[str, object]) -> dict[str, object]:
    """Complete settings: defaults, then ``overrides``; derived paths filled in."""
    settings: dict[str, object] = {
        "HOST": "127.0.0.1",
        "PORT": 5000,
        "THREADS": 8,
        "LOG_LEVEL": "INFO",
        "LISTING_LANGUAGE": "en",
    }
    settings.update(overrides)
    if not LANGUAGE_TAG.fullmatch(str(settings["LISTING_LANGUAGE"])):
        raise ValueError(
            f"{ENV_PREFIX}LISTING_LANGUAGE must be a language code such as en or es, "
            f"got {settings['LISTING_LANGUAGE']!r}"
        )
    instance = Path(str(settings.get("INSTANCE_DIR") or default_instance_dir())).resolve()
    settings["INSTANCE_DIR"] = str(instance)
    settings.setdefault("DATABASE_URL", f"sqlite:///{instance / 'referral.db'}")
    settings.setdefault("SEARCH_INDEX_DIR", str(instance / "search-index"))
    if not settings.get("SECRET_KEY"):
        settings["SECRET_KEY"] = _instance_secret(instance)
    return settings


def _instance_secret(instance: Path) -> str:
    """A secret key kept in the instance folder, made once, so sessions survive restarts."""
    path = instance / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key
