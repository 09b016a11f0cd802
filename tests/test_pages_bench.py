"""``referral bench pages``: the timing of one page, the report, and the command."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from referral.cli import main
from referral.directory.models import Organization, Service
from referral.web import page_bench


def test_timing_a_page_requests_each_path_and_reports_percentiles(client, session):
    org = Organization(name="Harbor Food Bank", description="Food.")
    service = Service(name="Weekend Groceries", organization=org, status="active")
    session.add(service)
    session.flush()
    paths = ["/", f"/services/{service.id}"]
    timing = page_bench.time_page(client, "browse", paths, repeat=3)
    assert timing.page == "browse" and timing.path == "/"
    assert 0 < timing.p50_ms <= timing.p95_ms <= timing.max_ms
    assert timing.cpu_p50_ms > 0


def test_a_page_that_does_not_answer_200_stops_the_bench(client, session):
    with pytest.raises(RuntimeError, match="/services/missing answered 404"):
        page_bench.time_page(client, "service", ["/services/missing"], repeat=1)


def test_the_report_flags_pages_over_the_target():
    fast = page_bench.PageTiming("browse", "/", 40.0, 80.0, 90.0, 35.0)
    slow = page_bench.PageTiming("search", "/search?q=food", 150.0, 260.0, 300.0, 120.0)
    report = page_bench.describe([fast, slow])
    assert "target < 200 ms at p95" in report
    assert report.splitlines()[1].endswith("ok")
    assert report.splitlines()[2].endswith("SLOW")
    assert page_bench.to_dicts([slow])[0]["within_target"] is False


def test_the_command_refuses_a_repeat_below_one(cli_env):
    result = CliRunner().invoke(main, ["bench", "pages", "--repeat", "0"], env=cli_env)
    assert result.exit_code == 2
    assert "--repeat must be at least 1" in result.output


def test_every_page_is_timed_in_english_and_in_spanish(session):
    wanted = page_bench.pages(session)
    names = {name.rsplit(" ", 1)[0] for name in wanted}
    assert {f"{n} {lang}" for n in names for lang in ("en", "es")} == set(wanted)
    assert all(p.endswith("lang=es") for p in wanted["search es"])
    assert wanted["browse en"][0] == "/?lang=en"
