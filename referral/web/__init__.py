"""HTML pages (templates live in the top-level templates/ folder)."""

from __future__ import annotations

from flask import Flask


def register_web(app: Flask) -> None:
    from referral.web import directory, errors, listing_language

    listing_language.init_app(app)

    app.register_blueprint(directory.bp)
    from referral.web import search

    app.register_blueprint(search.bp)
    from referral.matching import match_web

    app.register_blueprint(match_web.bp)
    from referral.provider import edit_views as provider_edit_views
    from referral.provider import views as provider_views

    app.register_blueprint(provider_views.bp)
    app.register_blueprint(provider_edit_views.bp)
    from referral.provider import translation_views

    app.register_blueprint(translation_views.bp)
    from referral.web import inbox, referral_page

    app.register_blueprint(inbox.bp)
    app.register_blueprint(referral_page.bp)
    from referral.web import client_actions, clients, referrals_list, share

    app.register_blueprint(clients.bp)
    app.register_blueprint(client_actions.bp)
    from referral.web import client_merge

    app.register_blueprint(client_merge.bp)
    app.register_blueprint(referrals_list.bp)
    app.register_blueprint(share.bp)
    from referral.curation import review_views  # noqa: F401 - adds its routes to curation.bp
    from referral.curation import views as curation_views

    app.register_blueprint(curation_views.bp)
    from referral.analytics import web as analytics_web

    app.register_blueprint(analytics_web.bp)
    from referral.notify import views as notify_views

    app.register_blueprint(notify_views.bp)
    errors.register_error_pages(app)
