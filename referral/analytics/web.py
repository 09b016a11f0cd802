"""The analytics pages: the agency dashboard (``/analytics``) and a provider's own view
(``/analytics/provider``), each table downloadable as CSV and drawn as an SVG chart.

GET only: nothing here changes data. Bad filters re-render the page with the message
beside the field (status 400); the CSV and chart routes answer 400 plainly.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from referral import db
from referral.accounts.security import no_store
from referral.analytics import access, charts, tables
from referral.analytics.filters import FILTER_FIELDS, Filters, InvalidFilter, parse_filters
from referral.analytics.metrics import DEFINITIONS
from referral.directory.models import Organization
from referral.i18n import current_language
from referral.matching import codes

bp = Blueprint("analytics", __name__, url_prefix="/analytics")

DASHBOARD_TABLES = (
    "summary",
    "funnel",
    "by-month",
    "by-need",
    "by-provider",
    "by-organization",
    "rejections",
    "unmet-needs",
    "freshness-organizations",
    "freshness-taxonomy",
)
DASHBOARD_CHARTS = ("funnel", "monthly", "need", "reasons")


def now() -> datetime:
    return datetime.now(UTC)


def _filters(view: access.View, **fixed: str) -> Filters:
    args = {**request.args.to_dict(), **fixed}
    return parse_filters(args, now().date()).with_scope(view.scope)


def _shareable() -> bool:
    return request.args.get("shareable") in ("1", "on", "true")


def _agency() -> tuple[access.View, str | None]:
    organization = (request.args.get("organization") or "").strip() or None
    return access.agency_view(current_user, organization), organization


def _provider() -> tuple[access.View, str]:
    own = sorted(access.provider_organizations(current_user))
    organization = (request.args.get("organization") or "").strip() or (own[0] if own else "")
    if not organization:
        access.provider_view(current_user, access.EVERY_ORGANIZATION)  # 403 unless global
        abort(400, "Choose a provider organization (?organization=ID).")
    return access.provider_view(current_user, organization), organization


# Tables built in the last minute, so the charts a page shows (each its own request)
# reuse the page's tables instead of computing them again. Figures a minute old are
# fine for analytics; the key holds everything the figures and labels depend on.
# REFERRAL_ANALYTICS_REUSE_SECONDS changes the minute; 0 computes every request.
RECENT_SECONDS = 60
RECENT_MOST = 64
_recent: dict[tuple[Any, ...], tuple[float, tables.Table]] = {}
_recent_lock = threading.Lock()


def _build(
    view: access.View, f: Filters, names: Iterable[str], organization: str | None
) -> tuple[dict[str, tables.Table], bool]:
    suppress = view.suppress(organization, _shareable())
    # Rows carry labels in the reader's language: a table is reused in its language only.
    base = (f, f.scope, suppress, current_app.config.get("DATABASE_URL"), current_language())
    wanted = list(names)
    moment = time.monotonic()
    # A test app has its own data behind the same filters in each test: no reuse.
    reuse = current_app.config.get(
        "ANALYTICS_REUSE_SECONDS", 0 if current_app.testing else RECENT_SECONDS
    )
    with _recent_lock:
        found = {
            n: hit[1]
            for n in wanted
            if (hit := _recent.get((*base, n))) and moment - hit[0] < reuse
        }
    missing = [n for n in wanted if n not in found]
    if missing:
        ctx = tables.Context(db.session(), f, now())
        fresh = tables.build_all(ctx, missing, suppress)
        with _recent_lock:
            if len(_recent) > RECENT_MOST or not reuse:
                _recent.clear()
            if reuse:
                _recent.update({(*base, n): (moment, t) for n, t in fresh.items()})
        found.update(fresh)
    return {n: found[n] for n in wanted}, suppress


@bp.get("")
@no_store
def dashboard() -> tuple[str, int] | str:
    view, organization = _agency()
    try:
        f = _filters(view)
    except InvalidFilter as error:
        return _page("analytics/dashboard.html", view, None, {}, False, error), 400
    built, suppress = _build(view, f, DASHBOARD_TABLES, organization)
    return _page("analytics/dashboard.html", view, f, built, suppress)


@bp.get("/provider")
@no_store
def provider() -> tuple[str, int] | str:
    view, organization = _provider()
    try:
        f = _filters(view, provider=organization, organization="")
    except InvalidFilter as error:
        return _page("analytics/provider.html", view, None, {}, False, error, organization), 400
    built, suppress = _build(view, f, tables.PROVIDER_TABLES, organization)
    return _page("analytics/provider.html", view, f, built, suppress, None, organization)


def _page(
    template: str,
    view: access.View,
    f: Filters | None,
    built: dict[str, tables.Table],
    suppress: bool,
    error: InvalidFilter | None = None,
    provider_id: str | None = None,
) -> str:
    session = db.session()
    return render_template(
        template,
        filters=f,
        values=request.args,
        tables=built,
        suppress=suppress,
        error=error,
        definitions=DEFINITIONS,
        filter_fields=FILTER_FIELDS,
        organizations=_organization_choices(session, view),
        provider=session.get(Organization, provider_id) if provider_id else None,
        needs=sorted(codes.sdoh_codes().values(), key=lambda c: c.display),
        query=_query(f),
        charts=[c for c in DASHBOARD_CHARTS if charts.CHARTS[c][0] in built],
    )


def _query(f: Filters | None) -> dict[str, str]:
    params = f.as_params() if f else {}
    for name in ("organization", "shareable"):
        if request.args.get(name):
            params[name] = request.args[name]
    return params


def _organization_choices(session: Any, view: access.View) -> list[tuple[str, str]]:
    query = select(Organization.id, Organization.name).order_by(Organization.name)
    ids = view.scope if view.scope is not None else view.owned
    if view.scope is None and not view.owned:
        query = query.limit(500)  # a system admin picks by id beyond the first 500
    else:
        query = query.where(Organization.id.in_(sorted(ids)))
    return [(str(i), str(n)) for i, n in session.execute(query)]


def _one_table(view: access.View, owner: str | None, name: str, **fixed: str) -> tables.Table:
    try:
        f = _filters(view, **fixed)
    except InvalidFilter as error:
        abort(400, str(error))
    built, _ = _build(view, f, [name], owner)
    return built[name]


@bp.get("/<name>.csv")
def table_csv(name: str) -> Response:
    if name not in DASHBOARD_TABLES:
        abort(404)
    view, organization = _agency()
    return _csv(_one_table(view, organization, name))


@bp.get("/provider/<name>.csv")
def provider_csv(name: str) -> Response:
    if name not in tables.PROVIDER_TABLES:
        abort(404)
    view, organization = _provider()
    return _csv(_one_table(view, organization, name, provider=organization, organization=""))


def _csv(table: tables.Table) -> Response:
    response = Response(table.as_csv(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/charts/<name>.svg")
def chart(name: str) -> Response:
    if name not in charts.CHARTS:
        abort(404)
    view, organization = _agency()
    table_name, draw = charts.CHARTS[name]
    return _svg(draw(_one_table(view, organization, table_name)))


@bp.get("/provider/charts/<name>.svg")
def provider_chart(name: str) -> Response:
    if name not in charts.CHARTS or charts.CHARTS[name][0] not in tables.PROVIDER_TABLES:
        abort(404)
    view, organization = _provider()
    table_name, draw = charts.CHARTS[name]
    table = _one_table(view, organization, table_name, provider=organization, organization="")
    return _svg(draw(table))


def _svg(body: bytes) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.app_template_filter("analytics_figure")
def figure(value: Any, kind: str) -> str:
    """A cell as a person reads it: 71.4 %, 4.0 h, 1,234; hidden cells as they are."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind == "rate":
        return f"{value * 100:.1f} %"
    if kind == "hours":
        return f"{value:,.1f} h"
    if kind == "count":
        return f"{value:,}"
    return str(value)
