"""``referral report``, ``referral seed-referrals`` and ``referral bench analytics``."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

import click

from referral.cli import app_context

FORMATS = ("csv", "json")


@click.command("report")
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD); default a year ago.")
@click.option("--to", "end", metavar="DATE", help="Last day (YYYY-MM-DD); default today.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--org", "organization", metavar="ID", help="Only this referring organization.")
@click.option("--provider", metavar="ID", help="Only referrals to this provider organization.")
@click.option("--need", metavar="CODE", help="Only this need domain.")
@click.option(
    "--table",
    "names",
    multiple=True,
    metavar="NAME",
    help="Tables to print (default all): summary, funnel, by-need, ...",
)
@click.option(
    "--no-suppress",
    is_flag=True,
    help="Show small counts exactly (for use inside the owning organization only).",
)
def report_command(
    start: str | None,
    end: str | None,
    fmt: str,
    organization: str | None,
    provider: str | None,
    need: str | None,
    names: tuple[str, ...],
    no_suppress: bool,
) -> None:
    """Print the analytics tables for a period as CSV or JSON (small counts suppressed)."""
    from referral import db
    from referral.analytics import tables
    from referral.analytics.filters import InvalidFilter, parse_filters
    from referral.analytics.web import DASHBOARD_TABLES

    unknown = [n for n in names if n not in DASHBOARD_TABLES]
    if unknown:
        raise click.BadParameter(
            f"{unknown[0]!r} is not a table ({', '.join(DASHBOARD_TABLES)})", param_hint="--table"
        )
    now = datetime.now(UTC)
    args = {"from": start, "to": end, "organization": organization, "provider": provider}
    try:
        f = parse_filters({**args, "need": need}, now.date())
    except InvalidFilter as error:
        raise click.BadParameter(error.detail, param_hint=f"--{error.field}") from None
    with app_context(), db.session() as session:
        ctx = tables.Context(session, f, now)
        built = list(tables.build_all(ctx, names or DASHBOARD_TABLES, not no_suppress).values())
    if fmt == "json":
        body = {
            "period": {"from": f.start.isoformat(), "to": f.end.isoformat()},
            "tables": [t.as_json() for t in built],
        }
        click.echo(json.dumps(body, indent=2, ensure_ascii=False, default=str))
        return
    for i, table in enumerate(built):
        if i:
            sys.stdout.write("\n")
        sys.stdout.write(f"# {table.name}\n{table.as_csv()}")


@click.command("seed-referrals")
@click.argument("count", type=click.IntRange(1, 1_000_000))
@click.option("--seed", type=int, default=1, show_default=True, help="Random seed.")
def seed_referrals_command(count: int, seed: int) -> None:
    """Add COUNT synthetic referrals (with clients, consent and events) over the last
    12 months across the directory, for demos and benchmarks."""
    from referral import db
    from referral.analytics import synthetic

    with app_context(), db.session() as session, session.begin():
        made = synthetic.generate(session, count, datetime.now(UTC), seed)
    if not made:
        raise click.ClickException("the directory is empty: run `referral seed` first")
    click.echo(f"Added {made} synthetic referrals.")


@click.command("analytics")
@click.option("--referrals", default=100_000, show_default=True, help="Referral history size.")
@click.option("--repeat", default=10, show_default=True, help="Dashboard renders timed.")
@click.option(
    "--database-url",
    help="A scratch PostgreSQL database to use instead of a temporary SQLite file "
    "(its analytics data is added to, never removed).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def bench_analytics_command(
    referrals: int, repeat: int, database_url: str | None, as_json: bool
) -> None:
    """Time the agency dashboard (all tables) over a synthetic referral history."""
    from referral.analytics import bench

    result = bench.run(referrals, repeat, database_url, echo=not as_json)
    if as_json:
        click.echo(json.dumps(result, indent=2))
    else:
        click.echo(
            f"{result['backend']}: {result['referrals']} referrals, dashboard p50 "
            f"{result['p50_seconds']:.3f} s, p95 {result['p95_seconds']:.3f} s "
            f"(charts p50 {result['charts_p50_seconds']:.3f} s)"
        )
