"""Search documents are assembled from plain rows (``referral.search.records``) for
speed; they must carry exactly what the same records read as ORM objects give."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from test_search import listing, term

from referral.directory.models import (
    Accessibility,
    Attribute,
    CostOption,
    Language,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
)
from referral.search import documents


def rich_listing(session) -> ServiceAtLocation:
    """A listing with every kind of record a document reads, at each level."""
    food = term(session, "Food")
    sal = listing(
        session,
        "Pantry",
        description="Groceries weekly",
        terms=[term(session, "Pantries", food)],
        languages=["spa", "English"],
        schedules=[("MO,WE", "09:00", "17:00")],
        eligibility_description="Residents of Dade County",
        alternate_name="Food Bank",
        minimum_age=18,
        maximum_age=64,
        assured_date=date(2026, 1, 5),
        fees="None",
    )
    service, location = sal.service, sal.location
    location.name, location.alternate_name = "Main Hall", "Hall A"
    location.description = "Side door"
    sal.description = "Tuesdays only here"
    unit = Unit(name="Parcels")
    session.add_all(
        [
            Schedule(
                service_at_location_id=sal.id, byday="TU", opens_at="10:00", closes_at="12:00"
            ),
            Schedule(location_id=location.id, byday="SA", opens_at="08:00", closes_at="11:00"),
            Phone(service_at_location_id=sal.id, number="555-0101"),
            Phone(service_id=service.id, number="555-0102"),
            Phone(location_id=location.id, number="555-0103"),
            Language(location_id=location.id, code="fre", name="French"),
            Accessibility(location_id=location.id, description="Ramp"),
            CostOption(service_id=service.id, option="Free of charge", amount=None),
            ServiceArea(service_id=service.id, name="Dade"),
            ServiceCapacity(
                service_id=service.id, unit=unit, available=3, updated=datetime.now(UTC)
            ),
            Attribute(link_id=location.id, link_type="location", value="walk-in"),
            Attribute(
                link_id=service.organization_id, link_type="organization", taxonomy_term_id=food.id
            ),
        ]
    )
    session.flush()
    return sal


def orm_document(session, sal_id: str) -> documents.SearchDocument:
    """The document built from ORM objects freshly loaded (relationships in id order)."""
    session.expire_all()
    sal = session.get(ServiceAtLocation, sal_id)
    attributes = documents._attributes(session, [sal])
    return documents.build_document(sal, attributes, documents.taxonomy_tree(session))


def test_a_document_from_rows_equals_the_one_from_orm_objects(session):
    sal = rich_listing(session)
    other = listing(session, "Shelter", org="Safe Haven", postcode="60601", city="Chicago")
    expected = [orm_document(session, sal.id), orm_document(session, other.id)]
    built = documents.documents_for(session, sorted([sal.id, other.id]))
    assert [dataclasses.asdict(d) for d in built] == [
        dataclasses.asdict(d) for d in sorted(expected, key=lambda d: d.service_at_location_id)
    ]


def test_a_document_from_rows_carries_every_level_of_the_listing(session):
    sal = rich_listing(session)
    [doc] = documents.documents_for(session, [sal.id])
    assert doc.taxonomy == "Pantries Food" and doc.taxonomy_names == ["Pantries", "Food"]
    assert doc.languages == ["en", "es", "fr"] and "French" in doc.language_text
    assert doc.description == "Groceries weekly Tuesdays only here Side door"
    assert doc.keywords == "walk-in Main Hall Hall A"
    assert doc.alternate_names == "Food Bank"
    assert doc.eligibility == "Residents of Dade County"
    assert (doc.minimum_age, doc.maximum_age) == (18, 64)
    assert doc.free and doc.accessible and doc.capacity_available
    assert len(doc.service_area_ids) == 1
    assert doc.schedule == ((1, 0, 600, 720, 0, 0),)  # the sal's own hours win
    assert doc.phone == "555-0101"
    assert (doc.latitude, doc.longitude, doc.postal_code) == (25.77, -80.19, "33130")
    assert doc.address == "1 Main St, Miami, FL, 33130"
    assert doc.assured_date == date(2026, 1, 5) and doc.status == "active"


def test_a_document_falls_back_to_service_then_location_hours_and_phones(session):
    sal = listing(session, "Clinic", schedules=[("FR", "09:00", "10:00")])
    session.add(Phone(location_id=sal.location_id, number="555-0199"))
    session.flush()
    [doc] = documents.documents_for(session, [sal.id])
    assert doc.schedule == ((4, 0, 540, 600, 0, 0),) and doc.phone == "555-0199"


def test_a_listing_without_its_location_has_no_document(session):
    sal = listing(session, "Orphan")
    sal.location_id = None
    session.flush()
    assert documents.documents_for(session, [sal.id]) == []
