"""The project's own taxonomy of needs, and how each term maps to Gravity SDOH categories.

Terms are coded hierarchically (``HOUSING.SHELTER.FAMILY`` is a child of
``HOUSING.SHELTER``), so a parent's code is the child's code minus its last part.
The map to Gravity Project SDOH category codes lets the matcher go from a client's
assessed need (``homelessness``) to the services tagged with matching terms.
The seed data writes both: the terms into ``taxonomy_terms.csv`` of the sample
package, the map into ``seed_data/sdoh_map.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass

TAXONOMY_NAME = "Referral Needs Taxonomy"
TAXONOMY_VERSION = "1.0"
TAXONOMY_KEY = "referral-needs"
TAXONOMY_DESCRIPTION = (
    "A small taxonomy of social and health needs written for the referral project: "
    "broad needs (Food, Housing, ...) with the kinds of help that answer them."
)


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    sdoh: tuple[str, ...]

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None


def _t(code: str, name: str, description: str, *sdoh: str) -> Term:
    return Term(code, name, description, sdoh)


TERMS: tuple[Term, ...] = (
    _t("FOOD", "Food", "Help getting enough healthy food.", "food-insecurity"),
    _t("FOOD.PANTRY", "Food Pantry", "Groceries to take home, free.", "food-insecurity"),
    _t("FOOD.MEALS", "Hot Meals", "Free prepared meals served on site.", "food-insecurity"),
    _t("FOOD.SNAP", "SNAP Application Help", "Help applying for SNAP (food stamps).",
       "food-insecurity", "financial-insecurity"),
    _t("FOOD.WIC", "WIC", "Food, formula and nutrition advice for pregnant people, new "
       "mothers, infants and children under 5.", "food-insecurity"),
    _t("FOOD.HOME_DELIVERED", "Home-Delivered Meals", "Meals brought to people who cannot "
       "shop or cook, often older adults.", "food-insecurity"),
    _t("FOOD.PRODUCE", "Produce and Mobile Markets", "Free or low-cost fresh fruit and "
       "vegetables from a truck or a pop-up market.", "food-insecurity"),
    _t("FOOD.CHILDREN", "Meals for Children", "Summer meals, weekend backpacks and after-school "
       "suppers for children.", "food-insecurity"),
    _t("HOUSING", "Housing", "Finding, keeping or fixing a home.", "housing-instability"),
    _t("HOUSING.SHELTER", "Emergency Shelter", "A safe place to sleep tonight.", "homelessness"),
    _t("HOUSING.SHELTER.ADULT", "Adult Shelter", "Overnight shelter for single adults.",
       "homelessness"),
    _t("HOUSING.SHELTER.FAMILY", "Family Shelter", "Shelter that keeps families with children "
       "together.", "homelessness"),
    _t("HOUSING.SHELTER.YOUTH", "Youth Shelter", "Shelter for runaway and homeless youth and "
       "young adults.", "homelessness"),
    _t("HOUSING.TRANSITIONAL", "Transitional Housing", "Time-limited housing with support while "
       "people move to a permanent home.", "homelessness", "housing-instability"),
    _t("HOUSING.RENT", "Rental Assistance", "Help paying rent, back rent or a security deposit.",
       "housing-instability", "financial-insecurity"),
    _t("HOUSING.EVICTION", "Eviction Prevention", "Help for tenants facing eviction.",
       "housing-instability"),
    _t("HOUSING.SEARCH", "Housing Search and Placement", "Help finding an affordable apartment.",
       "housing-instability", "homelessness"),
    _t("HOUSING.OUTREACH", "Street Outreach", "Outreach workers who find and help people "
       "sleeping outside.", "homelessness"),
    _t("HOUSING.REPAIR", "Home Repair and Healthy Homes", "Free or low-cost repairs, "
       "lead and mold fixes, accessibility changes and insulation.", "inadequate-housing"),
    _t("HOUSING.COUNSELING", "Housing Counseling", "Foreclosure prevention and first-time "
       "buyer counseling.", "housing-instability", "financial-insecurity"),
    _t("UTILITIES", "Utilities", "Keeping the lights, heat and water on.", "utility-insecurity"),
    _t("UTILITIES.ENERGY", "Energy Bill Assistance", "Help paying gas and electric bills.",
       "utility-insecurity"),
    _t("UTILITIES.WATER", "Water Bill Assistance", "Help paying water and sewer bills.",
       "utility-insecurity"),
    _t("UTILITIES.SHUTOFF", "Shutoff Prevention", "Emergency help when service is about to be "
       "or has been cut off.", "utility-insecurity"),
    _t("UTILITIES.CONNECTIVITY", "Phone and Internet Discounts", "Low-cost internet plans and "
       "phone service.", "utility-insecurity", "digital-access"),
    _t("TRANSPORTATION", "Transportation", "Getting where you need to go.",
       "transportation-insecurity"),
    _t("TRANSPORTATION.MEDICAL", "Rides to Medical Appointments", "Free rides to doctor, "
       "dialysis and pharmacy visits.", "transportation-insecurity"),
    _t("TRANSPORTATION.TRANSIT", "Transit Passes and Vouchers", "Free or reduced bus and rail "
       "fares.", "transportation-insecurity"),
    _t("TRANSPORTATION.PARATRANSIT", "Senior and Disability Rides", "Door-to-door rides for "
       "older adults and people with disabilities.", "transportation-insecurity"),
    _t("MONEY", "Income and Benefits", "Money, benefits and financial stability.",
       "financial-insecurity"),
    _t("MONEY.BENEFITS", "Public Benefits Enrollment", "Help applying for cash assistance, "
       "Medicaid, SNAP and other benefits.", "financial-insecurity"),
    _t("MONEY.TAX", "Free Tax Preparation", "Free tax filing and help claiming tax credits.",
       "financial-insecurity"),
    _t("MONEY.COACHING", "Financial Coaching", "One-on-one help with budgets, credit and debt.",
       "financial-insecurity"),
    _t("MONEY.EMERGENCY", "Emergency Financial Assistance", "One-time help with an urgent bill.",
       "financial-insecurity", "material-hardship"),
    _t("MONEY.MEDICAL_BILLS", "Medical Bill Assistance", "Help with hospital bills, medical debt "
       "and charity care applications.", "medical-cost-burden"),
    _t("EMPLOYMENT", "Employment", "Finding and keeping a job.", "employment-status"),
    _t("EMPLOYMENT.TRAINING", "Job Training", "Training and certificates for in-demand jobs.",
       "employment-status"),
    _t("EMPLOYMENT.SEARCH", "Job Search Help", "Resumes, interview practice and job leads.",
       "employment-status"),
    _t("EMPLOYMENT.YOUTH", "Youth Employment", "Summer jobs and work experience for young "
       "people.", "employment-status"),
    _t("EMPLOYMENT.REENTRY", "Reentry Employment", "Job help for people returning from jail "
       "or prison.", "employment-status", "incarceration-status"),
    _t("EDUCATION", "Education", "Learning at any age.", "educational-attainment"),
    _t("EDUCATION.GED", "GED and Adult Education", "Classes toward a high school diploma or GED.",
       "educational-attainment"),
    _t("EDUCATION.ESOL", "English Classes (ESOL)", "English for speakers of other languages.",
       "educational-attainment", "language-access"),
    _t("EDUCATION.DIGITAL", "Digital Skills", "Computer, smartphone and internet classes.",
       "digital-literacy"),
    _t("EDUCATION.TUTORING", "Tutoring and Homework Help", "Free tutoring for school-age "
       "children.", "educational-attainment"),
    _t("EDUCATION.EARLY", "Early Childhood Education", "Head Start and pre-kindergarten.",
       "educational-attainment"),
    _t("HEALTH", "Health Care", "Medical care and coverage.", "health-insurance-coverage-status"),
    _t("HEALTH.PRIMARY", "Primary Care", "Checkups, sick visits and chronic disease care.",
       "health-insurance-coverage-status", "medical-cost-burden"),
    _t("HEALTH.DENTAL", "Dental Care", "Low-cost cleanings, fillings and extractions.",
       "medical-cost-burden"),
    _t("HEALTH.INSURANCE", "Health Insurance Enrollment", "Help signing up for Medicaid, "
       "Medicare or marketplace plans.", "health-insurance-coverage-status"),
    _t("HEALTH.PRENATAL", "Prenatal and Maternal Care", "Care during pregnancy and after birth.",
       "health-insurance-coverage-status"),
    _t("HEALTH.PRESCRIPTIONS", "Prescription Assistance", "Free or low-cost medicines.",
       "medical-cost-burden"),
    _t("HEALTH.EDUCATION", "Health Education", "Classes on diabetes, nutrition and managing "
       "health conditions.", "personal-health-literacy"),
    _t("BEHAVIORAL", "Mental Health and Substance Use", "Emotional wellbeing and recovery.",
       "stress"),
    _t("BEHAVIORAL.COUNSELING", "Counseling and Therapy", "Individual, family and group "
       "therapy.", "stress"),
    _t("BEHAVIORAL.CRISIS", "Crisis Line", "Someone to talk to right now, day or night.",
       "stress"),
    _t("BEHAVIORAL.SUD", "Substance Use Treatment", "Outpatient and residential treatment for "
       "alcohol and drug use.", "stress"),
    _t("BEHAVIORAL.SUD.MOUD", "Medication for Opioid Use Disorder", "Buprenorphine, methadone "
       "and naltrexone with counseling.", "stress"),
    _t("BEHAVIORAL.SUD.HARM_REDUCTION", "Harm Reduction", "Naloxone, syringe services and "
       "fentanyl test strips.", "stress"),
    _t("BEHAVIORAL.PEER", "Peer Support and Support Groups", "Groups led by people with lived "
       "experience.", "social-connection", "stress"),
    _t("SAFETY", "Safety", "Safety from violence and abuse.", "intimate-partner-violence"),
    _t("SAFETY.DV_HOTLINE", "Domestic Violence Hotline", "Confidential support and safety "
       "planning by phone, 24 hours a day.", "intimate-partner-violence"),
    _t("SAFETY.DV_SHELTER", "Domestic Violence Shelter", "Confidential shelter for people "
       "fleeing abuse.", "intimate-partner-violence", "homelessness"),
    _t("SAFETY.DV_ADVOCACY", "Domestic Violence Advocacy", "Help with protective orders, court "
       "and safety planning.", "intimate-partner-violence"),
    _t("SAFETY.SEXUAL_ASSAULT", "Sexual Assault Services", "Crisis support, hospital "
       "accompaniment and counseling after sexual assault.", "stress"),
    _t("SAFETY.ELDER_ABUSE", "Elder Abuse Prevention", "Help for older adults who are abused, "
       "neglected or exploited.", "elder-abuse"),
    _t("LEGAL", "Legal Help", "Free and low-cost civil legal help.", "financial-insecurity",
       "housing-instability"),
    _t("LEGAL.TENANT", "Tenant Legal Help", "Lawyers for tenants in rent court and eviction "
       "cases.", "housing-instability"),
    _t("LEGAL.EXPUNGEMENT", "Expungement and Record Clearing", "Clearing criminal records that "
       "block jobs and housing.", "incarceration-status", "employment-status"),
    _t("LEGAL.FAMILY", "Family Law", "Custody, child support and divorce help.",
       "financial-insecurity"),
    _t("LEGAL.CONSUMER", "Consumer and Debt Law", "Help with debt collectors, scams and "
       "bankruptcy.", "financial-insecurity"),
    _t("FAMILY", "Family and Children", "Support for parents, children and youth.",
       "material-hardship"),
    _t("FAMILY.DIAPERS", "Diapers and Baby Supplies", "Free diapers, wipes, cribs, car seats "
       "and baby clothing.", "material-hardship"),
    _t("FAMILY.CHILD_CARE", "Child Care Assistance", "Help finding and paying for child care.",
       "employment-status", "financial-insecurity"),
    _t("FAMILY.PARENTING", "Parenting Support", "Home visiting and parenting classes.",
       "stress", "social-connection"),
    _t("FAMILY.YOUTH", "Youth Programs", "After-school, mentoring and summer programs.",
       "social-connection", "educational-attainment"),
    _t("GOODS", "Clothing and Household Goods", "Everyday necessities.", "material-hardship"),
    _t("GOODS.CLOTHING", "Clothing", "Free clothing, coats and work attire.", "material-hardship"),
    _t("GOODS.HYGIENE", "Showers and Hygiene", "Showers, laundry and hygiene kits.",
       "material-hardship", "homelessness"),
    _t("GOODS.DEVICES", "Free Phones and Computers", "Refurbished computers and free phones.",
       "digital-access"),
    _t("OLDER_ADULTS", "Older Adults", "Support for people 60 and older and their caregivers.",
       "social-connection"),
    _t("OLDER_ADULTS.CENTER", "Senior Center", "Meals, activities and classes for older adults.",
       "social-connection"),
    _t("OLDER_ADULTS.IN_HOME", "In-Home Support", "Personal care, chores and friendly visits "
       "at home.", "social-connection"),
    _t("OLDER_ADULTS.CAREGIVER", "Caregiver Support", "Respite, training and support groups for "
       "family caregivers.", "stress"),
    _t("VETERANS", "Veterans", "Services for veterans and their families.", "veteran-status"),
    _t("VETERANS.BENEFITS", "Veterans Benefits Help", "Help filing VA claims and appeals.",
       "veteran-status", "financial-insecurity"),
    _t("VETERANS.HOUSING", "Housing for Veterans", "Housing help for veterans who are homeless "
       "or about to be.", "veteran-status", "homelessness"),
    _t("IMMIGRANTS", "Immigrants and Refugees", "Services for newcomers.", "language-access"),
    _t("IMMIGRANTS.RESETTLEMENT", "Refugee Resettlement", "Housing, benefits and orientation "
       "for newly arrived refugees.", "language-access", "housing-instability"),
    _t("IMMIGRANTS.LEGAL", "Immigration Legal Services", "Help with asylum, green cards, DACA "
       "and citizenship.", "language-access"),
)

BY_CODE: dict[str, Term] = {term.code: term for term in TERMS}


def sdoh_pairs() -> list[tuple[str, str, str]]:
    """(term code, term name, SDOH category code) rows of ``sdoh_map.csv``."""
    return [(term.code, term.name, code) for term in TERMS for code in term.sdoh]
