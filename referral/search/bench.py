"""``referral bench search``: latency of a fixed query mix on synthetic directories.

For each size the bench makes (or reuses) a SQLite database of that many synthetic
services (one service-at-location each, from ``referral.directory.synthetic``) in a
child process, builds the index (documents per second), warms up, times every query
type ``repeat`` times (p50/p95), checks that typo'd queries find what the right
spelling finds, and times an edit until a search finds it. Peak memory is this
process's peak resident set size (generation runs elsewhere so it is not counted).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral import db
from referral.directory.models import Service, ServiceAtLocation
from referral.search.index import WhooshIndex, build_procs
from referral.search.query import parse_params
from referral.search.service import search

# Metro centres of the synthetic directory (ZIP centroids of each downtown).
POINTS = (
    "39.9526,-75.1652",
    "41.8837,-87.6289",
    "29.7589,-95.3677",
    "47.6036,-122.3294",
    "33.7537,-84.3863",
    "44.9773,-93.2655",
    "33.4484,-112.0740",
)
KEYWORDS = (
    "food pantry",
    "shelter",
    "dental clinic",
    "job training",
    "rental assistance",
    "mental health counseling",
    "tax help",
    "meals",
)
TYPOS = {
    "fod pantry": "food pantry",
    "shelther": "shelter",
    "dentl clinic": "dental clinic",
    "job trainng": "job training",
    "rentl assistance": "rental assistance",
}
TAXONOMY_CODES = ("FOOD", "HOUSING", "HEALTH", "EMPLOYMENT", "BEHAVIORAL")
RADIUS_KM = "15"


def query_mix() -> dict[str, list[dict[str, str]]]:
    from referral.directory.synthetic import term_id

    def near(i: int) -> str:
        return POINTS[i % len(POINTS)]

    return {
        "keyword": [{"q": q} for q in KEYWORDS],
        "keyword_radius": [
            {"q": q, "near": near(i), "radius_km": RADIUS_KM} for i, q in enumerate(KEYWORDS)
        ],
        "keyword_radius_language_open_now": [
            {"q": q, "near": near(i), "radius_km": RADIUS_KM, "language": "es", "open_now": "true"}
            for i, q in enumerate(KEYWORDS)
        ],
        "typo": [{"q": q} for q in TYPOS],
        "taxonomy_radius": [
            {"taxonomy": term_id(c), "near": near(i), "radius_km": RADIUS_KM}
            for i, c in enumerate(TAXONOMY_CODES)
        ],
    }


@dataclass
class BenchReport:
    documents: int
    database: str
    build_seconds: float = 0.0
    build_docs_per_s: float = 0.0
    build_cpu_seconds_main: float = 0.0
    build_cpu_seconds_children: float = 0.0
    build_procs: int = 1
    load_average: float = 0.0
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    typo_matches_correct: dict[str, bool] = field(default_factory=dict)
    edit_to_searchable_s: float = 0.0
    peak_memory_mb: float = 0.0
    # the largest child: a Whoosh indexing process, or the generator if it ran
    peak_child_memory_mb: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def _build_line(self) -> str:
        if not self.build_seconds:
            return "  index build: reused from an earlier run (not measured)"
        return (
            f"  index build: {self.build_seconds:.1f} s, {self.build_docs_per_s:.0f} docs/s "
            f"({self.build_procs} indexing process(es); CPU {self.build_cpu_seconds_main:.1f} s "
            f"main + {self.build_cpu_seconds_children:.1f} s children)"
        )

    def describe(self) -> str:
        lines = [
            f"{self.documents} service-at-locations ({self.database})",
            self._build_line(),
        ]
        lines.append(
            f"  (load average {self.load_average:.1f} on {os.cpu_count()} cores during the run)"
        )
        for name, f in self.latency_ms.items():
            lines.append(
                f"  {name:34s} p50 {f['p50']:6.1f} ms  p95 {f['p95']:6.1f} ms"
                f"   CPU p50 {f['cpu_p50']:5.1f} ms  p95 {f['cpu_p95']:5.1f} ms"
                + (f"   cold {f['cold_ms']:.0f} ms" if "cold_ms" in f else "")
            )
        typos = ", ".join(
            f"{k}: {'same' if v else 'DIFFERENT'}" for k, v in self.typo_matches_correct.items()
        )
        lines.append(f"  typo'd vs correct results: {typos}")
        lines.append(f"  edit searchable after: {self.edit_to_searchable_s * 1000:.0f} ms")
        lines.append(
            f"  peak memory (RSS): {self.peak_memory_mb:.0f} MB this process, "
            f"{self.peak_child_memory_mb:.0f} MB largest child process"
        )
        return "\n".join(lines)


def ensure_database(size: int, workdir: Path) -> str:
    """The URL of a SQLite database holding ``size`` synthetic services, made if needed."""
    path = workdir / f"bench-{size}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        engine = db.make_engine(url)
        with Session(engine) as session:
            count = session.scalar(select(func.count()).select_from(ServiceAtLocation))
        engine.dispose()
        if count == size:
            return url
        path.unlink()
    subprocess.run([sys.executable, "-m", "referral.search.bench", url, str(size)], check=True)
    return url


def generate(url: str, size: int) -> None:
    from referral.directory import seed_io, synthetic

    engine = db.make_engine(url)
    db.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed_io.bulk_load(session, synthetic.generate_synthetic(size, seed=1))
    engine.dispose()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 2), "p95": round(p95, 2)}


def _timed(session: Session, index: WhooshIndex, args: dict[str, str]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one search."""
    wall, cpu = time.perf_counter(), time.process_time()
    search(session, parse_params(args), index)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def time_queries(session: Session, index: WhooshIndex, repeat: int) -> dict[str, dict[str, float]]:
    """p50/p95 per query type: wall clock (what a user waits) and CPU time (what the
    search costs without other processes competing for the cores); ``cold_ms`` is the
    mean of the first run of each query, before any term postings are cached."""
    mix = query_mix()
    cold = {
        name: [_timed(session, index, args)[0] for args in queries] for name, queries in mix.items()
    }
    figures: dict[str, dict[str, float]] = {}
    every_wall: list[float] = []
    every_cpu: list[float] = []
    for name, queries in mix.items():
        samples = [_timed(session, index, args) for _ in range(repeat) for args in queries]
        walls, cpus = [w for w, _ in samples], [c for _, c in samples]
        figures[name] = {
            **percentiles(walls),
            **{f"cpu_{k}": v for k, v in percentiles(cpus).items()},
            "cold_ms": round(statistics.mean(cold[name]), 1),
        }
        every_wall.extend(walls)
        every_cpu.extend(cpus)
    figures["all_mixed"] = {
        **percentiles(every_wall),
        **{f"cpu_{k}": v for k, v in percentiles(every_cpu).items()},
    }
    return figures


def typo_checks(session: Session, index: WhooshIndex) -> dict[str, bool]:
    def ids(q: str) -> list[str]:
        found = search(session, parse_params({"q": q, "per_page": "50"}), index)
        return [r.service_at_location_id for r in found.results]

    return {typo: ids(typo) == ids(right) and bool(ids(right)) for typo, right in TYPOS.items()}


def edit_to_searchable(session: Session, index: WhooshIndex) -> float:
    service = session.scalars(select(Service).order_by(Service.id).limit(1)).one()
    service.name = f"Quokka Outreach {time.time_ns()}"
    session.commit()
    started = time.perf_counter()
    while search(session, parse_params({"q": service.name}), index).total == 0:
        session.rollback()
        if time.perf_counter() - started > 30:
            return float("inf")
        time.sleep(0.01)
    return time.perf_counter() - started


def measure_build(session: Session, index: WhooshIndex, report: BenchReport) -> None:
    cpu, children = time.process_time(), _children_cpu()
    report.build_procs = build_procs(session)
    stats = index.rebuild(session, procs=report.build_procs)
    report.build_cpu_seconds_main = round(time.process_time() - cpu, 2)
    report.build_cpu_seconds_children = round(_children_cpu() - children, 2)
    report.build_seconds = round(stats.seconds, 2)
    report.build_docs_per_s = round(stats.per_second)
    session.rollback()


def run(size: int, repeat: int, workdir: str | None, reuse_index: bool = False) -> BenchReport:
    """Bench one size; ``reuse_index`` keeps an index a previous run built (no build
    figures then) to time queries again quickly."""
    folder = Path(workdir or Path.cwd() / "instance" / "bench")
    folder.mkdir(parents=True, exist_ok=True)
    url = ensure_database(size, folder)
    engine = db.make_engine(url)
    index = WhooshIndex(folder / f"index-{size}")
    report = BenchReport(size, url)
    try:
        with Session(engine) as session:
            if not (reuse_index and index.generation_or_none()):
                measure_build(session, index, report)
            report.latency_ms = time_queries(session, index, repeat)
            report.typo_matches_correct = typo_checks(session, index)
            report.edit_to_searchable_s = round(edit_to_searchable(session, index), 3)
            report.load_average = round(os.getloadavg()[0], 1)
    finally:
        index.close()
        engine.dispose()
    report.peak_memory_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    report.peak_child_memory_mb = round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    return report


if __name__ == "__main__":  # the child process that generates a database
    generate(sys.argv[1], int(sys.argv[2]))
