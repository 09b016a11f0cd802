from pathlib import Path

from click.testing import CliRunner

from referral import serve
from referral.cli import main


def test_demo_loads_the_sample_builds_the_index_and_then_serves(cli_env, monkeypatch):
    served = []
    monkeypatch.setattr(serve, "_serve", lambda *args: served.append(args))
    result = CliRunner().invoke(main, ["demo", "--port", "5999"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "Loaded the sample directory: 357 services" in result.output
    assert "Built the search index" in result.output
    index = Path(cli_env["REFERRAL_INSTANCE_DIR"]) / "search-index" / "CURRENT"
    assert index.exists()
    assert served == [(None, 5999, None)]

    again = CliRunner().invoke(main, ["demo"], env=cli_env)
    assert again.exit_code == 0, again.output
    assert "already has data" in again.output
    assert "Built the search index" not in again.output


def test_serve_rejects_a_port_out_of_range(cli_env):
    result = CliRunner().invoke(main, ["serve", "--port", "70000"], env=cli_env)
    assert result.exit_code == 2
    assert "--port" in result.output
