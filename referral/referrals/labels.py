"""The names people read for a referral's outcome codes (HL7 SDOH outcome values kept in
``referral.outcome``), in the reader's language: the referral page, its forms and the
analytics tables and the e-mails show the same words."""

from __future__ import annotations

from flask_babel import lazy_pgettext as _lp

# One referral's outcome: its own message context, apart from the analytics column
# headings of the same English words, which are plural in Spanish ("Recibieron ayuda").
OUTCOME_LABELS = {
    "got-help": _lp("one referral's outcome", "Got help"),
    "not-eligible": _lp("one referral's outcome", "Not eligible"),
    "no-capacity": _lp("one referral's outcome", "No capacity"),
    "could-not-contact": _lp("one referral's outcome", "Could not contact"),
    "could-not-get-help": _lp("one referral's outcome", "Could not get help"),
    "no-longer-interested": _lp("one referral's outcome", "No longer interested"),
    "referred-elsewhere": _lp("one referral's outcome", "Referred elsewhere"),
}


def outcome_label(code: str) -> str:
    """The outcome's name, or the code itself for one this version does not know."""
    label = OUTCOME_LABELS.get(code)
    return str(label) if label is not None else code
