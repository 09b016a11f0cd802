"""referral: an open resource directory and referral matching service."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from flask import Flask

from referral import config, db

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: Mapping[str, object] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    overrides = config.from_environ()
    overrides.update(test_config or {})
    app.config.from_mapping(config.resolve(overrides))
    db.init_app(app)

    from referral import i18n

    i18n.init_app(app)

    from referral.api import register_api
    from referral.web import register_web

    register_web(app)
    register_api(app)

    from referral import accounts

    accounts.init_app(app)
    return app
