"""``referral check`` (does a client qualify for a service) and ``referral
eval-extraction`` (precision and recall of eligibility extraction on labeled texts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from referral.matching.assessment import Assessment, InvalidClient, parse_client
from referral.matching.checks import CheckResult

MARKS = {"met": "[met]    ", "not_met": "[not met]", "unknown": "[unknown]"}


def read_client(path: Path) -> Assessment:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"cannot read client file {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"client file {path} is not valid JSON: {exc}") from exc
    try:
        return parse_client(data)
    except InvalidClient as exc:
        raise click.ClickException(f"client file {path}: {exc.field}: {exc.detail}") from exc


@click.command("check")
@click.option("--service", "service_id", required=True, help="Service id.")
@click.option(
    "--client",
    "client_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Client JSON file (location, facts, needs).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def check_command(service_id: str, client_file: Path, as_json: bool) -> None:
    """Does the client qualify for this service? Prints the eligibility checklist."""
    from referral import db
    from referral.cli import app_context
    from referral.matching.checks import UnknownService, check_service

    assessment = read_client(client_file)
    with app_context():
        try:
            result = check_service(db.session(), service_id, assessment)
        except UnknownService as exc:
            raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(format_check(result))


def format_check(result: CheckResult) -> str:
    lines = [f"{result.service_name} ({result.service_id})", f"Verdict: {result.verdict.status}"]
    for e in result.verdict.evaluations:
        kind = "" if e.criterion.hard else " (soft)"
        lines.append(f"  {MARKS[e.status]} {e.to_dict()['criterion']}{kind} - {e.reason}")
        if e.evidence and e.quoted:
            lines.append(f'             listing says: "{e.evidence}"')
        elif e.evidence:
            lines.append(f"             from the listing's details: {e.evidence}")
        if e.ask:
            lines.append(f"             ask: {e.ask}")
    if not result.verdict.evaluations:
        lines.append("  No eligibility rules found for this service.")
    return "\n".join(lines)


@click.command("eval-extraction")
@click.option(
    "--datasets",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("../shared/datasets"),
    show_default=True,
    help="Folder holding miami211-hsds1/.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def eval_extraction_command(datasets: Path, as_json: bool) -> None:
    """Precision and recall of eligibility extraction on the hand-labeled texts."""
    from referral.matching.extraction_eval import evaluate_extraction

    try:
        report = evaluate_extraction(datasets)
    except FileNotFoundError as exc:
        raise click.ClickException(f"{exc} (use --datasets PATH)") from exc
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{report['texts']} labeled texts ({report['labeled']} labels)"]
    lines.append(f"{'kind':<16} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    rows = [*report["by_kind"].items(), ("overall", report["overall"])]
    rows += [(f"{name} set", f) for name, f in report["splits"].items()]
    for label, f in rows:
        texts = f" ({f['texts']} texts)" if "texts" in f else ""
        lines.append(
            f"{label:<16} {f['precision']:>9.3f} {f['recall']:>7.3f}"
            f" {f['tp']:>4} {f['fp']:>4} {f['fn']:>4}{texts}"
        )
    if report["missing_texts"]:
        lines.append(f"{len(report['missing_texts'])} labeled texts not found in the dataset")
    return "\n".join(lines)
