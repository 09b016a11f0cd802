"""Why two records look alike, in the reader's language.

``scoring.score_pair`` writes its reasons as short English phrases, and the review queue
stores them (``duplicate_candidate.reasons``) and the evaluation prints them. Pages read
each stored phrase back through the patterns below and show it translated; a phrase no
pattern knows (written by another version) is shown as stored, marked as English.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from referral.i18n import current_language

PUBLIC_DOMAIN = " (a public-body domain)"
SAME = {
    "phone": (_l("same phone"), _l("same phone (used by %(n)s organizations)")),
    "address": (_l("same address"), _l("same address (used by %(n)s organizations)")),
    "website": (_l("same website"), _l("same website (used by %(n)s organizations)")),
    "website domain": (
        _l("same website domain"),
        _l("same website domain (used by %(n)s organizations)"),
    ),
}
FIXED = {
    "one place: same address, same or unknown organization": _l(
        "one place: same address, same or unknown organization"
    ),
    "names too different": _l("names too different"),
    "different organizations": _l("different organizations"),
}


def _same(m: re.Match[str]) -> str:
    alone, shared = SAME[m["what"]]
    return str(shared) % {"n": m["n"]} if m["n"] else str(alone)


PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (
        re.compile(r"names (?P<pct>\d+)% alike"),
        lambda m: str(_l("names %(pct)s%% alike")) % {"pct": m["pct"]},
    ),
    (
        re.compile(r"names differ in (?P<words>.+)"),
        lambda m: str(_l("names differ in %(words)s")) % {"words": m["words"]},
    ),
    (
        re.compile(r"same (?P<what>website domain|website|phone|address)"
                   r"(?: \(used by (?P<n>\d+) organizations\))?"),
        _same,
    ),
    (
        re.compile(r"(?P<m>\d+) m apart"),
        lambda m: str(_l("%(metres)s m apart")) % {"metres": m["m"]},
    ),
)  # fmt: skip


def translated(reason: str) -> str | None:
    """The stored phrase in the reader's language, or None when no pattern knows it."""
    public = reason.endswith(PUBLIC_DOMAIN)
    core = reason.removesuffix(PUBLIC_DOMAIN)
    shown: str | None = str(FIXED[core]) if core in FIXED else None
    for pattern, render in PATTERNS if shown is None else ():
        found = pattern.fullmatch(core)
        if found:
            shown = render(found)
            break
    if shown is None:
        return None
    return shown + str(_l(" (a public-body domain)")) if public else shown


def shown_reasons(reasons: list[str] | tuple[str, ...] | None) -> Markup:
    """The reasons joined with "; " for a page; unknown ones keep their English, marked."""
    parts = []
    for reason in reasons or ():
        text = translated(reason)
        if text is None and current_language() != "en":
            parts.append(Markup('<span lang="en">{}</span>').format(reason))
        else:
            parts.append(escape(text if text is not None else reason))
    return Markup("; ").join(parts)
