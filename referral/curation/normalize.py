"""Normal forms of the fields duplicates are compared on: names, phones, addresses,
websites. Pure functions; nothing here knows about the database.

Names lose what varies between two records of one organization (case, punctuation,
legal suffixes, "&" for "and", "St." for "Saint") but keep the words that tell two
different organizations apart: jurisdictions (City, County), directions (North,
Southwest) and numbers ("III"). ``distinguishing_tokens`` returns those words.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import phonenumbers

# Legal-form words: "Acme, Inc." and "ACME INC" and "Acme Corporation" are one name.
LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "llc", "corp", "corporation", "co", "ltd", "pa", "pllc", "lp"}
)
# Words too common to tell names apart; dropped after "&" became "and".
NAME_STOPWORDS = frozenset({"the", "and", "of", "a", "an", "at", "for", "in"})
# Abbreviations spelled out, so "St. Vincent Ctr" meets "Saint Vincent Center".
NAME_ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "mt": "mount",
    "ctr": "center",
    "centre": "center",
    "dept": "department",
    "svcs": "services",
    "svc": "service",
    "assn": "association",
    "assoc": "association",
    "intl": "international",
    "natl": "national",
    "univ": "university",
    "hosp": "hospital",
    "comm": "community",
    "bros": "brothers",
    "1st": "first",
    "2nd": "second",
    "3rd": "third",
    "4th": "fourth",
    "5th": "fifth",
}
# Words that make two otherwise equal names two different bodies.
JURISDICTION_TOKENS = frozenset(
    {
        "city", "county", "state", "town", "township", "village", "borough", "parish",
        "district", "region", "regional", "north", "south", "east", "west", "northeast",
        "northwest", "southeast", "southwest", "central", "upper", "lower", "greater",
    }
)  # fmt: skip
_ROMAN = re.compile(r"^(?=[ivxl]+$)x{0,3}(ix|iv|v?i{0,3})$")

DEFAULT_REGION = "US"


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes dropped, other punctuation as spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['’`]", "", text)
    text = text.replace("&", " and ").replace("+", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def name_tokens(name: str | None) -> list[str]:
    """The words of a name that matter, in order, abbreviations spelled out."""
    tokens = [NAME_ABBREVIATIONS.get(t, t) for t in fold(name or "").split()]
    while tokens and tokens[-1] in LEGAL_SUFFIXES:
        tokens.pop()
    return [t for t in tokens if t not in NAME_STOPWORDS and t not in LEGAL_SUFFIXES]


def normalize_name(name: str | None) -> str:
    return " ".join(name_tokens(name))


def distinguishing_tokens(tokens: list[str]) -> frozenset[str]:
    """Jurisdiction and direction words, numbers ("Station 19", "HAC2") and roman
    numerals of a name."""
    return frozenset(
        t
        for t in tokens
        if t in JURISDICTION_TOKENS or any(c.isdigit() for c in t) or _ROMAN.match(t)
    )


def normalize_phone(number: str | None, region: str = DEFAULT_REGION) -> str | None:
    """E.164 ("+14105550100"), or None for what is not a possible phone number."""
    if not number or not re.search(r"\d", number):
        return None
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# USPS street suffixes and unit words, spelled the short way.
STREET_TYPES = {
    "street": "st", "str": "st", "avenue": "ave", "av": "ave", "boulevard": "blvd",
    "road": "rd", "drive": "dr", "lane": "ln", "court": "ct", "place": "pl",
    "terrace": "ter", "highway": "hwy", "parkway": "pkwy", "circle": "cir",
    "square": "sq", "trail": "trl", "way": "way", "plaza": "plz", "expressway": "expy",
    "causeway": "cswy", "turnpike": "tpke", "alley": "aly",
}  # fmt: skip
DIRECTIONALS = {
    "north": "n", "south": "s", "east": "e", "west": "w", "northeast": "ne",
    "northwest": "nw", "southeast": "se", "southwest": "sw",
}  # fmt: skip
UNIT_WORDS = frozenset({"suite", "ste", "unit", "apt", "apartment", "room", "rm", "floor", "fl"})
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")


def normalize_street(line: str | None) -> str:
    """ "400 South Monroe Street, Suite 2" -> "400 s monroe st"; units are dropped
    because one office's mail and visits use different suites."""
    out: list[str] = []
    for token in fold(line or "").split():
        if token in UNIT_WORDS or token.startswith("#"):
            break
        ordinal = _ORDINAL.match(token)
        token = ordinal.group(1) if ordinal else token
        out.append(DIRECTIONALS.get(token) or STREET_TYPES.get(token) or token)
    return " ".join(out)


def normalize_postal(code: str | None) -> str:
    digits = re.sub(r"\D", "", code or "")
    return digits[:5]


def address_key(line: str | None, postal_code: str | None) -> str | None:
    street, postal = normalize_street(line), normalize_postal(postal_code)
    if not street or not re.search(r"\d", street):
        return None  # "PO Box"-less text or a bare city is no address to compare
    return f"{street}|{postal}"


def normalize_website(url: str | None) -> str | None:
    """Host without "www." and path without a trailing slash: "miami.gov/parks"."""
    text = (url or "").strip().lower()
    if not text or " " in text:
        return None
    parts = urlsplit(text if "//" in text else f"//{text}")
    host = (parts.hostname or "").removeprefix("www.")
    if "." not in host:
        return None
    path = parts.path.rstrip("/")
    for index in ("/index.html", "/index.htm", "/index.php", "/default.aspx", "/home"):
        path = path.removesuffix(index)
    return host + path


def website_domain(normalized: str | None) -> str | None:
    return normalized.split("/", 1)[0] if normalized else None


# Domains that many bodies share (governments, umbrella networks): a match there says
# little. Frequency in the data catches the rest (see features.DomainCounts).
SHARED_DOMAIN_SUFFIXES = (".gov", ".us", ".mil", ".k12.fl.us", ".edu")


def is_shared_domain(domain: str | None) -> bool:
    return bool(domain) and str(domain).endswith(SHARED_DOMAIN_SUFFIXES)
