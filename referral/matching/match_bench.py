"""``referral bench match``: latency of a three-need match at directory sizes.

Clients stand at places drawn (seeded) from the directory itself, with a varied set of
facts, so each run asks about a different neighborhood; the first run per size (which
builds the in-memory site table and loads libraries) is not timed.
"""

from __future__ import annotations

import os
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from referral import db
from referral.matching.assessment import parse_client
from referral.matching.match import match
from referral.matching.sitetable import site_table
from referral.search.bench import ensure_database, percentiles

NEEDS = [
    {"domain": "food-insecurity", "detail": "groceries", "urgency": "urgent"},
    {"domain": "housing-instability", "detail": "help with rent"},
    {"domain": "transportation-insecurity"},
]
FACTS = [
    {"age": 67, "household_size": 2, "monthly_income": 1800, "languages": ["es"]},
    {"age": 34, "household_size": 4, "monthly_income": 2500, "disability": False},
    {"age": 22, "household_size": 1, "veteran": True},
    {"household_size": 3, "monthly_income": 900, "languages": ["en"], "disability": True},
]


@dataclass
class MatchBench:
    size: int
    database: str
    runs: int
    latency_ms: dict[str, float] = field(default_factory=dict)
    # CPU time of this process per match, and the machine's load: on a shared machine
    # wall-clock time includes waiting for a core.
    cpu_ms: dict[str, float] = field(default_factory=dict)
    load_average: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "size": self.size, "database": self.database, "runs": self.runs, **self.latency_ms,
            "cpu_ms": self.cpu_ms, "load_average": round(self.load_average, 2),
        }  # fmt: skip

    def describe(self) -> str:
        ms = self.latency_ms
        return (
            f"{self.size:>7} services: three-need match p50 {ms['p50']:.1f} ms, "
            f"p95 {ms['p95']:.1f} ms ({self.runs} runs; CPU p50 {self.cpu_ms['p50']:.1f} ms, "
            f"p95 {self.cpu_ms['p95']:.1f} ms; load average {self.load_average:.1f})"
        )


def clients(session: Session, count: int, seed: int = 7) -> list[dict[str, Any]]:
    sites = site_table(session)
    rows = np.flatnonzero(~np.isnan(sites.lat))
    rng = random.Random(seed)
    found = []
    for i in range(count):
        row = int(rows[rng.randrange(len(rows))])
        lat = float(sites.lat[row]) + rng.uniform(-0.02, 0.02)
        lon = float(sites.lon[row]) + rng.uniform(-0.02, 0.02)
        found.append(
            {"location": {"lat": lat, "lon": lon}, "facts": FACTS[i % len(FACTS)], "needs": NEEDS}
        )
    return found


def run(size: int, runs: int, workdir: str | None) -> MatchBench:
    folder = Path(workdir or Path.cwd() / "instance" / "bench")
    folder.mkdir(parents=True, exist_ok=True)
    url = ensure_database(size, folder)
    engine = db.make_engine(url)
    db.upgrade(engine)  # a database made before newer migrations (referrals) catches up
    try:
        with Session(engine) as session:
            assessments = [parse_client(c) for c in clients(session, runs)]
            match(session, assessments[0])  # warm: site table, imports
            samples, cpu = [], []
            for assessment in assessments:
                started, started_cpu = time.perf_counter(), time.process_time()
                match(session, assessment)
                samples.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
    finally:
        engine.dispose()
    cpu_ms = percentiles(cpu)
    return MatchBench(size, url, runs, percentiles(samples), cpu_ms, os.getloadavg()[0])
