"""The expected outcome of every route, for every role, on an object of the user's own
organization and on one of another organization. tests/test_authz_matrix.py checks
the app against it; a route that is not listed here fails that test.

Paths may name the objects of the scenario: {org}, {service}, {token}, {member},
{user} are filled with the acting user's own organization's object, then with the
other organization's (see test_authz_matrix.Scenario).

Outcomes:
  PUBLIC  anyone, signed in or not: never 401/403, never a 5xx
  ALLOW   a 2xx or 3xx that is not a redirect to the sign-in page
  DENY    401, 403 or a redirect to the sign-in page; never a 2xx
  HIDDEN  as DENY, or 404 where the API hides that the object exists
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PUBLIC, ALLOW, DENY, HIDDEN = "public", "allow", "deny", "hidden"

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, "case_manager", "provider_staff", "agency_admin", "curator", "system_admin")
SIGNED_IN = frozenset(ROLES[1:])
NEW_PASSWORD = "a brand new passphrase"


@dataclass(frozen=True)
class Route:
    path: str
    # role -> (outcome on own organization's object, outcome on the other's)
    expect: dict[str, tuple[str, str]]
    form: dict[str, Any] | None = None
    json: dict[str, Any] | None = None
    notes: str = field(default="", compare=False)


def public() -> dict[str, tuple[str, str]]:
    return {role: (PUBLIC, PUBLIC) for role in ROLES}


def allowed(own: frozenset[str] | set[str], other: frozenset[str] | set[str] = frozenset()):
    return {
        role: (ALLOW if role in own else DENY, ALLOW if role in other else DENY) for role in ROLES
    }


def hidden_elsewhere(own: set[str], other_hidden: set[str]):
    """ALLOW for ``own`` on their organization's object; on the other organization's,
    HIDDEN for ``other_hidden`` (they get 404) and DENY for everyone else."""
    return {
        role: (ALLOW if role in own else DENY, HIDDEN if role in other_hidden else DENY)
        for role in ROLES
    }


def curator_only_missing():
    """Curators only; the path names no record, so curators get 404 (HIDDEN), the
    others are refused before the lookup."""
    return {role: (HIDDEN, HIDDEN) if role == "curator" else (DENY, DENY) for role in ROLES}


def editors_only_missing():
    """Listing editors (provider staff, curators) get 404 for a path naming no record;
    the others are refused before the lookup."""
    return {role: (HIDDEN, HIDDEN) if role in LISTING_EDITORS else (DENY, DENY) for role in ROLES}


LISTING_EDITORS = {"provider_staff", "curator"}
MEMBER_ADMINS = {"agency_admin", "system_admin"}
REFERRAL_SIDES = {"case_manager", "provider_staff"}

TABLE: dict[str, Route] = {
    # --- public pages and APIs: no login, no personal data -------------------------
    "GET static": Route("/static/site.css", public()),
    "GET directory.browse": Route("/", public()),
    "GET directory.organization_detail": Route("/organizations/{org}", public()),
    "GET directory.service_detail": Route("/services/{service}", public()),
    "GET search.page": Route("/search?q=food", public()),
    "GET search_api.search_endpoint": Route("/api/v1/search?q=food", public()),
    "GET matching.page": Route("/match", public()),
    "POST match_api.match_endpoint": Route("/api/v1/match", public(), json={"facts": {"age": 40}}),
    "POST matching_api.eligibility": Route(
        "/api/v1/eligibility", public(), json={"facts": {"age": 40}}
    ),
    "GET hsds.info": Route("/hsds/", public()),
    "GET hsds.list_organizations": Route("/hsds/organizations", public()),
    "GET hsds.get_organization": Route("/hsds/organizations/{org}", public()),
    "GET hsds.list_services": Route("/hsds/services", public()),
    "GET hsds.get_service": Route("/hsds/services/{service}", public()),
    "GET hsds.list_service_at_locations": Route("/hsds/service_at_locations", public()),
    "GET hsds.get_service_at_location": Route("/hsds/service_at_locations/missing", public()),
    "GET hsds.list_taxonomies": Route("/hsds/taxonomies", public()),
    "GET hsds.get_taxonomy": Route("/hsds/taxonomies/missing", public()),
    "GET hsds.list_taxonomy_terms": Route("/hsds/taxonomy_terms", public()),
    "GET hsds.get_taxonomy_term": Route("/hsds/taxonomy_terms/missing", public()),
    # --- signing in and out --------------------------------------------------------
    "GET accounts.login": Route("/login", public()),
    "POST accounts.login_submit": Route(
        "/login", public(), form={"email": "stranger@example.org", "password": "{password}"}
    ),
    "POST accounts.logout": Route("/logout", public()),
    # --- one's own account ---------------------------------------------------------
    "GET accounts.account": Route("/account", allowed(SIGNED_IN, SIGNED_IN)),
    "POST accounts.change_password": Route(
        "/account/password",
        allowed(SIGNED_IN, SIGNED_IN),
        form={"current_password": "{password}", "new_password": NEW_PASSWORD},
    ),
    "POST accounts.change_language": Route(
        "/account/language", allowed(SIGNED_IN, SIGNED_IN), form={"language": "es"}
    ),
    "POST accounts.end_other_sessions": Route(
        "/account/sessions/end-others", allowed(SIGNED_IN, SIGNED_IN)
    ),
    "GET accounts.token_list": Route("/account/tokens", allowed(SIGNED_IN, SIGNED_IN)),
    "POST accounts.token_create": Route(
        "/account/tokens",
        allowed(SIGNED_IN, SIGNED_IN),
        form={"name": "matrix", "scopes": "directory:read"},
    ),
    "POST accounts.token_revoke": Route(
        "/account/tokens/{token}/revoke",
        allowed(SIGNED_IN),
        notes="own = the user's own token, other = a token of someone in the other org",
    ),
    "GET accounts_api.me": Route("/api/v1/me", allowed(SIGNED_IN, SIGNED_IN)),
    "PATCH accounts_api.update_me": Route(
        "/api/v1/me", allowed(SIGNED_IN, SIGNED_IN), json={"language": "es"}
    ),
    # --- listings: provider staff of the owner, curators -----------------------------
    "PATCH listings_api.update_service": Route(
        "/api/v1/services/{service}",
        allowed({"provider_staff", "curator"}, {"curator"}),
        json={"name": "Renamed by the matrix"},
    ),
    # --- people: agency admins in their agency, system admins everywhere ---------------
    "GET manage.members": Route(
        "/manage/organizations/{org}/members", allowed(MEMBER_ADMINS, {"system_admin"})
    ),
    "POST manage.member_add": Route(
        "/manage/organizations/{org}/members",
        allowed(MEMBER_ADMINS, {"system_admin"}),
        form={"email": "newcomer@example.org", "role": "case_manager"},
    ),
    "POST manage.member_remove": Route(
        "/manage/organizations/{org}/members/{member}/remove",
        allowed(MEMBER_ADMINS, {"system_admin"}),
        form={"role": "case_manager"},
    ),
    "POST manage.user_disable": Route(
        "/manage/users/{user}/disable",
        allowed(MEMBER_ADMINS, {"system_admin"}),
        notes="own = someone only in the acting user's org; other = only in the other org",
    ),
    "GET manage.audit_log": Route("/manage/audit", allowed({"system_admin"}, {"system_admin"})),
    # --- clients: case managers of the client's organization; provider staff read a
    # client referred to them (contact details masked) ---------------------------------
    "POST clients_api.create_client": Route(
        "/api/v1/clients",
        allowed({"case_manager"}),
        json={"organization_id": "{org}", "given_name": "Rosa", "family_name": "Diaz"},
    ),
    "GET clients_api.get_client": Route(
        "/api/v1/clients/{client}",
        allowed({"case_manager", "provider_staff"}),
        notes="own client was referred to the own organization's service",
    ),
    "POST clients_api.create_consent": Route(
        "/api/v1/clients/{client}/consents",
        allowed({"case_manager"}),
        json={"purpose": "referral", "method": "verbal", "recipient_organization_ids": ["{org}"]},
    ),
    "POST clients_api.revoke_consent": Route(
        "/api/v1/clients/{client}/consents/{consent}/revoke", allowed({"case_manager"})
    ),
    "POST clients_api.add_facts": Route(
        "/api/v1/clients/{client}/facts",
        allowed({"case_manager"}),
        json={"facts": {"household_size": 3}, "observed_on": "2026-11-01"},
    ),
    # --- referrals: the referring organization's case managers and the receiving
    # organization's staff; to anyone else with a referral role one does not exist -------
    "POST referrals_api.create_referral": Route(
        "/api/v1/referrals",
        allowed({"case_manager"}),
        json={
            "client_id": "{client}",
            "need": "food-insecurity",
            "service_at_location_id": "{place}",
            "idempotency_key": "matrix-new",
        },
    ),
    "GET referrals_api.list_referrals": Route(
        "/api/v1/referrals", allowed(REFERRAL_SIDES, REFERRAL_SIDES)
    ),
    "GET referrals_api.get_referral": Route(
        "/api/v1/referrals/{referral}", hidden_elsewhere(REFERRAL_SIDES, REFERRAL_SIDES)
    ),
    "GET referrals_api.list_events": Route(
        "/api/v1/referrals/{referral}/events", hidden_elsewhere(REFERRAL_SIDES, REFERRAL_SIDES)
    ),
    "POST referrals_api.transition": Route(
        "/api/v1/referrals/{referral}/transitions",
        hidden_elsewhere({"provider_staff"}, REFERRAL_SIDES),
        json={"to": "accepted", "version": "{version}"},
        notes="only the receiving side accepts; the referrer gets 403",
    ),
    # --- provider inbox and the referral page (both sides; others get 404) -------------
    "GET inbox.inbox": Route("/inbox", allowed({"provider_staff"})),
    "GET referral_page.show": Route(
        "/referrals/{referral}", hidden_elsewhere(REFERRAL_SIDES, REFERRAL_SIDES)
    ),
    "POST referral_page.transition": Route(
        "/referrals/{referral}/transitions",
        hidden_elsewhere({"provider_staff"}, REFERRAL_SIDES),
        form={"to": "accepted", "version": "{version}"},
        notes="only the receiving side accepts; the referrer gets 403",
    ),
    # --- curation: public suggestions, curator review, verification links ------------
    "GET curation.suggest": Route("/services/{service}/suggest", public()),
    "POST curation.suggest_submit": Route(
        "/services/{service}/suggest", public(), form={"description": "Now open on Saturdays."}
    ),
    "GET curation.suggest_sent": Route("/suggestions/sent", public()),
    "GET curation.home": Route("/curation", allowed({"curator"}, {"curator"})),
    "GET curation.change_queue": Route("/curation/changes", allowed({"curator"}, {"curator"})),
    "GET curation.change_detail": Route(
        "/curation/changes/missing", curator_only_missing(), notes="curators get 404"
    ),
    "POST curation.change_decide": Route(
        "/curation/changes/missing", curator_only_missing(), form={"decision-1": "approve"}
    ),
    "GET curation.freshness_report": Route(
        "/curation/freshness", allowed({"curator"}, {"curator"})
    ),
    "GET curation.duplicate_queue": Route(
        "/curation/duplicates", allowed({"curator"}, {"curator"})
    ),
    "GET curation.duplicate_detail": Route("/curation/duplicates/0", curator_only_missing()),
    "POST curation.duplicate_decide": Route(
        "/curation/duplicates/0", curator_only_missing(), form={"action": "skip"}
    ),
    "POST curation.mark_verified": Route(
        "/services/{service}/verify", allowed({"provider_staff", "curator"}, {"curator"})
    ),
    "GET curation.verify_page": Route("/verify/not-a-token", public()),
    "POST curation.verify_confirm": Route("/verify/not-a-token", public()),
    "GET curation.verify_service": Route("/verify/not-a-token/services/{service}", public()),
    "POST curation.verify_service_submit": Route(
        "/verify/not-a-token/services/{service}", public(), form={"name": "Renamed"}
    ),
    # One-click answers from a referral email: the signed token stands in for a login.
    "GET links.respond": Route("/r/not-a-token", public(), notes="400: invalid link"),
    "POST links.respond_submit": Route("/r/not-a-token", public(), notes="400: invalid link"),
    # --- analytics: agency admins of the referring organization, system admins for
    # all; a provider's own view for its staff and admins --------------------------------
    "GET analytics.dashboard": Route(
        "/analytics?organization={org}", allowed(MEMBER_ADMINS, {"system_admin"})
    ),
    "GET analytics.table_csv": Route(
        "/analytics/by-need.csv?organization={org}", allowed(MEMBER_ADMINS, {"system_admin"})
    ),
    "GET analytics.chart": Route(
        "/analytics/charts/funnel.svg?organization={org}", allowed(MEMBER_ADMINS, {"system_admin"})
    ),
    "GET analytics_api.metric_group": Route(
        "/api/v1/analytics/summary?organization={org}", allowed(MEMBER_ADMINS, {"system_admin"})
    ),
    "GET analytics.provider": Route(
        "/analytics/provider?organization={org}",
        allowed({"provider_staff", "agency_admin", "system_admin"}, {"system_admin"}),
    ),
    "GET analytics.provider_csv": Route(
        "/analytics/provider/summary.csv?organization={org}",
        allowed({"provider_staff", "agency_admin", "system_admin"}, {"system_admin"}),
    ),
    "GET analytics.provider_chart": Route(
        "/analytics/provider/charts/funnel.svg?organization={org}",
        allowed({"provider_staff", "agency_admin", "system_admin"}, {"system_admin"}),
    ),
    # --- the case manager's pages: clients, assessments, referring, sharing; only the
    # client's organization's case managers ------------------------------------------
    "GET clients.index": Route("/clients", allowed({"case_manager"})),
    "GET clients.new_form": Route("/clients/new", allowed({"case_manager"})),
    "POST clients.create": Route(
        "/clients/new",
        allowed({"case_manager"}),
        form={
            "organization_id": "{org}",
            "given_name": "Rosa",
            "family_name": "Diaz",
            "phone": "555-0100",
        },
    ),
    "GET clients.detail": Route("/clients/{client}", allowed({"case_manager"})),
    "GET clients.edit_form": Route("/clients/{client}/edit", allowed({"case_manager"})),
    "POST clients.update": Route(
        "/clients/{client}/edit",
        allowed({"case_manager"}),
        form={"given_name": "Ana", "family_name": "Lopez", "phone": "555-0100"},
    ),
    "GET client_merge.confirm": Route(
        "/clients/{client}/merge/{client}",
        allowed({"case_manager"}),
        notes="the scenario has one client per side: merging it into itself is refused "
        "with a redirect to the client page that says why",
    ),
    "POST client_merge.merge": Route(
        "/clients/{client}/merge/{client}",
        allowed({"case_manager"}),
        notes="as the GET: refused with a redirect, nothing changes",
    ),
    "POST client_actions.consent_create": Route(
        "/clients/{client}/consents",
        allowed({"case_manager"}),
        form={"recipient": "{org}", "purpose": "referral", "method": "verbal"},
    ),
    "POST client_actions.consent_revoke": Route(
        "/clients/{client}/consents/{consent}/revoke", allowed({"case_manager"})
    ),
    "POST client_actions.refer": Route(
        "/clients/{client}/referrals",
        allowed({"case_manager"}),
        form={
            "need": "food-insecurity",
            "service_at_location_id": "{place}",
            "idempotency_key": "matrix-web",
        },
    ),
    "POST client_actions.assess": Route(
        "/match", allowed({"case_manager"}), form={"client": "{client}", "need": "food-insecurity"}
    ),
    "GET referrals_list.index": Route("/referrals", allowed({"case_manager"})),
    "GET share.page": Route("/clients/{client}/share?sal={place}", allowed({"case_manager"})),
    "POST share.send": Route(
        "/clients/{client}/share/send",
        allowed({"case_manager"}),
        form={"sal": "{place}"},
        notes="the scenario's client prefers calls: nothing is queued, the page says why",
    ),
    # --- the API's own description: public ----------------------------------------
    "GET openapi.spec": Route("/api/v1/openapi.json", public()),
    "GET openapi.docs": Route("/api/docs", public()),
    # --- provider self-service: claiming, email verification, editing own listings -----
    "GET provider.claim_form": Route("/organizations/{org}/claim", allowed(SIGNED_IN, SIGNED_IN)),
    "POST provider.claim_submit": Route(
        "/organizations/{org}/claim",
        allowed(SIGNED_IN, SIGNED_IN),
        form={"message": "I run intake there"},
        notes="staff already managing it are sent to their provider page",
    ),
    "POST provider.verify_email_send": Route(
        "/account/email/verify", allowed(SIGNED_IN, SIGNED_IN)
    ),
    "GET provider.verify_email_page": Route(
        "/account/email/verify/not-a-token", public(), notes="400: invalid link"
    ),
    "POST provider.verify_email_confirm": Route(
        "/account/email/verify/not-a-token", public(), notes="400: invalid link"
    ),
    "GET provider.claims_queue": Route("/curation/claims", allowed({"curator"}, {"curator"})),
    "POST provider.claim_decide": Route(
        "/curation/claims/missing", curator_only_missing(), form={"decision": "approve"}
    ),
    "GET provider.home_page": Route("/provider", allowed(SIGNED_IN, SIGNED_IN)),
    **{
        f"{method} provider_edit.{endpoint}": Route(
            path, allowed(LISTING_EDITORS, {"curator"}), form=form if method == "POST" else None
        )
        for method in ("GET", "POST")
        for endpoint, path, form in (
            (
                "organization_edit",
                "/provider/organizations/{org}/edit",
                {"name": "Renamed by the matrix", "description": "Helps people."},
            ),
            ("service_edit", "/provider/services/{service}/edit", {"name": "Renamed by matrix"}),
            ("place_hours", "/provider/places/{place}/hours", {"hours-MO-state": "closed"}),
            ("service_copy", "/provider/services/{service}/copy", {}),
            ("service_new", "/provider/organizations/{org}/services/new", {"name": "Matrix meals"}),
            (
                "location_new",
                "/provider/organizations/{org}/locations/new",
                {
                    "name": "Matrix site",
                    "address_1": "1 Main St",
                    "city": "Baltimore",
                    "state_province": "MD",
                    "postal_code": "21201",
                },
            ),
        )
    },
    **{
        f"{method} provider_translate.service_translation": Route(
            "/provider/services/{service}/translations/es",
            allowed(LISTING_EDITORS, {"curator"}),
            form={"name": "Renombrado por la matriz"} if method == "POST" else None,
        )
        for method in ("GET", "POST")
    },
    "GET provider_edit.location_edit": Route(
        "/provider/locations/missing/edit",
        editors_only_missing(),
        notes="no location placeholder: editors get 404, the others 403 before the lookup",
    ),
    "POST provider_edit.location_edit": Route(
        "/provider/locations/missing/edit", editors_only_missing(), form={"name": "x"}
    ),
}
