"""Who sees which referrals in analytics, and whether small cells are suppressed.

Every decision asks the policy: an agency admin sees the referrals its organization
sent; a system admin sees every organization's, but as an outsider, so small cells
are suppressed. A provider's view is the referrals its organization received.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from referral.accounts import policy

# An organization id nobody is a member of: "may the user do this in any
# organization at all?" is true only for directory-wide roles.
EVERY_ORGANIZATION = "*"


@dataclass(frozen=True)
class View:
    # Referring organizations whose referrals count; None means all of them.
    scope: frozenset[str] | None
    # The organizations whose own data this is (shown without suppression).
    owned: frozenset[str]

    def suppress(self, organization: str | None, shareable: bool) -> bool:
        """Suppress unless every referral shown belongs to the viewer's own organizations."""
        if shareable:
            return True
        if organization is not None:
            return organization not in self.owned
        return self.scope is None or not self.scope <= self.owned


def _member_orgs(user: Any, action: str) -> frozenset[str]:
    return frozenset(
        org for org, _ in policy.roles(user) if org is not None and policy.can(user, action, org)
    )


def agency_view(user: Any, organization: str | None) -> View:
    """Raises ``policy.Forbidden`` for anyone who may not see agency analytics, or not
    this organization's."""
    policy.require(user, policy.VIEW_ANALYTICS, organization)
    owned = _member_orgs(user, policy.VIEW_ANALYTICS)
    everywhere = policy.can(user, policy.VIEW_ANALYTICS, EVERY_ORGANIZATION)
    return View(None if everywhere else owned, owned)


def provider_organizations(user: Any) -> frozenset[str]:
    return _member_orgs(user, policy.VIEW_PROVIDER_ANALYTICS)


def provider_view(user: Any, organization: str) -> View:
    policy.require(user, policy.VIEW_PROVIDER_ANALYTICS, organization)
    return View(None, provider_organizations(user))
