"""The eligibility checklist on a service page, from ad-hoc facts in the query string.

A GET form (it changes nothing): the case manager types a few facts (age, income, ZIP,
...) and the page shows each criterion met / not met / unknown. The query parameters
map onto the client JSON of the API, so the page and the API give the same verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from referral.matching.assessment import InvalidClient, parse_client
from referral.matching.checks import CheckResult, UnknownService, check_service

# query parameter -> fact name in the client JSON
FACT_PARAMS = {
    "age": "age",
    "household_size": "household_size",
    "income": "monthly_income",
    "gender": "gender",
    "veteran": "veteran",
    "pregnant": "pregnant",
    "disability": "disability",
    "housing": "housing_status",
    "children": "children",
    "insurance": "insurance",
    "county": "county",
}
LOCATION_PARAMS = ("zip",)
# The client JSON's field names as the forms label them (this page and the match page).
FIELD_LABELS = {
    "age": _l("Age"),
    "monthly_income": _l("Monthly income"),
    "housing_status": _l("Housing"),
    "household_size": _l("Household size"),
    "postal_code": _l("ZIP code"),
    "gender": _l("Gender"),
    "veteran": _l("Veteran"),
    "pregnant": _l("Pregnant"),
    "disability": _l("Disability"),
    "children": _l("Children"),
    "insurance": _l("Insurance"),
    "county": _l("County"),
    "languages": _l("Languages"),
    "needs": _l("Needs"),
    "lat": _l("Latitude"),
    "lon": _l("Longitude"),
}


@dataclass(frozen=True)
class ChecklistView:
    values: dict[str, str] = field(default_factory=dict)
    result: CheckResult | None = None
    error: str | None = None
    error_param: str | None = None


def checklist_view(session: Session, service_id: str, args: Mapping[str, str]) -> ChecklistView:
    values = {
        k: args[k].strip() for k in (*FACT_PARAMS, *LOCATION_PARAMS) if args.get(k, "").strip()
    }
    if not values:
        return ChecklistView()
    client: dict[str, Any] = {
        "facts": {FACT_PARAMS[k]: v for k, v in values.items() if k in FACT_PARAMS}
    }
    if "zip" in values:
        client["location"] = {"postal_code": values["zip"]}
    try:
        result = check_service(session, service_id, parse_client(client))
    except InvalidClient as exc:
        name = exc.field.rsplit(".", 1)[-1]
        param = next((p for p, f in FACT_PARAMS.items() if f == name), "zip")
        label = FIELD_LABELS.get(name, name.replace("_", " ").capitalize())
        return ChecklistView(values, error=f"{label}: {exc.detail}", error_param=param)
    except UnknownService:
        return ChecklistView(values)
    return ChecklistView(values, result)
