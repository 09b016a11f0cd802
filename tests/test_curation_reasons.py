"""Why two records look alike, as the review pages show it: every phrase the scorer
writes is read back and shown in the reader's language."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from referral.curation import reasons
from referral.curation.features import PairFeatures
from referral.curation.scoring import score_pair

EVERY_KIND = (
    # Shared details of every kind, once alone and once used by many organizations.
    PairFeatures(0.93, frozenset(), (2, 4), (2,), ((2, False), (5, True)), ((3, False),),
                 0.01, True),
    # One organization's two records of one street address; different owners otherwise.
    PairFeatures(0.5, frozenset(), (), (2,), (), (), None, False, same_owner=True,
                 entity="location"),
    PairFeatures(0.9, frozenset({"north"}), (), (), (), (), 0.02, False),
    PairFeatures(0.1, frozenset(), (), (), (), (), None, False),
)  # fmt: skip


def _written() -> list[str]:
    return [r for features in EVERY_KIND for r in score_pair(features).reasons]


def test_the_examples_cover_every_kind_of_phrase_the_scorer_writes():
    written = " | ".join(_written())
    for phrase in ("% alike", "same phone", "(used by 4 organizations)", "same address",
                   "same website", "public-body domain", "same website domain", "m apart",
                   "one place", "names differ in north", "names too different",
                   "different organizations"):  # fmt: skip
        assert phrase in written


@pytest.mark.parametrize("reason", _written())
def test_every_phrase_the_scorer_writes_is_shown_in_spanish(app, reason):
    with app.test_request_context("/?lang=es"), force_locale("es"):
        shown = reasons.translated(reason)
    assert shown is not None, f"no pattern reads {reason!r}"
    assert shown != reason


def test_the_phrases_read_in_english_as_written(app):
    with app.test_request_context("/"):
        assert [reasons.translated(r) for r in _written()] == _written()


def test_a_phrase_no_pattern_knows_is_kept_and_marked_as_english(app):
    with app.test_request_context("/?lang=es"), force_locale("es"):
        shown = reasons.shown_reasons(["names 93% alike", "both open on Sundays"])
    assert str(shown) == (
        'nombres parecidos en un 93 %; <span lang="en">both open on Sundays</span>'
    )
