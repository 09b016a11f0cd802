"""The curator's pages (home, freshness report, duplicate queue) and the stale label
and hiding of listings in search and on service pages."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from accounts_helpers import make_org, make_service, make_user, sign_in
from sqlalchemy import select

from referral.curation import changes
from referral.curation.models import DuplicateCandidate, DuplicateDecision, ordered
from referral.curation.service import decided
from referral.directory import models as m

TODAY = datetime.now(UTC).date()
REASONS = [
    {"code": "names-alike", "percent": 93},
    {"code": "same-phone"},
    {"code": "names-differ", "words": ["city", "county"]},
]


def _place(session, org, name, assured):
    service = make_service(session, org, name)
    service.assured_date = assured
    service.description = "Free groceries for families."
    location = m.Location(location_type="physical", name=f"{name} site", organization_id=org.id)
    session.add(location)
    session.flush()
    session.add(m.ServiceAtLocation(service_id=service.id, location_id=location.id))
    session.flush()
    return service


@pytest.fixture
def pantries(session):
    org = make_org(session, "Harbor Food Bank")
    return {
        "fresh": _place(session, org, "Fresh Pantry", TODAY - timedelta(days=10)),
        "stale": _place(session, org, "Stale Pantry", TODAY - timedelta(days=100)),
        "ancient": _place(session, org, "Ancient Pantry", TODAY - timedelta(days=900)),
        "never": _place(session, org, "Never Pantry", None),
    }


def test_stale_listings_are_labelled_with_the_configured_age(app, client, pantries):
    app.config["STALE_AFTER_DAYS"] = 60
    stale = pantries["stale"]
    page = client.get(f"/services/{stale.id}").get_data(as_text=True)
    assert "Not verified since" in page and stale.assured_date.isoformat() in page
    assert "Suggest an edit" in page
    fresh = client.get(f"/services/{pantries['fresh'].id}").get_data(as_text=True)
    assert "Not verified since" not in fresh and "Last verified" in fresh
    app.config["STALE_AFTER_DAYS"] = 365
    assert "Not verified since" not in client.get(f"/services/{stale.id}").get_data(as_text=True)


def test_search_labels_stale_results_and_hides_those_past_the_hide_age(app, client, pantries):
    app.config["STALE_AFTER_DAYS"] = 60
    page = client.get("/search?q=pantry").get_data(as_text=True)
    assert all(name in page for name in ("Fresh Pantry", "Stale Pantry", "Ancient Pantry"))
    assert page.count("Not verified since") == 2
    app.config["HIDE_AFTER_DAYS"] = 730
    page = client.get("/search?q=pantry").get_data(as_text=True)
    assert "Ancient Pantry" not in page
    assert "Stale Pantry" in page and "Never Pantry" in page  # never verified: labelled only
    names = {r["service_name"] for r in client.get("/api/v1/search?q=pantry").json["results"]}
    assert names == {"Fresh Pantry", "Stale Pantry", "Never Pantry"}


def _curator(app, client, session):
    sign_in(app, client, make_user(session, "curator@example.org", "curator"))


def test_curator_home_counts_open_work(app, client, session, pantries):
    changes.propose(
        session, target_type="service", target_id=pantries["fresh"].id, fields={"fees": "Free."}
    )
    _curator(app, client, session)
    page = client.get("/curation").get_data(as_text=True)
    assert "1</span> open change requests" in page
    assert "2</span> of 4 services not verified in 365 days" in page.replace("\n", " ")


def test_freshness_report_lists_oldest_first_and_downloads_as_csv(app, client, session, pantries):
    fresh_org = make_org(session, "Anchor Shelter")
    _place(session, fresh_org, "Anchor beds", TODAY)
    _curator(app, client, session)
    page = client.get("/curation/freshness").get_data(as_text=True)
    assert page.index("Harbor Food Bank") < page.index("Anchor Shelter")
    by_name = client.get("/curation/freshness?sort=name").get_data(as_text=True)
    assert by_name.index("Anchor Shelter") < by_name.index("Harbor Food Bank")
    download = client.get("/curation/freshness?format=csv")
    assert download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    harbor = next(r for r in rows if r["organization"] == "Harbor Food Bank")
    assert (harbor["services"], harbor["verified_within_6_months"]) == ("4", "2")
    assert (harbor["verified_within_12_months"], harbor["never_verified"]) == ("2", "1")


def _pair(session, entity, a_id, b_id):
    a_id, b_id = ordered(a_id, b_id)
    row = DuplicateCandidate(
        entity=entity, a_id=a_id, b_id=b_id, score=0.97, reasons=REASONS,
        status="open", detected_at=datetime.now(UTC),
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def test_duplicate_queue_shows_pairs_side_by_side_and_merges_the_chosen_survivor(
    app, client, session
):
    keep, gone = make_org(session, "Harbor Food Bank"), make_org(session, "Harbor Foodbank")
    moved = make_service(session, gone, "Harbor hot meals")
    pair = _pair(session, "organization", keep.id, gone.id)
    keep_id, gone_id = keep.id, gone.id
    _curator(app, client, session)
    queue = client.get("/curation/duplicates").get_data(as_text=True)
    assert "Harbor Foodbank" in queue and "same phone" in queue and "0.97" in queue
    detail = client.get(f"/curation/duplicates/{pair.id}").get_data(as_text=True)
    assert "1 in service.organization_id" in detail
    side = "a" if pair.a_id == keep_id else "b"
    response = client.post(
        f"/curation/duplicates/{pair.id}", data={"action": "merge", "keep": side}
    )
    assert response.status_code == 303
    session.expire_all()
    assert session.get(m.Organization, gone_id) is None
    assert session.get(m.Service, moved.id).organization_id == keep_id
    assert decided(session, "organization") == {ordered(keep_id, gone_id)}


def test_the_reasons_of_a_pair_are_shown_in_the_readers_language(app, client, session):
    a, b = make_org(session, "Baltimore City Aid"), make_org(session, "Baltimore County Aid")
    pair = _pair(session, "organization", a.id, b.id)
    _curator(app, client, session)
    english = client.get(f"/curation/duplicates/{pair.id}").get_data(as_text=True)
    assert "names 93% alike; same phone; names differ in city and county" in english
    for path in ("/curation/duplicates", f"/curation/duplicates/{pair.id}"):
        spanish = client.get(f"{path}?lang=es").get_data(as_text=True)
        assert "nombres parecidos en un 93 %; mismo teléfono; " in spanish
        assert "los nombres difieren en " in spanish and "same phone" not in spanish


def test_merge_without_a_survivor_is_refused_beside_the_choice(app, client, session):
    a, b = make_org(session, "Bay Legal Aid"), make_org(session, "Bay Legal Aide")
    pair = _pair(session, "organization", a.id, b.id)
    _curator(app, client, session)
    response = client.post(f"/curation/duplicates/{pair.id}", data={"action": "merge"})
    assert response.status_code == 422 and b'role="alert"' in response.data
    assert session.get(m.Organization, a.id) and session.get(m.Organization, b.id)


def test_not_a_duplicate_is_remembered_and_leaves_the_queue(app, client, session):
    city = make_org(session, "Baltimore City Health Department")
    county = make_org(session, "Baltimore County Health Department")
    pair = _pair(session, "organization", city.id, county.id)
    _curator(app, client, session)
    response = client.post(f"/curation/duplicates/{pair.id}", data={"action": "not-duplicate"})
    assert response.status_code == 303
    session.expire_all()
    decision = session.scalars(select(DuplicateDecision)).one()
    assert decision.decision == "not-duplicate" and decision.decided_by == "curator@example.org"
    assert session.get(DuplicateCandidate, pair.id).status == "not-duplicate"
    assert "Baltimore County" not in client.get("/curation/duplicates").get_data(as_text=True)


def test_skip_moves_on_without_deciding(app, client, session):
    a, b = make_org(session, "One"), make_org(session, "One Inc")
    pair = _pair(session, "organization", a.id, b.id)
    _curator(app, client, session)
    assert (
        client.post(f"/curation/duplicates/{pair.id}", data={"action": "skip"}).status_code == 303
    )
    assert session.get(DuplicateCandidate, pair.id).status == "open"


def test_people_who_are_not_curators_cannot_open_the_queues(app, client, session):
    org = make_org(session, "Harbor")
    sign_in(app, client, make_user(session, "staff@example.org", "provider_staff", org.id))
    for path in ("/curation", "/curation/changes", "/curation/duplicates", "/curation/freshness"):
        assert client.get(path).status_code == 403


def test_freshness_by_service_type_counts_the_services_tagged_with_each_term(
    app, client, session, pantries
):
    term = m.TaxonomyTerm(name="Food Pantry", description="Groceries")
    session.add(term)
    session.flush()
    for key in ("fresh", "ancient"):
        session.add(
            m.Attribute(link_id=pantries[key].id, link_entity="service", taxonomy_term_id=term.id)
        )
    session.flush()
    _curator(app, client, session)
    assert "Food Pantry" in client.get("/curation/freshness?by=taxonomy").get_data(as_text=True)
    download = client.get("/curation/freshness?by=taxonomy&format=csv").get_data(as_text=True)
    row = next(r for r in csv.DictReader(io.StringIO(download)) if r["taxonomy"] == "Food Pantry")
    assert (row["services"], row["verified_within_6_months"], row["share_6_months"]) == (
        "2",
        "1",
        "0.500",
    )
