"""The service's client-facing text in another language, written by its provider:
``/provider/services/<id>/translations/<language>`` for each language the site offers
besides the listings' own. Linked from the service editor, which is long already.

Who may edit the service may edit its translations (``policy.EDIT_LISTING`` on it);
staff whose claim is still pending may not, as for hours and eligibility rules.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from referral import db
from referral.accounts import policy
from referral.accounts.security import no_store
from referral.directory import models as dm
from referral.directory import service_translations as st
from referral.directory.service_translations import LanguageText
from referral.i18n import LANGUAGES, listing_language
from referral.provider.service_form import FormErrors
from referral.provider.translation_form import LABELS, ROWS, parse_translation
from referral.web.search_cards import language_name

bp = Blueprint("provider_translate", __name__, url_prefix="/provider")


def other_languages() -> list[str]:
    """The languages a provider may write a listing's text in, besides its own."""
    return [code for code in LANGUAGES if code != listing_language()]


def _service(service_id: str, language: str) -> dm.Service:
    # "May edit any listing?" first, so people who never could learn nothing of ids.
    policy.require(current_user, policy.EDIT_LISTING)
    service = db.session().get(dm.Service, service_id)
    if service is None or language not in other_languages():
        abort(404, description=_("Nothing has this address. It may have been removed."))
    policy.require(current_user, policy.EDIT_LISTING, service)
    return service


@bp.route("/services/<service_id>/translations/<language>", methods=["GET", "POST"])
@no_store
def service_translation(service_id: str, language: str) -> Any:
    service = _service(service_id, language)
    session = db.session()
    rows = st.rows_for(session, service.id, language)
    values: dict[str, Any] = {f: row.text for f, row in rows.items()}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            edit = parse_translation(request.form)
        except FormErrors as exc:
            values, errors = dict(request.form), exc.errors
        else:
            session.info["actor"] = current_user.email
            saved = st.save(session, service, language, edit.texts, edit.confirm)
            session.commit()
            _say_saved(service, language, saved)
            return redirect(request.path, 303)
    html = render_template(
        "provider/service_translation.html",
        service=service,
        language=language,
        language_label=language_name(language),
        marker=LanguageText("", language),
        fields=[(f, LABELS[f], ROWS.get(f, 3), st.LIMITS[f]) for f in st.FIELDS],
        values=values,
        errors=errors,
        stale=st.stale_fields(service, rows),
    )
    return html, 422 if errors else 200


def _say_saved(service: dm.Service, language: str, saved: st.Saved) -> None:
    if saved.changed or saved.confirmed:
        message = _(
            "Saved the %(language)s text of %(name)s. Search shows it now.",
            language=language_name(language),
            name=service.name,
        )
    else:
        message = _("Nothing changed.")
    flash(message, "info")


@bp.app_template_global()
def translation_summary(service: dm.Service) -> list[dict[str, Any]]:
    """For the service editor: per other language, how many fields are written and
    how many are older than the listing's text."""
    session = db.session()
    found = []
    for language in other_languages():
        rows = st.rows_for(session, service.id, language)
        found.append(
            {
                "language": language,
                "label": language_name(language),
                "written": len(rows),
                "total": len(st.FIELDS),
                "stale": len(st.stale_fields(service, rows)),
            }
        )
    return found
