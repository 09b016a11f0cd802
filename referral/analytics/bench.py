"""``referral bench analytics``: the dashboard's render time at a given history size.

Builds (or reuses) a database with the sample directory and a synthetic referral
history, then renders ``/analytics`` as a system admin (every organization: the
largest query) through the Flask test client, ``repeat`` times, and reports the
median and 95th percentile. Charts are timed separately (each is its own request).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import click
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.referrals.models import Referral

CHART_NAMES = ("funnel", "monthly", "need", "reasons")


def _prepare(engine: Any, referrals: int, echo: bool) -> None:
    from referral import db
    from referral.accounts.demo import create_demo_users
    from referral.analytics import synthetic
    from referral.directory import seed

    db.upgrade(engine)
    with Session(engine) as session, session.begin():
        seed.load_sample_if_empty(session)
        create_demo_users(session)
    with Session(engine) as session, session.begin():
        have = session.scalar(select(func.count()).select_from(Referral)) or 0
        if have < referrals:
            started = time.perf_counter()
            synthetic.generate(session, referrals - have, datetime.now(UTC), seed=7)
            seconds = time.perf_counter() - started
            if echo:
                click.echo(f"Generated {referrals - have} referrals in {seconds:.1f} s.")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(referrals: int, repeat: int, database_url: str | None, echo: bool = True) -> dict[str, Any]:
    from referral import create_app

    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        app = create_app({"DATABASE_URL": url, "INSTANCE_DIR": folder, "SECRET_KEY": "bench"})
        engine = app.extensions["referral.engine"]
        _prepare(engine, referrals, echo)
        client = app.test_client()
        _sign_in(app, client)
        # Each run asks for a different period, so no run reuses another's tables;
        # the charts that follow a page reuse its tables, as in a browser.
        page, charts = [], []
        for run in range(repeat):
            query = f"?to={date.today() - timedelta(days=run)}"
            page += _time(client, "/analytics" + query, 1)
            charts += _time(client, [f"/analytics/charts/{n}.svg{query}" for n in CHART_NAMES], 1)
        engine.dispose()
    return {
        "backend": engine.dialect.name,
        "referrals": referrals,
        "repeat": repeat,
        "p50_seconds": round(statistics.median(page), 4),
        "p95_seconds": round(_percentile(page, 0.95), 4),
        "charts_p50_seconds": round(statistics.median(charts), 4),
    }


def _sign_in(app: Any, client: Any) -> None:
    from referral import db
    from referral.accounts import sessions, users

    with app.app_context():
        session = db.session()
        user = users.find_user(session, "sysadmin@demo.invalid")
        assert user is not None  # create_demo_users made it
        login = sessions.open_session(session, user.id)
        session.commit()
        login_id, user_id = login.id, user.id
    with client.session_transaction() as cookie:
        cookie["sid"] = login_id
        cookie["_user_id"] = user_id
        cookie["_fresh"] = True


def _time(client: Any, paths: str | list[str], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        for path in [paths] if isinstance(paths, str) else paths:
            response = client.get(path)
            if response.status_code != 200:
                raise click.ClickException(f"{path} answered {response.status_code}")
        samples.append(time.perf_counter() - started)
    return samples
