"""Merging two records of one person from the client page: the page shows both
records side by side and what will move; the POST (with the CSRF token) folds the
duplicate into the record the page is for (``clients.merge_clients``).

Only those who may edit the client (its organization's case managers) get here; a
duplicate they may not edit is refused the same way as the client itself.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import audit, auth, policy
from referral.accounts.security import no_store
from referral.referrals import clients
from referral.referrals.models import Client
from referral.web import client_forms as forms
from referral.web.clients import client_or_404, now

bp = Blueprint("client_merge", __name__)
ROUTE = "/clients/<client_id>/merge/<duplicate_id>"


def _pair(client_id: str, duplicate_id: str) -> tuple[Client, Client] | Response:
    """Both records, or a redirect back to the client page saying why they cannot merge."""
    survivor = client_or_404(client_id, policy.EDIT_CLIENT)
    if duplicate_id == survivor.id:
        return _refuse(survivor, _("A record cannot be merged into itself."))
    duplicate = client_or_404(duplicate_id, policy.EDIT_CLIENT)
    if duplicate.organization_id != survivor.organization_id:
        return _refuse(
            survivor, _("These records belong to different organizations: they cannot be merged.")
        )
    return survivor, duplicate


def _refuse(survivor: Client, message: str) -> Response:
    flash(message, "error")
    return redirect(url_for("clients.detail", client_id=survivor.id), 303)


@bp.get(ROUTE)
@no_store
def confirm(client_id: str, duplicate_id: str) -> str | Response:
    pair = _pair(client_id, duplicate_id)
    if isinstance(pair, Response):
        return pair
    survivor, duplicate = pair
    session = db.session()
    for record in pair:
        audit.record_client_read(session, auth.context(), record.id, record.organization_id)
    session.commit()
    return render_template(
        "clients/merge.html",
        survivor=survivor,
        duplicate=duplicate,
        kept=clients.merge_preview(session, survivor.id),
        moving=clients.merge_preview(session, duplicate.id),
        filled=clients.fields_to_fill(survivor, duplicate),
        labels=_labels(),
        preferences=forms.CONTACT_LABELS,
        languages=dict(forms.LANGUAGE_CHOICES),
    )


def _labels() -> dict[str, str]:
    return {
        "referral": _("Referrals"),
        "consent": _("Consents"),
        "client_fact": _("Facts"),
        "assessment": _("Assessments"),
        "email": _("Email"),
        "phone": _("Phone"),
        "address": _("Address"),
        "preferred_language": _("Preferred language"),
    }


@bp.post(ROUTE)
def merge(client_id: str, duplicate_id: str) -> Response:
    pair = _pair(client_id, duplicate_id)
    if isinstance(pair, Response):
        return pair
    survivor, duplicate = pair
    name = duplicate.name
    session = db.session()
    try:
        clients.merge_clients(
            session, survivor.id, duplicate.id, current_user, now(), auth.context()
        )
    except clients.ClientError:
        # The pair was checked above, so the service refusing it means someone else
        # merged, removed or moved one of the records in between. Its detail is English,
        # for developers; the page says why in the user's language.
        session.rollback()
        return _refuse(
            survivor,
            _(
                "The records were not merged: one of them was changed by someone else in the"
                " meantime (merged, removed or moved to another organization). Check both"
                " records and try again."
            ),
        )
    session.commit()
    flash(_("The record of %(name)s was merged into this one.", name=name), "info")
    return redirect(url_for("clients.detail", client_id=survivor.id), 303)
