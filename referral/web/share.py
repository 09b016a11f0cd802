"""Sharing chosen services with a client: a printable list, a text message and an
email, in the client's language where there is a template (English, Spanish).

``GET /clients/<id>/share?sal=<id>&sal=<id>`` shows the list and the texts; without
services it offers the client's referred and matched services to choose from.
"Send to client" posts to ``/clients/<id>/share/send``, which puts the message in the
outbox through ``referral.notify.client``: only the way the client asked to be reached
(email or text), never to a client who prefers calls or asked not to be contacted.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from referral import db, notify
from referral.accounts import policy
from referral.accounts.security import no_store
from referral.directory.models import Organization
from referral.i18n import listing_language
from referral.notify.client import channel_for, send_to_client
from referral.notify.models import SMS
from referral.referrals import assessments, share
from referral.referrals.models import Client
from referral.web.clients import client_or_404, now, referrals_of

bp = Blueprint("share", __name__)
TEMPLATE = "service-list"


def _sender(client: Client) -> str:
    organization = db.session().get(Organization, client.organization_id)
    return organization.name if organization is not None else ""


def _choices(client: Client) -> list[dict[str, Any]]:
    """Services to choose from: those referred, then the latest assessment's results."""
    found: dict[str, dict[str, Any]] = {}
    for row in referrals_of(client.id):
        place_id = row["referral"].service_at_location_id
        found.setdefault(
            place_id,
            {"id": place_id, "name": row["service_name"], "organization": row["organization_name"]},
        )
    latest = assessments.latest(db.session(), client.id)
    for need in latest.results if latest else []:
        for result in need.get("results", []):
            place_id = result["service_at_location_id"]
            found.setdefault(
                place_id,
                {
                    "id": place_id,
                    "name": result["service_name"],
                    "organization": result.get("organization_name"),
                },
            )
    return list(found.values())


def _items(place_ids: list[str], language: str) -> list[share.ShareItem]:
    """The services as the client reads them: names in the client's language."""
    return share.items_for(db.session(), place_ids, now().date(), language, listing_language())


@bp.get("/clients/<client_id>/share")
@no_store
def page(client_id: str) -> str:
    client = client_or_404(client_id, policy.VIEW_CLIENT)
    language = share.template_language(client.preferred_language)
    items = _items(request.args.getlist("sal"), language)
    if not items:
        return render_template("share/choose.html", client=client, choices=_choices(client))
    sender = _sender(client)
    texts = share.build_texts(items, language, client.given_name, sender)
    subject, body = notify.render(
        TEMPLATE, language, given_name=client.given_name, organization=sender,
        services_text=texts.email_list,
    )  # fmt: skip
    return render_template(
        "share/page.html",
        client=client,
        sender=sender,
        today=now().date(),
        items=items,
        texts=texts,
        email_subject=subject,
        email_body=body,
        language=language,
        has_template=share.has_template(client.preferred_language),
        route=channel_for(client),
        send_key=uuid.uuid4().hex,
        sms_length=share.gsm_length(texts.sms),
        sms_limit=share.SMS_LIMIT,
        hours_lines=share.hours_lines,
        may_send=policy.can(current_user, policy.EDIT_CLIENT, client),
    )


@bp.post("/clients/<client_id>/share/send")
def send(client_id: str) -> Response:
    """Queues the list the way the client asked to be reached; a repeated form (same
    key) queues it once."""
    client = client_or_404(client_id, policy.EDIT_CLIENT)
    place_ids = request.form.getlist("sal")
    back = url_for("share.page", client_id=client.id, sal=place_ids)
    route = channel_for(client)
    if route is None:
        flash(_("Nothing was sent: this client cannot be sent messages (see below)."), "error")
        return redirect(back, 303)
    session = db.session()
    language = share.template_language(client.preferred_language)
    items = _items(place_ids, language)
    if not items:
        abort(400, description=_("Choose at least one service to send."))
    texts = share.build_texts(items, language, client.given_name, _sender(client))
    key = (request.form.get("send_key") or uuid.uuid4().hex)[:64]
    send_to_client(
        session,
        client,
        TEMPLATE,
        {
            "organization": _sender(client),
            "services_text": texts.sms if route[0] == SMS else texts.email_list,
        },
        related_id=client.id,
        dedupe_key=f"share:{client.id}:{key}",
    )
    session.commit()
    if route[0] == SMS:
        flash(_("Text message queued for %(to)s.", to=route[1]), "info")
    else:
        flash(_("Email queued for %(to)s.", to=route[1]), "info")
    return redirect(back, 303)
