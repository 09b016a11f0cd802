"""What the pages promise without a browser: a CSP that refuses inline script and
style, templates that need neither, and the header's skip link and language switch."""

from __future__ import annotations

import re

import pytest
from conftest import PROJECT_ROOT

TEMPLATES = sorted((PROJECT_ROOT / "templates").rglob("*.html"))
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def test_the_content_security_policy_refuses_inline_style_and_script(client, session):
    csp = directives(client.get("/"))
    assert csp["style-src"] == "style-src 'self'"
    assert csp["script-src"] == "script-src 'self'"
    assert "unsafe-inline" not in client.get("/search").headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_templates_carry_no_inline_style_or_script(path):
    text = path.read_text(encoding="utf-8")
    assert not INLINE_STYLE.search(text), "move the rules to static/site.css"
    assert not INLINE_SCRIPT.search(text), "move the script to static/*.js"


def test_the_header_has_a_skip_link_and_a_language_switch_with_lang_attributes(client, session):
    html = client.get("/").get_data(as_text=True)
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    assert '<main id="main"' in html
    switch = html[html.index('class="language-switch"') :]
    switch = switch[: switch.index("</nav>")]
    assert '<span lang="en" aria-current="true">English</span>' in switch
    assert 'href="/?lang=es" lang="es" hreflang="es">Español</a>' in switch


def test_the_stylesheet_gives_keyboard_focus_a_visible_ring():
    css = (PROJECT_ROOT / "static" / "site.css").read_text(encoding="utf-8")
    rule = css[css.index(":focus-visible {") :]
    assert "outline: 3px solid" in rule[: rule.index("}")]
