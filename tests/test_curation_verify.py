"""Verification: "mark verified", the campaign that emails stale organizations a
signed link (with reminders, once per day), and the link's pages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from accounts_helpers import make_org, make_service, make_user, sign_in
from click.testing import CliRunner
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from referral.cli import main
from referral.curation import verification as v
from referral.directory.models import Metadata, Service
from referral.notify.models import OutboxMessage

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
OLD = date(2025, 1, 10)


def _org(session, name, email, assured=OLD):
    org = make_org(session, name)
    org.email = email
    service = make_service(session, org, f"{name} pantry")
    service.assured_date = assured
    session.flush()
    return org, service


def _mails(session, kind="verify-listings"):
    query = select(OutboxMessage).where(OutboxMessage.kind == kind)
    return list(session.scalars(query.order_by(OutboxMessage.created_at)))


def _run(app, session, when, **options):
    campaign = v.Campaign(**options)
    with app.app_context():
        return v.run_campaign(
            session,
            campaign,
            lambda ask, reminder: v.queue_email(session, ask, reminder, app.config),
            now=when,
        )


def test_freshness_policy_labels_and_hides_by_age():
    policy = v.Freshness.from_config({"STALE_AFTER_DAYS": 30, "HIDE_AFTER_DAYS": 400})
    today = date(2026, 11, 27)
    assert policy.is_stale(None, today) and policy.is_stale(date(2026, 10, 1), today)
    assert not policy.is_stale(date(2026, 11, 1), today)
    assert policy.is_hidden(date(2025, 1, 1), today) and not policy.is_hidden(None, today)
    assert not v.Freshness.from_config({}).is_hidden(date(2000, 1, 1), today)


def test_mark_verified_sets_assured_date_and_writes_metadata(app, client, session):
    org, service = _org(session, "Harbor", "harbor@example.org")
    staff = make_user(session, "staff@example.org", "provider_staff", org.id)
    sign_in(app, client, staff)
    response = client.post(f"/services/{service.id}/verify")
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Service, service.id)
    assert stored.assured_date == datetime.now(UTC).date()
    assert stored.assurer_email == "staff@example.org"
    rows = session.scalars(
        select(Metadata).where(
            Metadata.resource_id == service.id,
            Metadata.field_name == "assured_date",
            Metadata.updated_by != "system",  # the test's own setup
        )
    ).all()
    assert [(r.previous_value, r.updated_by) for r in rows] == [
        (OLD.isoformat(), "staff@example.org")
    ]


def test_provider_staff_of_another_organization_cannot_mark_verified(app, client, session):
    _, service = _org(session, "Harbor", "harbor@example.org")
    other, _ = _org(session, "Hilltop", "hill@example.org")
    sign_in(app, client, make_user(session, "staff@example.org", "provider_staff", other.id))
    assert client.post(f"/services/{service.id}/verify").status_code == 403


def test_campaign_dry_run_sends_nothing_and_real_run_one_email_per_stale_org(app, session):
    _org(session, "Harbor", "harbor@example.org")
    _org(session, "Hilltop", "hill@example.org")
    _org(session, "Fresh", "fresh@example.org", assured=NOW.date() - timedelta(days=10))
    _org(session, "No email", None)
    dry = _run(app, session, NOW, dry_run=True)
    assert dry.sent == ["Harbor", "Hilltop"] and _mails(session) == []
    assert session.scalars(select(v.VerificationRequest)).first() is None
    real = _run(app, session, NOW)
    assert real.sent == ["Harbor", "Hilltop"]
    assert sorted(m.to_address for m in _mails(session)) == [
        "harbor@example.org",
        "hill@example.org",
    ]
    again = _run(app, session, NOW + timedelta(hours=3))
    assert again.sent == [] and again.reminded == [] and len(_mails(session)) == 2


def test_campaign_reminds_after_the_delay_at_most_twice(app, session):
    _org(session, "Harbor", "harbor@example.org")
    _run(app, session, NOW, remind_after_days=7)
    assert _run(app, session, NOW + timedelta(days=3), remind_after_days=7).reminded == []
    first = _run(app, session, NOW + timedelta(days=8), remind_after_days=7)
    second = _run(app, session, NOW + timedelta(days=16), remind_after_days=7)
    third = _run(app, session, NOW + timedelta(days=24), remind_after_days=7)
    assert (first.reminded, second.reminded, third.exhausted) == (
        ["Harbor"],
        ["Harbor"],
        ["Harbor"],
    )
    subjects = [m.subject for m in _mails(session)]
    assert len(subjects) == 3 and subjects[1].startswith("Reminder:")


def test_an_answered_request_gets_no_reminder(app, session):
    _, service = _org(session, "Harbor", "harbor@example.org")
    _run(app, session, NOW)
    ask = session.scalars(select(v.VerificationRequest)).one()
    v.answer(session, ask, v.CHANGES, NOW + timedelta(days=1))  # fixed one, not the other
    later = _run(app, session, NOW + timedelta(days=20))
    assert (later.sent, later.reminded, later.skipped) == ([], [], ["Harbor"])
    next_round = _run(app, session, NOW + timedelta(days=31))
    assert next_round.sent == ["Harbor"] and len(_mails(session)) == 2


def _link_path(session) -> str:
    body = _mails(session)[-1].body
    return re.search(r"https?://[^/\s]+(/verify/\S+)", body).group(1)


def test_the_emailed_link_confirms_every_service_of_the_organization(app, client, session):
    org, service = _org(session, "Harbor", "harbor@example.org")
    second = make_service(session, org, "Harbor shelter")
    _run(app, session, datetime.now(UTC))
    path = _link_path(session)
    page = client.get(path)
    assert page.status_code == 200 and b"Harbor shelter" in page.data
    session.expire_all()
    assert session.get(Service, service.id).assured_date == OLD  # a GET changes nothing
    assert client.post(path).status_code == 200
    session.expire_all()
    today = datetime.now(UTC).date()
    assert {session.get(Service, s).assured_date for s in (service.id, second.id)} == {today}
    ask = session.scalars(select(v.VerificationRequest)).one()
    assert ask.answer == v.CONFIRMED
    assert session.get(Service, service.id).assurer_email.startswith("harbor@example.org")


def test_needs_changes_applies_the_edit_at_once_and_marks_verified(app, client, session):
    org, service = _org(session, "Harbor", "harbor@example.org")
    _run(app, session, datetime.now(UTC))
    path = _link_path(session)
    form = client.get(f"{path}/services/{service.id}")
    assert form.status_code == 200
    response = client.post(
        f"{path}/services/{service.id}",
        data={"name": service.name, "status": "temporarily closed", "fees": "Free."},
    )
    assert response.status_code == 303
    session.expire_all()
    stored = session.get(Service, service.id)
    assert (stored.status, stored.fees_description) == ("temporarily closed", "Free.")
    assert stored.assured_date == datetime.now(UTC).date()


def test_a_tampered_link_is_refused(client, session):
    response = client.get("/verify/not-a-real-token")
    assert response.status_code == 400 and b"cannot be used" in response.data


def test_a_link_cannot_edit_another_organizations_service(app, client, session):
    _org(session, "Harbor", "harbor@example.org")
    _, other = _org(session, "Hilltop", "hill@example.org", assured=date.today())
    _run(app, session, datetime.now(UTC))
    assert client.get(f"{_link_path(session)}/services/{other.id}").status_code == 404


@pytest.fixture
def cli_db(cli_env):
    assert CliRunner().invoke(main, ["init"], env=cli_env).exit_code == 0
    engine = create_engine(cli_env["REFERRAL_DATABASE_URL"])
    yield engine
    engine.dispose()


def test_verify_campaign_command_prints_what_it_did_and_is_idempotent_per_day(cli_env, cli_db):
    with Session(cli_db) as session, session.begin():
        _org(session, "Harbor", "harbor@example.org")
    runner = CliRunner()
    dry = runner.invoke(main, ["verify-campaign", "--dry-run"], env=cli_env)
    assert dry.exit_code == 0, dry.output
    assert "would send: Harbor" in dry.output
    first = runner.invoke(main, ["verify-campaign", "--remind-after", "3"], env=cli_env)
    assert "sent: Harbor" in first.output and "1 sent" in first.output
    second = runner.invoke(main, ["verify-campaign"], env=cli_env)
    assert "0 sent, 0 reminded, 1 waiting" in second.output
    with Session(cli_db) as session:
        assert len(_mails(session)) == 1
    assert runner.invoke(main, ["verify-campaign", "--older-than", "0"], env=cli_env).exit_code == 2
