"""Matching leaves out listings verified longer ago than REFERRAL_HIDE_AFTER_DAYS
(on the sample directory, in its own module: the seeded session holds the database)."""

from __future__ import annotations

from referral.matching.assessment import parse_client
from referral.matching.match import match


def test_match_leaves_out_listings_verified_before_the_hide_day(seeded_session):
    assessment = parse_client({"needs": [{"domain": "food-insecurity"}]})
    everything = match(seeded_session, assessment, top=50).needs[0].results
    dates = sorted(r.candidate.assured_date for r in everything if r.candidate.assured_date)
    assert dates, "the sample directory has verified food services"
    cutoff = dates[len(dates) // 2]
    kept = match(seeded_session, assessment, top=50, verified_since=cutoff).needs[0].results
    assert kept and all(
        r.candidate.assured_date is None or r.candidate.assured_date >= cutoff for r in kept
    )
    gone = {r.candidate.service_at_location_id for r in everything} - {
        r.candidate.service_at_location_id for r in kept
    }
    assert gone
