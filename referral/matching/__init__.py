"""Matching: client assessment, structured eligibility, and (next) ranking.

The eligibility core for the ranker:
  assessment.parse_client(dict) -> Assessment      (raises InvalidClient(field, detail))
  records.load_services(session, ids) -> [ServiceRecord]
  records.with_covering_areas(session, facts) -> facts with the service areas around them
  eligibility.check(record, facts) -> Verdict      (eligible / unknown / ineligible)
  checks.verdicts_for(session, ids, facts) -> {service_id: Verdict}
A match list must drop every service whose verdict is "ineligible": that is the same
verdict ``POST /api/v1/eligibility`` and ``referral check`` show.
"""
