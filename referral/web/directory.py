"""Directory pages: browse services, a service's detail, an organization's detail.

Views parse the request, call one function of ``referral.directory``, and render.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import Blueprint, abort, current_app, render_template, request, url_for

from referral import db
from referral.directory import detail, listing

bp = Blueprint("directory", __name__)

STATUS_LABELS = {
    "active": "Active",
    "temporarily closed": "Temporarily closed",
    "inactive": "Inactive",
    "defunct": "Closed permanently",
}


# The site's main navigation: (endpoint, label). A link shows only when its page is
# registered, so a feature that is switched off never leaves a broken link behind.
MAIN_NAV = (
    ("directory.browse", "Services"),
    ("search.page", "Find services"),
    ("matching.page", "Match a client"),
)


@bp.app_context_processor
def main_nav() -> dict[str, object]:
    links = [(e, label) for e, label in MAIN_NAV if e in current_app.view_functions]
    return {"main_nav": links, "sign_in_available": "accounts.login" in current_app.view_functions}


def today() -> date:
    return datetime.now(UTC).date()


@bp.app_template_filter("long_date")
def long_date(value: date | datetime | None) -> str:
    """'November 27, 2026': unambiguous for readers on both sides of the Atlantic."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


@bp.app_template_filter("status_label")
def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.capitalize())


@bp.app_template_filter("number")
def number(value: float | int | None) -> str:
    """3.0 -> '3', 2.5 -> '2.5': capacities are counts more often than not."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


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
        abort(404, description="No service has this address. It may have been removed.")
    from referral.matching.web import checklist_view

    checklist = checklist_view(db.session(), service_id, request.args)
    return render_template(
        "directory/service.html", service=service, today=today(), checklist=checklist
    )


@bp.get("/organizations/<organization_id>")
def organization_detail(organization_id: str) -> str:
    org = detail.organization_detail(db.session(), organization_id, today())
    if org is None:
        abort(404, description="No organization has this address. It may have been removed.")
    return render_template("directory/organization.html", org=org)
