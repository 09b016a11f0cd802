"""Writes tests/data/curation_duplicates: fictional duplicates of seed organizations and
fictional hard negatives, as an HSDS 3.0 tabular package, and prints how many labeled
pairs it makes. Their labels are in tests/data/duplicate_pairs.jsonl (the first rows).

Run from the project root: python tests/data/make_curation_duplicates.py"""

import csv
import json
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "seed_data" / "sample"
OUT = HERE / "curation_duplicates"
NS = uuid.UUID("2b8f3c60-1d7e-4c2a-9a55-0c6f7e3d9b11")


def uid(s):
    return str(uuid.uuid5(NS, s))


def rows_of(name):
    with open(SEED / name, newline="") as f:
        return list(csv.DictReader(f))


orgs = {o["name"]: o for o in rows_of("organizations.csv")}
phones = {}
for p in rows_of("phones.csv"):
    if p["organization_id"]:
        phones.setdefault(p["organization_id"], p["number"])
locs = {}
for row in rows_of("locations.csv"):
    locs.setdefault(row["organization_id"], row)
addr = {a["location_id"]: a for a in rows_of("addresses.csv")}


def fmt_phone(n, style):
    d = n.replace("-", "")
    return {
        "paren": f"({d[:3]}) {d[3:6]}-{d[6:]}",
        "dots": f"{d[:3]}.{d[3:6]}.{d[6:]}",
        "plus": f"+1 {d[:3]} {d[3:6]} {d[6:]}",
        "bare": d,
        "same": n,
    }[style]


# (seed name, duplicate name, evidence): p=phone style, w=website variant,
# a=address variant, g=a point only
DUPS = [
    (
        "Greenspring Food Bank Partner Pantry",
        "GREENSPRING FOOD BANK PARTNER PANTRY, INC.",
        {"p": "paren", "a": "upper"},
    ),
    ("Common Ground Food Collective", "Common Ground Food Collective Inc", {"w": "http-slash"}),
    ("Unity Food Collective", "Unity Food Collective, LLC", {"p": "dots", "a": "long"}),
    ("Lantern Food Collective", "The Lantern Food Collective", {"p": "plus"}),
    ("Bridges Food Collective", "Bridges Food Colective", {"a": "suite"}),
    ("Friendship Community Food Pantry", "Friendship Comm. Food Pantry", {"p": "bare"}),
    (
        "Druid Hill Community Action Partnership",
        "DRUID HILL COMMUNITY ACTION PARTNERSHIP",
        {"p": "bare", "w": "www"},
    ),
    ("Falls Road Community Action Agency", "Falls Rd. Community Action Agency", {"w": "index"}),
    ("Forest Hill Family Health Center", "Forest Hill Family Health Ctr.", {"a": "same"}),
    ("Cornerstone Health Partners", "Cornerstone Health Partners, Inc.", {"p": "paren"}),
    ("Glenwood Family Health Center", "Glenwood Family Health Center", {"w": "www"}),
    ("Bridges Health Partners", "BRIDGES HEALTH PARTNERS", {"p": "same"}),
    ("Second Chance House", "2nd Chance House", {"p": "same", "a": "same"}),
    ("Faith Temple Mission", "Faith Temple Mission Church", {"p": "dots", "a": "upper"}),
    ("Beth Shalom Mission", "Beth Shalom Mission, Inc.", {"w": "http-slash"}),
    ("Gunpowder Family Violence Council", "Gunpowder Family Violence Council Inc.", {"a": "long"}),
    ("Bayside Family Violence Council", "BAYSIDE FAMILY VIOLENCE COUNCIL", {"p": "same"}),
    ("House of Pathways", "House of Pathways", {"w": "www"}),
    ("Bayside Tenant Law Project", "Bayside Tenant Law Project", {"a": "long"}),
    ("Baldwin Justice Center", "Baldwin Justice Ctr", {"p": "plus"}),
    ("Open Door Jobs", "Open Door Jobs, Inc.", {"p": "paren", "w": "www"}),
    ("Highlandtown Career Network", "Highlandtown Career Network", {"p": "paren"}),
    ("St. Ambrose Community Association", "Saint Ambrose Community Association", {"a": "same"}),
    ("Piedmont Boys and Girls Clubhouse", "Piedmont Boys & Girls Clubhouse", {"w": "http-slash"}),
    ("Phoenix Youth Alliance", "PHOENIX YOUTH ALLIANCE, INC.", {"p": "bare"}),
    ("Magothy Behavioral Health", "Magothy Behavioural Health", {"a": "upper"}),
    ("Druid Hill Veterans Alliance", "Druid Hill Veterans' Alliance", {"p": "dots"}),
    ("Edgewater Community Center", "Edgewater Community Centre", {"w": "www"}),
    ("Trinity Community Association", "Trinity Community Assn.", {"p": "paren"}),
    ("Rebuilding Morrell Park", "Rebuilding Morrell Park Inc", {"a": "suite"}),
    ("Towson Youth Alliance", "Towson Youth Alliance", {"g": True}),
    ("Chesapeake Senior Services", "Chesapeake Senior Svcs", {"p": "same"}),
]
LONG = {
    "Blvd": "Boulevard",
    "Pkwy": "Parkway",
    "Ave": "Avenue",
    "St": "Street",
    "Rd": "Road",
    "Ln": "Lane",
    "Dr": "Drive",
    "Hwy": "Highway",
    "E": "East",
    "W": "West",
    "N": "North",
    "S": "South",
}


def address_variant(a, how):
    line = a["address_1"]
    if how == "upper":
        line = line.upper()
    if how == "long":
        line = " ".join(LONG.get(t, t) for t in line.split())
    if how == "suite":
        line = line + ", Suite 200"
    return line


def website_variant(w, how):
    host = w.split("//", 1)[1].removeprefix("www.")
    return {
        "http-slash": f"http://{host}/",
        "www": f"www.{host}",
        "index": f"https://{host}/index.html",
    }[how]


rows = {k: [] for k in ("organizations", "locations", "addresses", "phones")}


def org(id, name, website="", description="A listing for duplicate-detection tests (fictional)."):
    rows["organizations"].append(
        {"id": id, "name": name, "description": description, "website": website}
    )


def loc(id, org_id, name, lat="", lon="", line=None, city="Baltimore", postal="21201"):
    rows["locations"].append(
        {
            "id": id,
            "location_type": "physical",
            "organization_id": org_id,
            "name": name,
            "latitude": lat,
            "longitude": lon,
        }
    )
    if line:
        rows["addresses"].append(
            {
                "id": uid("address:" + id),
                "location_id": id,
                "address_1": line,
                "city": city,
                "state_province": "MD",
                "postal_code": postal,
                "country": "US",
                "address_type": "physical",
            }
        )


def phone(owner, number):
    rows["phones"].append(
        {
            "id": uid(f"phone:{owner}:{number}"),
            "organization_id": owner,
            "number": number,
            "type": "voice",
        }
    )


labels = []
for seed_name, name, ev in DUPS:
    s = orgs[seed_name]
    id = uid("dup:" + s["id"])
    org(id, name, website_variant(s["website"], ev["w"]) if "w" in ev else "")
    if "p" in ev:
        phone(id, fmt_phone(phones[s["id"]], ev["p"]))
    site = locs[s["id"]]
    a = addr[site["id"]]
    if "a" in ev:
        loc(
            uid("loc:" + id),
            id,
            name,
            site["latitude"],
            site["longitude"],
            address_variant(a, ev["a"]),
            a["city"],
            a["postal_code"],
        )
    if "g" in ev:
        loc(
            uid("loc:" + id),
            id,
            name,
            str(round(float(site["latitude"]) + 0.0001, 6)),
            site["longitude"],
        )
    labels.append(
        (
            s["id"],
            id,
            1,
            "duplicate: "
            + "+".join(f"{k}={v}" for k, v in ev.items())
            + " variant of a seed organization",
        )
    )
# Hard negatives (fictional, Baltimore-shaped).
RELAY = "800-735-2258"  # Maryland Relay: on the listings of many public bodies
HALL = ("100 N Holliday St", "Baltimore", "21202")


def neg(key, name, website="", phones_=(), address=None, point=None):
    id = uid("neg:" + key)
    org(id, name, website)
    for p in phones_:
        phone(id, p)
    if address or point:
        lat, lon = point or ("", "")
        loc(
            uid("loc:" + id),
            id,
            name,
            lat,
            lon,
            address[0] if address else None,
            address[1] if address else "Baltimore",
            address[2] if address else "21201",
        )
    return id


n = {}
n["city_health"] = neg(
    "city_health",
    "Baltimore City Health Department",
    "https://health.baltimorecity.gov",
    [RELAY, "410-396-4398"],
    ("1001 E Fayette St", "Baltimore", "21202"),
)
n["county_health"] = neg(
    "county_health",
    "Baltimore County Health Department",
    "https://www.baltimorecountymd.gov/departments/health",
    [RELAY, "410-887-2243"],
    ("6401 York Rd", "Towson", "21212"),
)
n["city_aging"] = neg(
    "city_aging",
    "Baltimore City Department of Aging",
    "https://www.baltimorecity.gov",
    [RELAY],
    HALL,
)
n["county_aging"] = neg(
    "county_aging",
    "Baltimore County Department of Aging",
    "https://www.baltimorecountymd.gov/departments/aging",
    [RELAY],
    ("611 Central Ave", "Towson", "21204"),
)
n["city_dss"] = neg(
    "city_dss",
    "Baltimore City Department of Social Services",
    "https://dhs.maryland.gov/local-offices",
    [RELAY, "443-423-6300"],
)
n["county_dss"] = neg(
    "county_dss",
    "Baltimore County Department of Social Services",
    "https://dhs.maryland.gov/local-offices",
    [RELAY, "410-853-3000"],
)
n["homeless"] = neg(
    "homeless",
    "Baltimore City Office of Homeless Services",
    "https://www.baltimorecity.gov",
    [RELAY],
    HALL,
)
n["immigrant"] = neg(
    "immigrant",
    "Baltimore City Mayor's Office of Immigrant Affairs",
    "https://www.baltimorecity.gov",
    ["410-396-3141"],
    HALL,
)
n["children"] = neg(
    "children",
    "Baltimore City Mayor's Office of Children and Family Success",
    "https://www.baltimorecity.gov",
    ["410-396-3142"],
    HALL,
)
n["north_pantry"] = neg(
    "north_pantry",
    "North Baltimore Food Pantry",
    "https://www.baltimore-pantries.example.org/north",
    ["410-555-0301"],
    ("4400 York Rd", "Baltimore", "21212"),
)
n["south_pantry"] = neg(
    "south_pantry",
    "South Baltimore Food Pantry",
    "https://www.baltimore-pantries.example.org/south",
    ["410-555-0302"],
    ("1400 Light St", "Baltimore", "21230"),
)
n["shelter"] = neg(
    "shelter",
    "Harbor Hope Shelter",
    "https://www.harbor-hope.example.org",
    ["410-555-0311"],
    ("220 S Broadway", "Baltimore", "21231"),
)
n["shelter2"] = neg(
    "shelter2",
    "Harbor Hope Shelter II",
    "https://www.harbor-hope.example.org",
    ["410-555-0312"],
    ("1800 Eastern Ave", "Baltimore", "21231"),
)
n["cc_esperanza"] = neg(
    "cc_esperanza",
    "Catholic Charities of Baltimore - Esperanza Center",
    "https://www.cc-baltimore.example.org/esperanza",
    ["410-555-0320"],
    ("430 S Broadway", "Baltimore", "21231"),
)
n["cc_sister"] = neg(
    "cc_sister",
    "Catholic Charities of Baltimore - My Sister's Place",
    "https://www.cc-baltimore.example.org/my-sisters-place",
    ["410-555-0320"],
    ("17 W Franklin St", "Baltimore", "21201"),
)
n["legal_clinic"] = neg(
    "legal_clinic",
    "Eastside Legal Clinic",
    "",
    ["410-555-0331"],
    ("1500 E Monument St", "Baltimore", "21205"),
)
n["family_clinic"] = neg(
    "family_clinic",
    "Eastside Family Clinic",
    "",
    ["410-555-0332"],
    ("1500 E Monument St", "Baltimore", "21205"),
)
n["west_youth"] = neg("west_youth", "West Baltimore Youth Works", "", ["410-555-0341"])
n["east_youth"] = neg("east_youth", "East Baltimore Youth Works", "", ["410-555-0342"])
n["hotline_a"] = neg(
    "hotline_a", "Maryland Crisis Connect", "https://www.crisis-connect.example.org", ["211"]
)
NEG_PAIRS = [
    (
        "city_health",
        "county_health",
        "hard negative: Baltimore City vs Baltimore County, shared relay phone",
    ),
    ("city_aging", "county_aging", "hard negative: City vs County, shared relay phone"),
    (
        "city_dss",
        "county_dss",
        "hard negative: City vs County, shared relay phone and the same state website",
    ),
    (
        "city_aging",
        "homeless",
        "hard negative: two city offices, same municipal website, same building, relay phone",
    ),
    (
        "immigrant",
        "children",
        "hard negative: two mayor's offices, same municipal website and building",
    ),
    ("homeless", "immigrant", "hard negative: same municipal website and building"),
    ("city_health", "city_aging", "hard negative: two city departments, relay phone"),
    ("north_pantry", "south_pantry", "hard negative: North vs South, one umbrella website"),
    ("shelter", "shelter2", "hard negative: a second site numbered II, same website"),
    (
        "cc_esperanza",
        "cc_sister",
        "hard negative: two programs of one charity, shared intake phone and domain",
    ),
    ("legal_clinic", "family_clinic", "hard negative: same building, different organizations"),
    ("west_youth", "east_youth", "hard negative: West vs East"),
    (
        "county_health",
        "county_aging",
        "hard negative: two county departments, relay phone, one county domain",
    ),
]
for a, b, note in NEG_PAIRS:
    labels.append((n[a], n[b], 0, note))
for name, fields in (
    ("organizations", ["id", "name", "alternate_name", "description", "email", "website"]),
    ("locations", ["id", "location_type", "organization_id", "name", "latitude", "longitude"]),
    (
        "addresses",
        [
            "id",
            "location_id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ],
    ),
    ("phones", ["id", "organization_id", "number", "type"]),
):
    with open(OUT / f"{name}.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        for r in rows[name]:
            w.writerow(r)
for a, b, label, note in labels:
    print(json.dumps({"entity": "organization", "a": a, "b": b, "label": label, "note": note}))
print(len(labels))
