"""Signed one-click links: expiry, tampering, purpose, single use (also racing)."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from notify_helpers import connection, isolating_engine  # noqa: F401 - fixtures
from sqlalchemy import delete
from sqlalchemy.orm import Session

from referral.links import (
    LinkExpired,
    LinkInvalid,
    LinkUsed,
    make_token,
    read_token,
    use_token,
)
from referral.notify.models import UsedLink

KEY = "links-test-key"
NOW = datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
WEEK = timedelta(days=7)


def token(purpose: str = "referral-respond", subject: str = "r1", **kw) -> str:
    return make_token(purpose, subject, max_age=WEEK, now=NOW, secret_key=KEY, **kw)


def read(session: Session, value: str, purpose: str = "referral-respond", **kw):
    return read_token(session, value, purpose, now=kw.pop("now", NOW), secret_key=KEY, **kw)


def test_a_link_says_what_it_was_made_for(session):
    claim = read(session, token(extra={"u": "user-1", "a": "accept"}))
    assert claim.subject_id == "r1" and claim.purpose == "referral-respond"
    assert claim.extra == {"u": "user-1", "a": "accept"}
    assert claim.expires_at == NOW + WEEK


def test_a_link_stops_working_when_it_expires(session):
    value = token()
    read(session, value, now=NOW + WEEK - timedelta(seconds=1))
    with pytest.raises(LinkExpired) as expired:
        read(session, value, now=NOW + WEEK)
    assert expired.value.status == 410 and "expired" in expired.value.message


def test_a_changed_link_is_invalid(session):
    value = token()
    payload, _, signature = value.rpartition(".")
    # The first character of the signature carries six full bits (the last may not).
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    for bad in (payload + "." + flipped, value[:-5], "garbage", ""):
        with pytest.raises(LinkInvalid) as invalid:
            read(session, bad)
        assert invalid.value.status == 400


def test_a_link_made_for_one_purpose_does_nothing_for_another(session):
    with pytest.raises(LinkInvalid):
        read(session, token("verify-email"), "referral-respond")


def test_a_link_signed_with_another_key_is_invalid(session):
    other = make_token("referral-respond", "r1", max_age=WEEK, now=NOW, secret_key="other")
    with pytest.raises(LinkInvalid):
        read(session, other)


def test_a_link_works_once(session):
    claim = read(session, token())
    use_token(session, claim, now=NOW)
    with pytest.raises(LinkUsed) as used:
        use_token(session, claim, now=NOW)
    assert "already been used" in used.value.message


def test_reading_a_used_link_says_when_it_was_used(session):
    value = token()
    use_token(session, read(session, value), now=NOW)
    with pytest.raises(LinkUsed) as used:
        read(session, value)
    assert "2026-11-18" in used.value.message


def test_two_links_for_the_same_subject_are_used_independently(session):
    first, second = token(), token()
    use_token(session, read(session, first), now=NOW)
    assert read(session, second).subject_id == "r1"


def test_links_use_the_app_secret_key_inside_the_app(app, session):
    with app.app_context():
        value = make_token("verify-email", "u1", max_age=WEEK)
        assert read_token(session, value, "verify-email").subject_id == "u1"
    with pytest.raises(LinkInvalid):
        read(session, value, "verify-email")


def test_a_link_cannot_be_made_without_a_lifetime():
    with pytest.raises(ValueError):
        make_token("x", "y", max_age=timedelta(0), secret_key=KEY)


def test_two_simultaneous_uses_of_one_link_record_exactly_one(engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite has one writer, nothing can race")
    subject = f"race-{uuid.uuid4().hex[:8]}"
    value = make_token("race", subject, max_age=WEEK, secret_key=KEY)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def attempt() -> None:
        with Session(engine) as session:
            claim = read_token(session, value, "race", secret_key=KEY)
            barrier.wait()
            try:
                use_token(session, claim)
                session.commit()
                results.append("used")
            except LinkUsed:
                session.rollback()
                results.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert sorted(results) == ["refused", "used"]
    finally:
        with Session(engine) as session, session.begin():
            session.execute(delete(UsedLink).where(UsedLink.subject_id == subject))
