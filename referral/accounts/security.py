"""Web security baseline: CSRF on forms, login rate limits, response headers and
cookie flags. Wired by ``referral.accounts.init_app``."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_login import current_user
from flask_wtf.csrf import CSRFProtect

from referral import db
from referral.accounts import audit
from referral.api.problems import API_PREFIXES

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

# Scripts, styles and images only from this site; no plugins, no framing (ASVS
# 14.4.3, 14.4.7). No inline scripts, <style> blocks or style attributes: every rule
# lives in static/site.css, so injected markup cannot restyle a page (clickjacking a
# button, hiding a warning). Override with REFERRAL_CONTENT_SECURITY_POLICY.
DEFAULT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# Failed sign-ins allowed, per client address and per account (ASVS 2.2.1).
DEFAULT_LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
HSTS = "max-age=31536000; includeSubDomains"

SETTING_DEFAULTS: dict[str, Any] = {
    "SESSION_IDLE_MINUTES": 30,
    "SESSION_MAX_HOURS": 12,
    "RATELIMIT_STORAGE_URL": "memory://",
    "LOGIN_RATE_LIMIT": DEFAULT_LOGIN_RATE_LIMIT,
    "CONTENT_SECURITY_POLICY": DEFAULT_CSP,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Forms carry a CSRF token, but the check of the token's lifetime would make a
    # form left open over lunch fail; the session's idle timeout already bounds it.
    "WTF_CSRF_TIME_LIMIT": None,
    # CSRF is checked by _check_csrf below, which knows the API prefixes.
    "WTF_CSRF_CHECK_DEFAULT": False,
}


def configure(app: Flask) -> None:
    for name, value in SETTING_DEFAULTS.items():
        if app.config.get(name) is None:  # Flask presets some of these to None
            app.config[name] = value
    secure = app.config.get("COOKIE_SECURE")
    if secure is None:
        secure = not _is_loopback(str(app.config.get("HOST", "")))
    app.config["SESSION_COOKIE_SECURE"] = bool(secure)
    if secure and not app.config.get("SESSION_COOKIE_DOMAIN"):
        # Browsers accept a __Host- cookie only if Secure, host-only and for path /,
        # so a sibling subdomain cannot plant or overwrite it (ASVS 3.4.4).
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"


def _is_loopback(host: str) -> bool:
    """Serving on the loopback address is a developer's machine over plain HTTP;
    anywhere else the app sits behind TLS and cookies must say Secure."""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def init_csrf(app: Flask) -> CSRFProtect:
    csrf = CSRFProtect(app)

    @app.before_request
    def _check_csrf() -> None:
        if request.method in SAFE_METHODS or not app.config.get("WTF_CSRF_ENABLED", True):
            return
        if request.path.startswith(API_PREFIXES):
            return  # the API takes no cookie credentials for writes: see auth._load_user
        csrf.protect()

    return csrf


def init_limiter(app: Flask) -> Limiter:
    return Limiter(
        get_remote_address,
        app=app,
        storage_uri=str(app.config["RATELIMIT_STORAGE_URL"]),
        key_prefix="referral",
        headers_enabled=True,
    )


def limit_login(app: Flask, limiter: Limiter, endpoint: str) -> None:
    """Count failed sign-ins (anything but the success redirect) per address and per
    account; over the limit the form answers 429 until the window passes."""
    view: Any = app.view_functions[endpoint]
    failed: Callable[[Response], bool] = lambda response: response.status_code != 303  # noqa: E731
    rate = str(app.config["LOGIN_RATE_LIMIT"])
    for key in (get_remote_address, _login_account):
        view = limiter.limit(
            rate, key_func=key, methods=["POST"], deduct_when=failed, on_breach=_breached
        )(view)
    app.view_functions[endpoint] = view


def _login_account() -> str:
    return "account:" + request.form.get("email", "").strip().lower()


def _breached(limit: RequestLimit) -> None:
    session = db.session()
    audit.record(
        session,
        audit.Context(actor="anonymous", ip_address=request.remote_addr),
        audit.LOGIN_RATE_LIMITED,
        email=request.form.get("email", "")[:254],
        limit=str(limit.limit),
    )
    session.commit()


def set_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    if _signed_in() and "Cache-Control" not in headers:
        # Anything shown to a signed-in user may carry client data (ASVS 8.2.1).
        headers["Cache-Control"] = "no-store"
    return response


def _signed_in() -> bool:
    try:
        return bool(current_user.is_authenticated)
    except RuntimeError:  # outside a request that has a login manager
        return False


def no_store(view: Callable[..., Any]) -> Callable[..., Any]:
    """For views that show client data whoever asks: never cached (ASVS 8.2.1)."""
    from functools import wraps

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        response = current_app.make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    return wrapper
