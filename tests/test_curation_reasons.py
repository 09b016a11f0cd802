"""Why two records look alike: the scorer writes codes with parameters, the queue keeps
them as JSON, and they are put into words only when shown, in the reader's language."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from referral.curation import reasons
from referral.curation.features import PairFeatures
from referral.curation.reason_codes import CODES, Reason
from referral.curation.scoring import score_pair

EVERY_KIND = (
    # Shared details of every kind, once alone and once used by many organizations.
    PairFeatures(0.93, frozenset(), (2, 4), (2,), ((2, False), (5, True)), ((3, False),),
                 0.01, True),
    # One organization's two records of one street address; different owners otherwise.
    PairFeatures(0.5, frozenset(), (), (2,), (), (), None, False, same_owner=True,
                 entity="location"),
    PairFeatures(0.9, frozenset({"north", "iii"}), (), (), (), (), 0.02, False),
    PairFeatures(0.1, frozenset(), (), (), (), (), None, False),
    PairFeatures(0.9, frozenset(), (), (), ((2, True),), ((2, True),), None, False),
)  # fmt: skip


def _written() -> list[Reason]:
    return [r for features in EVERY_KIND for r in score_pair(features).reasons]


def _english_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{3,}", text.lower())}


def test_the_examples_cover_every_code_the_scorer_writes_with_every_parameter():
    written = _written()
    assert {r.code for r in written} == set(CODES) - {"text"}
    shared = [r for r in written if r.code.startswith("same-")]
    assert any(r.organizations for r in shared) and any(not r.organizations for r in shared)
    assert any(r.public_body and r.organizations for r in shared)
    assert any(r.public_body and not r.organizations for r in shared)


@pytest.mark.parametrize("reason", _written(), ids=str)
def test_every_reason_the_scorer_writes_is_a_known_code_kept_whole_as_json(reason):
    assert reason.code in CODES
    assert Reason.from_json(reason.to_json()) == reason


def test_a_reason_with_an_unknown_code_or_the_wrong_parameters_cannot_be_made():
    for bad in (
        lambda: Reason("names-similar"),
        lambda: Reason("names-alike"),
        lambda: Reason("same-phone", percent=80),
        lambda: Reason("same-phone", public_body=True),
    ):
        with pytest.raises(ValueError):
            bad()


def test_a_stored_reason_this_version_cannot_read_is_kept_as_text():
    assert Reason.from_json("both open on Sundays") == Reason("text", text="both open on Sundays")
    assert Reason.from_json({"code": "same-fax"}) == Reason("text", text="same-fax")
    assert Reason.from_json({"code": "names-alike"}).code == "text"


def test_every_code_but_text_has_its_message_and_its_shared_by_many_message():
    assert set(reasons.MESSAGES) == set(CODES) - {"text"}
    takes_count = {code for code, (_, optional) in CODES.items() if "organizations" in optional}
    assert set(reasons.SHARED_BY_MANY) == takes_count


@pytest.mark.parametrize("reason", _written(), ids=str)
def test_every_reason_reads_in_spanish_with_no_english_left(app, reason):
    with app.test_request_context("/"):
        english = reasons.reason_text(reason)
    with app.test_request_context("/?lang=es"), force_locale("es"):
        spanish = reasons.reason_text(reason)
    quoted = set(reason.words)  # the listing's own words, as written
    assert spanish != english
    assert not (_english_words(english) - quoted) & _english_words(spanish), spanish


def test_reasons_read_in_english_outside_a_request_as_the_command_prints_them():
    shown = reasons.reason_texts(score_pair(EVERY_KIND[0]).reasons)
    assert shown[:3] == ["names 93% alike", "same phone", "same phone (used by 4 organizations)"]
    assert "same website (used by 5 organizations), a public-body domain" in shown


def test_the_words_names_differ_in_are_listed_in_the_readers_language_as_listing_text(app):
    differ = Reason("names-differ", words=("city", "county", "north"))
    with app.test_request_context("/"):
        assert reasons.reason_text(differ) == "names differ in city, county, and north"
    with app.test_request_context("/?lang=es"), force_locale("es"):
        shown = str(reasons.shown_reasons([differ.to_json()]))
    assert shown == (
        'los nombres difieren en <span lang="en">city</span>, <span lang="en">county</span>'
        ' y <span lang="en">north</span>'
    )


def test_a_text_reason_is_shown_as_stored_and_marked_as_english(app):
    stored = [{"code": "names-alike", "percent": 93}, {"code": "text", "text": "open <Sundays>"}]
    with app.test_request_context("/?lang=es"), force_locale("es"):
        shown = reasons.shown_reasons(stored)
    assert str(shown) == (
        'nombres parecidos en un 93 %; <span lang="en">open &lt;Sundays&gt;</span>'
    )
    with app.test_request_context("/"):
        assert str(reasons.shown_reasons(stored)) == "names 93% alike; open &lt;Sundays&gt;"
