"""The case manager's client pages: the list, a new client, the client page, editing.

Clients belong to an organization; only its case managers see them (the policy's
VIEW_CLIENT / EDIT_CLIENT on the client). Every view of a client page writes a
security audit row, as the API does. Consents, referrals and sharing post from the
client page to ``referral.web.client_actions`` and ``referral.web.share``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import ColumnElement, func, or_, select
from werkzeug.wrappers import Response

from referral import db
from referral.accounts import audit, auth, policy
from referral.accounts.models import User
from referral.accounts.security import no_store
from referral.directory.models import Organization, Service, ServiceAtLocation
from referral.i18n import need_label
from referral.matching import codes
from referral.referrals import assessments, clients, service
from referral.referrals.models import Client, Referral
from referral.web import client_forms as forms

bp = Blueprint("clients", __name__)
PER_PAGE = 25
ORG_SEARCH_LIMIT = 20


def now() -> datetime:
    return datetime.now(UTC)


@bp.app_template_filter("contact_label")
def contact_label(preference: str) -> str:
    return str(forms.CONTACT_LABELS.get(preference, preference))


@bp.app_template_global()
def can_refer_anyone() -> bool:
    return policy.can(current_user, policy.SEND_REFERRAL)


@bp.app_template_global()
def referral_url(referral_id: str) -> str:
    """The referral's own page (``referral.web.referral_page``)."""
    return url_for("referral_page.show", referral_id=referral_id)


def my_organizations(action: str) -> list[str]:
    """Organizations where the signed-in user may do ``action`` (by a role held there)."""
    return sorted(
        {
            org
            for org, _role in policy.roles(current_user)
            if org is not None and policy.can(current_user, action, org)
        }
    )


def client_or_404(client_id: str, action: str) -> Client:
    """Refuses people with no right to any client before saying whether the id exists."""
    policy.require(current_user, action)
    client = db.session().get(Client, client_id)
    if client is None:
        abort(404)
    policy.require(current_user, action, client)
    return client


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


@bp.get("/clients")
@no_store
def index() -> str:
    policy.require(current_user, policy.VIEW_CLIENT)
    q = (request.args.get("q") or "").strip()[:200]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    conditions: list[ColumnElement[bool]] = [
        Client.organization_id.in_(my_organizations(policy.VIEW_CLIENT))
    ]
    for word in q.split():
        pattern = _like(word)
        conditions.append(
            or_(
                func.lower(Client.given_name).like(pattern, escape="\\"),
                func.lower(Client.family_name).like(pattern, escape="\\"),
            )
        )
    session = db.session()
    total = session.scalar(select(func.count()).select_from(Client).where(*conditions)) or 0
    rows = session.scalars(
        select(Client)
        .where(*conditions)
        .order_by(Client.created_at.desc(), Client.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    pages = max((total + PER_PAGE - 1) // PER_PAGE, 1)

    def page_url(number: int) -> str:
        return url_for("clients.index", q=q or None, page=number if number > 1 else None)

    return render_template(
        "clients/list.html",
        clients=rows,
        q=q,
        page=page,
        pages=pages,
        total=total,
        page_url=page_url,
    )


@bp.get("/clients/new")
@no_store
def new_form() -> str:
    policy.require(current_user, policy.EDIT_CLIENT)
    return _client_form(forms.Parsed({"contact_preference": "phone"}), None)


def _client_form(parsed: forms.Parsed, client: Client | None) -> str:
    organizations = _organization_names(my_organizations(policy.EDIT_CLIENT))
    return render_template(
        "clients/form.html",
        client=client,
        values=parsed.values,
        errors=parsed.errors,
        organizations=organizations,
        languages=forms.LANGUAGE_CHOICES,
        preferences=forms.CONTACT_LABELS,
    )


@bp.post("/clients/new")
def create() -> Response | tuple[str, int]:
    policy.require(current_user, policy.EDIT_CLIENT)
    parsed = forms.read_client(request.form, now().date())
    mine = my_organizations(policy.EDIT_CLIENT)
    organization_id = request.form.get("organization_id") or (mine[0] if len(mine) == 1 else "")
    if organization_id:
        policy.require(current_user, policy.EDIT_CLIENT, organization_id)
    else:
        parsed.errors["organization_id"] = _("Choose the organization that serves this client.")
    if parsed.errors:
        return _client_form(parsed, None), 400
    session = db.session()
    new = clients.NewClient(organization_id=organization_id, **parsed.values)
    client = clients.create_client(session, new, current_user)
    session.commit()
    flash(_("Client %(name)s created.", name=client.name), "info")
    return redirect(url_for("clients.detail", client_id=client.id, created=1), 303)


@bp.get("/clients/<client_id>/edit")
@no_store
def edit_form(client_id: str) -> str:
    client = client_or_404(client_id, policy.EDIT_CLIENT)
    values = {name: getattr(client, name) for name in forms.CLIENT_FIELDS}
    values["birth_date"] = client.birth_date.isoformat() if client.birth_date else ""
    return _client_form(forms.Parsed(values), client)


@bp.post("/clients/<client_id>/edit")
def update(client_id: str) -> Response | tuple[str, int]:
    client = client_or_404(client_id, policy.EDIT_CLIENT)
    parsed = forms.read_client(request.form, now().date())
    if parsed.errors:
        return _client_form(parsed, client), 400
    for name, value in parsed.values.items():
        setattr(client, name, value)
    db.session().commit()
    flash(_("Client details saved."), "info")
    return redirect(url_for("clients.detail", client_id=client.id), 303)


@bp.get("/clients/<client_id>")
@no_store
def detail(client_id: str) -> str:
    client = client_or_404(client_id, policy.VIEW_CLIENT)
    session = db.session()
    audit.record_client_read(session, auth.context(), client.id, client.organization_id)
    session.commit()
    return render_client_page(client)


def render_client_page(
    client: Client, consent_errors: dict[str, str] | None = None, consent_values: Any = None
) -> str:
    session = db.session()
    history = assessments.assessments_of(session, client.id)
    referral_rows = referrals_of(client.id)
    people = _people(
        [f.recorded_by_id for f in client.facts]
        + [a.created_by_id for a in history]
        + [c.obtained_by_id for c in client.consents]
        + [c.revoked_by_id for c in client.consents]
    )
    return render_template(
        "clients/detail.html",
        client=client,
        duplicates=_duplicates(client),
        just_created=request.args.get("created") == "1",
        facts=sorted(client.facts, key=lambda f: (f.observed_on, f.recorded_at), reverse=True),
        assessments=history,
        referrals=referral_rows,
        consents=sorted(client.consents, key=lambda c: c.recorded_at, reverse=True),
        consent_active={c.id: _in_force(c) for c in client.consents},
        organization_names=_organization_names(_named_organizations(client)),
        consent_choices=_consent_choices(client, referral_rows),
        consent_errors=consent_errors or {},
        consent_values=consent_values or {},
        people=people,
        domains=list(codes.sdoh_codes().values()),
        need_name=need_label,
        preferences=forms.CONTACT_LABELS,
        languages=dict(forms.LANGUAGE_CHOICES),
        methods=forms.METHOD_LABELS,
        purposes=forms.PURPOSE_LABELS,
        fact_labels=forms.FACT_LABELS,
        fact_text=forms.fact_text,
        today=now().date(),
        may_edit=policy.can(current_user, policy.EDIT_CLIENT, client),
        may_refer=policy.can(current_user, policy.SEND_REFERRAL, client),
    )


def _in_force(consent: Any) -> bool:
    terms = clients.terms_of([consent])[0]
    today = now().date()
    return (
        terms.revoked_at is None
        and terms.starts_on <= today
        and (terms.ends_on is None or terms.ends_on >= today)
    )


def _duplicates(client: Client) -> list[tuple[Client, float | None]]:
    """Clients flagged when this one was created, and any that look alike now."""
    session = db.session()
    found: dict[str, tuple[Client, float | None]] = {
        other.id: (other, score)
        for other, score in clients.find_possible_duplicates(session, client)
    }
    for other_id in clients.possible_duplicate_ids(session, client.id):
        other = session.get(Client, other_id)
        if other is not None and other_id not in found:
            found[other_id] = (other, None)
    return [
        pair for pair in found.values() if policy.can(current_user, policy.VIEW_CLIENT, pair[0])
    ]


def referrals_of(client_id: str) -> list[dict[str, Any]]:
    session = db.session()
    rows = session.execute(
        select(Referral, Service.name, Organization.name)
        .join(ServiceAtLocation, ServiceAtLocation.id == Referral.service_at_location_id)
        .join(Service, Service.id == ServiceAtLocation.service_id)
        .join(Organization, Organization.id == Referral.recipient_organization_id)
        .where(Referral.client_id == client_id)
        .order_by(Referral.created_at.desc(), Referral.id)
    ).all()
    moment = now()
    return [
        {
            "referral": referral,
            "service_name": service_name,
            "organization_name": organization_name,
            "overdue": service.is_overdue(referral, moment),
        }
        for referral, service_name, organization_name in rows
    ]


def _people(ids: Iterable[str | None]) -> dict[str, str]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    users = db.session().scalars(select(User).where(User.id.in_(wanted)))
    return {u.id: u.name or u.email for u in users}


def _organization_names(ids: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = db.session().execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(wanted))
    )
    return {org_id: name for org_id, name in rows}


def _named_organizations(client: Client) -> set[str]:
    return {org for c in client.consents for org in c.recipient_organization_ids}


def _consent_choices(client: Client, referral_rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Organizations offered as consent recipients: the one a refer attempt asked for
    (``?recipient=``), those the client was referred to, and a name search (``?org_q=``)."""
    ids: dict[str, None] = {}
    for asked in [request.args.get("recipient"), *request.form.getlist("recipient")]:
        if asked:
            ids[asked] = None
    for row in referral_rows:
        ids[row["referral"].recipient_organization_id] = None
    q = (request.args.get("org_q") or "").strip()[:200]
    if q:
        found = db.session().scalars(
            select(Organization.id)
            .where(func.lower(Organization.name).like(_like(q), escape="\\"))
            .order_by(Organization.name)
            .limit(ORG_SEARCH_LIMIT)
        )
        ids.update(dict.fromkeys(found))
    names = _organization_names(ids)
    return [(org_id, names[org_id]) for org_id in ids if org_id in names]
