"""JSON API (/api/v1) and the HSDS API (/hsds). Errors are RFC 9457 problem+json."""

from __future__ import annotations

from flask import Flask

from referral.api.problems import register_problem_handlers


def register_api(app: Flask) -> None:
    register_problem_handlers(app)
    from referral.api import hsds

    app.register_blueprint(hsds.bp)
    from referral.search import api as search_api

    app.register_blueprint(search_api.bp)
    from referral.matching import api as matching_api

    app.register_blueprint(matching_api.bp)
    from referral.matching import match_api

    app.register_blueprint(match_api.bp)
    from referral.referrals import api as referrals_api
    from referral.referrals import clients_api

    app.register_blueprint(referrals_api.bp)
    app.register_blueprint(clients_api.bp)
    from referral.api import openapi

    app.register_blueprint(openapi.bp)
    from referral.analytics import api as analytics_api

    app.register_blueprint(analytics_api.bp)
