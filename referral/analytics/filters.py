"""The period and filters every analytics question is asked over, read and checked
in one place so the page, the API and the command refuse bad input the same way."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta

from referral.matching import codes

# Longest period one report covers: five years of referrals is already a lot of rows.
MAX_PERIOD_DAYS = 5 * 366
DEFAULT_PERIOD_DAYS = 365
ZIP = re.compile(r"^\d{5}$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
# name -> what it filters (the names are also the query parameters and CLI options)
FILTER_FIELDS = {
    "organization": "referring organization id",
    "program": "program id of the service referred to",
    "provider": "receiving (provider) organization id",
    "need": "need domain (Gravity SDOH category code)",
    "case_manager": "referring user id",
    "zip": "client ZIP code (5 digits)",
    "language": "client's preferred language code",
}


class InvalidFilter(ValueError):
    """A period or filter value that cannot be used; ``field`` names it."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    organization: str | None = None
    program: str | None = None
    provider: str | None = None
    need: str | None = None
    case_manager: str | None = None
    zip: str | None = None
    language: str | None = None
    # The referring organizations the viewer may see; None means every one.
    scope: frozenset[str] | None = field(default=None, compare=False)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.start, time(), UTC)

    @property
    def ends_before(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), UTC)

    def with_scope(self, scope: frozenset[str] | None) -> Filters:
        return replace(self, scope=scope)

    def as_params(self) -> dict[str, str]:
        """The query parameters that ask for these filters again."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        for name in FILTER_FIELDS:
            value = getattr(self, name)
            if value:
                params[name] = value
        return params


def parse_filters(args: Mapping[str, str | None], today: date) -> Filters:
    end = _date(args, "to") or today
    start = _date(args, "from") or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    if start > end:
        raise InvalidFilter("from", "the period starts after it ends")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidFilter("from", f"a period can be at most {MAX_PERIOD_DAYS} days")
    values = {name: _text(args, name) for name in FILTER_FIELDS}
    if values["need"] and not codes.is_need_code(values["need"]):
        raise InvalidFilter("need", f"{values['need']!r} is not a need domain code")
    if values["zip"] and not ZIP.match(values["zip"]):
        raise InvalidFilter("zip", "a ZIP code is 5 digits")
    if values["language"] and not LANGUAGE.match(values["language"]):
        raise InvalidFilter("language", "use a language code such as en or es")
    return Filters(start, end, **values)


def _date(args: Mapping[str, str | None], name: str) -> date | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidFilter(name, f"{raw!r} is not a date (use YYYY-MM-DD)") from None


def _text(args: Mapping[str, str | None], name: str) -> str | None:
    raw = (args.get(name) or "").strip()
    if len(raw) > 64:
        raise InvalidFilter(name, "is too long")
    return raw or None
