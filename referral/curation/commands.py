"""``referral dedupe`` (candidate pairs with scores and reasons, optionally queued for
curators), ``referral dedupe-eval`` (precision and recall on labeled pairs) and
``referral verify-campaign`` (emails to organizations with stale listings)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from referral.cli import app_context
from referral.curation import scoring
from referral.curation.models import ENTITIES


@click.command("dedupe")
@click.option("--entity", type=click.Choice(ENTITIES), default="organization", show_default=True)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=scoring.REVIEW_THRESHOLD,
    show_default=True,
    help="Leave out pairs scoring lower.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the pairs as JSON.")
@click.option("--record", is_flag=True, help="Queue the pairs for curator review.")
def dedupe_command(entity: str, min_score: float, as_json: bool, record: bool) -> None:
    """Find likely duplicate organizations, services or locations. Pairs a curator
    marked "not a duplicate" (or merged) are never shown again."""
    from referral import db
    from referral.curation.reasons import reason_texts
    from referral.curation.service import detect, record_candidates

    with app_context(), db.session().begin():
        candidates = detect(db.session(), entity, min_score=min_score)
        added = record_candidates(db.session(), candidates) if record else 0
    if as_json:
        payload = {
            "entity": entity,
            "min_score": min_score,
            "duplicate_threshold": scoring.DUPLICATE_THRESHOLD,
            "count": len(candidates),
            "recorded": added,
            "candidates": [c.to_dict() for c in candidates],
        }
        click.echo(json.dumps(payload, indent=2))
        return
    for c in candidates:
        mark = "likely" if c.score >= scoring.DUPLICATE_THRESHOLD else "review"
        click.echo(f"{c.score:.2f} {mark:6} {c.a_name} [{c.a_id}]")
        click.echo(f"            {c.b_name} [{c.b_id}]")
        click.echo(f"            {'; '.join(reason_texts(c.reasons))}")
    click.echo(f"{len(candidates)} candidate {entity} pairs at score >= {min_score}")
    if record:
        click.echo(f"{added} new pairs queued for review")


@click.command("dedupe-eval")
@click.option(
    "--labels",
    "labels_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSON lines of labeled pairs (entity, a, b, label, note).",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=scoring.DUPLICATE_THRESHOLD,
    show_default=True,
)
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation as JSON.")
def dedupe_eval_command(labels_path: Path, threshold: float, as_json: bool) -> None:
    """Precision and recall of duplicate detection on labeled pairs, against the
    records in the database (import the data the labels name first)."""
    from referral import db
    from referral.curation.evaluation import evaluate, read_labels

    try:
        labels = read_labels(labels_path)
    except (ValueError, KeyError) as exc:
        raise click.ClickException(f"{labels_path}: not a labels file: {exc}") from exc
    with app_context(), db.session().begin():
        result = evaluate(db.session(), labels, threshold).to_dict()
    if not result["pairs"]:
        raise click.ClickException("none of the labeled records is in the database")
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    click.echo(
        f"{result['pairs']} pairs ({result['positives']} duplicates), threshold {threshold}: "
        f"precision {result['precision']:.3f}, recall {result['recall']:.3f}"
    )
    click.echo("threshold  precision  recall")
    for row in result["table"]:
        click.echo(f"{row['threshold']:9.2f}  {row['precision']:9.3f}  {row['recall']:6.3f}")
    for error in result["errors"]:
        kind = "missed" if error["label"] else "false alarm"
        click.echo(f"{kind}: {error['entity']} {error['a']} {error['b']} {error['score']:.2f}")
    if result["missing"]:
        click.echo(f"{len(result['missing'])} labeled pairs name records not in the database")


@click.command("verify-campaign")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send and record nothing.")
@click.option(
    "--older-than",
    type=click.IntRange(min=1),
    default=None,
    help="Ask about services not verified for this many days  [default: STALE_AFTER_DAYS, 365]",
)
@click.option(
    "--remind-after",
    type=click.IntRange(min=1),
    default=14,
    show_default=True,
    help="Days without an answer before a reminder (at most 2 reminders).",
)
def verify_campaign_command(dry_run: bool, older_than: int | None, remind_after: int) -> None:
    """Email each organization with stale listings a link to confirm or correct them.

    Safe to run every day: an organization is emailed once per campaign, reminded
    after --remind-after days without an answer, and never twice on one day."""
    from flask import current_app

    from referral import db
    from referral.curation import verification as v

    with app_context(), db.session().begin():
        config = current_app.config
        days = older_than or v.Freshness.from_config(config).stale_after_days
        campaign = v.Campaign(older_than_days=days, remind_after_days=remind_after, dry_run=dry_run)
        session = db.session()
        result = v.run_campaign(
            session, campaign, lambda ask, reminder: v.queue_email(session, ask, reminder, config)
        )
    verb = ("would send", "would remind") if dry_run else ("sent", "reminded")
    for name in result.sent:
        click.echo(f"{verb[0]}: {name}")
    for name in result.reminded:
        click.echo(f"{verb[1]}: {name}")
    for name in result.exhausted:
        click.echo(f"no reminders left: {name}")
    click.echo(
        f"{len(result.sent)} {verb[0]}, {len(result.reminded)} {verb[1]}, "
        f"{len(result.skipped)} waiting or already asked today, "
        f"{len(result.exhausted)} not answering after {v.MAX_REMINDERS} reminders"
        f" (services not verified for {days} days)"
    )
