"""The directory's tables: the 21 objects of Open Referral HSDS 3.0, plus
``service_capacity`` and ``unit`` from HSDS 3.1.

Table and column names are HSDS names, so import and export are near-identity.
Ids are UUID strings. Enumerations are enforced by CHECK constraints and on
assignment. ``location.geom`` and ``service_area.extent_geom`` are derived from
the HSDS fields (see ``directory.geo``) and never exported.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import DateTime, Enum, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from referral.db import Base
from referral.directory import geo


def new_id() -> str:
    return str(uuid.uuid4())


def hsds_enum(name: str, values: tuple[str, ...]) -> Enum:
    """A portable enumeration: VARCHAR + CHECK, validated when assigned."""
    return Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
    )


class HsdsRecord:
    """Every HSDS object has a UUID string id."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)


class Organization(HsdsRecord, Base):
    __tablename__ = "organization"

    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None]
    website: Mapped[str | None]
    tax_status: Mapped[str | None]
    tax_id: Mapped[str | None]
    year_incorporated: Mapped[int | None]
    legal_status: Mapped[str | None]
    logo: Mapped[str | None]
    uri: Mapped[str | None]
    parent_organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    programs: Mapped[list[Program]] = relationship(passive_deletes=True, order_by="Program.id")
    services: Mapped[list[Service]] = relationship(
        back_populates="organization", passive_deletes=True, order_by="Service.id"
    )
    locations: Mapped[list[Location]] = relationship(
        back_populates="organization", passive_deletes=True, order_by="Location.id"
    )
    phones: Mapped[list[Phone]] = relationship(passive_deletes=True, order_by="Phone.id")
    contacts: Mapped[list[Contact]] = relationship(passive_deletes=True, order_by="Contact.id")
    funding: Mapped[list[Funding]] = relationship(passive_deletes=True, order_by="Funding.id")
    organization_identifiers: Mapped[list[OrganizationIdentifier]] = relationship(
        passive_deletes=True, order_by="OrganizationIdentifier.id"
    )


class OrganizationIdentifier(HsdsRecord, Base):
    __tablename__ = "organization_identifier"

    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    identifier_scheme: Mapped[str | None]
    identifier_type: Mapped[str]
    identifier: Mapped[str]


class Program(HsdsRecord, Base):
    __tablename__ = "program"

    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[str] = mapped_column(Text)


class Service(HsdsRecord, Base):
    __tablename__ = "service"

    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    program_id: Mapped[str | None] = mapped_column(
        ForeignKey("program.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str]
    alternate_name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None]
    email: Mapped[str | None]
    status: Mapped[str] = mapped_column(
        hsds_enum("service_status", ("active", "inactive", "defunct", "temporarily closed"))
    )
    interpretation_services: Mapped[str | None] = mapped_column(Text)
    application_process: Mapped[str | None] = mapped_column(Text)
    fees_description: Mapped[str | None] = mapped_column(Text)
    wait_time: Mapped[str | None] = mapped_column(Text)
    fees: Mapped[str | None] = mapped_column(Text)
    accreditations: Mapped[str | None] = mapped_column(Text)
    eligibility_description: Mapped[str | None] = mapped_column(Text)
    minimum_age: Mapped[int | None]
    maximum_age: Mapped[int | None]
    assured_date: Mapped[date | None]
    assurer_email: Mapped[str | None]
    licenses: Mapped[str | None] = mapped_column(Text)
    alert: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    organization: Mapped[Organization | None] = relationship(back_populates="services")
    program: Mapped[Program | None] = relationship()
    phones: Mapped[list[Phone]] = relationship(passive_deletes=True, order_by="Phone.id")
    schedules: Mapped[list[Schedule]] = relationship(passive_deletes=True, order_by="Schedule.id")
    service_areas: Mapped[list[ServiceArea]] = relationship(
        passive_deletes=True, order_by="ServiceArea.id"
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        passive_deletes=True, order_by="ServiceAtLocation.id", back_populates="service"
    )
    languages: Mapped[list[Language]] = relationship(passive_deletes=True, order_by="Language.id")
    funding: Mapped[list[Funding]] = relationship(passive_deletes=True, order_by="Funding.id")
    cost_options: Mapped[list[CostOption]] = relationship(
        passive_deletes=True, order_by="CostOption.id"
    )
    required_documents: Mapped[list[RequiredDocument]] = relationship(
        passive_deletes=True, order_by="RequiredDocument.id"
    )
    contacts: Mapped[list[Contact]] = relationship(passive_deletes=True, order_by="Contact.id")
    capacities: Mapped[list[ServiceCapacity]] = relationship(
        passive_deletes=True, order_by="ServiceCapacity.id"
    )

    __table_args__ = (
        Index("ix_service_status", "status"),
        Index("ix_service_assured_date", "assured_date"),
    )


class Location(HsdsRecord, Base):
    __tablename__ = "location"

    location_type: Mapped[str] = mapped_column(
        hsds_enum("location_location_type", ("physical", "postal", "virtual"))
    )
    url: Mapped[str | None]
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None]
    alternate_name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    transportation: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    external_identifier: Mapped[str | None]
    external_identifier_type: Mapped[str | None]
    # Derived from latitude/longitude when both are valid; never exported.
    geom: Mapped[str | None] = mapped_column(geo.POINT, nullable=True)
    organization: Mapped[Organization | None] = relationship(back_populates="locations")
    addresses: Mapped[list[Address]] = relationship(passive_deletes=True, order_by="Address.id")
    phones: Mapped[list[Phone]] = relationship(passive_deletes=True, order_by="Phone.id")
    schedules: Mapped[list[Schedule]] = relationship(passive_deletes=True, order_by="Schedule.id")
    languages: Mapped[list[Language]] = relationship(passive_deletes=True, order_by="Language.id")
    accessibility: Mapped[list[Accessibility]] = relationship(
        passive_deletes=True, order_by="Accessibility.id"
    )
    contacts: Mapped[list[Contact]] = relationship(passive_deletes=True, order_by="Contact.id")
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        passive_deletes=True, order_by="ServiceAtLocation.id", back_populates="location"
    )

    __table_args__ = (
        Index("ix_location_lat_lon", "latitude", "longitude"),
        Index("ix_location_geom", "geom", postgresql_using="gist").ddl_if(dialect="postgresql"),
    )


class ServiceAtLocation(HsdsRecord, Base):
    __tablename__ = "service_at_location"

    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str | None] = mapped_column(Text)
    service: Mapped[Service | None] = relationship(back_populates="service_at_locations")
    location: Mapped[Location | None] = relationship(back_populates="service_at_locations")
    phones: Mapped[list[Phone]] = relationship(passive_deletes=True, order_by="Phone.id")
    schedules: Mapped[list[Schedule]] = relationship(passive_deletes=True, order_by="Schedule.id")
    contacts: Mapped[list[Contact]] = relationship(passive_deletes=True, order_by="Contact.id")


class Address(HsdsRecord, Base):
    __tablename__ = "address"

    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    attention: Mapped[str | None]
    address_1: Mapped[str]
    address_2: Mapped[str | None]
    city: Mapped[str]
    region: Mapped[str | None]
    state_province: Mapped[str]
    postal_code: Mapped[str]
    country: Mapped[str]
    address_type: Mapped[str] = mapped_column(
        hsds_enum("address_address_type", ("physical", "postal", "virtual"))
    )


class Phone(HsdsRecord, Base):
    __tablename__ = "phone"

    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[str | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str]
    extension: Mapped[int | None]
    type: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[list[Language]] = relationship(passive_deletes=True, order_by="Language.id")


class Contact(HsdsRecord, Base):
    __tablename__ = "contact"

    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None]
    title: Mapped[str | None]
    department: Mapped[str | None]
    email: Mapped[str | None]
    phones: Mapped[list[Phone]] = relationship(passive_deletes=True, order_by="Phone.id")


class Schedule(HsdsRecord, Base):
    __tablename__ = "schedule"

    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    service_at_location_id: Mapped[str | None] = mapped_column(
        ForeignKey("service_at_location.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    dtstart: Mapped[date | None]
    timezone: Mapped[float | None]
    until: Mapped[date | None]
    count: Mapped[int | None]
    wkst: Mapped[str | None] = mapped_column(
        hsds_enum("schedule_wkst", ("MO", "TU", "WE", "TH", "FR", "SA", "SU"))
    )
    freq: Mapped[str | None] = mapped_column(hsds_enum("schedule_freq", ("WEEKLY", "MONTHLY")))
    interval: Mapped[int | None]
    byday: Mapped[str | None]
    byweekno: Mapped[str | None]
    bymonthday: Mapped[str | None]
    byyearday: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    opens_at: Mapped[str | None]
    closes_at: Mapped[str | None]
    schedule_link: Mapped[str | None]
    attending_type: Mapped[str | None]
    notes: Mapped[str | None] = mapped_column(Text)


class ServiceArea(HsdsRecord, Base):
    __tablename__ = "service_area"

    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    extent: Mapped[str | None] = mapped_column(Text)
    extent_type: Mapped[str | None]
    uri: Mapped[str | None]
    # The extent as a geometry when it is GeoJSON; derived, never exported.
    extent_geom: Mapped[str | None] = mapped_column(geo.AREA, nullable=True)

    __table_args__ = (
        Index("ix_service_area_extent_geom", "extent_geom", postgresql_using="gist").ddl_if(
            dialect="postgresql"
        ),
    )


class Language(HsdsRecord, Base):
    __tablename__ = "language"

    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    phone_id: Mapped[str | None] = mapped_column(
        ForeignKey("phone.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str | None]
    code: Mapped[str | None]
    note: Mapped[str | None]


class Accessibility(HsdsRecord, Base):
    __tablename__ = "accessibility"

    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None]


class Funding(HsdsRecord, Base):
    __tablename__ = "funding"

    organization_id: Mapped[str | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str | None]


class CostOption(HsdsRecord, Base):
    __tablename__ = "cost_option"

    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    option: Mapped[str | None]
    currency: Mapped[str | None]
    amount: Mapped[float | None]
    amount_description: Mapped[str | None] = mapped_column(Text)


class RequiredDocument(HsdsRecord, Base):
    __tablename__ = "required_document"

    service_id: Mapped[str | None] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    document: Mapped[str | None]
    uri: Mapped[str | None]


class Taxonomy(HsdsRecord, Base):
    __tablename__ = "taxonomy"

    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text)
    uri: Mapped[str | None]
    version: Mapped[str | None]


class TaxonomyTerm(HsdsRecord, Base):
    __tablename__ = "taxonomy_term"

    code: Mapped[str | None]
    name: Mapped[str]
    description: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[str | None] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="SET NULL"), index=True
    )
    taxonomy: Mapped[str | None]
    language: Mapped[str | None]
    taxonomy_id: Mapped[str | None] = mapped_column(
        ForeignKey("taxonomy.id", ondelete="SET NULL"), index=True
    )
    term_uri: Mapped[str | None]
    parent: Mapped[TaxonomyTerm | None] = relationship(remote_side="TaxonomyTerm.id")
    taxonomy_detail: Mapped[Taxonomy | None] = relationship()
    translations: Mapped[list[TaxonomyTermTranslation]] = relationship(
        back_populates="taxonomy_term", cascade="all, delete-orphan", passive_deletes=True
    )


class TaxonomyTermTranslation(Base):
    """A term's name and description in another language. Not HSDS (HSDS 3.0 has one
    ``language`` per term): kept beside it, never exported, so pages can show the
    project's own taxonomy in the reader's language."""

    __tablename__ = "taxonomy_term_translation"

    # The primary key is the pair: one name per term and language.
    taxonomy_term_id: Mapped[str] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str]
    description: Mapped[str | None] = mapped_column(Text)
    taxonomy_term: Mapped[TaxonomyTerm] = relationship(back_populates="translations")


class ServiceTranslation(Base):
    """One client-facing field of a service (``name``, ``description``...) as its
    provider wrote it in another language. Not HSDS (HSDS 3.0 has one language per
    listing): never exported. One row per field, so staleness is per field:
    ``source_hash`` is the hash of the listing-language text the translation was
    written from, and differs from the text's hash once that text changes."""

    __tablename__ = "service_translation"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(20), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str]


class Attribute(HsdsRecord, Base):
    __tablename__ = "attribute"

    link_id: Mapped[str | None] = mapped_column(String(36), index=True)
    taxonomy_term_id: Mapped[str | None] = mapped_column(
        ForeignKey("taxonomy_term.id", ondelete="CASCADE"), index=True
    )
    link_type: Mapped[str | None]
    link_entity: Mapped[str | None]
    value: Mapped[str | None]
    taxonomy_term: Mapped[TaxonomyTerm | None] = relationship()


class Metadata(HsdsRecord, Base):
    __tablename__ = "metadata"

    resource_id: Mapped[str | None] = mapped_column(String(36), index=True)
    resource_type: Mapped[str | None]
    last_action_date: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_action_type: Mapped[str]
    field_name: Mapped[str]
    previous_value: Mapped[str] = mapped_column(Text)
    replacement_value: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str]


class MetaTableDescription(HsdsRecord, Base):
    __tablename__ = "meta_table_description"

    name: Mapped[str | None]
    language: Mapped[str | None]
    character_set: Mapped[str | None]


class Unit(HsdsRecord, Base):
    """HSDS 3.1: what a capacity is counted in (beds, appointments, food parcels)."""

    __tablename__ = "unit"

    name: Mapped[str]
    scheme: Mapped[str | None]
    identifier: Mapped[str | None]
    uri: Mapped[str | None]


class ServiceCapacity(HsdsRecord, Base):
    """HSDS 3.1: how much of a service is available now, out of a maximum."""

    __tablename__ = "service_capacity"

    service_id: Mapped[str] = mapped_column(
        ForeignKey("service.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[str] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    available: Mapped[float]
    maximum: Mapped[float | None]
    description: Mapped[str | None] = mapped_column(Text)
    updated: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    unit: Mapped[Unit] = relationship()


@event.listens_for(Location, "before_insert")
@event.listens_for(Location, "before_update")
def _derive_location_point(_mapper: object, _connection: object, location: Location) -> None:
    if geo.valid_coordinates(location.latitude, location.longitude):
        location.geom = geo.point_ewkt(location.latitude, location.longitude)  # type: ignore[arg-type]
    else:
        location.geom = None


@event.listens_for(ServiceArea, "before_insert")
@event.listens_for(ServiceArea, "before_update")
def _derive_area_extent(_mapper: object, _connection: object, area: ServiceArea) -> None:
    area.extent_geom = geo.extent_ewkt(area.extent, area.extent_type)
