"""Services chosen for a client, as the client reads them: on paper, by text, by email.

The client-facing words live in ``templates/share/`` with one template per language
(English and Spanish); a client whose preferred language has no template gets
English. The text message is kept within two GSM-7 segments (306 characters) by
dropping detail before dropping services, and says when some did not fit. No Flask:
the notification worker can build the same texts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

import jinja2
from sqlalchemy.orm import Session

from referral import PROJECT_ROOT
from referral.directory import detail, hours, service_translations
from referral.directory.listing import AddressView, PhoneView
from referral.directory.models import ServiceAtLocation
from referral.directory.service_translations import LanguageText

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"
# Two concatenated GSM-7 segments: 153 characters each once the joining header is counted.
SMS_LIMIT = 306
# More services than fit on one printed page are hard to act on.
MAX_ITEMS = 12

DAY_ABBREVIATIONS = {
    "en": dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
                   ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True)),
    "es": dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"),
                   ("lun", "mar", "mié", "jue", "vie", "sáb", "dom"), strict=True)),
}  # fmt: skip
HOURS_WORDS = {
    "en": {"open": "open (times not listed)"},
    "es": {"open": "abierto (sin horario indicado)"},
}

# GSM 03.38: the basic set costs one unit a character, the extension table two.
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = "^{}\\[~]|€\f"
# Characters common in names and Spanish text that GSM-7 lacks, and their stand-ins;
# one of them would switch the whole message to UCS-2 (70 characters a segment).
GSM_STAND_INS = {
    "á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U",
    "–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "\u00a0": " ",
    "\u202f": " ",
}  # fmt: skip


@dataclass(frozen=True)
class ShareItem:
    service_at_location_id: str
    service_id: str
    name: str
    organization: str | None
    address: AddressView | None
    phones: tuple[PhoneView, ...]
    hours: hours.WeeklyHours
    documents: tuple[str, ...]
    directions: str | None
    website: str | None

    @property
    def phone(self) -> str | None:
        if not self.phones:
            return None
        first = self.phones[0]
        return f"{first.number} x{first.extension}" if first.extension else first.number

    @property
    def address_line(self) -> str | None:
        if self.address is None:
            return None
        parts = [self.address.address_1, self.address.address_2, self.address.locality]
        return ", ".join(p for p in parts if p)


@dataclass(frozen=True)
class Texts:
    language: str
    sms: str
    sms_left_out: int
    # The services block of the email; ``templates/notify/service-list`` adds the
    # subject and greeting around it.
    email_list: str


def template_language(preferred: str | None) -> str:
    """'es' or 'es-MX' -> 'es' (as the outbox picks templates); no template -> 'en'."""
    code = (preferred or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def has_template(preferred: str | None) -> bool:
    code = (preferred or "").strip().lower().replace("_", "-").split("-")[0]
    return not code or code in LANGUAGES


def items_for(
    session: Session,
    place_ids: Sequence[str],
    today: date,
    language: str = DEFAULT_LANGUAGE,
    listing_language: str = DEFAULT_LANGUAGE,
) -> list[ShareItem]:
    """The chosen service-at-locations in the order given; unknown ids are skipped.
    Names are in ``language`` where the provider wrote them so, else in the listing's."""
    found = []
    for place_id in list(dict.fromkeys(place_ids))[:MAX_ITEMS]:
        place = session.get(ServiceAtLocation, place_id)
        if place is None or place.service_id is None:
            continue
        service = detail.service_detail(session, place.service_id, today)
        if service is not None:
            found.append(_item(place, service))
    if language == listing_language:
        return found
    texts = service_translations.texts_for(session, [i.service_id for i in found], language)
    return [_named(item, texts.get(item.service_id, {}), language) for item in found]


def _named(item: ShareItem, texts: dict[str, str], language: str) -> ShareItem:
    if not texts.get("name"):
        return item
    return replace(item, name=LanguageText(texts["name"], language))


def _item(place: ServiceAtLocation, service: detail.ServiceDetail) -> ShareItem:
    location = next((loc for loc in service.locations if loc.id == place.location_id), None)
    phones = (location.phones if location else ()) or service.phones
    place_hours = location.hours if location and location.hours.listed else service.hours
    return ShareItem(
        service_at_location_id=place.id,
        service_id=service.id,
        name=service.name,
        organization=service.organization.name if service.organization else None,
        address=location.addresses[0] if location and location.addresses else None,
        phones=phones,
        hours=place_hours,
        documents=tuple(d.text for d in service.required_documents if d.text),
        directions=location.transportation if location else None,
        website=service.website.href if service.website else None,
    )


def hours_lines(weekly: hours.WeeklyHours, language: str) -> list[str]:
    """'Mon-Fri: 9:00 AM – 5:00 PM' ('lun-vie: 9:00 – 17:00'): days with the same hours
    run together; closed days are left out; notes the table cannot show follow, ours in
    ``language`` and the listing's as given."""
    names = DAY_ABBREVIATIONS.get(language, DAY_ABBREVIATIONS[DEFAULT_LANGUAGE])
    words = HOURS_WORDS.get(language, HOURS_WORDS[DEFAULT_LANGUAGE])
    runs: list[tuple[list[str], tuple[hours.Text, ...]]] = []
    for day in weekly.days:
        if not day.spans:
            continue
        if runs and runs[-1][1] == day.spans and _next_day(runs[-1][0][-1]) == day.code:
            runs[-1][0].append(day.code)
        else:
            runs.append(([day.code], day.spans))
    lines = []
    for codes, spans in runs:
        days = names[codes[0]] if len(codes) == 1 else f"{names[codes[0]]}-{names[codes[-1]]}"
        text = ", ".join(
            words["open"] if s == hours.span(None, None) else hours.in_language(s, language)
            for s in spans
        )
        lines.append(f"{days}: {text}")
    return lines + [hours.in_language(note, language) for note in weekly.notes]


def _next_day(code: str) -> str:
    order = [c for c, _ in hours.DAYS]
    return order[(order.index(code) + 1) % len(order)]


def to_gsm(text: str) -> str:
    """The text in the GSM-7 alphabet: accents GSM lacks become plain letters."""
    out = []
    for char in text:
        char = GSM_STAND_INS.get(char, char)
        if char in GSM_BASIC or char in GSM_EXTENDED or len(char) > 1:
            out.append(char)
            continue
        plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        out.append(plain if plain else "?")
    return "".join(out)


def gsm_length(text: str) -> int:
    return sum(2 if char in GSM_EXTENDED else 1 for char in text)


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROJECT_ROOT / "templates" / "share")),
        autoescape=False,  # plain text for SMS and email bodies, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        undefined=jinja2.StrictUndefined,
    )


def _render(template_name: str, language: str, **context: object) -> str:
    template = _environment().get_template(f"{template_name}_{language}.txt")
    return template.render(hours_lines=hours_lines, language=language, **context).strip()


def build_texts(
    items: Sequence[ShareItem], language: str, client_first_name: str, sender: str
) -> Texts:
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    sms, left_out = sms_text(items, language, client_first_name, sender)
    return Texts(language, sms, left_out, _render("email_list", language, items=items))


def sms_text(
    items: Sequence[ShareItem], language: str, client_first_name: str, sender: str
) -> tuple[str, int]:
    """The fullest message within SMS_LIMIT, and how many services it had to leave out.
    Tries organizations, phones and addresses for all, then without addresses, then
    without organizations, then fewer services."""
    for detail_level in ("full", "phone", "brief"):
        text = _sms(items, language, client_first_name, sender, detail_level, 0)
        if gsm_length(text) <= SMS_LIMIT:
            return text, 0
    for keep in range(len(items) - 1, -1, -1):
        left_out = len(items) - keep
        text = _sms(items[:keep], language, client_first_name, sender, "brief", left_out)
        if gsm_length(text) <= SMS_LIMIT:
            return text, left_out
    # Only a very long sender name gets here: cut it rather than send nothing.
    text = _sms((), language, client_first_name, sender[:40], "brief", len(items))
    return text[:SMS_LIMIT], len(items)


def _sms(
    items: Sequence[ShareItem], language: str, name: str, sender: str, level: str, more: int
) -> str:
    text = _render("sms", language, items=items, name=name, sender=sender, level=level, more=more)
    return to_gsm(text)
