"""``referral match``, ``referral eval``, ``referral train`` and ``referral bench match``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from referral.matching.commands import read_client


@click.command("match")
@click.option(
    "--client",
    "client_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Client JSON file (location, facts, needs).",
)
@click.option(
    "--top", default=10, show_default=True, type=click.IntRange(1, 50), help="Results per need."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def match_command(client_file: Path, top: int, as_json: bool) -> None:
    """Ranked, explained services for each of the client's needs."""
    from referral import db
    from referral.cli import app_context
    from referral.matching.match import match
    from referral.matching.train import active_weights

    assessment = read_client(client_file)
    if not assessment.needs:
        raise click.ClickException(f"client file {client_file}: needs: give at least one need")
    with app_context() as app:
        result = match(
            db.session(), assessment, top=top, weights=active_weights(app.config["INSTANCE_DIR"])
        )
        data = result.to_dict()
    click.echo(json.dumps(data, indent=2) if as_json else format_match(data))


def format_match(data: dict) -> str:  # type: ignore[type-arg]
    lines: list[str] = []
    for need in data["needs"]:
        lines.append(f"== {need['display']}" + (f": {need['detail']}" if need["detail"] else ""))
        if not need["results"]:
            lines.append("  No matching services found nearby.")
        for r in need["results"]:
            km = "" if r["distance_km"] is None else f"  {r['distance_km']:.1f} km"
            lines.append(
                f"{r['rank']:>3}. {r['service_name']} - {r['organization_name']}"
                f"  [{r['score']:.3f}]{km}"
            )
            lines.append(f"     {r['explanation']}")
            lines.extend(f"     - {ask}" for ask in r["asks"])
        if need["excluded"]:
            lines.append("  Not eligible or not open:")
            lines.extend(f"   x {e['service_name']}: {e['reason']}" for e in need["excluded"])
        lines.append("")
    return "\n".join(lines).rstrip()


@click.command("eval")
@click.option(
    "--scenarios",
    "scenarios_file",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="JSON file of scenarios (client plus judgments).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def eval_command(scenarios_file: Path, as_json: bool) -> None:
    """nDCG@5/10 and ineligible-in-top-10 of the matcher and two baselines."""
    from referral import db
    from referral.cli import app_context
    from referral.matching.evaluate import InvalidScenarios, evaluate, format_report, load_scenarios
    from referral.matching.train import active_weights

    try:
        scenarios = load_scenarios(scenarios_file)
    except InvalidScenarios as exc:
        raise click.ClickException(str(exc)) from exc
    with app_context() as app:
        report = evaluate(
            db.session(), scenarios, weights=active_weights(app.config["INSTANCE_DIR"])
        )
    click.echo(json.dumps(report, indent=2) if as_json else format_report(report))


@click.command("train")
@click.option(
    "--scenarios",
    "scenarios_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Scenarios to compare fitted weights with the constants on "
    "(default: tests/data/match_scenarios_judged.json).",
)
@click.option(
    "--min-outcomes",
    default=None,
    type=click.IntRange(20),
    help="Closed referrals needed before fitting (default 200).",
)
def train_command(scenarios_file: Path | None, min_outcomes: int | None) -> None:
    """Fit score weights from referral outcomes; adopt them only if they rank better."""
    from referral import db
    from referral.cli import app_context
    from referral.matching.evaluate import InvalidScenarios
    from referral.matching.train import MIN_OUTCOMES, train

    with app_context() as app:
        session = db.session()
        try:
            report = train(
                session,
                app.config["INSTANCE_DIR"],
                scenarios_file,
                min_outcomes=min_outcomes or MIN_OUTCOMES,
            )
        except InvalidScenarios as exc:
            raise click.ClickException(str(exc)) from exc
        finally:
            session.rollback()  # training reads only; the weights go to a file
    click.echo(report.message)


@click.command("match")
@click.option("--sizes", default="10000,100000", show_default=True, help="Directory sizes.")
@click.option(
    "--runs",
    default=60,
    show_default=True,
    type=click.IntRange(5, 10000),
    help="Timed matches per size.",
)
@click.option("--workdir", type=click.Path(), help="Where synthetic databases are kept.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def bench_match_command(sizes: str, runs: int, workdir: str | None, as_json: bool) -> None:
    """Latency (p50/p95) of a three-need match at each directory size."""
    from referral.matching import match_bench

    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise click.UsageError(f"--sizes must be whole numbers, got {sizes!r}") from exc
    reports = [match_bench.run(n, runs, workdir) for n in counts]
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], indent=2))
    else:
        click.echo("\n".join(r.describe() for r in reports))
