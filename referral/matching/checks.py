""" "Does my client qualify?": one service's eligibility verdict for one client.

Shared by the API, the CLI and the service page, so all three say the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from referral.matching.assessment import Assessment, ClientFacts
from referral.matching.eligibility import Verdict, check
from referral.matching.records import load_service, load_services, with_covering_areas


class UnknownService(LookupError):
    def __init__(self, service_id: str) -> None:
        super().__init__(f"no service with id {service_id!r}")
        self.service_id = service_id


@dataclass(frozen=True)
class CheckResult:
    service_id: str
    service_name: str
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        return {
            "service_id": self.service_id,
            "service_name": self.service_name,
            **self.verdict.to_dict(),
            "asks": list(self.verdict.asks),
        }


def check_service(session: Session, service_id: str, assessment: Assessment) -> CheckResult:
    record = load_service(session, service_id)
    if record is None:
        raise UnknownService(service_id)
    facts = with_covering_areas(session, assessment.facts)
    return CheckResult(record.id, record.name, check(record, facts))


def verdicts_for(
    session: Session, service_ids: Iterable[str], facts: ClientFacts
) -> dict[str, Verdict]:
    """Verdicts for many services at once (one area lookup, one batch load): the path a
    match list takes, so it drops exactly the services the check calls ineligible."""
    located = with_covering_areas(session, facts)
    return {r.id: check(r, located) for r in load_services(session, service_ids)}
