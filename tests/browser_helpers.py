"""Helpers for the real-browser tests (Debian chromium driven by Playwright).

The fixtures ``demo_server``, ``browser`` and ``page`` live in conftest.py; this module
has what tests call on a page.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    click_and_wait(page, page.get_by_role("button", name="Sign in"))


def sign_out(page) -> None:  # noqa: ANN001
    click_and_wait(page, page.get_by_role("button", name="Sign out"))


def click_and_wait(page, target) -> None:  # noqa: ANN001
    """Click what loads a page (a link, a submit button) and wait until the new page has
    loaded. ``wait_for_load_state()`` after a click returns at once while the old page is
    still there, so what a test read next could be the old page (that raced in CI)."""
    with page.expect_navigation():
        target.click()


def page_through_to(page, wanted, *, limit: int = 20):  # noqa: ANN001, ANN201
    """Follow a list's Next link until ``wanted`` (a locator) is on the page, and return
    it. The tests of a worker share one demo server and fill the same lists (the
    synthetic analytics history adds dozens of open referrals), so a row a test has just
    made is not always on the first page."""
    for _ in range(limit):
        following = page.locator("a[rel=next]")
        if wanted.count() or not following.count():
            break
        click_and_wait(page, following.first)
    return wanted


def other_hosts(requested: list[str], base_url: str) -> set[str]:
    """The hosts other than the app's own among the URLs a page requested."""
    own = urlsplit(base_url).netloc
    return {urlsplit(url).netloc for url in requested if urlsplit(url).netloc != own} - {""}


# Keyboard only -----------------------------------------------------------------------

# What a keyboard user sees of the focused element: its name (as a screen reader would
# roughly say it), whether it is on screen, and the focus indicator drawn around it.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const labels = el.labels ? Array.from(el.labels).map((l) => l.innerText.trim()) : [];
  const text = (el.innerText || "").trim().replace(/\\s+/g, " ");
  const value = el.tagName === "SELECT" ? (el.selectedOptions[0] || {}).text || ""
    : ("value" in el ? String(el.value) : "");
  return {
    tag: el.tagName.toLowerCase(), id: el.id, type: el.getAttribute("type") || "",
    label: el.getAttribute("aria-label") || labels[0] || "", text: text, value: value,
    checked: el.checked === true, href: el.getAttribute("href") || "",
    in_main: el.closest("main") !== null,
    group: ((el.closest("fieldset") || {}).querySelector?.("legend") || {}).innerText || "",
    outline: style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth),
    shadow: style.boxShadow, background: style.backgroundColor,
    on_screen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
      && box.top < window.innerHeight && box.left < window.innerWidth
      && style.visibility !== "hidden",
  };
}"""


@dataclass(frozen=True)
class Focused:
    tag: str
    id: str
    type: str
    label: str  # aria-label, else the first <label>
    text: str  # the element's own text (links, buttons, summaries)
    value: str  # a field's value; a select's chosen option text
    checked: bool
    href: str
    in_main: bool  # inside <main>, not the header's or footer's
    group: str  # the legend of the fieldset around it
    outline: float  # px; 0 when there is no outline
    shadow: str
    background: str
    on_screen: bool

    @property
    def name(self) -> str:
        return self.label or self.text or (self.value if self.type == "submit" else "")


def focused(page) -> Focused | None:  # noqa: ANN001
    found = page.evaluate(_FOCUSED)
    return Focused(**found) if found else None


def assert_focus_shows(page, now: Focused | None = None) -> Focused:  # noqa: ANN001
    """The focused element is on screen and wears a focus indicator a sighted keyboard
    user can see: an outline of at least 2 px or a halo (box shadow)."""
    now = now or focused(page)
    assert now is not None, "nothing has focus"
    assert now.on_screen, f"the focused {now.tag} {now.name!r} is off screen"
    assert now.outline >= 2 or now.shadow != "none", (
        f"the focused {now.tag} {now.name!r} has no visible focus indicator"
    )
    return now


def tab_to(page, wanted, *, limit: int = 80, back: bool = False) -> Focused:  # noqa: ANN001
    """Press Tab (Shift+Tab with ``back``) until the focused element is the one wanted:
    a name (exact; in <main> when main has one by that name), or a predicate over
    :class:`Focused`. Fails after ``limit`` presses, which is also how a keyboard trap
    shows. Checks the focus is visible at every stop on the way."""
    if callable(wanted):
        matches = wanted
    else:
        in_main = page.locator("main").get_by_text(wanted, exact=True).count() > 0
        matches = lambda f: f.name == wanted and (f.in_main or not in_main)  # noqa: E731
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = assert_focus_shows(page, focused(page))
        if matches(now):
            return now
        seen.append(f"{now.tag}:{now.name[:30]}" if now else "-")
    raise AssertionError(f"no {wanted!r} within {limit} presses; focus went {seen[-15:]}")


def type_into(page, wanted, text: str, **tab) -> Focused:  # noqa: ANN001
    """Tab to a field and type into it, as a person would."""
    arrived = tab_to(page, wanted, **tab)
    page.keyboard.type(text)
    return arrived


def choose(page, option: str, *, limit: int = 60) -> None:  # noqa: ANN001
    """On the focused (closed) select, arrow down from the first option to ``option``."""
    page.keyboard.press("Home")
    for _ in range(limit):
        if focused(page).value == option:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {option!r} in the focused select")


def arrow_to(page, name: str, key: str = "ArrowUp", *, limit: int = 10) -> None:  # noqa: ANN001
    """In a radio group, arrow to the radio named ``name``: it is focused and checked."""
    for _ in range(limit):
        now = focused(page)
        if now.name == name:
            assert now.checked, f"{name!r} has focus but is not checked"
            assert_focus_shows(page)
            return
        page.keyboard.press(key)
    raise AssertionError(f"no {name!r} in the radio group")


def press_and_wait(page, key: str = "Enter") -> None:  # noqa: ANN001
    """Press a key that navigates (a link, a submit button) and wait for the new page."""
    with page.expect_navigation():
        page.keyboard.press(key)
    page.wait_for_load_state()


def sign_in_by_keyboard(page, base_url: str, email: str) -> None:  # noqa: ANN001
    """From the home page to signed in, without the mouse."""
    page.goto(base_url + "/")
    tab_to(page, "Sign in")
    press_and_wait(page)
    type_into(page, "Email", email)
    type_into(page, "Password", demo_password(email))
    press_and_wait(page)  # Enter in a field submits its form
