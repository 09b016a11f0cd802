import threading
import time
from pathlib import Path

from click.testing import CliRunner

from referral import serve
from referral.cli import main


def test_demo_loads_the_sample_builds_the_index_and_then_serves(cli_env, monkeypatch):
    served = []
    monkeypatch.setattr(serve, "_serve", lambda *args, **kw: served.append((*args, kw)))
    result = CliRunner().invoke(main, ["demo", "--port", "5999"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Loaded the sample directory: 357 services" in result.output
    assert "Built the search index" in result.output
    index = Path(cli_env["REFERRAL_INSTANCE_DIR"]) / "search-index" / "CURRENT"
    assert index.exists()
    # The demo runs the worker's rounds beside the app; `referral serve` does not.
    assert served == [(None, 5999, None, {"with_worker": True})]

    again = CliRunner().invoke(main, ["demo"], env=cli_env)
    assert again.exit_code == 0, again.output
    assert "already has data" in again.output
    assert "Built the search index" not in again.output


def test_serve_rejects_a_port_out_of_range(cli_env):
    result = CliRunner().invoke(main, ["serve", "--port", "70000"], env=cli_env)
    assert result.exit_code == 2
    assert "--port" in result.output


def test_the_demo_worker_thread_delivers_queued_mail_to_the_outbox_folder(tmp_path):
    from sqlalchemy.orm import Session

    from referral import create_app, db, notify

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "WORKER_INTERVAL": 1,
        }
    )
    engine = app.extensions["referral.engine"]
    db.upgrade(engine)
    with app.app_context(), Session(engine) as session, session.begin():
        notify.enqueue(
            session,
            channel="email",
            to="someone@example.org",
            subject="Hello",
            body="A test message",
            kind="test",
        )
    stop = threading.Event()
    worker = serve._start_worker_thread(app, stop)
    outbox = tmp_path / "instance" / "outbox"
    # Until the message is written out, not only its file created (that comes first),
    # with time to spare for a thread scheduled late on a busy machine.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        written = [p.read_text() for p in outbox.iterdir()] if outbox.is_dir() else []
        if any("someone@example.org" in text for text in written):
            break
        time.sleep(0.1)
    assert len(written) == 1 and "someone@example.org" in written[0]
    stop.set()
    worker.join(timeout=5)
    engine.dispose()
