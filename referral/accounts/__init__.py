"""Accounts, roles and the security baseline (issue 3).

``init_app`` wires sign-in (Flask-Login over server-side sessions and bearer tokens),
CSRF protection, login rate limits, security headers and the account pages.
Authorization decisions live in :mod:`referral.accounts.policy` and nowhere else.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from referral.accounts import api, auth, manage, security, views
    from referral.api import listings

    security.configure(app)
    app.extensions["referral.csrf"] = security.init_csrf(app)
    auth.init_login(app)
    for blueprint in (views.bp, manage.bp, api.bp, listings.bp):
        app.register_blueprint(blueprint)
    limiter = security.init_limiter(app)
    app.extensions["referral.limiter"] = limiter
    security.limit_login(app, limiter, "accounts.login_submit")
    app.after_request(security.set_headers)
