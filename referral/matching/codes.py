"""The vocabulary of needs: Gravity Project SDOH category codes.

Our own copy of the codes (code and display) lives in ``data/sdoh_codes.csv`` so the
matcher never depends on a dataset outside the package.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class SdohCode:
    code: str
    display: str


@cache
def sdoh_codes() -> dict[str, SdohCode]:
    with (DATA_DIR / "sdoh_codes.csv").open(newline="", encoding="utf-8") as f:
        return {row["code"]: SdohCode(row["code"], row["display"]) for row in csv.DictReader(f)}


def is_need_code(code: str) -> bool:
    return code in sdoh_codes()


def display(code: str) -> str:
    found = sdoh_codes().get(code)
    return found.display if found else code
