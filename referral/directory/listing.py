"""The directory browse list: services a page at a time, with the facts a case
manager scans for (organization, address, phone, status, last verified).

Functions take a Session and return plain dataclasses, so the web page, the CLI and
tests share one query. The list costs a fixed number of queries whatever the page
size: one count, one page of services, and one ``selectinload`` per relationship.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import phonenumbers
from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from referral.directory import models
from referral.directory.models import Attribute, Location, Organization, Service, ServiceAtLocation

# Closed-for-now services stay visible by default: case managers need to know a
# familiar service is paused rather than wonder where it went.
DEFAULT_STATUSES = ("active", "temporarily closed")
STATUSES = ("active", "temporarily closed", "inactive", "defunct")
STATUS_ALL = "all"
PER_PAGE_DEFAULT = 20
# Enough for a printed list, small enough to keep the page well under 200 ms.
PER_PAGE_MAX = 100
# Listings not verified within a year are the ones verification campaigns chase.
STALE_AFTER = relativedelta(months=12)
PHONE_REGION = "US"


@dataclass(frozen=True)
class FilterProblem:
    field: str
    message: str


class InvalidFilters(ValueError):
    """One or more browse parameters cannot be used; each problem names its field."""

    def __init__(self, problems: Sequence[FilterProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class BrowseFilters:
    page: int = 1
    per_page: int = PER_PAGE_DEFAULT
    status: str = ""  # "" means DEFAULT_STATUSES
    organization_id: str | None = None
    taxonomy_term_id: str | None = None

    @property
    def statuses(self) -> tuple[str, ...]:
        if self.status == STATUS_ALL:
            return STATUSES
        return (self.status,) if self.status else DEFAULT_STATUSES


@dataclass(frozen=True)
class AddressView:
    address_1: str
    city: str
    state_province: str
    postal_code: str
    address_2: str | None = None
    attention: str | None = None

    @property
    def locality(self) -> str:
        return f"{self.city}, {self.state_province} {self.postal_code}".strip(" ,")


@dataclass(frozen=True)
class PhoneView:
    number: str
    tel: str | None  # the tel: URI, or None when the number has no digits to dial
    extension: int | None = None
    label: str | None = None


@dataclass(frozen=True)
class ServiceSummary:
    id: str
    name: str
    status: str
    organization_id: str | None
    organization_name: str | None
    address: AddressView | None
    phone: PhoneView | None
    assured_date: date | None
    stale: bool


@dataclass(frozen=True)
class BrowsePage:
    services: list[ServiceSummary]
    total: int
    filters: BrowseFilters
    organization_name: str | None = None
    taxonomy_term_name: str | None = None
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.filters.per_page))

    @property
    def first_number(self) -> int:
        return (self.filters.page - 1) * self.filters.per_page + 1

    @property
    def last_number(self) -> int:
        return self.first_number + len(self.services) - 1

    @property
    def page_links(self) -> list[int | None]:
        """First, last, and two pages either side of this one; None marks a gap."""
        here = self.filters.page
        wanted = sorted({1, self.pages, *range(max(1, here - 2), min(self.pages, here + 2) + 1)})
        links: list[int | None] = []
        for previous, number in zip([0, *wanted], wanted, strict=False):
            if number - previous > 1:
                links.append(None)
            links.append(number)
        return links


def _whole_number(args: Mapping[str, str], name: str, default: int, top: int | None) -> int:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    if not re.fullmatch(r"\d{1,9}", raw) or int(raw) < 1 or (top and int(raw) > top):
        bound = f"from 1 to {top}" if top else "of 1 or more"
        raise InvalidFilters([FilterProblem(name, f"must be a whole number {bound}.")])
    return int(raw)


def parse_filters(args: Mapping[str, str]) -> BrowseFilters:
    """Browse parameters from a query string; every bad one is reported, not guessed."""
    problems: list[FilterProblem] = []
    numbers = {}
    for name, default, top in (("page", 1, None), ("per_page", PER_PAGE_DEFAULT, PER_PAGE_MAX)):
        try:
            numbers[name] = _whole_number(args, name, default, top)
        except InvalidFilters as exc:
            problems.extend(exc.problems)
    status = (args.get("status") or "").strip().lower()
    if status and status not in (*STATUSES, STATUS_ALL):
        choices = ", ".join((*STATUSES, STATUS_ALL))
        problems.append(FilterProblem("status", f"must be one of: {choices}."))
    if problems:
        raise InvalidFilters(problems)
    return BrowseFilters(
        page=numbers["page"],
        per_page=numbers["per_page"],
        status=status,
        organization_id=(args.get("organization_id") or "").strip() or None,
        taxonomy_term_id=(args.get("taxonomy_term_id") or "").strip() or None,
    )


def is_stale(assured: date | None, today: date) -> bool:
    return assured is None or assured < today - STALE_AFTER


def tel_uri(number: str, extension: int | None = None) -> str | None:
    """An RFC 3966 tel: URI; E.164 when the number parses, else its digits as written."""
    try:
        parsed = phonenumbers.parse(number, PHONE_REGION)
        valid = phonenumbers.is_possible_number(parsed)
    except phonenumbers.NumberParseException:
        valid = False
    if valid:
        uri = "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    else:
        digits = re.sub(r"[^\d+]", "", number)
        if not re.search(r"\d", digits):
            return None
        uri = "tel:" + digits
    return f"{uri};ext={extension}" if extension else uri


def phone_view(phone: models.Phone) -> PhoneView:
    return PhoneView(
        number=phone.number,
        tel=tel_uri(phone.number, phone.extension),
        extension=phone.extension,
        label=phone.description or phone.type,
    )


def address_view(address: models.Address) -> AddressView:
    return AddressView(
        address_1=address.address_1,
        city=address.city,
        state_province=address.state_province,
        postal_code=address.postal_code,
        address_2=address.address_2,
        attention=address.attention,
    )


def best_address(addresses: Sequence[models.Address]) -> models.Address | None:
    """The physical address where there is one: that is where a client walks in."""
    physical = [a for a in addresses if a.address_type == "physical"]
    candidates = physical or list(addresses)
    return candidates[0] if candidates else None


def _locations(service: Service) -> list[Location]:
    return [sal.location for sal in service.service_at_locations if sal.location is not None]


def _summary_phone(service: Service) -> models.Phone | None:
    candidates = [*service.phones]
    for location in _locations(service):
        candidates.extend(location.phones)
    if service.organization is not None:
        candidates.extend(service.organization.phones)
    return candidates[0] if candidates else None


def summarize(service: Service, today: date) -> ServiceSummary:
    locations = _locations(service)
    address = best_address(locations[0].addresses) if locations else None
    phone = _summary_phone(service)
    return ServiceSummary(
        id=service.id,
        name=service.name,
        status=service.status,
        organization_id=service.organization_id,
        organization_name=service.organization.name if service.organization else None,
        address=address_view(address) if address else None,
        phone=phone_view(phone) if phone else None,
        assured_date=service.assured_date,
        stale=is_stale(service.assured_date, today),
    )


SUMMARY_LOADS = (
    selectinload(Service.organization).selectinload(Organization.phones),
    selectinload(Service.phones),
    selectinload(Service.service_at_locations)
    .selectinload(ServiceAtLocation.location)
    .options(selectinload(Location.addresses), selectinload(Location.phones)),
)


def _conditions(filters: BrowseFilters) -> list[ColumnElement[bool]]:
    """The organization and taxonomy filters (status is applied separately)."""
    conditions: list[ColumnElement[bool]] = []
    if filters.organization_id:
        conditions.append(Service.organization_id == filters.organization_id)
    if filters.taxonomy_term_id:
        tagged = select(Attribute.link_id).where(
            Attribute.link_entity == "service",
            Attribute.taxonomy_term_id == filters.taxonomy_term_id,
        )
        conditions.append(Service.id.in_(tagged))
    return conditions


def _filter_names(session: Session, filters: BrowseFilters) -> tuple[str | None, str | None]:
    """Names for the active filters; an id that matches nothing is a bad filter."""
    org_name = term_name = None
    problems = []
    if filters.organization_id:
        org_name = session.scalar(
            select(Organization.name).where(Organization.id == filters.organization_id)
        )
        if org_name is None:
            problems.append(FilterProblem("organization_id", "no organization has this id."))
    if filters.taxonomy_term_id:
        term_name = session.scalar(
            select(models.TaxonomyTerm.name).where(
                models.TaxonomyTerm.id == filters.taxonomy_term_id
            )
        )
        if term_name is None:
            problems.append(FilterProblem("taxonomy_term_id", "no taxonomy term has this id."))
    if problems:
        raise InvalidFilters(problems)
    return org_name, term_name


def browse(session: Session, filters: BrowseFilters, today: date) -> BrowsePage:
    """One page of services sorted by name, with the total that match the filters."""
    org_name, term_name = _filter_names(session, filters)
    conditions = _conditions(filters)
    counts = _status_counts(session, conditions)
    total = sum(counts.get(status, 0) for status in filters.statuses)
    order = (func.lower(Service.name), Service.id)
    # Sort and skip narrow (id, name) rows, then load only the page's full rows: sorting
    # whole rows with their long descriptions made deep pages several times slower.
    page_ids = (
        select(Service.id)
        .where(Service.status.in_(filters.statuses), *conditions)
        .order_by(*order)
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    query = (
        select(Service)
        .where(Service.id.in_(page_ids.scalar_subquery()))
        .order_by(*order)
        .options(*SUMMARY_LOADS)
    )
    services = [summarize(s, today) for s in session.scalars(query)]
    return BrowsePage(services, total, filters, org_name, term_name, counts)


def _status_counts(session: Session, conditions: list[ColumnElement[bool]]) -> dict[str, int]:
    """Services per status under the other filters: the totals and the status menu's counts."""
    query = select(Service.status, func.count()).where(*conditions).group_by(Service.status)
    return {status: count for status, count in session.execute(query)}
