"""Repairs a person would make to a messy value, as pure functions.

Each returns the repaired value and a reason (``None`` when nothing changed), or raises
:class:`Unrepairable` with the reason the value cannot be used. Nothing here knows
about files, records or the database.

Choices:
- Text: literal two-character ``\\n`` becomes a line break, mojibake is decoded
  (ftfy for intact mojibake; UTF-8 read as code page 437 whose ``Γ`` was flattened
  to ``G``, as in ``AttorneyGÇÖs``, by restoring the ``Γ`` first), county tags such as
  ``###MON###`` are removed, and surrounding whitespace is trimmed.
- US postal codes keep the 5-digit ZIP: ZIP+4 adds nothing a directory search or a
  distance can use, and search and offline geocoding work on 5-digit ZIPs.
- Times become ``HH:MM``; a close time without am/pm that would fall before the
  opening time is read as afternoon (``8:00``-``5:00`` is 08:00-17:00).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import ftfy
from dateutil import parser as dateparser

from referral.directory import geo


class Unrepairable(ValueError):
    """The value cannot be used; the message says why."""

    def __init__(self, message: str, field: str = "", value: Any = "") -> None:
        super().__init__(message)
        self.field, self.value = field, value


_LOSSY_CP437 = re.compile("GÇ(.)")
_COUNTY_TAG = re.compile(r"\s*###[A-Z]{2,5}###\s*")
_LITERAL_BREAK = re.compile(r"\\r\\n|\\n|\\r")


def _cp437_fix(match: re.Match[str]) -> str:
    try:
        return ("ΓÇ" + match.group(1)).encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group(0)


def text(value: Any) -> tuple[str | None, str | None]:
    """A cleaned string (``None`` when empty) and what was done to it."""
    if value is None:
        return None, None
    original = value if isinstance(value, str) else str(value)
    done = []
    fixed = original
    if "\\" in fixed and _LITERAL_BREAK.search(fixed):
        fixed = _LITERAL_BREAK.sub("\n", fixed)
        done.append("literal \\n made a line break")
    if not fixed.isascii():
        decoded = ftfy.fix_encoding(_LOSSY_CP437.sub(_cp437_fix, fixed))
        if decoded != fixed:
            fixed = decoded
            done.append("mojibake decoded")
    if "###" in fixed and _COUNTY_TAG.search(fixed):
        fixed = _COUNTY_TAG.sub(" ", fixed)
        done.append("county tag removed")
    stripped = fixed.strip()
    if stripped != fixed and not done:
        done.append("surrounding whitespace trimmed")
    return stripped or None, ("; ".join(done) or None)


_TIME = re.compile(r"^(\d{1,2})(?::(\d{1,2}))?(?::\d{2})?([ap])?m?$")
_COMPACT_TIME = re.compile(r"^(\d{1,2})(\d{2})([ap])?m?$")
_ISO_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")


def clock(value: str) -> tuple[str, str | None, bool]:
    """``(HH:MM, reason, had_meridiem)`` for a time such as ``9:00am`` or ``830am``."""
    if _ISO_TIME.match(value):
        return value, None, True
    compact = re.sub(r"[\s.]", "", value.lower())
    match = _TIME.match(compact) or _COMPACT_TIME.match(compact)
    if not match:
        raise Unrepairable(f"not a time of day: {value!r}")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = match.group(3) or ""
    if minute > 59 or hour > 24 or (meridiem and not 1 <= hour <= 12):
        raise Unrepairable(f"not a time of day: {value!r}")
    if meridiem == "p" and hour < 12:
        hour += 12
    elif meridiem == "a" and hour == 12:
        hour = 0
    hour = 0 if hour == 24 else hour
    return f"{hour:02d}:{minute:02d}", f"time {value!r} written as HH:MM", bool(meridiem)


def opening_hours(
    opens: str | None, closes: str | None
) -> tuple[str | None, str | None, list[str]]:
    """Both times of a schedule repaired together (a bare close time may be p.m.)."""
    reasons = []
    opens_at = closes_at = None
    closes_meridiem = True
    if opens:
        opens_at, reason, _ = clock(opens)
        reasons += [reason] if reason else []
    if closes:
        closes_at, reason, closes_meridiem = clock(closes)
        reasons += [reason] if reason else []
    if opens_at and closes_at and not closes_meridiem and closes_at[:5] <= opens_at[:5]:
        hour = int(closes_at[:2]) + 12
        if hour < 24 and f"{hour:02d}{closes_at[2:]}" > opens_at:
            closes_at = f"{hour:02d}{closes_at[2:]}"
            reasons.append(f"close time {closes!r} read as afternoon")
    return opens_at, closes_at, reasons


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_DOMAIN = re.compile(r"^(//)?[\w-]+(\.[\w-]+)+(:\d+)?([/?#]\S*)?$")


def web_address(value: str) -> tuple[str, str | None]:
    """``www.example.org`` -> ``http://www.example.org`` (a scheme makes it a link)."""
    if _SCHEME.match(value) or not _DOMAIN.match(value):
        return value, None
    fixed = "http://" + value.lstrip("/")
    return fixed, "web address without a scheme; http:// added"


_ZIP = re.compile(r"^(\d{5})(?:[- ]?\d{4})?$")
US_NAMES = {"us", "usa", "u.s.", "u.s.a.", "united states", "united states of america"}


def us_postal_code(value: str) -> tuple[str, str | None]:
    """The 5-digit ZIP of a US postal code (ZIP+4 shortened, lost leading zero restored)."""
    compact = value.strip()
    match = _ZIP.match(compact)
    if match:
        five = match.group(1)
        return five, (None if five == compact else f"ZIP+4 {value!r} kept as ZIP {five}")
    if compact.isdigit() and len(compact) in (3, 4):
        return compact.zfill(5), f"ZIP {value!r} lost its leading zeros"
    return compact, None


def coordinates(
    lat: float | None, lon: float | None
) -> tuple[float | None, float | None, str | None]:
    """Both kept, or both dropped (as missing) with the reason."""
    if lat is None and lon is None:
        return None, None, None
    if lat is None or lon is None:
        return None, None, "only one of latitude and longitude given; both kept as missing"
    if geo.valid_coordinates(lat, lon):
        return lat, lon, None
    return None, None, f"({lat}, {lon}) is not a point on Earth; kept as missing"


def enumeration(value: str, allowed: tuple[str, ...]) -> tuple[str, str | None]:
    """``value`` matched case-, space- and underscore-insensitively to one of ``allowed``."""
    if value in allowed:
        return value, None
    key = re.sub(r"[\s_-]+", " ", value.strip().lower())
    for option in allowed:
        if key == re.sub(r"[\s_-]+", " ", option.lower()):
            return option, f"{value!r} read as {option!r}"
    raise Unrepairable(f"{value!r} is not one of {', '.join(allowed)}")


def number(value: Any, kind: type) -> tuple[Any, str | None]:
    """An int or float from a number or numeric text (``"12 years"`` is not one)."""
    if isinstance(value, bool):
        raise Unrepairable(f"{value!r} is not a number")
    if isinstance(value, int | float):
        if kind is int and isinstance(value, float):
            if not value.is_integer():
                raise Unrepairable(f"{value!r} is not a whole number")
            return int(value), None
        return kind(value), None
    cleaned = str(value).strip().replace(",", "")
    try:
        return (int(cleaned) if kind is int else float(cleaned)), None
    except ValueError:
        if kind is int:
            digits = re.fullmatch(r"(?:ext\.?|x)\s*(\d+)", cleaned, re.I)
            if digits:
                return int(digits.group(1)), f"{value!r} read as {digits.group(1)}"
        raise Unrepairable(f"{value!r} is not a number") from None


def day(value: Any) -> tuple[date, str | None]:
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text_value = str(value).strip()
    try:
        return date.fromisoformat(text_value), None
    except ValueError:
        pass
    try:
        parsed = dateparser.parse(text_value, dayfirst=False, yearfirst=True).date()
    except (ValueError, OverflowError):
        raise Unrepairable(f"{value!r} is not a date") from None
    return parsed, f"date {value!r} read as {parsed.isoformat()}"


def moment(value: Any) -> tuple[datetime, str | None]:
    """An aware datetime; a date or a time without offset is taken as UTC."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)), None
    text_value = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text_value.replace("Z", "+00:00"))
        reason = None
    except ValueError:
        try:
            parsed = dateparser.parse(text_value)
        except (ValueError, OverflowError):
            raise Unrepairable(f"{value!r} is not a date and time") from None
        reason = f"{value!r} read as {parsed.isoformat()}"
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)), reason
