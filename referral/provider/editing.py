"""Applying a provider's edits to the directory.

Functions take a Session and never commit. Every field change of an HSDS record is
written to the ``metadata`` trail by ``directory.audit`` on flush (the caller sets
``session.info["actor"]``); the structured criteria, which are not HSDS records, get
their metadata rows here. Changed records reach the search change log on flush too, so
the next search shows the edit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.directory import audit
from referral.directory import models as dm
from referral.matching.models import EligibilityCriterion
from referral.provider import hours_form
from referral.provider.service_form import CapacityInput, EligibilityInput, ServiceInput
from referral.search.documents import language_code

# The criteria kinds the form owns; others a curator entered are left alone.
FORM_KINDS = ("income", "residency", "gender", "population")
SCALAR_FIELDS = (
    "name",
    "description",
    "status",
    "alert",
    "url",
    "email",
    "fees_description",
    "application_process",
    "wait_time",
    "eligibility_description",
)


def apply_service(session: Session, service: dm.Service, edit: ServiceInput, today: date) -> None:
    for name in SCALAR_FIELDS:
        setattr(service, name, getattr(edit, name))
    service.minimum_age = edit.eligibility.minimum_age
    service.maximum_age = edit.eligibility.maximum_age
    _replace_documents(session, service, edit.required_documents)
    _replace_languages(session, service, edit.languages)
    _replace_phones(session, service, edit)
    set_capacity(session, service, edit.capacity)
    set_criteria(session, service, edit.eligibility)
    mark_verified(service, today, session)


def mark_verified(service: dm.Service, today: date, session: Session) -> None:
    """A save by the organization's own staff confirms the listing as of today."""
    service.assured_date = today
    service.assurer_email = audit.actor(session) if "@" in audit.actor(session) else None
    service.last_modified = datetime.now(UTC)


def ordered_ids(count: int) -> list[str]:
    """Fresh ids in ascending order: lists (phones, documents) load ordered by id, so
    rows saved together keep the order the provider gave them."""
    return sorted(dm.new_id() for _ in range(count))


def _replace_documents(session: Session, service: dm.Service, wanted: Sequence[str]) -> None:
    have = [d.document or "" for d in service.required_documents]
    if have == list(wanted):
        return
    for row in list(service.required_documents):
        session.delete(row)
    service.required_documents = [
        dm.RequiredDocument(id=i, service_id=service.id, document=d)
        for i, d in zip(ordered_ids(len(wanted)), wanted, strict=True)
    ]


def _replace_languages(session: Session, service: dm.Service, wanted: Sequence[str]) -> None:
    if [lang.name or lang.code or "" for lang in service.languages] == list(wanted):
        return
    for row in list(service.languages):
        session.delete(row)
    service.languages = [
        dm.Language(id=i, service_id=service.id, name=name, code=language_code(None, name) or None)
        for i, name in zip(ordered_ids(len(wanted)), wanted, strict=True)
    ]


def _replace_phones(session: Session, service: dm.Service, edit: ServiceInput) -> None:
    have = [(p.number, p.extension, p.description) for p in service.phones]
    wanted = [(p.number, p.extension, p.description) for p in edit.phones]
    if have == wanted:
        return
    for row in list(service.phones):
        session.delete(row)
    service.phones = [
        dm.Phone(id=i, service_id=service.id, number=n, extension=x, description=d, type="voice")
        for i, (n, x, d) in zip(ordered_ids(len(wanted)), wanted, strict=True)
    ]


def unit_named(session: Session, name: str) -> dm.Unit:
    found = session.scalars(select(dm.Unit).where(dm.Unit.name == name)).first()
    if found is None:
        key = "-".join(name.lower().split())
        found = dm.Unit(name=name, scheme="referral", identifier=key)
        session.add(found)
    return found


def set_capacity(session: Session, service: dm.Service, capacity: CapacityInput) -> None:
    rows = list(service.capacities)
    if capacity.mode == "none":
        for row in rows:
            session.delete(row)
        service.capacities = []
        return
    unit = unit_named(session, capacity.unit)
    row = rows[0] if rows else dm.ServiceCapacity(service_id=service.id)
    for extra in rows[1:]:
        session.delete(extra)
    row.unit = unit
    row.available = capacity.available or 0.0
    row.maximum = capacity.maximum
    description = capacity.description
    if capacity.mode == "waitlist" and not description:
        description = "Waitlist: full for now, new people join the waitlist"
    row.description = description
    row.updated = datetime.now(UTC)
    service.capacities = [row]


def capacity_mode(service: dm.Service) -> CapacityInput:
    """The capacity form as the saved row fills it."""
    if not service.capacities:
        return CapacityInput()
    row = service.capacities[0]
    waitlist = row.available == 0 and "waitlist" in (row.description or "").lower()
    return CapacityInput(
        "waitlist" if waitlist else "count",
        row.available,
        row.maximum,
        row.unit.name if row.unit else "",
        row.description,
    )


def criteria_of(eligibility: EligibilityInput) -> list[tuple[str, dict[str, Any]]]:
    """(kind, params) of the structured criteria the form states, in matching's terms."""
    found: list[tuple[str, dict[str, Any]]] = []
    if eligibility.income_fpl is not None:
        found.append(("income", {"fpl_percent": eligibility.income_fpl}))
    if eligibility.residency_scope and eligibility.residency:
        from referral.matching import places

        keys = [
            places.scope_key(eligibility.residency_scope, v) or v for v in eligibility.residency
        ]
        found.append(("residency", {eligibility.residency_scope: keys}))
    if eligibility.gender:
        found.append(("gender", {"value": eligibility.gender}))
    found.extend(("population", {"value": p}) for p in eligibility.populations)
    return found


def stored_criteria(session: Session, service_id: str) -> list[EligibilityCriterion]:
    return list(
        session.scalars(
            select(EligibilityCriterion)
            .where(
                EligibilityCriterion.service_id == service_id,
                EligibilityCriterion.kind.in_(FORM_KINDS),
                EligibilityCriterion.source == "provider",
            )
            .order_by(EligibilityCriterion.created, EligibilityCriterion.id)
        )
    )


def _as_text(criteria: Iterable[tuple[str, dict[str, Any]]]) -> str:
    return json.dumps([{"kind": k, "params": p} for k, p in criteria], sort_keys=True)


def set_criteria(session: Session, service: dm.Service, eligibility: EligibilityInput) -> None:
    """Replace the provider's structured criteria of the form's kinds, with a metadata
    row holding the before and after (criteria are not HSDS records, so the audit hook
    does not see them)."""
    existing = stored_criteria(session, service.id)
    before = [(row.kind, dict(row.params)) for row in existing]
    after = criteria_of(eligibility)
    if _as_text(before) == _as_text(after):
        return
    for row in existing:
        session.delete(row)
    now = datetime.now(UTC)
    # One group checked: only that group is served. Several: none of them alone is a
    # requirement (stored criteria cannot say "any of"), so each counts as a preference.
    populations = sum(1 for kind, _ in after if kind == "population")
    for kind, params in after:
        session.add(
            EligibilityCriterion(
                service_id=service.id,
                kind=kind,
                params=params,
                hard=kind != "population" or populations == 1,
                source="provider",
                evidence="Stated by the provider",
                confidence=1.0,
                created=now,
            )
        )
    session.add(
        dm.Metadata(
            resource_id=service.id,
            resource_type="service",
            last_action_date=now,
            last_action_type="update",
            field_name="eligibility_criteria",
            previous_value=_as_text(before),
            replacement_value=_as_text(after),
            updated_by=audit.actor(session),
        )
    )


def eligibility_form(session: Session, service: dm.Service) -> EligibilityInput:
    """The eligibility section as the saved service and criteria fill it."""
    income: float | None = None
    scope, gender = "", ""
    values: tuple[str, ...] = ()
    populations: list[str] = []
    for row in stored_criteria(session, service.id):
        params = dict(row.params)
        if row.kind == "income" and "fpl_percent" in params:
            income = float(params["fpl_percent"])
        elif row.kind == "residency":
            scope, found = next(((k, v) for k, v in params.items() if k != "areas"), ("", []))
            values = tuple(
                str(v).replace("-", " ").title() if scope != "zip" else str(v) for v in found
            )
        elif row.kind == "gender":
            gender = str(params.get("value", ""))
        elif row.kind == "population":
            populations.append(str(params.get("value", "")))
    return EligibilityInput(
        service.minimum_age, service.maximum_age, income, scope, values, gender, tuple(populations)
    )


# Hours -----------------------------------------------------------------------------


def hours_rows(service: dm.Service, sal: dm.ServiceAtLocation | None) -> list[dm.Schedule]:
    if sal is not None:
        return list(sal.schedules)
    return list(service.schedules)


def same_hours_everywhere(service: dm.Service, today: date) -> bool:
    forms = [
        hours_form.from_schedules(sal.schedules, today) for sal in service.service_at_locations
    ]
    keys = {(tuple(sorted(f.days.items())), tuple(f.exceptions)) for f in forms}
    return len(keys) <= 1


def replace_hours(
    session: Session,
    service: dm.Service,
    hours: hours_form.HoursForm,
    sal: dm.ServiceAtLocation | None = None,
) -> None:
    """Replace the rows the editor manages: of one place when ``sal`` is given, else of
    every place the service is offered at (the same hours everywhere). Rows the editor
    cannot show (monthly rules) stay."""
    old = [row for row in hours_rows(service, sal) if hours_form.is_managed(row)]
    attending = next((r.attending_type for r in old if r.attending_type), None)
    for row in old:
        session.delete(row)
    places = [sal] if sal is not None else list(service.service_at_locations)
    owners: list[tuple[str, str | None]] = [(service.id, p.id) for p in places]
    owners = owners or [(service.id, None)]
    for service_id, sal_id in owners:
        for values in hours_form.to_rows(hours, attending):
            session.add(dm.Schedule(service_id=service_id, service_at_location_id=sal_id, **values))
    session.flush()
    session.expire(service, ["schedules"])
    if sal is not None:
        session.expire(sal, ["schedules"])
