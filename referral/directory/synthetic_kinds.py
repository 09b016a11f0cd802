"""The kinds of services in the fictional directory and the kinds of organizations
that run them. Each kind carries the realistic variety a matcher must cope with:
several eligibility texts (some with ages, incomes or residency), fees, documents,
hours and how to apply.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Eligibility:
    text: str
    minimum_age: int | None = None
    maximum_age: int | None = None
    residency: bool = False  # the text limits the service to {county}: it gets a service area


OPEN = Eligibility("No eligibility requirements; open to all.")
ANYONE = Eligibility("Anyone in need. No ID or paperwork required.")
ADULTS = Eligibility("Adults 18 and older.", 18)
SENIORS = Eligibility("Seniors 60+ and their caregivers.", 60)
SENIORS_65 = Eligibility("Adults age 65 and older, or 18 and older with a disability.", 65)
YOUTH = Eligibility("Youth ages 14-24.", 14, 24)
TEENS = Eligibility("Young people ages 12 to 18.", 12, 18)
KIDS = Eligibility("Children ages 5-13 enrolled in a public school.", 5, 13)
FPL200 = Eligibility("Households at or below 200% of the federal poverty level.")
FPL150 = Eligibility("Household income at or below 150% of the federal poverty guidelines.")
AMI50 = Eligibility("Income at or below 50% of the area median income; must have a lease.")
RESIDENT = Eligibility("Residents of {county} only.", residency=True)
RESIDENT_FPL = Eligibility(
    "Residents of {county} with household income at or below 175% of the federal poverty level.",
    residency=True,
)
ZIPS = Eligibility("Must live in ZIP code {zip} or a neighboring ZIP code. Bring proof of address.")
WOMEN = Eligibility("Women and their children.")
MEN = Eligibility("Single men 18 and over.", 18)
FAMILIES = Eligibility("Families with children under 18 who are homeless tonight.")
VETERANS = Eligibility("Veterans and their families.")
VETERANS_DISCHARGE = Eligibility("Veterans with any discharge other than dishonorable.")
WIC = Eligibility("Pregnant women or children under 5, with income at or below 185% of poverty.")
PREGNANT = Eligibility("Pregnant or postpartum people, regardless of insurance.")
ID_ADDRESS = Eligibility("Must have a valid ID and proof of address.")
SURVIVORS = Eligibility("Survivors of domestic violence of any gender, and their children.")
IMMIGRANTS = Eligibility("Immigrants and refugees, regardless of status.")
REFUGEES = Eligibility(
    "Refugees, asylees and special immigrant visa holders in their first five years in the US."
)
REENTRY = Eligibility("People returning from incarceration within the last 12 months, age 18+.", 18)
UNINSURED = Eligibility("Uninsured or underinsured; no one is turned away for inability to pay.")
MEDICAID = Eligibility("Medicaid members. Call first to check your plan.")
PARENTS = Eligibility("Parents and caregivers of children under 6.", None, 5)
DISABILITY = Eligibility("People with a disability that limits daily activities.")
TENANTS = Eligibility("Tenants with a court date or eviction notice in {county}.", residency=True)
UNEMPLOYED = Eligibility("Unemployed or underemployed adults 18 and older.", 18)
NO_DIPLOMA = Eligibility("Adults 17 and older without a high school diploma.", 17)
SUD = Eligibility("Adults with a substance use concern. Walk-ins welcome.", 18)
PRESCHOOL = Eligibility(
    "Children ages 3-4 from families at or below 100% of the federal poverty level.", 3, 4
)
COORDINATED_ENTRY = Eligibility("Must be referred through the coordinated entry system.")


@dataclass(frozen=True)
class Kind:
    key: str
    names: tuple[str, ...]
    terms: tuple[str, ...]
    description: str
    eligibility: tuple[Eligibility, ...]
    hours: tuple[str, ...]
    application: str
    fees: str = "free"  # free | sliding | low:<dollars>:<what for>
    documents: tuple[str, ...] = ()
    capacity: str | None = None  # unit key for service_capacity


WALK_IN = "Walk in during open hours."
CALL = "Call to schedule an intake appointment."
CALL_BACK = "Call or apply online; a caseworker calls back within two business days."
HOTLINE = "Call the hotline any time, day or night."
REFERRAL = "Referral required from a case manager, clinic or hospital social worker."
ARRIVE = "Arrive by 6:30 pm for a bed; beds are first come, first served."

# fmt: off
KINDS: tuple[Kind, ...] = (
    Kind("pantry", ("Emergency Food Pantry", "Community Food Pantry", "Neighborhood Pantry",
        "Choice Pantry"), ("FOOD.PANTRY",), "Free groceries including fresh produce, dairy and "
        "shelf-stable food for households in and around {place}. Visitors choose their own food.",
        (OPEN, ANYONE, FPL200, RESIDENT, ZIPS, ID_ADDRESS), ("pantry", "pantry_monthly"), WALK_IN,
        documents=("id", "address")),
    Kind("meals", ("Community Kitchen", "Hot Meal Program", "Soup Kitchen", "Daily Bread Meals"),
        ("FOOD.MEALS",), "A hot, nutritious meal served in our dining hall, no questions asked.",
        (OPEN, ANYONE), ("meals",), WALK_IN),
    Kind("snap", ("SNAP Application Help", "Food Stamp Enrollment Assistance"), ("FOOD.SNAP",
        "MONEY.BENEFITS"), "Trained staff help you apply for SNAP (food stamps), renew benefits "
        "and answer letters from the benefits office.", (OPEN, FPL200, RESIDENT), ("weekday",
        "split"), CALL_BACK, documents=("id", "income", "ssn")),
    Kind("wic", ("WIC Nutrition Program", "WIC Clinic"), ("FOOD.WIC",), "WIC provides healthy "
        "foods, breastfeeding support and nutrition counseling.", (WIC,), ("weekday_evening",
        "weekday"), CALL, documents=("id", "address", "income", "pregnancy")),
    Kind("home_meals", ("Meals on Wheels", "Home-Delivered Meals"), ("FOOD.HOME_DELIVERED",
        "OLDER_ADULTS.IN_HOME"), "Hot lunches delivered weekdays to homebound older adults, with "
        "a friendly check-in.", (SENIORS, SENIORS_65, RESIDENT), ("weekday",), CALL,
        fees="low:3:suggested donation per meal"),
    Kind("produce", ("Mobile Market", "Fresh Produce Distribution", "Saturday Farm Stand"),
        ("FOOD.PRODUCE",), "Free fresh fruit and vegetables from our truck, first come, first "
        "served while supplies last.", (OPEN, ANYONE, ZIPS), ("monthly", "weekend"), WALK_IN),
    Kind("kids_meals", ("Summer Meals for Kids", "Weekend Backpack Program"), ("FOOD.CHILDREN",),
        "Free meals for children and teens; no registration needed.", (KIDS, TEENS, OPEN),
        ("weekday",), WALK_IN),
    Kind("shelter_men", ("Men's Emergency Shelter", "Overnight Shelter"),
        ("HOUSING.SHELTER.ADULT",), "Emergency beds, dinner, showers and case management for "
        "adults experiencing homelessness.", (MEN, ADULTS), ("overnight",), ARRIVE,
        documents=("id",), capacity="beds"),
    Kind("shelter_women", ("Women's Shelter", "Women and Children's Shelter"),
        ("HOUSING.SHELTER.ADULT", "HOUSING.SHELTER.FAMILY"), "A safe place to stay for women and "
        "their children, with meals and case management.", (WOMEN,), ("24/7", "overnight"), CALL,
        capacity="beds"),
    Kind("shelter_family", ("Family Shelter", "Family Emergency Housing"),
        ("HOUSING.SHELTER.FAMILY",), "Private rooms for families with children, with meals, case "
        "management and help finding housing.", (FAMILIES,), ("24/7",), REFERRAL, documents=("id",
        "children"), capacity="rooms"),
    Kind("shelter_youth", ("Youth Drop-In and Shelter", "Young Adult Shelter"),
        ("HOUSING.SHELTER.YOUTH", "FAMILY.YOUTH"), "Beds, meals and support for young people who "
        "are homeless or cannot go home.", (YOUTH,), ("24/7",), HOTLINE, capacity="beds"),
    Kind("shelter_winter", ("Code Blue Winter Shelter", "Cold Weather Shelter"),
        ("HOUSING.SHELTER.ADULT",), "Extra beds open on nights when the temperature drops below "
        "freezing.", (OPEN, ADULTS), ("winter",), ARRIVE, capacity="beds"),
    Kind("transitional", ("Transitional Housing Program", "Bridge Housing"),
        ("HOUSING.TRANSITIONAL",), "Up to 24 months of housing with a case manager, savings plan "
        "and job support.", (FAMILIES, WOMEN, ADULTS, VETERANS), ("weekday",), REFERRAL,
        documents=("id", "income", "referral"), capacity="units"),
    Kind("rent", ("Emergency Rental Assistance", "Rent Relief Fund", "Eviction Prevention Grant"),
        ("HOUSING.RENT", "HOUSING.EVICTION", "MONEY.EMERGENCY"), "One-time help with back rent or "
        "a security deposit, paid directly to the landlord.", (AMI50, RESIDENT_FPL, FPL200,
        TENANTS), ("weekday", "split"), CALL_BACK, documents=("id", "income", "eviction",
        "address")),
    Kind("housing_search", ("Housing Navigation", "Rapid Rehousing"), ("HOUSING.SEARCH",),
        "A housing navigator helps you search, apply and move in.", (ADULTS, FAMILIES,
        COORDINATED_ENTRY), ("weekday",), REFERRAL),
    Kind("outreach", ("Street Outreach Team", "Homeless Outreach"), ("HOUSING.OUTREACH",
        "GOODS.HYGIENE"), "Outreach workers bring food, blankets and connections to shelter and "
        "housing to people living outside.", (OPEN,), ("weekday_evening", "weekend"),
        "Call the outreach line to tell us where someone needs help."),
    Kind("repair", ("Safe and Healthy Homes Repair", "Home Repair Program", "Weatherization"),
        ("HOUSING.REPAIR",), "Free repairs to roofs, furnaces and wiring, plus insulation, for "
        "homeowners on low incomes.", (SENIORS, FPL200, RESIDENT_FPL), ("weekday",), CALL_BACK,
        documents=("id", "income", "address")),
    Kind("counseling_housing", ("Foreclosure Prevention Counseling", "Homebuyer Education"),
        ("HOUSING.COUNSELING", "MONEY.COACHING"), "HUD-approved housing counselors help with "
        "mortgages, foreclosure and buying a first home.", (OPEN, FPL200), ("weekday",), CALL,
        fees="sliding"),
    Kind("energy", ("Energy Assistance", "Utility Bill Help", "Heating Assistance"),
        ("UTILITIES.ENERGY", "UTILITIES.SHUTOFF"), "Help with gas and electric bills, including "
        "emergency help to stop a shut-off.", (FPL200, RESIDENT_FPL, FPL150), ("weekday", "split"),
        CALL_BACK, documents=("id", "income", "utility", "ssn")),
    Kind("water", ("Water Bill Assistance",), ("UTILITIES.WATER",), "Credits on water and sewer "
        "bills for households with low incomes.", (RESIDENT_FPL, FPL200), ("weekday",), CALL_BACK,
        documents=("utility", "income")),
    Kind("connect", ("Affordable Internet Sign-Up", "Digital Inclusion Help Desk"),
        ("UTILITIES.CONNECTIVITY",), "Help signing up for low-cost internet plans and free "
        "phones.", (OPEN, FPL200), ("weekday",), WALK_IN),
    Kind("med_rides", ("Medical Transportation", "Rides to Care"), ("TRANSPORTATION.MEDICAL",),
        "Free rides to medical, dental and dialysis appointments. Book 48 hours ahead.", (MEDICAID,
        SENIORS, DISABILITY), ("weekday",),
        "Call at least two business days before your appointment."),
    Kind("transit", ("Transit Voucher Program", "Bus Pass Assistance"),
        ("TRANSPORTATION.TRANSIT",), "Free bus passes for job interviews, medical visits and the "
        "first month of a new job.", (ADULTS, UNEMPLOYED, OPEN), ("weekday",), WALK_IN,
        documents=("id",)),
    Kind("senior_rides", ("Senior Ride Program", "Door-to-Door Rides"),
        ("TRANSPORTATION.PARATRANSIT",), "Volunteer drivers take older adults to errands and "
        "appointments.", (SENIORS, SENIORS_65), ("weekday",), CALL, fees="low:5:per one-way ride"),
    Kind("car_repair", ("Car Repair Assistance",), ("TRANSPORTATION", "MONEY.EMERGENCY"),
        "Help paying for repairs for working parents who need a car to get to work.", (FPL200,
        ADULTS), ("weekday",), CALL_BACK, documents=("id", "income")),
    Kind("benefits", ("Benefits Enrollment Center", "Public Benefits Screening"),
        ("MONEY.BENEFITS", "HEALTH.INSURANCE"), "One visit to check and apply for SNAP, Medicaid, "
        "energy help, cash assistance and tax credits.", (OPEN, FPL200, SENIORS), ("weekday",
        "split"), CALL, documents=("id", "income", "ssn")),
    Kind("tax", ("Free Tax Preparation (VITA)", "Free Tax Help"), ("MONEY.TAX",),
        "IRS-certified volunteers prepare and e-file returns and claim the Earned Income Tax "
        "Credit.", (Eligibility("Households earning $67,000 or less per year."), OPEN), ("tax",),
        "Make an appointment online or by phone during tax season.", documents=("id", "tax",
        "ssn"), capacity="appointments"),
    Kind("coaching", ("Financial Coaching", "Credit Building Program"), ("MONEY.COACHING",),
        "Free one-on-one coaching to build credit, lower debt and save.", (ADULTS, OPEN),
        ("weekday_evening",), CALL),
    Kind("emergency_cash", ("Emergency Assistance Fund", "Crisis Assistance"),
        ("MONEY.EMERGENCY",), "One-time help with a bill, prescription or urgent need when other "
        "help is not available.", (FPL150, RESIDENT_FPL), ("weekday",), CALL_BACK, documents=("id",
        "income", "address")),
    Kind("job_training", ("Job Training Academy", "Career Pathways Training",
        "Construction Pre-Apprenticeship", "Certified Nursing Assistant Training"),
        ("EMPLOYMENT.TRAINING",), "Free training with industry certificates and job placement "
        "help.", (UNEMPLOYED, ADULTS, YOUTH), ("weekday",),
        "Attend an information session, then complete an intake interview.", documents=("id",
        "income")),
    Kind("job_search", ("Career Center", "Job Readiness Workshop"), ("EMPLOYMENT.SEARCH",),
        "Resume help, mock interviews, job fairs and computers for job searching.", (OPEN, ADULTS),
        ("weekday", "weekday_evening"), WALK_IN),
    Kind("youth_jobs", ("Summer Youth Employment", "Youth Works"), ("EMPLOYMENT.YOUTH",),
        "Paid summer jobs and work readiness training for young people.", (YOUTH, TEENS),
        ("weekday",), "Apply online in the spring; space is limited.", documents=("id", "address")),
    Kind("reentry", ("Reentry Employment Program", "Returning Citizens Program"),
        ("EMPLOYMENT.REENTRY", "LEGAL.EXPUNGEMENT"), "Job training, placement and mentoring for "
        "people coming home from incarceration.", (REENTRY,), ("weekday",), CALL,
        documents=("id",)),
    Kind("ged", ("GED Classes", "Adult Education"), ("EDUCATION.GED",), "Free classes to prepare "
        "for the GED or the National External Diploma Program.", (NO_DIPLOMA,), ("weekday_evening",
        "split"), "Register for an orientation session."),
    Kind("esol", ("English Classes (ESOL)", "English for Speakers of Other Languages"),
        ("EDUCATION.ESOL",), "English classes at beginner to advanced levels, mornings and "
        "evenings.", (ADULTS, IMMIGRANTS), ("split", "weekday_evening"), WALK_IN),
    Kind("digital", ("Digital Skills Classes", "Computer Basics"), ("EDUCATION.DIGITAL",
        "GOODS.DEVICES"), "Learn to use a computer, smartphone, email and online forms. Graduates "
        "may receive a free laptop.", (ADULTS, SENIORS, OPEN), ("weekday", "weekend"),
        "Call or stop by to sign up for the next class."),
    Kind("tutoring", ("After-School Tutoring", "Homework Club"), ("EDUCATION.TUTORING",
        "FAMILY.YOUTH"), "Homework help, reading support and snacks after school.", (KIDS, TEENS),
        ("after_school",), "Parents register their child in person."),
    Kind("head_start", ("Head Start", "Early Learning Center"), ("EDUCATION.EARLY",),
        "Free preschool for 3- and 4-year-olds with meals and family support.",
        (PRESCHOOL,),
        ("weekday",), CALL, documents=("children", "income", "address")),
    Kind("clinic", ("Community Health Center", "Family Medicine Clinic", "Primary Care Clinic"),
        ("HEALTH.PRIMARY",), "Primary care for all ages: checkups, sick visits, vaccines and "
        "chronic disease care.", (UNINSURED, OPEN), ("weekday_evening", "weekday"), CALL,
        fees="sliding", documents=("id", "insurance", "income")),
    Kind("dental", ("Dental Clinic", "Community Dental Care"), ("HEALTH.DENTAL",),
        "Exams, cleanings, fillings and extractions on a sliding fee scale.", (UNINSURED, OPEN,
        MEDICAID), ("weekday",), CALL, fees="sliding", documents=("id", "insurance", "income"),
        capacity="appointments"),
    Kind("insurance", ("Health Insurance Navigators", "Medicaid Enrollment Help"),
        ("HEALTH.INSURANCE",), "Certified navigators help you enroll in Medicaid or a marketplace "
        "plan.", (OPEN, UNINSURED), ("weekday", "split"), CALL_BACK, documents=("id", "income",
        "ssn")),
    Kind("prenatal", ("Prenatal Care", "Healthy Moms Program"), ("HEALTH.PRENATAL",),
        "Prenatal visits, childbirth classes and postpartum support.", (PREGNANT, WIC),
        ("weekday",), CALL, fees="sliding", documents=("id", "insurance")),
    Kind("rx", ("Prescription Assistance Program",), ("HEALTH.PRESCRIPTIONS",),
        "Help getting free or low-cost medicines through patient assistance programs.", (UNINSURED,
        FPL200), ("weekday",), CALL, documents=("id", "income")),
    Kind("health_ed", ("Diabetes Prevention Program", "Healthy Living Workshops"),
        ("HEALTH.EDUCATION",), "Free workshops on managing diabetes, blood pressure and healthy "
        "eating.", (ADULTS, SENIORS), ("weekday_evening",), CALL),
    Kind("therapy", ("Outpatient Mental Health Clinic", "Counseling Services"),
        ("BEHAVIORAL.COUNSELING",), "Therapy for adults, children and families, including "
        "trauma-focused care.", (OPEN, MEDICAID, ADULTS), ("weekday_evening",), CALL,
        fees="sliding", documents=("id", "insurance")),
    Kind("crisis", ("Crisis Line", "24-Hour Crisis Support"), ("BEHAVIORAL.CRISIS",),
        "Trained counselors answer calls and texts 24 hours a day and can send a mobile crisis "
        "team.", (OPEN,), ("24/7",), HOTLINE),
    Kind("sud", ("Outpatient Addiction Treatment", "Recovery Services"), ("BEHAVIORAL.SUD",),
        "Assessment, outpatient and intensive outpatient treatment for alcohol and drug use.",
        (SUD, ADULTS, MEDICAID), ("weekday_evening",), WALK_IN, fees="sliding", documents=("id",
        "insurance")),
    Kind("moud", ("Opioid Treatment Program", "Buprenorphine Clinic"), ("BEHAVIORAL.SUD.MOUD",),
        "Same-day medication for opioid use disorder with counseling.", (SUD, ADULTS), ("early",),
        WALK_IN, documents=("id",)),
    Kind("harm_reduction", ("Harm Reduction Services", "Naloxone Distribution"),
        ("BEHAVIORAL.SUD.HARM_REDUCTION",), "Free naloxone, test strips and syringe services, "
        "with no judgment.", (OPEN, ANYONE), ("weekday", "weekday_evening"), WALK_IN),
    Kind("peer", ("Peer Recovery Support", "Support Groups"), ("BEHAVIORAL.PEER",),
        "Peer-led groups for recovery, grief and mental health.", (ADULTS, OPEN),
        ("weekday_evening", "weekend"), WALK_IN),
    Kind("dv_hotline", ("Domestic Violence Hotline", "24-Hour Helpline"), ("SAFETY.DV_HOTLINE",),
        "Confidential support, safety planning and connection to shelter, 24 hours a day.", (OPEN,
        SURVIVORS), ("24/7",), HOTLINE),
    Kind("dv_shelter", ("Safe House", "Confidential Shelter"), ("SAFETY.DV_SHELTER",),
        "A confidential shelter for survivors and their children. The address is not published; "
        "call the hotline.", (SURVIVORS, WOMEN), ("24/7",), HOTLINE, capacity="beds"),
    Kind("dv_advocacy", ("Protective Order Advocacy", "Legal Advocacy for Survivors"),
        ("SAFETY.DV_ADVOCACY",), "Advocates help survivors file for protective orders and go with "
        "them to court.", (SURVIVORS,), ("weekday",), CALL),
    Kind("sa", ("Sexual Assault Crisis Services",), ("SAFETY.SEXUAL_ASSAULT",),
        "Hospital accompaniment, counseling and advocacy after sexual assault.", (OPEN,
        Eligibility("Survivors age 12 and older.", 12)), ("24/7",), HOTLINE),
    Kind("elder_abuse", ("Elder Abuse Prevention", "Senior Protective Advocacy"),
        ("SAFETY.ELDER_ABUSE",), "Help for older adults facing abuse, neglect or scams.", (SENIORS,
        SENIORS_65), ("weekday",), CALL),
    Kind("tenant_law", ("Tenant Legal Services", "Eviction Defense"), ("LEGAL.TENANT",
        "HOUSING.EVICTION"), "Free lawyers for tenants in rent court and eviction cases.",
        (TENANTS, FPL200), ("weekday",), CALL_BACK, documents=("eviction", "id")),
    Kind("expungement", ("Expungement Clinic", "Record Clearing Clinic"), ("LEGAL.EXPUNGEMENT",),
        "Find out if your record can be cleared and get help filing.", (ADULTS, OPEN),
        ("monthly",), WALK_IN, documents=("id",)),
    Kind("family_law", ("Family Law Project",), ("LEGAL.FAMILY",), "Help with custody, child "
        "support and divorce for people on low incomes.", (FPL200, RESIDENT_FPL), ("weekday",),
        CALL_BACK, documents=("id", "income")),
    Kind("consumer_law", ("Consumer Protection Legal Help", "Debt Defense"), ("LEGAL.CONSUMER",
        "MONEY.MEDICAL_BILLS"), "Advice and representation for debt collection, scams and medical "
        "bills.", (FPL200, SENIORS), ("weekday",), CALL_BACK),
    Kind("benefits_law", ("Benefits Appeals",), ("LEGAL", "MONEY.BENEFITS"),
        "Representation when SNAP, Medicaid, SSI or disability benefits are denied or cut.",
        (FPL200,), ("weekday",), CALL_BACK, documents=("id",)),
    Kind("diapers", ("Diaper Bank", "Diaper Distribution"), ("FAMILY.DIAPERS",),
        "Free diapers and wipes once a month for families with babies and toddlers.", (PARENTS,
        FPL200), ("monthly", "pantry_monthly"), WALK_IN, documents=("children",)),
    Kind("baby_gear", ("Baby Essentials Closet", "Safe Sleep Cribs"), ("FAMILY.DIAPERS",),
        "Cribs, car seats, clothing and formula for new parents.", (PARENTS, PREGNANT),
        ("weekday",), REFERRAL),
    Kind("child_care", ("Child Care Scholarship Help", "Child Care Resource Line"),
        ("FAMILY.CHILD_CARE",), "Find licensed child care and apply for help paying for it.",
        (PARENTS, FPL200), ("weekday",), CALL_BACK, documents=("income", "children")),
    Kind("parenting", ("Home Visiting Program", "Parenting Classes"), ("FAMILY.PARENTING",),
        "Nurses and parent educators visit families at home from pregnancy to age three.",
        (PARENTS, PREGNANT), ("weekday",), CALL),
    Kind("youth_program", ("Youth Mentoring", "Teen Center", "After-School Program"),
        ("FAMILY.YOUTH",), "Mentoring, sports, arts and leadership activities for young people.",
        (TEENS, KIDS, YOUTH), ("after_school", "weekend"), WALK_IN),
    Kind("clothing", ("Clothing Closet", "Coat Drive", "Career Clothing Boutique"),
        ("GOODS.CLOTHING",), "Free clothing, shoes and coats for all ages.", (OPEN, ANYONE),
        ("pantry", "weekend"), WALK_IN),
    Kind("furniture", ("Furniture Bank",), ("GOODS",), "Free beds, tables and kitchen items for "
        "people moving into housing.",
        (Eligibility("Referral required; for households moving out of homelessness or crisis."),),
        ("weekday",), REFERRAL, fees="low:50:delivery fee, waived on request"),
    Kind("hygiene", ("Shower and Laundry Program", "Day Center"), ("GOODS.HYGIENE",),
        "Showers, laundry, mail service and a place to rest during the day.", (OPEN, ADULTS),
        ("early", "weekday"), WALK_IN),
    Kind("senior_center", ("Senior Center", "Active Aging Center"), ("OLDER_ADULTS.CENTER",
        "FOOD.MEALS"), "Lunch, fitness classes, trips and clubs for older adults.", (SENIORS,
        Eligibility("Adults 55 and older.", 55)), ("weekday",), WALK_IN),
    Kind("in_home", ("In-Home Aide Services", "Friendly Visitor Program"),
        ("OLDER_ADULTS.IN_HOME",), "Help with bathing, chores and errands so older adults can "
        "stay at home.", (SENIORS_65, DISABILITY), ("weekday",), CALL, fees="sliding"),
    Kind("caregiver", ("Caregiver Support Program",), ("OLDER_ADULTS.CAREGIVER",),
        "Respite care, training and support groups for family caregivers.", (SENIORS, OPEN),
        ("weekday",), CALL),
    Kind("vet_benefits", ("Veterans Benefits Assistance", "VA Claims Help"),
        ("VETERANS.BENEFITS",), "Accredited representatives help file VA disability, pension and "
        "health care claims.", (VETERANS, VETERANS_DISCHARGE), ("weekday",), CALL,
        documents=("dd214", "id")),
    Kind("vet_housing", ("Veterans Housing Program", "Supportive Services for Veteran Families"),
        ("VETERANS.HOUSING", "HOUSING.RENT"), "Rapid rehousing, deposits and case management for "
        "veterans who are homeless or at risk.", (VETERANS, VETERANS_DISCHARGE), ("weekday",),
        CALL_BACK, documents=("dd214", "id", "income"), capacity="units"),
    Kind("vet_jobs", ("Veterans Employment Program",), ("VETERANS", "EMPLOYMENT.SEARCH"),
        "Job placement and training for veterans.", (VETERANS,), ("weekday",), CALL,
        documents=("dd214",)),
    Kind("resettlement", ("Refugee Resettlement", "Newcomer Services"),
        ("IMMIGRANTS.RESETTLEMENT",), "Housing, school enrollment, benefits and cultural "
        "orientation for newly arrived families.", (REFUGEES,), ("weekday",), REFERRAL,
        documents=("immigration", "id")),
    Kind("immigration_law", ("Immigration Legal Services", "Citizenship Clinic"),
        ("IMMIGRANTS.LEGAL",), "DOJ-accredited staff help with citizenship, green cards, DACA and "
        "asylum.", (IMMIGRANTS, OPEN), ("weekday", "monthly"), CALL,
        fees="low:75:per application, waived for low income", documents=("immigration", "id")),
    Kind("interpretation", ("Community Interpreter Bank",), ("IMMIGRANTS",),
        "Free interpreters for medical, school and benefits appointments.", (IMMIGRANTS,),
        ("weekday",), CALL),
    Kind("community_center", ("Recreation Center", "Neighborhood Center"), ("FAMILY.YOUTH",
        "OLDER_ADULTS.CENTER", "EDUCATION.DIGITAL"), "Gym, classes, computer lab and free Wi-Fi "
        "for the neighborhood.", (OPEN,), ("weekday_evening", "weekend"), WALK_IN),
)
# fmt: on

KINDS_BY_KEY: dict[str, Kind] = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class OrgType:
    key: str
    names: tuple[str, ...]  # templates: {local} {hope} {saint} {place}
    legal_status: str
    description: str
    kinds: tuple[str, ...]
    weight: int
    immigrant: bool = False


# fmt: off
ORG_TYPES: tuple[OrgType, ...] = (
    OrgType("food", ("{place} Community Food Pantry", "{saint} Outreach Ministry",
        "{hope} Food Collective", "{local} Food Bank Partner Pantry"), "Nonprofit 501(c)(3)",
        "A volunteer-run food ministry serving {place} since {year}.", ("pantry", "meals",
        "produce", "snap", "kids_meals", "clothing", "diapers"), 16),
    OrgType("action", ("{local} Community Action Partnership", "{local} Community Action Agency"),
        "Nonprofit 501(c)(3)", "A community action agency helping families in {county} reach "
        "financial stability.", ("energy", "water", "rent", "snap", "tax", "coaching",
        "head_start", "benefits", "emergency_cash", "car_repair", "connect"), 8),
    OrgType("health", ("{local} Community Health", "{place} Family Health Center",
        "{hope} Health Partners"), "Federally qualified health center", "A community health "
        "center caring for everyone, insured or not.", ("clinic", "dental", "insurance",
        "prenatal", "rx", "wic", "health_ed", "therapy", "med_rides"), 10),
    OrgType("shelter", ("{hope} Shelter", "{local} Homeless Services", "{saint} Mission",
        "{hope} House"), "Nonprofit 501(c)(3)", "Shelter, meals and a path home for people "
        "experiencing homelessness.", ("shelter_men", "shelter_women", "shelter_family",
        "shelter_winter", "outreach", "hygiene", "meals", "transitional", "housing_search"), 11),
    OrgType("dv", ("{hope} Center for Survivors", "{local} Family Violence Council",
        "House of {hope}"), "Nonprofit 501(c)(3)", "Safety, shelter and healing for survivors of "
        "domestic and sexual violence.", ("dv_hotline", "dv_shelter", "dv_advocacy", "sa",
        "therapy"), 7),
    OrgType("legal", ("{local} Legal Aid", "{place} Justice Center", "{local} Tenant Law Project"),
        "Nonprofit 501(c)(3)", "Free civil legal help for people who cannot afford a lawyer.",
        ("tenant_law", "expungement", "family_law", "consumer_law", "benefits_law",
        "immigration_law"), 8),
    OrgType("work", ("{local} Workforce Partnership", "{hope} Jobs", "{place} Career Network"),
        "Nonprofit 501(c)(3)", "Training and jobs that lead to careers.", ("job_training",
        "job_search", "youth_jobs", "reentry", "ged", "digital", "transit"), 10),
    OrgType("seniors", ("{local} Senior Services", "{place} Council on Aging",
        "{hope} Senior Network"), "Nonprofit 501(c)(3)", "Helping older adults in {county} live "
        "well at home.", ("senior_center", "home_meals", "senior_rides", "in_home", "caregiver",
        "elder_abuse", "insurance"), 9),
    OrgType("youth", ("{place} Youth Alliance", "{hope} Kids", "{local} Boys and Girls Clubhouse"),
        "Nonprofit 501(c)(3)", "Youth development and family support in {place}.",
        ("youth_program", "tutoring", "shelter_youth", "kids_meals", "youth_jobs", "parenting",
        "diapers", "baby_gear"), 10),
    OrgType("behavioral", ("{local} Behavioral Health", "{hope} Recovery Center",
        "{place} Counseling Center"), "Nonprofit 501(c)(3)", "Mental health and addiction care "
        "that meets people where they are.", ("therapy", "crisis", "sud", "moud", "harm_reduction",
        "peer"), 9),
    OrgType("veterans", ("{local} Veterans Alliance", "{hope} for Veterans"),
        "Nonprofit 501(c)(19)", "Veterans serving veterans and their families.", ("vet_benefits",
        "vet_housing", "vet_jobs", "peer", "transit"), 5),
    OrgType("immigrant", ("{local} Immigrant Welcome Center", "{hope} Refugee Services",
        "{place} Newcomer Network"), "Nonprofit 501(c)(3)", "Welcoming immigrants and refugees to "
        "{county}.", ("resettlement", "esol", "immigration_law", "interpretation", "benefits",
        "job_search"), 7, immigrant=True),
    OrgType("housing", ("{local} Housing Partnership",
        "{place} Neighborhood Development Corporation", "Rebuilding {place}"),
        "Nonprofit 501(c)(3)", "Safe, healthy and affordable homes in {place}.", ("repair",
        "counseling_housing", "rent", "housing_search", "furniture"), 6),
    OrgType("community", ("{place} Community Center", "{saint} Community Association",
        "{hope} Neighborhood House"), "Nonprofit 501(c)(3)", "A neighborhood anchor in {place} "
        "since {year}.", ("community_center", "pantry", "digital", "tax", "youth_program",
        "clothing", "connect", "esol"), 8),
)
# fmt: on
