"""The names people read for a referral's outcome codes (HL7 SDOH outcome values kept in
``referral.outcome``), in the reader's language: the referral page, its forms and the
analytics tables show the same words."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

OUTCOME_LABELS = {
    "got-help": _l("Got help"),
    "not-eligible": _l("Not eligible"),
    "no-capacity": _l("No capacity"),
    "could-not-contact": _l("Could not contact"),
    "could-not-get-help": _l("Could not get help"),
    "no-longer-interested": _l("No longer interested"),
    "referred-elsewhere": _l("Referred elsewhere"),
}


def outcome_label(code: str) -> str:
    """The outcome's name, or the code itself for one this version does not know."""
    label = OUTCOME_LABELS.get(code)
    return str(label) if label is not None else code
