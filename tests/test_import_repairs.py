"""The value repairs of the HSDS importer, on hand-made values."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from referral.directory.hsds_import import repairs
from referral.directory.hsds_import.repairs import Unrepairable


def test_lossy_cp437_mojibake_becomes_the_apostrophe_it_was() -> None:
    fixed, reason = repairs.text("the State AttorneyGÇÖs Office")
    assert fixed == "the State Attorney\u2019s Office"
    assert reason == "mojibake decoded"


def test_intact_mojibake_is_decoded_and_good_accents_are_left_alone() -> None:
    assert repairs.text("cafÃ©")[0] == "café"
    assert repairs.text("£50 “quoted” café") == ("£50 “quoted” café", None)


def test_literal_backslash_n_becomes_a_line_break() -> None:
    fixed, reason = repairs.text("Line one.\\n\\nLine two.")
    assert fixed == "Line one.\n\nLine two."
    assert "line break" in (reason or "")


def test_padded_strings_are_trimmed_and_blank_strings_are_missing() -> None:
    assert repairs.text("FL ") == ("FL", "surrounding whitespace trimmed")
    assert repairs.text("   ") == (None, "surrounding whitespace trimmed")
    assert repairs.text("plain") == ("plain", None)


def test_county_tags_are_removed_from_text() -> None:
    assert repairs.text("Serves girls.\\n\\n###MON###")[0] == "Serves girls."


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("9:00am", "09:00"),
        ("5:00pm", "17:00"),
        ("12:00pm", "12:00"),
        ("12:30am", "00:30"),
        ("830am", "08:30"),
        ("9:0am", "09:00"),
        ("7:30 am ", "07:30"),
        ("9am", "09:00"),
        ("9:00 A.M.", "09:00"),
    ],
)
def test_am_pm_times_become_24_hour_hh_mm(written: str, expected: str) -> None:
    assert repairs.clock(written)[0] == expected


def test_iso_times_are_kept_as_written() -> None:
    assert repairs.clock("10:00:00") == ("10:00:00", None, True)


@pytest.mark.parametrize("written", ["6:300pm", "noonish", "25:00", "13:00pm"])
def test_impossible_times_are_unrepairable(written: str) -> None:
    with pytest.raises(Unrepairable, match="not a time of day"):
        repairs.clock(written)


def test_a_bare_close_time_before_the_opening_is_read_as_afternoon() -> None:
    opens, closes, reasons = repairs.opening_hours("8:00", "5:00")
    assert (opens, closes) == ("08:00", "17:00")
    assert any("afternoon" in reason for reason in reasons)


def test_zip_plus_four_keeps_the_five_digit_zip() -> None:
    assert repairs.us_postal_code("33128-1966") == ("33128", "ZIP+4 '33128-1966' kept as ZIP 33128")
    assert repairs.us_postal_code("331281966")[0] == "33128"
    assert repairs.us_postal_code("33157") == ("33157", None)
    assert repairs.us_postal_code("2134")[0] == "02134"


def test_out_of_range_coordinates_are_kept_as_missing_with_a_reason() -> None:
    lat, lon, reason = repairs.coordinates(100.0, 101.0)
    assert (lat, lon) == (None, None)
    assert "not a point on Earth" in (reason or "")
    assert repairs.coordinates(25.7, -80.2) == (25.7, -80.2, None)
    assert repairs.coordinates(0.0, 0.0)[:2] == (None, None)
    assert repairs.coordinates(25.7, None)[2] is not None


def test_enumerations_match_obvious_spellings_and_reject_others() -> None:
    allowed = ("active", "inactive", "defunct", "temporarily closed")
    assert repairs.enumeration("Active ", allowed)[0] == "active"
    assert repairs.enumeration("Temporarily_Closed", allowed)[0] == "temporarily closed"
    with pytest.raises(Unrepairable, match="'open' is not one of"):
        repairs.enumeration("open", allowed)


def test_numbers_dates_and_moments_are_parsed_or_refused() -> None:
    assert repairs.number("2,011", int) == (2011, None)
    assert repairs.number("ext. 12", int)[0] == 12
    with pytest.raises(Unrepairable):
        repairs.number("twelve", int)
    assert repairs.day("2005-01-01") == (date(2005, 1, 1), None)
    assert repairs.day("Jan 5, 2020")[0] == date(2020, 1, 5)
    assert repairs.moment("2023-03-15T10:30:45Z")[0] == datetime(
        2023, 3, 15, 10, 30, 45, tzinfo=UTC
    )
    assert repairs.moment("2011-01-01")[0].tzinfo is not None
    with pytest.raises(Unrepairable):
        repairs.day("someday")


def test_web_addresses_without_a_scheme_get_http_and_prose_is_left_alone() -> None:
    assert repairs.web_address("www.ftri.org") == (
        "http://www.ftri.org",
        "web address without a scheme; http:// added",
    )
    assert repairs.web_address("https://example.org/x") == ("https://example.org/x", None)
    assert repairs.web_address("see our website") == ("see our website", None)
