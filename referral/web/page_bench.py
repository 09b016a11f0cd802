"""``referral bench pages``: server time of the main pages over the demo data.

Builds what ``referral demo`` serves (sample directory, demo users, search index) in a
temporary folder, or uses a given database, then requests each main page through the
Flask test client: once to warm caches, then ``repeat`` times, timing the whole request
(routing, queries, search, template). The target is under 200 ms at the 95th percentile.
The CPU time of the process is reported beside the wall time: on a busy machine the wall
time mostly measures the wait for a core, the CPU time what the page costs.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

TARGET_SECONDS = 0.200
CASE_MANAGER = "casemanager@demo.invalid"


@dataclass(frozen=True)
class PageTiming:
    page: str
    path: str
    p50_ms: float
    p95_ms: float
    max_ms: float
    cpu_p50_ms: float

    @property
    def within_target(self) -> bool:
        return self.p95_ms <= TARGET_SECONDS * 1000


def pages(session: Session) -> dict[str, list[str]]:
    """Each page's paths: several services and organizations, so no single cache wins."""
    from referral.directory.models import Organization, Service

    services = list(session.scalars(select(Service.id).order_by(Service.name).limit(10)))
    organizations = list(
        session.scalars(select(Organization.id).order_by(Organization.name).limit(10))
    )
    english = {
        "browse": ["/", "/?page=2", "/?status=all&per_page=50"],
        "search": ["/search?q=food", "/search?q=rent+help", "/search?q=food&near=21201"],
        "service": [f"/services/{sid}" for sid in services],
        "organization": [f"/organizations/{oid}" for oid in organizations],
        "match": [
            "/match?need=food-insecurity&near=21201",
            "/match?need=housing-instability&need=food-insecurity&near=21201&age=67",
        ],
    }
    # Each page in English, then in Spanish (translated terms, hours and evidence).
    return {
        f"{name} {language}": [_in(path, language) for path in paths]
        for language in ("en", "es")
        for name, paths in english.items()
    }


def _in(path: str, language: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={language}"


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def time_page(client: FlaskClient, name: str, paths: list[str], repeat: int) -> PageTiming:
    for path in paths:  # warm up: first-request costs are not what people feel each time
        _get(client, path)
    samples, cpu = [], []
    for _ in range(repeat):
        for path in paths:
            started, cpu_started = time.perf_counter(), time.process_time()
            _get(client, path)
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    return PageTiming(
        page=name,
        path=paths[0],
        p50_ms=round(statistics.median(samples) * 1000, 1),
        p95_ms=round(percentile(samples, 0.95) * 1000, 1),
        max_ms=round(max(samples) * 1000, 1),
        cpu_p50_ms=round(statistics.median(cpu) * 1000, 1),
    )


def _get(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}")


def run(
    repeat: int, database_url: str | None = None, echo: Callable[[str], Any] = print
) -> list[PageTiming]:
    with tempfile.TemporaryDirectory() as folder:
        app = _demo_app(folder, database_url, echo)
        client = app.test_client()
        _sign_in(client)
        with Session(app.extensions["referral.engine"]) as session:
            wanted = pages(session)
        return [time_page(client, name, paths, repeat) for name, paths in wanted.items()]


def _demo_app(folder: str, database_url: str | None, echo: Callable[[str], Any]) -> Flask:
    from referral import create_app, db
    from referral.accounts.demo import create_demo_users
    from referral.directory import seed
    from referral.search.index import WhooshIndex

    app = create_app(
        {
            "DATABASE_URL": database_url or f"sqlite:///{Path(folder) / 'bench.db'}",
            "INSTANCE_DIR": folder,
            "SEARCH_INDEX_DIR": str(Path(folder) / "search-index"),
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    engine = app.extensions["referral.engine"]
    db.upgrade(engine)
    with Session(engine) as session, session.begin():
        loaded = seed.load_sample_if_empty(session)
        create_demo_users(session)
    if loaded:
        echo(loaded)
    with Session(engine) as session:
        WhooshIndex(str(app.config["SEARCH_INDEX_DIR"])).rebuild(session)
    return app


def _sign_in(client: FlaskClient) -> None:
    """The match page is for case managers; the others are timed signed in too, as a
    case manager sees them all day."""
    from referral.accounts.demo import DEMO_USERS

    password = next(u.password for u in DEMO_USERS if u.email == CASE_MANAGER)
    response = client.post("/login", data={"email": CASE_MANAGER, "password": password})
    if response.status_code != 303:
        raise RuntimeError(f"could not sign in as {CASE_MANAGER}: {response.status_code}")


def describe(timings: list[PageTiming]) -> str:
    head = f"{'page':<16}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'cpu p50':>9}"
    lines = [head + "  target < 200 ms at p95"]
    for t in timings:
        verdict = "ok" if t.within_target else "SLOW"
        lines.append(
            f"{t.page:<16}{t.p50_ms:>9.1f}{t.p95_ms:>9.1f}{t.max_ms:>9.1f}"
            f"{t.cpu_p50_ms:>9.1f}  {verdict}"
        )
    return "\n".join(lines)


def to_dicts(timings: list[PageTiming]) -> list[dict[str, Any]]:
    return [asdict(t) | {"within_target": t.within_target} for t in timings]
