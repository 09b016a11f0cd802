"""Directory pages: browse services, a service's detail, an organization's detail.

Views parse the request, call one function of ``referral.directory``, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    has_app_context,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from referral import db
from referral.directory import detail, listing
from referral.web.listing_language import preload_service_texts

bp = Blueprint("directory", __name__)

STATUS_LABELS = {
    "active": _l("Active"),
    "temporarily closed": _l("Temporarily closed"),
    "inactive": _l("Inactive"),
    "defunct": _l("Closed permanently"),
}


# The week table's day names (referral.directory.hours speaks English; the page
# speaks the reader's language).
DAY_LABELS = {
    "Monday": _l("Monday"),
    "Tuesday": _l("Tuesday"),
    "Wednesday": _l("Wednesday"),
    "Thursday": _l("Thursday"),
    "Friday": _l("Friday"),
    "Saturday": _l("Saturday"),
    "Sunday": _l("Sunday"),
}

# The site's main navigation: (endpoint, label). A link shows only when its page is
# registered, so a feature that is switched off never leaves a broken link behind.
MAIN_NAV = (
    ("directory.browse", _l("Services")),
    ("search.page", _l("Find services")),
    ("matching.page", _l("Match a client")),
    ("inbox.inbox", _l("Inbox")),
    ("clients.index", _l("Clients")),
    ("referrals_list.index", _l("Referrals")),
    ("curation.home", _l("Curation")),
    # Agency admins had to know the address; a keyboard or phone user needs the link.
    ("analytics.dashboard", _l("Analytics")),
)
# Links only some people need: endpoint -> the policy action that shows the link.
NAV_REQUIRES = {
    "inbox.inbox": "referral.respond",
    "clients.index": "client.view",
    "referrals_list.index": "referral.send",
    "curation.home": "directory.review",
    "analytics.dashboard": "analytics.view",
}


@bp.app_context_processor
def main_nav() -> dict[str, object]:
    from flask_login import current_user

    from referral.accounts import policy

    links = [
        (e, label)
        for e, label in MAIN_NAV
        if e in current_app.view_functions
        and (e not in NAV_REQUIRES or policy.can(current_user, NAV_REQUIRES[e]))
    ]
    return {"main_nav": links, "sign_in_available": "accounts.login" in current_app.view_functions}


def today() -> date:
    return datetime.now(UTC).date()


@bp.app_template_filter("long_date")
def long_date(value: date | datetime | None) -> str:
    """'November 27, 2026' / '27 de noviembre de 2026': the month spelled out is
    unambiguous for readers on both sides of the Atlantic."""
    if value is None:
        return ""
    if not has_app_context():  # rendered outside the app (a script): English
        return f"{value:%B} {value.day}, {value.year}"
    return format_date(value, "long")


@bp.app_template_filter("status_label")
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status.capitalize()))


@bp.app_template_filter("day_label")
def day_label(name: str) -> str:
    return str(DAY_LABELS.get(name, name))


@bp.app_template_filter("number")
def number(value: float | int | None) -> str:
    """3.0 -> '3', 2.5 -> '2.5': capacities are counts more often than not."""
    if value is None:
        return ""
    if not has_app_context():
        return f"{value:g}" if isinstance(value, float) else str(value)
    return format_decimal(value, "#,##0.##")


def _browse_url(filters: listing.BrowseFilters) -> Callable[..., str]:
    """A url_for for this list that keeps its filters and leaves defaults out of the URL."""

    def page_url(page: int = 1, **changes: object) -> str:
        params: dict[str, object] = {
            "status": filters.status,
            "organization_id": filters.organization_id,
            "taxonomy_term_id": filters.taxonomy_term_id,
            "per_page": filters.per_page if filters.per_page != listing.PER_PAGE_DEFAULT else None,
        }
        params.update(changes)
        params["page"] = page if page > 1 else None
        return url_for("directory.browse", **{k: v for k, v in params.items() if v})  # type: ignore[arg-type]

    return page_url


@bp.get("/")
def browse() -> tuple[str, int]:
    try:
        filters = listing.parse_filters(request.args)
        page = listing.browse(db.session(), filters, today())
    except listing.InvalidFilters as exc:
        html = render_template(
            "directory/browse.html", page=None, problems=exc.problems, **_browse_choices()
        )
        return html, 400
    preload_service_texts(service.id for service in page.services)
    html = render_template(
        "directory/browse.html",
        page=page,
        problems=(),
        page_url=_browse_url(filters),
        **_browse_choices(),
    )
    return html, 200


def _browse_choices() -> dict[str, object]:
    return {
        "statuses": listing.STATUSES,
        "per_page_choices": (10, 20, 50, listing.PER_PAGE_MAX),
        "per_page_default": listing.PER_PAGE_DEFAULT,
    }


@bp.get("/services/<service_id>")
def service_detail(service_id: str) -> str:
    service = detail.service_detail(db.session(), service_id, today())
    if service is None:
        abort(404, description=_("No service has this address. It may have been removed."))
    from referral.matching.web import checklist_view

    checklist = checklist_view(db.session(), service_id, request.args)
    return render_template(
        "directory/service.html", service=service, today=today(), checklist=checklist
    )


@bp.get("/organizations/<organization_id>")
def organization_detail(organization_id: str) -> str:
    org = detail.organization_detail(db.session(), organization_id, today())
    if org is None:
        abort(404, description=_("No organization has this address. It may have been removed."))
    preload_service_texts(service.id for service in org.services)
    return render_template("directory/organization.html", org=org)
