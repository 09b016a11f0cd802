"""HTML pages (templates live in the top-level templates/ folder)."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from referral.web import directory

    app.register_blueprint(directory.bp)
