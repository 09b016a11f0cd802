"""Detection over the database, the review queue, "not a duplicate" memory and merges
that re-point children and keep provenance."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from referral.curation.merge import merge, merged_records
from referral.curation.models import DuplicateCandidate, DuplicateDecision
from referral.curation.service import (
    CurationError,
    detect,
    detect_for,
    mark_not_duplicate,
    record_candidates,
)
from referral.db import Base
from referral.directory import models as dm
from referral.directory.hsds_import import load_path
from referral.search.models import SearchChange

ROOT = Path(__file__).resolve().parent.parent
DUPLICATES = ROOT / "tests" / "data" / "curation_duplicates"


def organization(session: Session, name: str, phone: str, **fields: object) -> dm.Organization:
    org = dm.Organization(name=name, description="test", **fields)
    session.add(org)
    session.flush()
    session.add(dm.Phone(organization_id=org.id, number=phone))
    return org


def place(session: Session, org: dm.Organization, line: str) -> dm.Location:
    location = dm.Location(location_type="physical", organization_id=org.id, name=org.name)
    session.add(location)
    session.flush()
    session.add(
        dm.Address(
            location_id=location.id, address_1=line, city="Baltimore", state_province="MD",
            postal_code="21201", country="US", address_type="physical",
        )
    )  # fmt: skip
    return location


@pytest.fixture
def pair(session: Session) -> tuple[dm.Organization, dm.Organization]:
    keep = organization(session, "Unity Food Collective", "410-555-0106", website=None)
    gone = organization(
        session,
        "UNITY FOOD COLLECTIVE, LLC",
        "(410) 555-0106",
        website="https://unity-food.example.org",
        email="info@unity-food.example.org",
    )
    organization(session, "Harbor Legal Aid", "410-555-0999")
    session.flush()
    return keep, gone


def test_detection_finds_the_seeded_duplicates_and_skips_the_hard_negatives(session):
    load_path(session, ROOT / "seed_data" / "sample")
    load_path(session, DUPLICATES)
    found = {(c.a_name, c.b_name) for c in detect(session, "organization", min_score=0.75)}
    names = {frozenset(p) for p in found}
    assert frozenset({"Unity Food Collective", "Unity Food Collective, LLC"}) in names
    assert (
        frozenset({"Saint Ambrose Community Association", "St. Ambrose Community Association"})
        in names
    )
    assert not any("Baltimore County" in n for p in found for n in p)
    assert not any("Harbor Hope Shelter" in n for p in found for n in p)


def test_detect_for_new_records_queues_only_their_pairs(session, pair):
    keep, gone = pair
    queued = detect_for(session, "organization", {gone.id})
    assert [(c.a_id, c.b_id) for c in queued] == [tuple(sorted((keep.id, gone.id)))]
    row = session.scalars(select(DuplicateCandidate)).one()
    assert row.status == "open" and row.score >= 0.75 and {"code": "same-phone"} in row.reasons


def test_not_a_duplicate_is_remembered_across_detection_runs(session, pair):
    keep, gone = pair
    record_candidates(session, detect(session, "organization"))
    mark_not_duplicate(session, "organization", gone.id, keep.id, actor="curator@example.org")
    assert detect(session, "organization") == []
    assert record_candidates(session, detect(session, "organization")) == 0
    row = session.scalars(select(DuplicateCandidate)).one()
    assert row.status == "not-duplicate" and row.decided_by == "curator@example.org"
    decision = session.scalars(select(DuplicateDecision)).one()
    assert decision.decision == "not-duplicate"


def test_a_record_cannot_be_merged_into_itself_or_a_missing_one(session, pair):
    keep, _ = pair
    with pytest.raises(CurationError, match="itself"):
        merge(session, keep.id, keep.id, actor="curator")
    with pytest.raises(CurationError, match="no organization"):
        merge(session, keep.id, "00000000-0000-0000-0000-000000000000", actor="curator")
    with pytest.raises(CurationError, match="entity must be"):
        merge(session, keep.id, keep.id, actor="curator", entity="taxonomy")


def test_merge_repoints_services_locations_phones_and_identifiers(session, pair):
    keep, gone = pair
    service = dm.Service(name="Pantry", status="active", organization_id=gone.id)
    session.add(service)
    location = place(session, gone, "9431 E Mill Pkwy")
    session.add(dm.OrganizationIdentifier(
        organization_id=gone.id, identifier_type="source id", identifier="136"
    ))  # fmt: skip
    session.flush()
    result = merge(session, keep.id, gone.id, actor="curator@example.org")
    assert session.get(dm.Organization, gone.id) is None
    assert session.get(dm.Service, service.id).organization_id == keep.id
    assert session.get(dm.Location, location.id).organization_id == keep.id
    numbers = session.scalars(select(dm.Phone.number).where(dm.Phone.organization_id == keep.id))
    assert sorted(numbers) == ["(410) 555-0106", "410-555-0106"]
    assert result.repointed["service.organization_id"] == 1
    identifiers = {
        (i.identifier_type, i.identifier)
        for i in session.scalars(
            select(dm.OrganizationIdentifier).where(
                dm.OrganizationIdentifier.organization_id == keep.id
            )
        )
    }
    assert {("source id", "136"), ("merged from", gone.id)} <= identifiers


def test_merge_keeps_the_merged_record_recoverable_and_fills_gaps(session, pair):
    keep, gone = pair
    merge(session, keep.id, gone.id, actor="curator@example.org")
    kept = session.get(dm.Organization, keep.id)
    assert kept.website == "https://unity-food.example.org"
    assert kept.alternate_name == "UNITY FOOD COLLECTIVE, LLC"
    old = merged_records(session, keep.id)[gone.id]
    assert old["name"] == "UNITY FOOD COLLECTIVE, LLC"
    assert old["email"] == "info@unity-food.example.org"
    audit = session.scalars(
        select(dm.Metadata).where(
            dm.Metadata.resource_id == keep.id, dm.Metadata.field_name == "website"
        )
    ).one()
    assert audit.updated_by == "curator@example.org"
    assert audit.replacement_value == "https://unity-food.example.org"


def test_merge_reaches_the_search_change_log(session, pair):
    keep, gone = pair
    service = dm.Service(name="Pantry", status="active", organization_id=gone.id)
    session.add(service)
    session.flush()
    before = session.scalar(select(SearchChange.id).order_by(SearchChange.id.desc()).limit(1))
    merge(session, keep.id, gone.id, actor="curator")
    changes = session.scalars(select(SearchChange).where(SearchChange.id > (before or 0))).all()
    assert any(c.service_id == service.id for c in changes)
    assert any(c.organization_id == gone.id for c in changes)


def test_merge_closes_the_pair_and_drops_stale_candidates(session, pair):
    keep, gone = pair
    record_candidates(session, detect(session, "organization"))
    merge(session, keep.id, gone.id, actor="curator")
    row = session.scalars(select(DuplicateCandidate)).one()
    assert row.status == "merged" and row.decided_by == "curator"
    assert detect(session, "organization") == []


def test_merging_locations_collapses_a_service_offered_twice_at_one_place(session, pair):
    keep_org, _ = pair
    a, b = place(session, keep_org, "1 Main St"), place(session, keep_org, "1 Main Street")
    service = dm.Service(name="Pantry", status="active", organization_id=keep_org.id)
    session.add(service)
    session.flush()
    first = dm.ServiceAtLocation(service_id=service.id, location_id=a.id)
    second = dm.ServiceAtLocation(service_id=service.id, location_id=b.id)
    session.add_all([first, second])
    session.flush()
    session.add(dm.Schedule(service_at_location_id=second.id, byday="MO"))
    session.flush()
    merge(session, a.id, b.id, actor="curator", entity="location")
    links = session.scalars(
        select(dm.ServiceAtLocation).where(dm.ServiceAtLocation.service_id == service.id)
    ).all()
    assert [link.id for link in links] == [first.id]
    assert session.scalars(select(dm.Address).where(dm.Address.location_id == a.id)).all()
    schedules = session.scalars(select(dm.Schedule.service_at_location_id)).all()
    assert schedules == [first.id]


def test_rows_of_other_features_naming_the_merged_organization_follow_it(session, pair):
    if "client" not in Base.metadata.tables:
        pytest.skip("the referrals feature (client table) is not installed")
    from referral.referrals.models import Client

    keep, gone = pair
    client = Client(organization_id=gone.id, given_name="Ana", family_name="Diaz")
    session.add(client)
    session.flush()
    result = merge(session, keep.id, gone.id, actor="curator")
    session.expire_all()
    assert session.get(Client, client.id).organization_id == keep.id
    assert result.repointed["client.organization_id"] == 1
