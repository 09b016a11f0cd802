"""``referral search``, ``referral reindex``, ``referral bench search`` and
``referral bench pages``."""

from __future__ import annotations

import json
import time

import click

from referral import db
from referral.api.problems import InvalidParameter
from referral.cli import app_context
from referral.search.query import parse_params
from referral.search.service import SearchResults, search

# --follow polls the change log this often: well inside the 2 s edit-to-searchable goal.
FOLLOW_INTERVAL_S = 0.5


def _print_results(found: SearchResults) -> None:
    if found.degraded:
        click.echo(
            "(search index unavailable: answering from the database; run `referral reindex`)",
            err=True,
        )
    if found.did_you_mean:
        click.echo(f"Did you mean: {found.did_you_mean}")
    click.echo(f"{found.total} result(s)")
    for r in found.results:
        where = f"  {r.distance_km:.1f} km" if r.distance_km is not None else ""
        click.echo(f"- {r.service_name} ({r.organization_name}){where}")
        click.echo(f"  {r.address or 'no address'}  [{r.service_at_location_id}]")


@click.command("search")
@click.argument("query", required=False, default="")
@click.option("--near", metavar="LAT,LON", help="Search around this point.")
@click.option("--postcode", metavar="ZIP", help="Search around this US ZIP code.")
@click.option("--radius-km", type=str, help="Only results within this distance.")
@click.option("--taxonomy", multiple=True, metavar="ID", help="Taxonomy term (with descendants).")
@click.option("--language", multiple=True, metavar="CODE", help="Language code, e.g. es.")
@click.option("--open-at", metavar="ISO-DATETIME", help="Open at this date and time.")
@click.option("--open-now", is_flag=True, help="Open right now.")
@click.option("--sort", type=click.Choice(["relevance", "distance", "blend"]), default="relevance")
@click.option("--limit", default="10", show_default=True, help="Results to show.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def search_command(query: str, **options: object) -> None:
    """Search the directory for QUERY."""
    args = {
        "q": query,
        "near": options["near"],
        "postcode": options["postcode"],
        "radius_km": options["radius_km"],
        "taxonomy": list(options["taxonomy"]),  # type: ignore[call-overload]
        "language": list(options["language"]),  # type: ignore[call-overload]
        "open_at": options["open_at"],
        "open_now": "true" if options["open_now"] else "",
        "sort": options["sort"],
        "per_page": options["limit"],
    }
    with app_context() as app:
        from referral.search.api import get_index

        # a one-shot command cannot wait for a background rebuild: `referral reindex` does it
        app.config.setdefault("SEARCH_REBUILD", "off")
        try:
            found = search(db.session(), parse_params(args), get_index(app))
        except InvalidParameter as exc:
            option = {"per_page": "limit", "q": "query"}.get(
                exc.extensions["field"], exc.extensions["field"]
            )
            raise click.UsageError(f"--{option.replace('_', '-')}: {exc.detail}") from exc
    if options["as_json"]:
        click.echo(json.dumps(found.to_dict(), indent=2))
    else:
        _print_results(found)


@click.command("reindex")
@click.option("--follow", is_flag=True, help="Then keep applying listing changes until stopped.")
def reindex_command(follow: bool) -> None:
    """Rebuild the search index from the database into a new folder, then swap it in."""
    from tqdm import tqdm

    from referral.search.index import WhooshIndex, build_procs

    with app_context() as app:
        index = WhooshIndex(app.config["SEARCH_INDEX_DIR"])
        session = db.session()
        with tqdm(unit=" docs", desc="indexing", disable=None) as bar:
            stats = index.rebuild(session, progress=bar.update, procs=build_procs(session))
        session.rollback()
        click.echo(
            f"Indexed {stats.documents} service-at-locations in {stats.seconds:.1f} s "
            f"({stats.per_second:.0f}/s) into {stats.path}."
        )
        while follow:
            applied = index.sync(session, wait=True)
            session.rollback()  # end the read transaction so the next poll sees new rows
            if applied:
                click.echo(f"Applied {applied} change(s).")
            time.sleep(FOLLOW_INTERVAL_S)


@click.group("bench")
def bench_group() -> None:
    """Benchmarks."""


@bench_group.command("search")
@click.option("--sizes", default="10000,100000", show_default=True, help="Directory sizes.")
@click.option("--repeat", default=20, show_default=True, help="Runs of each query type.")
@click.option("--workdir", type=click.Path(), help="Where synthetic databases are kept.")
@click.option("--reuse-index", is_flag=True, help="Keep an index built by an earlier run.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def bench_search_command(
    sizes: str, repeat: int, workdir: str | None, reuse_index: bool, as_json: bool
) -> None:
    """Search latency (p50/p95 per query type), index build rate and peak memory."""
    from referral.search import bench

    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError as exc:
        raise click.UsageError(f"--sizes must be whole numbers, got {sizes!r}") from exc
    reports = [bench.run(n, repeat, workdir, reuse_index) for n in counts]
    if as_json:
        click.echo(json.dumps([r.to_dict() for r in reports], indent=2))
    else:
        for report in reports:
            click.echo(report.describe())


def _add_bench_match() -> None:
    from referral.matching.match_commands import bench_match_command

    bench_group.add_command(bench_match_command)


_add_bench_match()


def _add_bench_analytics() -> None:
    from referral.analytics.commands import bench_analytics_command

    bench_group.add_command(bench_analytics_command)


_add_bench_analytics()


@bench_group.command("pages")
@click.option("--repeat", default=20, show_default=True, help="Timed requests of each path.")
@click.option("--database-url", help="Use this database (with the sample loaded if empty).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def bench_pages_command(repeat: int, database_url: str | None, as_json: bool) -> None:
    """Server time (p50/p95) of the main pages over the demo data; target < 200 ms."""
    from referral.web import page_bench

    if repeat < 1:
        raise click.UsageError("--repeat must be at least 1")
    echo = (lambda _line: None) if as_json else click.echo
    timings = page_bench.run(repeat, database_url, echo=echo)
    if as_json:
        click.echo(json.dumps(page_bench.to_dicts(timings), indent=2))
    else:
        click.echo(page_bench.describe(timings))
