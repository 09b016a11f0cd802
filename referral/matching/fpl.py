"""Income as a percentage of the federal poverty level (HHS poverty guidelines).

The guidelines are data (``data/fpl_<year>.csv``), one row per region: the 48
contiguous states and DC, Alaska, Hawaii. Alaska and Hawaii get their own lines because
HHS publishes separate, higher figures for them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from referral.matching.codes import DATA_DIR

CURRENT_YEAR = 2025
REGIONS = ("contiguous", "alaska", "hawaii")


@dataclass(frozen=True)
class PovertyGuideline:
    year: int
    region: str
    first_person: int
    each_additional: int

    def annual_line(self, household_size: int) -> int:
        if household_size < 1:
            raise ValueError("household size must be at least 1")
        return self.first_person + self.each_additional * (household_size - 1)


@cache
def guidelines(year: int = CURRENT_YEAR) -> dict[str, PovertyGuideline]:
    path = DATA_DIR / f"fpl_{year}.csv"
    if not path.exists():
        raise ValueError(f"no poverty guidelines for {year}")
    with path.open(newline="", encoding="utf-8") as f:
        rows = [
            PovertyGuideline(
                int(r["year"]), r["region"], int(r["first_person"]), int(r["each_additional"])
            )
            for r in csv.DictReader(f)
        ]
    return {row.region: row for row in rows}


def region_for_state(state: str | None) -> str:
    """HHS region of a US state code; unknown states use the contiguous line."""
    return {"AK": "alaska", "HI": "hawaii"}.get((state or "").upper(), "contiguous")


def poverty_line(household_size: int, region: str = "contiguous", year: int = CURRENT_YEAR) -> int:
    """Annual poverty guideline in dollars for a household of this size."""
    table = guidelines(year)
    if region not in table:
        raise ValueError(f"unknown poverty guideline region {region!r}")
    return table[region].annual_line(household_size)


def percent_of_poverty(
    monthly_income: float, household_size: int, region: str = "contiguous"
) -> float:
    """Annualized income over the poverty line, in percent (e.g. 138.0)."""
    return round(monthly_income * 12 * 100 / poverty_line(household_size, region), 1)
