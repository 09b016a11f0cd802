"""``referral serve`` (waitress, a production WSGI server) and ``referral demo``."""

from __future__ import annotations

import logging
import threading

import click
from flask import Flask

from referral.cli import app_context

log = logging.getLogger(__name__)


def _serve(
    host: str | None, port: int | None, threads: int | None, *, with_worker: bool = False
) -> None:
    import waitress

    with app_context() as app:
        host = host or str(app.config["HOST"])
        port = port or int(app.config["PORT"])  # type: ignore[call-overload]
        threads = threads or int(app.config["THREADS"])  # type: ignore[call-overload]
        logging.basicConfig(level=str(app.config["LOG_LEVEL"]))
        if with_worker:
            _start_worker_thread(app)
        click.echo(f"Serving referral on http://{host}:{port}/  (Ctrl+C to stop)")
        waitress.serve(app, host=host, port=port, threads=threads, ident="referral")


def _start_worker_thread(app: Flask, stop: threading.Event | None = None) -> threading.Thread:
    """The demo runs ``referral worker``'s rounds in a thread beside the web app (one
    process, as SQLite wants), so notifications land in the outbox folder and overdue
    flags and reminders happen without a second command. Production runs the worker
    as its own process."""
    from referral.notify.commands import prepare, run_round

    settings, transports = prepare(app)
    stop = stop or threading.Event()

    def rounds() -> None:
        while not stop.is_set():
            try:
                run_round(app, settings, transports)
            except Exception:  # a bad round must not stop the demo; the next one retries
                log.exception("worker round failed")
            stop.wait(settings.worker_interval)

    thread = threading.Thread(target=rounds, name="referral-worker", daemon=True)
    thread.start()
    click.echo(f"Running the worker every {settings.worker_interval} s (notifications: outbox).")
    return thread


_host = click.option("--host", help="Address to listen on (REFERRAL_HOST, default 127.0.0.1).")
_port = click.option("--port", type=click.IntRange(1, 65535), help="Port (REFERRAL_PORT, 5000).")
_threads = click.option("--threads", type=click.IntRange(1, 256), help="Worker threads.")


@click.command("serve")
@_host
@_port
@_threads
def serve_command(host: str | None, port: int | None, threads: int | None) -> None:
    """Serve the web app and APIs with waitress."""
    _serve(host, port, threads)


@click.command("demo")
@_host
@_port
@_threads
def demo_command(host: str | None, port: int | None, threads: int | None) -> None:
    """Create the database, load the sample directory if it is empty, and serve it."""
    from referral import db
    from referral.directory import seed

    with app_context() as app:
        db.upgrade(db.engine())
        with db.session() as session, session.begin():
            loaded = seed.load_sample_if_empty(session)
        if loaded:
            click.echo(f"Loaded the sample directory: {loaded}.")
        else:
            click.echo("The directory already has data; the sample was not loaded again.")
        from referral.accounts.demo import create_demo_users

        with db.session() as session, session.begin():
            demo_users = create_demo_users(session)
        if demo_users:
            click.echo(
                "Demo users (passwords in docs/security.md): "
                + ", ".join(u.email for u in demo_users)
            )
        _ensure_search_index(str(app.config["SEARCH_INDEX_DIR"]))
        _ensure_referral_history()
    _serve(host, port, threads, with_worker=True)


def _ensure_search_index(folder: str) -> None:
    """Build the search index before serving, so the first searches are not degraded."""
    from pathlib import Path

    from referral import db
    from referral.search.index import POINTER, WhooshIndex

    if (Path(folder) / POINTER).exists():
        return
    with db.session() as session:
        stats = WhooshIndex(folder).rebuild(session)
    click.echo(f"Built the search index: {stats.documents} documents in {stats.seconds:.1f} s.")


# Referrals the demo makes up when it has none, so the analytics dashboard has content.
DEMO_REFERRALS = 2_000


def _ensure_referral_history() -> None:
    from datetime import UTC, datetime

    from sqlalchemy import select

    from referral import db
    from referral.analytics import synthetic
    from referral.referrals.models import Referral

    with db.session() as session, session.begin():
        if session.scalar(select(Referral.id).limit(1)) is not None:
            return
        made = synthetic.generate(session, DEMO_REFERRALS, datetime.now(UTC))
    if made:
        click.echo(f"Made up a history of {made} referrals for the analytics dashboard.")
