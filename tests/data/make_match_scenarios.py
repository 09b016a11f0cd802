"""Write tests/data/match_scenarios.json: 44 clients over the seed directory with graded
judgments, by a fixed rubric applied to the listings (not by the ranker's weights).

    python tests/data/make_match_scenarios.py sqlite:///path/to/seeded.db

Rubric, per need, over every service with a place within 20 km of the client:
  0  the client fails one of its hard eligibility rules (the listing's own rules, as
     ``referral check`` reads them), or it is not active, or it does not do this need
  3  it does exactly what the client asked for (one of the scenario's target terms)
     within 5 km, in a language the client speaks (or the client named none)
  2  exactly what was asked within 12 km, or anything for the need within 5 km
  1  anything else for the need within 20 km
  and one grade less when the client named languages and the listing lists others only.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from referral.directory import geo
from referral.directory import models as dm
from referral.matching.assessment import parse_client
from referral.matching.candidates import domain_codes
from referral.matching.checks import verdicts_for
from referral.search.documents import language_code

ZIPS = [
    "21201",
    "21205",
    "21215",
    "21218",
    "21224",
    "21229",
    "21230",
    "21206",
    "21212",
    "21217",
    "21225",
    "21216",
]
FACTS = [
    {"age": 67, "household_size": 2, "monthly_income": 1800, "languages": ["es"]},
    {"age": 29, "household_size": 3, "monthly_income": 1500, "children": 2, "gender": "female"},
    {
        "age": 45,
        "household_size": 1,
        "monthly_income": 0,
        "housing_status": "homeless",
        "gender": "male",
    },
    {"age": 19, "household_size": 1, "monthly_income": 600},
    {"age": 52, "household_size": 4, "monthly_income": 5200, "veteran": True},
    {"age": 74, "household_size": 1, "monthly_income": 1300, "disability": True},
    {
        "age": 33,
        "household_size": 2,
        "monthly_income": 2100,
        "languages": ["en"],
        "pregnant": True,
        "gender": "female",
    },
    {"age": 40, "household_size": 5, "monthly_income": 9000},
    {"age": 16},
    {"household_size": 2},
    {"age": 58, "household_size": 2, "monthly_income": 2600, "languages": ["zh"]},
]
# (need domain, detail, target term codes, urgency)
NEEDS = [
    ("food-insecurity", "groceries", {"FOOD.PANTRY", "FOOD.PRODUCE"}, "urgent"),
    ("food-insecurity", "hot meal", {"FOOD.MEALS"}, "urgent"),
    ("food-insecurity", "help applying for food stamps", {"FOOD.SNAP"}, "routine"),
    ("housing-instability", "behind on rent", {"HOUSING.RENT", "MONEY.EMERGENCY"}, "soon"),
    ("housing-instability", "eviction notice", {"HOUSING.EVICTION", "LEGAL.TENANT"}, "urgent"),
    (
        "homelessness",
        "shelter tonight",
        {
            "HOUSING.SHELTER",
            "HOUSING.SHELTER.ADULT",
            "HOUSING.SHELTER.FAMILY",
            "HOUSING.SHELTER.YOUTH",
        },
        "urgent",
    ),
    (
        "transportation-insecurity",
        "ride to the doctor",
        {"TRANSPORTATION.MEDICAL", "TRANSPORTATION.PARATRANSIT"},
        "routine",
    ),
    ("transportation-insecurity", "bus pass", {"TRANSPORTATION.TRANSIT"}, "routine"),
    ("employment-status", "job search", {"EMPLOYMENT.SEARCH", "EMPLOYMENT.TRAINING"}, "routine"),
    (
        "intimate-partner-violence",
        "safety planning",
        {"SAFETY.DV_ADVOCACY", "SAFETY.DV_HOTLINE"},
        "urgent",
    ),
    ("stress", "counseling", {"BEHAVIORAL.COUNSELING"}, "soon"),
    ("material-hardship", "diapers", {"FAMILY.DIAPERS"}, "routine"),
    ("financial-insecurity", "tax filing", {"MONEY.TAX"}, "routine"),
    ("digital-literacy", None, set(), "routine"),
    ("utility-insecurity", "electric bill", {"UTILITIES.ENERGY", "UTILITIES.SHUTOFF"}, "soon"),
]
RADIUS_KM = 20.0


def listings(session: Session) -> list[dict]:
    rows = session.execute(
        select(
            dm.ServiceAtLocation.service_id,
            dm.Location.latitude,
            dm.Location.longitude,
            dm.Service.status,
        )
        .join(dm.Location, dm.Location.id == dm.ServiceAtLocation.location_id)
        .join(dm.Service, dm.Service.id == dm.ServiceAtLocation.service_id)
    ).all()
    codes: dict[str, set[str]] = {}
    for link, code in session.execute(
        select(dm.Attribute.link_id, dm.TaxonomyTerm.code).join(
            dm.TaxonomyTerm, dm.TaxonomyTerm.id == dm.Attribute.taxonomy_term_id
        )
    ):
        codes.setdefault(link, set()).add(code)
    langs: dict[str, set[str]] = {}
    for service_id, code, name in session.execute(
        select(dm.Language.service_id, dm.Language.code, dm.Language.name)
    ):
        if service_id:
            langs.setdefault(service_id, set()).add(language_code(code, name))
    return [
        {
            "service_id": s,
            "lat": lat,
            "lon": lon,
            "status": st,
            "codes": codes.get(s, set()),
            "langs": langs.get(s, set()),
        }
        for s, lat, lon, st in rows
        if lat is not None
    ]


def judge(session: Session, client: dict, need: tuple, places: list[dict]) -> dict[str, int]:
    domain, _, targets, _ = need
    facts = parse_client(client).facts
    mapped = domain_codes(domain)
    nearest: dict[str, tuple[float, dict]] = {}
    for p in places:
        km = geo.haversine_km(facts.place.lat, facts.place.lon, p["lat"], p["lon"])
        if (
            km <= RADIUS_KM
            and p["codes"] & set(mapped)
            and (p["service_id"] not in nearest or km < nearest[p["service_id"]][0])
        ):
            nearest[p["service_id"]] = (km, p)
    verdicts = verdicts_for(session, sorted(nearest), facts)
    grades = {}
    for service_id, (km, p) in sorted(nearest.items()):
        if p["status"] != "active" or verdicts[service_id].status == "ineligible":
            grades[service_id] = 0
            continue
        exact = bool(p["codes"] & targets) if targets else True
        grade = 3 if exact and km <= 5 else 2 if (exact and km <= 12) or km <= 5 else 1
        if facts.languages and p["langs"] and not (set(facts.languages) & p["langs"]):
            grade -= 1
        grades[service_id] = max(grade, 0)
    return grades


def main(url: str) -> None:
    engine = create_engine(url)
    out = []
    with Session(engine) as session:
        places = listings(session)
        for i in range(44):
            need = NEEDS[i % len(NEEDS)]
            second = NEEDS[(i * 7 + 3) % len(NEEDS)] if i % 3 == 0 else None
            client = {
                "location": {"postal_code": ZIPS[i % len(ZIPS)]},
                "facts": FACTS[i % len(FACTS)],
                "needs": [],
            }
            chosen = [need] + ([second] if second and second[0] != need[0] else [])
            client["needs"] = [{"domain": n[0], "detail": n[1], "urgency": n[3]} for n in chosen]
            judgments = {n[0]: judge(session, client, n, places) for n in chosen}
            out.append(
                {
                    "name": f"s{i + 1:02d} {ZIPS[i % len(ZIPS)]} "
                    + " + ".join(n[1] or n[0] for n in chosen),
                    **client,
                    "judgments": judgments,
                }
            )
    engine.dispose()
    about = (
        "Generated by make_match_scenarios.py from seed_data/sample; "
        "see its docstring for the rubric."
    )
    Path(__file__).with_name("match_scenarios.json").write_text(
        json.dumps({"about": about, "scenarios": out}, indent=1) + "\n"
    )


if __name__ == "__main__":
    main(sys.argv[1])
