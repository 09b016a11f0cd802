"""``referral worker`` runs the due jobs (outbox, overdue referrals, follow-up
reminders) every few seconds; ``referral outbox`` shows what was sent or is stuck."""

from __future__ import annotations

import json
import logging
import signal
import time
from types import FrameType

import click
from flask import Flask
from sqlalchemy.orm import Session

from referral.accounts.models import aware, utcnow
from referral.cli import app_context
from referral.notify import jobs, outbox
from referral.notify.models import STATUSES
from referral.notify.settings import NotifySettings, from_config
from referral.notify.transports import Transport, TransportError, transports_for

log = logging.getLogger(__name__)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run every due job once and exit.")
@click.option(
    "--interval",
    type=click.IntRange(min=1),
    default=None,
    help="Seconds between rounds (default: REFERRAL_WORKER_INTERVAL or 30).",
)
def worker_command(once: bool, interval: int | None) -> None:
    """Send queued notifications, flag overdue referrals and remind case managers.

    Safe to run on several hosts at once against PostgreSQL; on SQLite run one."""
    with app_context() as app:
        settings, transports = prepare(app)
        pause = interval or settings.worker_interval
        stopping = [False] if once else _stop_on_signals()
        while True:
            report = run_round(app, settings, transports)
            if once or report.busy:  # a quiet round says nothing
                click.echo(f"{utcnow():%Y-%m-%d %H:%M:%S} {report.line()}")
            if once or _sleep(pause, stopping):
                return


def prepare(app: Flask) -> tuple[NotifySettings, dict[str, Transport]]:
    """The worker's settings and transports; a bad transport setting is a CLI error."""
    settings = from_config(app.config)
    try:
        return settings, transports_for(settings)
    except TransportError as exc:
        raise click.ClickException(str(exc)) from exc


def run_round(
    app: Flask, settings: NotifySettings, transports: dict[str, Transport]
) -> jobs.TickReport:
    """One round of every due job, in its own app context and session."""
    engine = app.extensions["referral.engine"]
    with app.app_context(), Session(engine, expire_on_commit=False) as session:
        return jobs.run_tick(session, settings, transports, utcnow())


def _stop_on_signals() -> list[bool]:
    """A flag set by SIGTERM/SIGINT, so a round in progress finishes before exit."""
    stopping = [False]

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopping[0] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    return stopping


def _sleep(seconds: int, stopping: list[bool]) -> bool:
    """Sleep in short steps; True when asked to stop."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if stopping[0]:
            return True
        time.sleep(min(0.5, deadline - time.monotonic()))
    return stopping[0]


@click.command("outbox")
@click.option("--status", type=click.Choice(STATUSES), help="Only messages in this state.")
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--retry-dead", is_flag=True, help="Give dead messages a fresh set of attempts.")
def outbox_command(status: str | None, limit: int, as_json: bool, retry_dead: bool) -> None:
    """List notification messages, newest first (no message bodies: they may hold PHI)."""
    with app_context():
        from referral import db

        session = db.session()
        if retry_dead:
            count = outbox.retry_dead(session, utcnow())
            session.commit()
            click.echo(f"{count} dead message(s) queued again")
            return
        for m in outbox.listing(session, status, limit):
            row = {
                "id": m.id,
                "status": m.status,
                "channel": m.channel,
                "to": m.to_address,
                "kind": m.kind,
                "attempts": m.attempts,
                "created_at": aware(m.created_at).isoformat(),
                "sent_at": aware(m.sent_at).isoformat() if m.sent_at else None,
                "last_error": m.last_error,
            }
            if as_json:
                click.echo(json.dumps(row))
            else:
                error = f"  {m.last_error}" if m.last_error else ""
                when = f"{aware(m.created_at):%Y-%m-%d %H:%M:%S}"
                click.echo(
                    f"{when}  {m.status:<7}  {m.channel:<5}  {m.kind:<22}  "
                    f"{m.to_address}  attempts={m.attempts}{error}"
                )
