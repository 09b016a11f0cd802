"""duplicate_candidate.reasons as codes with parameters instead of English phrases.

Until now the scorer wrote each reason as a short English phrase ("names 87% alike",
"same phone (used by 4 organizations)") and the review pages read the phrases back with
patterns to translate them. Reasons are now JSON objects (``{"code": "names-alike",
"percent": 87}``) put into words when shown. This rewrites the stored phrases with the
patterns the pages used (copied here: the app's code will change, this must not); a
phrase no pattern reads is kept whole as ``{"code": "text", "text": ...}``. Downgrade
writes the phrases back, so the round trip loses nothing. Rows are read and written in
batches in Python, which runs the same on SQLite and PostgreSQL (a JSON column).

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28
"""

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500
PUBLIC_DOMAIN = " (a public-body domain)"
FIXED = {
    "one place: same address, same or unknown organization": "one-place",
    "names too different": "names-too-different",
    "different organizations": "different-organizations",
}
SHARED = {
    "phone": "same-phone",
    "address": "same-address",
    "website": "same-website",
    "website domain": "same-domain",
}
NAMES_ALIKE = re.compile(r"names (?P<pct>\d+)% alike")
NAMES_DIFFER = re.compile(r"names differ in (?P<words>.+)")
SAME = re.compile(
    r"same (?P<what>website domain|website|phone|address)"
    r"(?: \(used by (?P<n>\d+) organizations\))?"
)
APART = re.compile(r"(?P<m>\d+) m apart")
# The codes without parameters (bar a count), back to their phrases.
PHRASES = {code: text for text, code in FIXED.items()} | {
    code: f"same {what}" for what, code in SHARED.items()
}

candidates = sa.table(
    "duplicate_candidate", sa.column("id", sa.Integer), sa.column("reasons", sa.JSON)
)


def _read(core: str) -> dict[str, Any] | None:
    if core in FIXED:
        return {"code": FIXED[core]}
    if found := NAMES_ALIKE.fullmatch(core):
        return {"code": "names-alike", "percent": int(found["pct"])}
    if found := NAMES_DIFFER.fullmatch(core):
        return {"code": "names-differ", "words": found["words"].split(", ")}
    if found := SAME.fullmatch(core):
        reason: dict[str, Any] = {"code": SHARED[found["what"]]}
        if found["n"]:
            reason["organizations"] = int(found["n"])
        return reason
    if found := APART.fullmatch(core):
        return {"code": "near", "metres": int(found["m"])}
    return None


def structured(phrase: Any) -> Any:
    """One stored phrase as a code with parameters; anything else as it is."""
    if not isinstance(phrase, str):
        return phrase
    public = phrase.endswith(PUBLIC_DOMAIN)
    reason = _read(phrase.removesuffix(PUBLIC_DOMAIN))
    if reason is None or (public and reason["code"] not in ("same-website", "same-domain")):
        return {"code": "text", "text": phrase}
    return {**reason, "public_body": True} if public else reason


def phrase(reason: Any) -> Any:
    """One structured reason as the English phrase the earlier version wrote."""
    if not isinstance(reason, dict):
        return reason
    code = reason.get("code")
    if code == "text":
        return str(reason.get("text"))
    if code == "names-alike":
        text = f"names {reason['percent']}% alike"
    elif code == "names-differ":
        text = "names differ in " + ", ".join(reason["words"])
    elif code == "near":
        text = f"{reason['metres']} m apart"
    elif code in PHRASES:
        text = PHRASES[code]
        if reason.get("organizations"):
            text += f" (used by {reason['organizations']} organizations)"
    else:  # a code added after this revision: its name says the most
        return str(code)
    return text + PUBLIC_DOMAIN if reason.get("public_body") else text


def _rewrite(convert: Callable[[Any], Any]) -> None:
    bind = op.get_bind()
    last = None
    while True:
        query = sa.select(candidates.c.id, candidates.c.reasons).order_by(candidates.c.id)
        if last is not None:
            query = query.where(candidates.c.id > last)
        rows = bind.execute(query.limit(BATCH)).all()
        if not rows:
            return
        for row_id, reasons in rows:
            rewritten = [convert(r) for r in reasons or []]
            if rewritten != reasons:
                bind.execute(
                    candidates.update().where(candidates.c.id == row_id).values(reasons=rewritten)
                )
        last = rows[-1].id


def upgrade() -> None:
    _rewrite(structured)


def downgrade() -> None:
    _rewrite(phrase)
