"""Merging two records of one person: the service moves every row naming the
duplicate to the kept record, fills only its empty contact fields, drops their
duplicate flag, audits the merge and refuses bad pairs; the pages confirm first."""

from __future__ import annotations

from datetime import UTC, date

import pytest
from accounts_helpers import make_org, make_user, sign_in
from referrals_helpers import NOW, give_consent, make_client, make_world, send
from sqlalchemy import func, select

from referral.accounts import policy
from referral.accounts.models import SecurityAuditEvent
from referral.referrals import clients
from referral.referrals.models import (
    Assessment,
    Client,
    ClientDuplicate,
    ClientFact,
    Consent,
    Referral,
    ReferralEvent,
)


@pytest.fixture
def world(session):
    return make_world(session, tag="-merge")


@pytest.fixture
def twin(session, world):
    """The same Ana Lopez entered again, with a referral, consent, fact and assessment
    of her own, and another phone and no address."""
    twin = make_client(session, world.agency, world.case_manager, family="López")
    twin.phone, twin.address, twin.email = "555-0199", None, "ana.l@example.org"
    give_consent(session, twin, world.provider, by=world.case_manager)
    clients.record_facts(session, twin, {"household_size": 3}, date(2026, 11, 1), None)
    session.add(Assessment(client_id=twin.id, needs=[], facts={}, results=[]))
    session.flush()
    return twin


def count(session, model, client_id: str) -> int:
    return session.scalar(
        select(func.count()).select_from(model).where(model.client_id == client_id)
    )


def referral_of(session, world, twin) -> Referral:
    world.client, kept = twin, world.client
    referral = send(session, world, key="twin-key")
    world.client = kept
    return referral


def test_merging_moves_every_row_of_the_duplicate_and_removes_it(session, world, twin):
    referral = referral_of(session, world, twin)
    events = len(referral.events)
    before = {m: count(session, m, world.client.id) + count(session, m, twin.id)
              for m in (Referral, Consent, ClientFact, Assessment)}  # fmt: skip
    result = clients.merge_clients(session, world.client.id, twin.id, world.case_manager, NOW)
    session.flush()
    assert result.moved == {"assessment": 1, "client_fact": 1, "consent": 1, "referral": 1}
    for model, total in before.items():
        assert count(session, model, world.client.id) == total
        assert count(session, model, twin.id) == 0
    assert session.get(Client, twin.id) is None
    session.expire_all()
    moved = session.get(Referral, referral.id)
    assert moved.client_id == world.client.id and moved.client.name == "Ana Lopez"
    assert (
        session.scalar(
            select(func.count())
            .select_from(ReferralEvent)
            .where(ReferralEvent.referral_id == moved.id)
        )
        == events
    )


def test_empty_contact_fields_are_filled_and_filled_ones_kept(session, world, twin):
    world.client.address, world.client.email = None, "  "
    result = clients.merge_clients(session, world.client.id, twin.id, world.case_manager, NOW)
    assert result.filled == ("email",)
    assert world.client.phone == "555-0100"  # not the duplicate's 555-0199
    assert world.client.email == "ana.l@example.org"
    assert world.client.address is None  # the duplicate had none either
    twin_address = make_client(session, world.agency, given="Ana B")
    result = clients.merge_clients(
        session, world.client.id, twin_address.id, world.case_manager, NOW
    )
    assert result.filled == ("address",) and world.client.address == "1 Main St"


def test_the_merge_is_audited_with_who_what_and_when(session, world, twin):
    clients.merge_clients(session, world.client.id, twin.id, world.case_manager, NOW)
    session.flush()
    row = session.scalar(
        select(SecurityAuditEvent).where(SecurityAuditEvent.event_type == clients.CLIENT_MERGED)
    )
    assert row.user_id == world.case_manager.id and row.actor == world.case_manager.email
    assert row.target_id == world.client.id and row.detail["merged_client_id"] == twin.id
    # SQLite hands back naive UTC, PostgreSQL an aware time.
    assert row.occurred_at.replace(tzinfo=UTC) == NOW and row.organization_id == world.agency.id


def test_the_duplicate_flag_between_them_is_gone(session, world, twin):
    flags = select(func.count()).select_from(ClientDuplicate)
    assert session.scalar(flags) == 1  # flagged when the twin was created
    clients.merge_clients(session, world.client.id, twin.id, world.case_manager, NOW)
    session.flush()
    assert session.scalar(flags) == 0
    assert clients.possible_duplicate_ids(session, world.client.id) == []


def test_a_flag_of_the_duplicate_with_a_third_record_passes_to_the_survivor(session, world, twin):
    third = make_client(session, world.agency, given="Anna")  # flagged against both
    session.flush()
    clients.merge_clients(session, world.client.id, twin.id, world.case_manager, NOW)
    session.flush()
    assert clients.possible_duplicate_ids(session, world.client.id) == [third.id]
    assert clients.possible_duplicate_ids(session, third.id) == [world.client.id]


@pytest.mark.parametrize("bad", ["same", "missing", "other-organization"])
def test_bad_pairs_are_refused_with_the_field_and_change_nothing(session, world, twin, bad):
    stranger = make_client(session, make_org(session, "Elsewhere"), given="Ana")
    duplicate_id = {"same": world.client.id, "missing": "no-such-client",
                    "other-organization": stranger.id}[bad]  # fmt: skip
    with pytest.raises(clients.ClientError) as refused:
        clients.merge_clients(session, world.client.id, duplicate_id, world.case_manager, NOW)
    assert refused.value.field == "duplicate_id"
    assert session.get(Client, stranger.id) is not None and count(session, Consent, twin.id) == 1


def test_a_provider_or_another_organizations_case_manager_may_not_merge(session, world, twin):
    outsider = make_user(session, "outsider@example.org", "case_manager", make_org(session, "X").id)
    for user in (world.staff, outsider):
        with pytest.raises(policy.Forbidden):
            clients.merge_clients(session, world.client.id, twin.id, user, NOW)
    assert session.get(Client, twin.id) is not None


@pytest.fixture
def cm(app, client, world):
    sign_in(app, client, world.case_manager)
    return client


def test_the_client_page_offers_the_merge_and_the_confirmation_changes_nothing(
    session, cm, world, twin
):
    page = cm.get(f"/clients/{world.client.id}").get_data(as_text=True)
    url = f"/clients/{world.client.id}/merge/{twin.id}"
    assert f'href="{url}"' in page and "Merge into this record" in page
    response = cm.get(url)
    confirm = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ana López" in confirm and "555-0199" in confirm
    assert "Consents: 1" in confirm and "Facts: 1" in confirm and "Assessments: 1" in confirm
    assert 'name="csrf_token"' in confirm
    assert session.get(Client, twin.id) is not None and count(session, Consent, twin.id) == 1
    assert session.scalar(select(func.count()).select_from(ClientDuplicate)) == 1


def test_posting_the_merge_redirects_to_the_survivor_and_both_sides_open_the_referral(
    app, session, cm, world, twin
):
    referral = referral_of(session, world, twin)
    response = cm.post(f"/clients/{world.client.id}/merge/{twin.id}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/clients/{world.client.id}")
    page = cm.get(response.headers["Location"]).get_data(as_text=True)
    assert "The record of Ana López was merged into this one." in page
    assert "Possible duplicate" not in page
    assert cm.get(f"/clients/{twin.id}").status_code == 404
    assert cm.get(f"/referrals/{referral.id}").status_code == 200
    provider = app.test_client()
    sign_in(app, provider, world.staff)
    shown = provider.get(f"/referrals/{referral.id}")
    assert shown.status_code == 200 and "Ana Lopez" in shown.get_data(as_text=True)


def test_merging_a_record_into_itself_on_the_page_says_why(session, cm, world):
    response = cm.post(f"/clients/{world.client.id}/merge/{world.client.id}")
    assert response.status_code == 303
    page = cm.get(response.headers["Location"]).get_data(as_text=True)
    assert "A record cannot be merged into itself." in page
    assert session.get(Client, world.client.id) is not None


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "one of them was changed by someone else"), ("es", "otra persona cambió uno de")],
)
def test_a_merge_refused_by_a_concurrent_change_says_why_in_the_users_language(
    session, cm, world, twin, monkeypatch, language, said
):
    def merged_meanwhile(*_args, **_kwargs):
        raise clients.ClientError("duplicate_id", "no such client")

    monkeypatch.setattr(clients, "merge_clients", merged_meanwhile)
    headers = {"Accept-Language": language}
    response = cm.post(f"/clients/{world.client.id}/merge/{twin.id}", headers=headers)
    assert response.status_code == 303
    page = cm.get(response.headers["Location"], headers=headers).get_data(as_text=True)
    assert said in page and "no such client" not in page
    assert session.get(Client, twin.id) is not None


def test_another_organizations_record_is_refused_on_the_page(app, session, cm, world, twin):
    stranger = make_client(session, make_org(session, "Elsewhere"), given="Ana")
    assert cm.get(f"/clients/{world.client.id}/merge/{stranger.id}").status_code == 403
    assert cm.post(f"/clients/{world.client.id}/merge/{stranger.id}").status_code == 403
    assert cm.post(f"/clients/{stranger.id}/merge/{world.client.id}").status_code == 403
    assert session.get(Client, stranger.id) is not None


def test_provider_staff_cannot_open_or_post_the_merge(app, session, world, twin):
    provider = app.test_client()
    sign_in(app, provider, world.staff)
    url = f"/clients/{world.client.id}/merge/{twin.id}"
    assert provider.get(url).status_code == 403
    assert provider.post(url).status_code == 403
    assert session.get(Client, twin.id) is not None


def test_the_confirmation_page_reads_in_spanish(cm, world, twin):
    url = f"/clients/{world.client.id}/merge/{twin.id}"
    page = cm.get(url, headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "¿Combinar Ana López con este registro?" in page
    assert "Consentimientos: 1" in page and "Combinar con este registro" in page
