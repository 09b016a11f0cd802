"""HTML pages (templates live in the top-level templates/ folder)."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from referral.web import directory, errors

    app.register_blueprint(directory.bp)
    from referral.web import search

    app.register_blueprint(search.bp)
    from referral.matching import match_web

    app.register_blueprint(match_web.bp)
    errors.register_error_pages(app)
