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


# Each term: "CODE | Name | SDOH category codes", then its description, indented.
TERMS_TABLE = """
FOOD | Food | food-insecurity
    Help getting enough healthy food.
FOOD.PANTRY | Food Pantry | food-insecurity
    Groceries to take home, free.
FOOD.MEALS | Hot Meals | food-insecurity
    Free prepared meals served on site.
FOOD.SNAP | SNAP Application Help | food-insecurity financial-insecurity
    Help applying for SNAP (food stamps).
FOOD.WIC | WIC | food-insecurity
    Food, formula and nutrition advice for pregnant people, new mothers, infants and children
    under 5.
FOOD.HOME_DELIVERED | Home-Delivered Meals | food-insecurity
    Meals brought to people who cannot shop or cook, often older adults.
FOOD.PRODUCE | Produce and Mobile Markets | food-insecurity
    Free or low-cost fresh fruit and vegetables from a truck or a pop-up market.
FOOD.CHILDREN | Meals for Children | food-insecurity
    Summer meals, weekend backpacks and after-school suppers for children.
HOUSING | Housing | housing-instability
    Finding, keeping or fixing a home.
HOUSING.SHELTER | Emergency Shelter | homelessness
    A safe place to sleep tonight.
HOUSING.SHELTER.ADULT | Adult Shelter | homelessness
    Overnight shelter for single adults.
HOUSING.SHELTER.FAMILY | Family Shelter | homelessness
    Shelter that keeps families with children together.
HOUSING.SHELTER.YOUTH | Youth Shelter | homelessness
    Shelter for runaway and homeless youth and young adults.
HOUSING.TRANSITIONAL | Transitional Housing | homelessness housing-instability
    Time-limited housing with support while people move to a permanent home.
HOUSING.RENT | Rental Assistance | housing-instability financial-insecurity
    Help paying rent, back rent or a security deposit.
HOUSING.EVICTION | Eviction Prevention | housing-instability
    Help for tenants facing eviction.
HOUSING.SEARCH | Housing Search and Placement | housing-instability homelessness
    Help finding an affordable apartment.
HOUSING.OUTREACH | Street Outreach | homelessness
    Outreach workers who find and help people sleeping outside.
HOUSING.REPAIR | Home Repair and Healthy Homes | inadequate-housing
    Free or low-cost repairs, lead and mold fixes, accessibility changes and insulation.
HOUSING.COUNSELING | Housing Counseling | housing-instability financial-insecurity
    Foreclosure prevention and first-time buyer counseling.
UTILITIES | Utilities | utility-insecurity
    Keeping the lights, heat and water on.
UTILITIES.ENERGY | Energy Bill Assistance | utility-insecurity
    Help paying gas and electric bills.
UTILITIES.WATER | Water Bill Assistance | utility-insecurity
    Help paying water and sewer bills.
UTILITIES.SHUTOFF | Shutoff Prevention | utility-insecurity
    Emergency help when service is about to be or has been cut off.
UTILITIES.CONNECTIVITY | Phone and Internet Discounts | utility-insecurity digital-access
    Low-cost internet plans and phone service.
TRANSPORTATION | Transportation | transportation-insecurity
    Getting where you need to go.
TRANSPORTATION.MEDICAL | Rides to Medical Appointments | transportation-insecurity
    Free rides to doctor, dialysis and pharmacy visits.
TRANSPORTATION.TRANSIT | Transit Passes and Vouchers | transportation-insecurity
    Free or reduced bus and rail fares.
TRANSPORTATION.PARATRANSIT | Senior and Disability Rides | transportation-insecurity
    Door-to-door rides for older adults and people with disabilities.
MONEY | Income and Benefits | financial-insecurity
    Money, benefits and financial stability.
MONEY.BENEFITS | Public Benefits Enrollment | financial-insecurity
    Help applying for cash assistance, Medicaid, SNAP and other benefits.
MONEY.TAX | Free Tax Preparation | financial-insecurity
    Free tax filing and help claiming tax credits.
MONEY.COACHING | Financial Coaching | financial-insecurity
    One-on-one help with budgets, credit and debt.
MONEY.EMERGENCY | Emergency Financial Assistance | financial-insecurity material-hardship
    One-time help with an urgent bill.
MONEY.MEDICAL_BILLS | Medical Bill Assistance | medical-cost-burden
    Help with hospital bills, medical debt and charity care applications.
EMPLOYMENT | Employment | employment-status
    Finding and keeping a job.
EMPLOYMENT.TRAINING | Job Training | employment-status
    Training and certificates for in-demand jobs.
EMPLOYMENT.SEARCH | Job Search Help | employment-status
    Resumes, interview practice and job leads.
EMPLOYMENT.YOUTH | Youth Employment | employment-status
    Summer jobs and work experience for young people.
EMPLOYMENT.REENTRY | Reentry Employment | employment-status incarceration-status
    Job help for people returning from jail or prison.
EDUCATION | Education | educational-attainment
    Learning at any age.
EDUCATION.GED | GED and Adult Education | educational-attainment
    Classes toward a high school diploma or GED.
EDUCATION.ESOL | English Classes (ESOL) | educational-attainment language-access
    English for speakers of other languages.
EDUCATION.DIGITAL | Digital Skills | digital-literacy
    Computer, smartphone and internet classes.
EDUCATION.TUTORING | Tutoring and Homework Help | educational-attainment
    Free tutoring for school-age children.
EDUCATION.EARLY | Early Childhood Education | educational-attainment
    Head Start and pre-kindergarten.
HEALTH | Health Care | health-insurance-coverage-status
    Medical care and coverage.
HEALTH.PRIMARY | Primary Care | health-insurance-coverage-status medical-cost-burden
    Checkups, sick visits and chronic disease care.
HEALTH.DENTAL | Dental Care | medical-cost-burden
    Low-cost cleanings, fillings and extractions.
HEALTH.INSURANCE | Health Insurance Enrollment | health-insurance-coverage-status
    Help signing up for Medicaid, Medicare or marketplace plans.
HEALTH.PRENATAL | Prenatal and Maternal Care | health-insurance-coverage-status
    Care during pregnancy and after birth.
HEALTH.PRESCRIPTIONS | Prescription Assistance | medical-cost-burden
    Free or low-cost medicines.
HEALTH.EDUCATION | Health Education | personal-health-literacy
    Classes on diabetes, nutrition and managing health conditions.
BEHAVIORAL | Mental Health and Substance Use | stress
    Emotional wellbeing and recovery.
BEHAVIORAL.COUNSELING | Counseling and Therapy | stress
    Individual, family and group therapy.
BEHAVIORAL.CRISIS | Crisis Line | stress
    Someone to talk to right now, day or night.
BEHAVIORAL.SUD | Substance Use Treatment | stress
    Outpatient and residential treatment for alcohol and drug use.
BEHAVIORAL.SUD.MOUD | Medication for Opioid Use Disorder | stress
    Buprenorphine, methadone and naltrexone with counseling.
BEHAVIORAL.SUD.HARM_REDUCTION | Harm Reduction | stress
    Naloxone, syringe services and fentanyl test strips.
BEHAVIORAL.PEER | Peer Support and Support Groups | social-connection stress
    Groups led by people with lived experience.
SAFETY | Safety | intimate-partner-violence
    Safety from violence and abuse.
SAFETY.DV_HOTLINE | Domestic Violence Hotline | intimate-partner-violence
    Confidential support and safety planning by phone, 24 hours a day.
SAFETY.DV_SHELTER | Domestic Violence Shelter | intimate-partner-violence homelessness
    Confidential shelter for people fleeing abuse.
SAFETY.DV_ADVOCACY | Domestic Violence Advocacy | intimate-partner-violence
    Help with protective orders, court and safety planning.
SAFETY.SEXUAL_ASSAULT | Sexual Assault Services | stress
    Crisis support, hospital accompaniment and counseling after sexual assault.
SAFETY.ELDER_ABUSE | Elder Abuse Prevention | elder-abuse
    Help for older adults who are abused, neglected or exploited.
LEGAL | Legal Help | financial-insecurity housing-instability
    Free and low-cost civil legal help.
LEGAL.TENANT | Tenant Legal Help | housing-instability
    Lawyers for tenants in rent court and eviction cases.
LEGAL.EXPUNGEMENT | Expungement and Record Clearing | incarceration-status employment-status
    Clearing criminal records that block jobs and housing.
LEGAL.FAMILY | Family Law | financial-insecurity
    Custody, child support and divorce help.
LEGAL.CONSUMER | Consumer and Debt Law | financial-insecurity
    Help with debt collectors, scams and bankruptcy.
FAMILY | Family and Children | material-hardship
    Support for parents, children and youth.
FAMILY.DIAPERS | Diapers and Baby Supplies | material-hardship
    Free diapers, wipes, cribs, car seats and baby clothing.
FAMILY.CHILD_CARE | Child Care Assistance | employment-status financial-insecurity
    Help finding and paying for child care.
FAMILY.PARENTING | Parenting Support | stress social-connection
    Home visiting and parenting classes.
FAMILY.YOUTH | Youth Programs | social-connection educational-attainment
    After-school, mentoring and summer programs.
GOODS | Clothing and Household Goods | material-hardship
    Everyday necessities.
GOODS.CLOTHING | Clothing | material-hardship
    Free clothing, coats and work attire.
GOODS.HYGIENE | Showers and Hygiene | material-hardship homelessness
    Showers, laundry and hygiene kits.
GOODS.DEVICES | Free Phones and Computers | digital-access
    Refurbished computers and free phones.
OLDER_ADULTS | Older Adults | social-connection
    Support for people 60 and older and their caregivers.
OLDER_ADULTS.CENTER | Senior Center | social-connection
    Meals, activities and classes for older adults.
OLDER_ADULTS.IN_HOME | In-Home Support | social-connection
    Personal care, chores and friendly visits at home.
OLDER_ADULTS.CAREGIVER | Caregiver Support | stress
    Respite, training and support groups for family caregivers.
VETERANS | Veterans | veteran-status
    Services for veterans and their families.
VETERANS.BENEFITS | Veterans Benefits Help | veteran-status financial-insecurity
    Help filing VA claims and appeals.
VETERANS.HOUSING | Housing for Veterans | veteran-status homelessness
    Housing help for veterans who are homeless or about to be.
IMMIGRANTS | Immigrants and Refugees | language-access
    Services for newcomers.
IMMIGRANTS.RESETTLEMENT | Refugee Resettlement | language-access housing-instability
    Housing, benefits and orientation for newly arrived refugees.
IMMIGRANTS.LEGAL | Immigration Legal Services | language-access
    Help with asylum, green cards, DACA and citizenship.
"""


def parse_terms(table: str) -> tuple[Term, ...]:
    terms: list[Term] = []
    for line in table.strip().splitlines():
        if line.startswith(" "):
            last = terms.pop()
            text = f"{last.description} {line.strip()}".strip()
            terms.append(Term(last.code, last.name, text, last.sdoh))
        else:
            code, name, sdoh = (part.strip() for part in line.split("|"))
            terms.append(Term(code, name, "", tuple(sdoh.split())))
    return tuple(terms)


TERMS: tuple[Term, ...] = parse_terms(TERMS_TABLE)
BY_CODE: dict[str, Term] = {term.code: term for term in TERMS}


def sdoh_pairs() -> list[tuple[str, str, str]]:
    """(term code, term name, SDOH category code) rows of ``sdoh_map.csv``."""
    return [(term.code, term.name, code) for term in TERMS for code in term.sdoh]
