"""Builders for the referrals tests: a referring agency with a case manager and a
client, a provider with staff and a service at a location, consent between them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from accounts_helpers import make_org, make_service, make_user
from sqlalchemy.orm import Session

from referral.accounts.models import User
from referral.directory.models import Location, Organization, ServiceAtLocation
from referral.referrals import clients, service, states
from referral.referrals.models import Client, Consent, Referral

# A Wednesday, so that two business days later is Friday.
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
NEED = "food-insecurity"


@dataclass
class World:
    agency: Organization
    provider: Organization
    case_manager: User
    staff: User
    place: ServiceAtLocation
    client: Client
    consent: Consent | None


def make_place(session: Session, organization: Organization) -> ServiceAtLocation:
    service_row = make_service(session, organization, f"{organization.name} pantry")
    location = Location(
        location_type="physical", name=f"{organization.name} site", organization_id=organization.id
    )
    session.add(location)
    session.flush()
    place = ServiceAtLocation(service_id=service_row.id, location_id=location.id)
    session.add(place)
    session.flush()
    return place


def make_client(
    session: Session,
    organization: Organization,
    by: User | None = None,
    *,
    given: str = "Ana",
    family: str = "Lopez",
    birth_date: date | None = date(1980, 5, 17),
    preference: str = "phone",
) -> Client:
    new = clients.NewClient(
        organization_id=organization.id,
        given_name=given,
        family_name=family,
        birth_date=birth_date,
        email="ana@example.org",
        phone="555-0100",
        address="1 Main St",
        preferred_language="es",
        contact_preference=preference,
    )
    return clients.create_client(session, new, by)


def give_consent(
    session: Session,
    client: Client,
    recipient: Organization,
    *,
    starts_on: date = date(2026, 1, 1),
    ends_on: date | None = None,
    by: User | None = None,
) -> Consent:
    new = clients.NewConsent(
        purpose="referral",
        starts_on=starts_on,
        ends_on=ends_on,
        method="written",
        recipient_organization_ids=(recipient.id,),
    )
    return clients.record_consent(session, client, new, by)


def make_world(
    session: Session, *, consent: bool = True, preference: str = "phone", tag: str = ""
) -> World:
    agency = make_org(session, f"Eastside Navigators{tag}")
    provider = make_org(session, f"Harbor Food Bank{tag}")
    case_manager = make_user(session, f"cm{tag}@example.org", "case_manager", agency.id)
    staff = make_user(session, f"staff{tag}@example.org", "provider_staff", provider.id)
    place = make_place(session, provider)
    client = make_client(session, agency, case_manager, preference=preference)
    given = give_consent(session, client, provider, by=case_manager) if consent else None
    return World(agency, provider, case_manager, staff, place, client, given)


def send(session: Session, world: World, key: str = "key-1", *, send_now: bool = True) -> Referral:
    new = service.NewReferral(
        client_id=world.client.id,
        need_code=NEED,
        service_at_location_id=world.place.id,
        idempotency_key=key,
        send=send_now,
    )
    referral, _ = service.create_referral(session, new, world.case_manager, NOW)
    return referral


def move(
    session: Session, world: World, referral: Referral, to: str, reason: str | None = None, **kw
) -> Referral:
    actor = (
        world.case_manager if states.TRANSITIONS.get((referral.status, to)) == "referrer" else None
    )
    move_ = service.Move(to, referral.version, reason=reason, **kw)
    return service.transition_referral(session, referral.id, move_, actor or world.staff, NOW)


def bearer(session: Session, user: User, scopes: str = "referrals") -> dict[str, str]:
    """Authorization headers with a fresh API token of ``user``."""
    import secrets

    from referral.accounts import tokens
    from referral.accounts.models import ApiToken

    secret = f"rfl_test_{secrets.token_hex(8)}"
    session.add(
        ApiToken(
            user_id=user.id,
            name="test",
            token_hash=tokens.digest(secret),
            prefix=secret[:10],
            scopes=scopes,
        )
    )
    session.flush()
    return {"Authorization": f"Bearer {secret}"}
