"""Hand-written vocabularies for the fictional directory: places, names, streets,
languages and the small phrases that make listings read like real ones.

Every organization, person and phone line made from these words is fictional; places
(counties, cities, ZIP codes) are real so that geography behaves like the real thing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metro:
    name: str
    state: str
    counties: tuple[str, ...]
    area_codes: tuple[str, ...]


BALTIMORE = Metro(
    "Greater Baltimore",
    "MD",
    (
        "Baltimore City",
        "Baltimore County",
        "Anne Arundel County",
        "Howard County",
        "Harford County",
    ),
    ("410", "443", "667"),
)

# The synthetic benchmark directory spreads over several metros so geo queries see
# realistic density in each and realistic emptiness between them.
SYNTHETIC_METROS: tuple[Metro, ...] = (
    BALTIMORE,
    Metro("Philadelphia", "PA", ("Philadelphia County",), ("215", "267")),
    Metro("Chicago", "IL", ("Cook County",), ("312", "773", "872")),
    Metro("Houston", "TX", ("Harris County",), ("713", "832", "281")),
    Metro("Phoenix", "AZ", ("Maricopa County",), ("602", "480", "623")),
    Metro("Seattle", "WA", ("King County",), ("206", "425", "253")),
    Metro("Atlanta", "GA", ("Fulton County", "DeKalb County"), ("404", "470", "678")),
    Metro("Minneapolis", "MN", ("Hennepin County",), ("612", "952", "763")),
)

# Words that make organization names sound local to Maryland.
LOCAL_NAMES = (
    "Chesapeake",
    "Patapsco",
    "Gunpowder",
    "Harbor",
    "Bayside",
    "Susquehanna",
    "Severn",
    "Magothy",
    "Jones Falls",
    "Herring Run",
    "Gwynns Falls",
    "Patuxent",
    "Tidewater",
    "Old Line",
    "Piedmont",
    "Liberty",
    "Greenspring",
    "Druid Hill",
    "Falls Road",
    "Loch Raven",
)
# Used for "{place}" when a site is in Baltimore City, whose ZIP codes all say "Baltimore".
CITY_NEIGHBORHOODS = (
    "Hampden",
    "Fells Point",
    "Canton",
    "Highlandtown",
    "Sandtown",
    "Pigtown",
    "Remington",
    "Waverly",
    "Govans",
    "Hamilton",
    "Lauraville",
    "Park Heights",
    "Cherry Hill",
    "Brooklyn",
    "Curtis Bay",
    "Belair-Edison",
    "Irvington",
    "Morrell Park",
    "Oliver",
    "Charles Village",
)
HOPEFUL_WORDS = (
    "New Beginnings",
    "Open Door",
    "Harvest",
    "Beacon",
    "Bridges",
    "Cornerstone",
    "Lantern",
    "Crossroads",
    "Good Neighbor",
    "Hope",
    "Unity",
    "Sojourner",
    "Common Ground",
    "Fresh Start",
    "Second Chance",
    "Safe Harbor",
    "Mustard Seed",
    "Gathering Place",
    "Lighthouse",
    "Pathways",
    "Threshold",
    "Keystone",
    "Compass",
    "Wellspring",
    "Shelter Rock",
    "Turning Point",
)
SAINTS = (
    "St. Brendan's",
    "St. Ambrose",
    "St. Veronica",
    "St. Martin de Porres",
    "Grace",
    "Trinity",
    "Emmanuel",
    "Mount Zion",
    "Bethel",
    "Shiloh",
    "Calvary",
    "New Hope",
    "Beth Shalom",
    "Faith Temple",
    "Good Shepherd",
    "Holy Redeemer",
    "Sharon Baptist",
    "Asbury",
)

STREET_NAMES = (
    "Charles",
    "Greenmount",
    "Eastern",
    "Belair",
    "Harford",
    "York",
    "Liberty Heights",
    "Reisterstown",
    "Edmondson",
    "North",
    "Fayette",
    "Pennsylvania",
    "Frederick",
    "Washington",
    "Monument",
    "Baltimore",
    "Pratt",
    "Lombard",
    "Patterson Park",
    "Cold Spring",
    "Northern",
    "Park Heights",
    "Wabash",
    "Hillen",
    "Broadway",
    "Conkling",
    "Dundalk",
    "Merritt",
    "Ritchie",
    "Crain",
    "Mountain",
    "Main",
    "Church",
    "Mill",
    "Park",
    "Oak",
    "Maple",
    "Chestnut",
    "Franklin",
    "Madison",
    "Jefferson",
    "Union",
    "Pulaski",
    "Route 40",
    "Philadelphia",
    "Joppa",
    "Bel Air",
    "Snowden River",
    "Little Patuxent",
    "Dorsey",
    "Arundel",
    "West",
)
STREET_SUFFIXES = ("St", "Ave", "Rd", "Blvd", "Pkwy", "Ln", "Dr", "Pike", "Hwy", "Way")
DIRECTIONS = ("", "", "", "N ", "S ", "E ", "W ")
UNITS = (
    "Suite 100",
    "Suite 200",
    "2nd Floor",
    "Room 14",
    "Rear entrance",
    "Lower level",
    "Building B",
    "Suite 310",
)

SITE_NAMES = (
    "Main Office",
    "Community Center",
    "Resource Center",
    "Family Center",
    "Service Center",
    "Outreach Site",
    "Welcome Center",
    "Annex",
)

FIRST_NAMES = (
    "Alicia",
    "Marcus",
    "Denise",
    "Tomas",
    "Keisha",
    "Wei",
    "Fatima",
    "Darnell",
    "Rosa",
    "Nguyen",
    "Abebe",
    "Priya",
    "Malik",
    "Grace",
    "Luis",
    "Tanya",
    "Samuel",
    "Mei",
    "Andre",
    "Yolanda",
)
LAST_NAMES = (
    "Brooks",
    "Okafor",
    "Ramirez",
    "Carter",
    "Tran",
    "Haile",
    "Johnson",
    "Kim",
    "Williams",
    "Pierre",
    "Patel",
    "Washington",
    "Alvarez",
    "Green",
    "Mensah",
    "Sullivan",
    "Park",
    "Greene",
    "Diallo",
    "Foster",
)
STAFF_TITLES = (
    "Intake Coordinator",
    "Program Manager",
    "Case Manager",
    "Outreach Specialist",
    "Client Services Lead",
    "Volunteer Coordinator",
)

# (name, ISO 639 code) and how often each appears beside English, for ordinary services
# and for services run by immigrant-serving organizations.
LANGUAGES: tuple[tuple[str, str, float, float], ...] = (
    ("Spanish", "es", 0.42, 0.9),
    ("French", "fr", 0.04, 0.45),
    ("Haitian Creole", "ht", 0.03, 0.3),
    ("Vietnamese", "vi", 0.03, 0.3),
    ("Korean", "ko", 0.04, 0.3),
    ("Amharic", "am", 0.03, 0.4),
    ("Tigrinya", "ti", 0.01, 0.25),
    ("Chinese", "zh", 0.03, 0.3),
    ("Arabic", "ar", 0.03, 0.45),
    ("Dari", "prs", 0.01, 0.4),
    ("Pashto", "ps", 0.005, 0.3),
    ("Russian", "ru", 0.02, 0.2),
    ("Nepali", "ne", 0.01, 0.25),
    ("Swahili", "sw", 0.01, 0.3),
    ("American Sign Language", "ase", 0.03, 0.05),
)
LANGUAGE_NOTES = (
    "Bilingual staff",
    "Staff interpreter on site",
    "Interpreter by phone",
    "Written materials translated",
    "",
)
INTERPRETATION = (
    "Telephone interpretation is available in more than 200 languages at no cost.",
    "Bring someone to interpret or ask us to arrange an interpreter when you call.",
    "Video interpretation, including ASL, is available at the front desk.",
    "",
    "",
)

ACCESSIBILITY = (
    ("Wheelchair accessible entrance and restrooms.", "Ramp at the side entrance."),
    ("Elevator to all floors.", "Elevator is beside the main lobby."),
    ("Ground floor, step-free access.", ""),
    ("Accessible parking spaces by the door.", "Two reserved spaces."),
    ("Hearing loop at the reception desk.", "Switch your hearing aid to T-coil."),
    (
        "Not wheelchair accessible: stairs at the entrance.",
        "Call ahead and staff will meet you at the curb.",
    ),
)
TRANSPORTATION = (
    "One block from the {n} bus stop.",
    "Served by bus routes {n} and {m}; free parking behind the building.",
    "Ten minutes' walk from the light rail; street parking only.",
    "Free parking lot on site.",
    "Near the {n} bus line; bike rack at the entrance.",
)

DOCUMENTS = {
    "id": "Photo ID (driver's license, state ID, passport or consular card)",
    "address": "Proof of address such as a lease, utility bill or official letter",
    "income": "Proof of household income for the last 30 days (pay stubs, benefit letters)",
    "ssn": "Social Security numbers for all household members",
    "children": "Birth certificates or medical cards for children in the household",
    "utility": "Your most recent utility bill or shut-off notice",
    "eviction": "Eviction notice, rent court summons or landlord letter",
    "dd214": "DD-214 or other proof of military service",
    "tax": "W-2, 1099 and other tax forms, and last year's return if you have it",
    "insurance": "Insurance card or Medicaid card, if you have one",
    "pregnancy": "Proof of pregnancy, if pregnant",
    "immigration": "Any immigration documents you have (I-94, notices, passport)",
    "referral": "A referral form from a case manager, clinic or hospital",
}
