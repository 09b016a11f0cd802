"""The ``referral`` command.

Each subcommand lives beside the feature it drives and is imported only when used, so
``referral --help`` stays quick. Commands that need the database get an application
context from :func:`app_context`.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click
from flask import Flask

# name -> "module:attribute" of a click command.
COMMANDS: dict[str, str] = {
    "init": "referral.directory.commands:init_command",
    "db": "referral.directory.commands:db_group",
    "import": "referral.directory.hsds_import.command:import_command",
    "export": "referral.directory.hsds_export:export_command",
    "seed": "referral.directory.seed:seed_command",
    "serve": "referral.serve:serve_command",
    "demo": "referral.serve:demo_command",
    "user": "referral.accounts.commands:user_group",
    "token": "referral.accounts.commands:token_group",
    "search": "referral.search.commands:search_command",
    "reindex": "referral.search.commands:reindex_command",
    "bench": "referral.search.commands:bench_group",
    "report": "referral.analytics.commands:report_command",
    "seed-referrals": "referral.analytics.commands:seed_referrals_command",
    "check": "referral.matching.commands:check_command",
    "eval-extraction": "referral.matching.commands:eval_extraction_command",
    "match": "referral.matching.match_commands:match_command",
    "eval": "referral.matching.match_commands:eval_command",
    "train": "referral.matching.match_commands:train_command",
    "dedupe": "referral.curation.commands:dedupe_command",
    "dedupe-eval": "referral.curation.commands:dedupe_eval_command",
    "verify-campaign": "referral.curation.commands:verify_campaign_command",
    "worker": "referral.notify.commands:worker_command",
    "outbox": "referral.notify.commands:outbox_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@contextmanager
def app_context(**overrides: Any) -> Iterator[Flask]:
    """The application (settings from REFERRAL_* variables) with its context pushed."""
    from referral import create_app

    try:
        app = create_app(overrides or None)
    except ValueError as exc:  # a malformed REFERRAL_* setting
        raise click.ClickException(str(exc)) from exc
    with app.app_context():
        yield app


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Settings come from REFERRAL_* environment variables; see README.md.",
)
@click.version_option(package_name="referral")
def main() -> None:
    """referral: an open resource directory and referral matching service.

    \b
    Getting started:
      referral demo              create the database, load the sample directory, serve it
      referral init              create or upgrade the database schema
      referral import PATH       load HSDS data (JSON file, CSV package folder or zip)
      referral export --format json|csv OUT
    """


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
