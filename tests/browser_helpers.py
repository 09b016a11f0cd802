"""Helpers for the real-browser tests (Debian chromium driven by Playwright).

The fixtures ``demo_server``, ``browser`` and ``page`` live in conftest.py; this module
has what tests call on a page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from referral.accounts.demo import DEMO_USERS

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def demo_password(email: str) -> str:
    return next(user.password for user in DEMO_USERS if user.email == email)


def sign_in(page, base_url: str, email: str, password: str | None = None) -> None:  # noqa: ANN001
    """Sign in through the real form, as a person would."""
    page.goto(base_url + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password or demo_password(email))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_out(page) -> None:  # noqa: ANN001
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def other_hosts(requested: list[str], base_url: str) -> set[str]:
    """The hosts other than the app's own among the URLs a page requested."""
    own = urlsplit(base_url).netloc
    return {urlsplit(url).netloc for url in requested if urlsplit(url).netloc != own} - {""}
