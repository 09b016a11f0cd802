"""No English on a Spanish page: every main page of every role, opened in Spanish in a
real Chromium, is read text node by text node (and the labels people perceive without
seeing them: aria-label, title, placeholder, alt). Text inside an element whose ``lang``
is not Spanish is the listing's own words, marked as such, and is left alone; anything
else that reads as English fails, with the page and the text in the message.

"Reads as English": it holds a word from a short list of English words that Spanish
does not have (``ENGLISH_WORDS``), or it is exactly a message of the catalog whose
Spanish differs (a button left untranslated says "Save", not "Guardar")."""

from __future__ import annotations

import re
from functools import cache

import pytest
import test_a11y_pages as a11y
from babel.messages.pofile import read_po
from test_a11y_pages import MAIN_PAGES, NAME, MainPage, open_page

from referral import PROJECT_ROOT

pytestmark = pytest.mark.browser
# The pages, users and objects of the accessibility test (a busy case, a suggestion,
# a duplicate pair), arranged the same way.
sample_ids = a11y.sample_ids

# English words that are not Spanish words too ("no", "a", "me", "son", "sin" are left
# out for that reason), chosen to be in almost any English sentence or UI label.
# "referral" is not one: it is the application's name.
ENGLISH_WORDS = frozenset((
    "the", "and", "of", "for", "with", "your", "you", "this", "that", "these", "those", "is",
    "are", "was", "were", "been", "be", "not", "from", "to", "by", "at", "on", "it", "its",
    "have", "has", "had", "will", "would", "can", "could", "should", "please", "here", "there",
    "which", "what", "when", "who", "how", "all", "any", "more", "than", "then", "into",
    "about", "after", "before", "only", "also", "our", "their", "they", "them", "we", "us",
    "if", "or", "but", "nothing", "something", "anything", "every", "each", "open", "closed",
    "call", "hours", "today", "yesterday", "tomorrow", "week", "month", "year", "day", "days",
    "search", "sign", "save", "edit", "back", "next", "previous", "view", "show", "new",
    "none", "yes", "send", "help", "add", "remove", "delete", "cancel", "clear", "filter",
    "filters", "results", "result", "page", "pages", "service", "services", "client",
    "clients", "need", "needs",
))  # fmt: skip
# Names that read as English but are names in both languages.
NAMES = frozenset({"Open Referral", "HSDS", "OpenAPI", "Medicaid", "Medicare", "SNAP", "WIC"})
# What the people in the test fixture typed (sample_ids in test_a11y_pages): free text a
# user wrote in their own words, not the app's; a page cannot know its language.
USER_WRITTEN = (
    "Called the client; she comes Monday.",
    "Needs groceries this week.",
    "No food at home",
    "Open late on Thursdays.",
    "Free; a donation of canned goods is welcome.",
    "A neighbour",
)
# The text of the page as people meet it: text nodes outside <script>/<style>, and the
# labels a screen reader or a hover gives. Each with the nearest ``lang`` above it.
# Commands and field names (<code>) are names, not words.
_TEXTS = """() => {
  const found = [];
  const langOf = (el) => ((el.closest("[lang]") || {}).getAttribute?.("lang") || "").toLowerCase();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (!text || !el || el.closest("script, style, template, noscript, code, kbd, samp")) continue;
    found.push([text, langOf(el)]);
  }
  const labelled = "[aria-label], [title], [placeholder], img[alt]";
  for (const el of document.body.querySelectorAll(labelled)) {
    for (const name of ["aria-label", "title", "placeholder", "alt"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) found.push([value, langOf(el)]);
    }
  }
  const title = document.title.trim();
  if (title) found.push([title, langOf(document.documentElement)]);
  const marked = Array.from(document.body.querySelectorAll("[lang]"))
    .filter((el) => !el.getAttribute("lang").toLowerCase().startsWith("es"))
    .map((el) => el.textContent.replace(/\\s+/g, " ").trim());
  return {found: found, marked: marked};
}"""
# Shorter marked text could be a word of a sentence of ours: it is not taken out.
MARKED_MIN = 6
WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
# Field and table names ("service.organization_id", "got_help_rate") are names, not words.
IDENTIFIER = re.compile(r"\b\w+(?:[._]\w+)+\b")


@cache
def untranslated_messages() -> frozenset[str]:
    """The catalog's English messages whose Spanish is different (and long enough to
    be telling): on a Spanish page, one of them alone is a string left in English."""
    path = PROJECT_ROOT / "translations" / "es" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        catalog = read_po(po)
    found = set()
    for message in catalog:
        if not isinstance(message.id, str) or not isinstance(message.string, str):
            continue
        if "%" in message.id or len(message.id) < 4 or message.string == message.id:
            continue
        found.add(message.id.strip())
    return frozenset(found)


def english_in(text: str) -> str | None:
    """Why ``text`` reads as English, or None."""
    for name in NAMES:
        text = text.replace(name, " ")
    text = IDENTIFIER.sub(" ", text)
    if text.strip() in untranslated_messages():
        return "an English message of the catalog"
    words = {w.lower() for w in WORD.findall(text)}
    hits = sorted(words & ENGLISH_WORDS)
    return f"English words {hits}" if hits else None


def english_on_page(page) -> list[str]:  # noqa: ANN001
    """The page's texts that read as English. Listing text the page marks somewhere (a
    service's name in its heading) is the listing's in places that cannot hold a mark
    too: the <title>, a plain-text message to the client."""
    seen = page.evaluate(_TEXTS)
    marked = sorted({t for t in seen["marked"] if len(t) >= MARKED_MIN}, key=len, reverse=True)
    found = []
    for text, lang in seen["found"]:
        if lang and not lang.startswith("es"):
            continue  # the listing's own words, marked with their language
        if any(written in text for written in USER_WRITTEN):
            continue
        rest = text
        for listing_text in marked:
            rest = rest.replace(listing_text, " ")
        why = english_in(rest)
        if why:
            found.append(f"{text!r} ({why})")
    return list(dict.fromkeys(found))


# The API reference is written for developers, in English, like the OpenAPI file.
SPANISH_PAGES = tuple(m for m in MAIN_PAGES if m.name != "api-docs")


@pytest.mark.parametrize("main", SPANISH_PAGES, ids=NAME)
def test_main_pages_in_spanish_have_no_english_outside_the_listings_words(
    page, demo_server, sample_ids, main: MainPage
):
    open_page(page, demo_server, sample_ids, main, "es")  # Spanish by the lang cookie
    assert page.locator("html").get_attribute("lang") == "es"
    english = english_on_page(page)
    assert not english, f"English on the Spanish page {main.name} ({main.path}):\n" + "\n".join(
        english
    )


def test_the_detector_finds_english_and_leaves_spanish_alone():
    assert english_in("Call for hours") is not None
    assert english_in("Save") is not None  # the catalog's "Guardar"
    assert english_in("Sign in with your email") is not None
    assert english_in("Llame para confirmar el horario de la ficha") is None
    assert english_in("No hay servicios a menos de 5 km de 21201") is None
    assert english_in("Open Referral HSDS 3.0") is None
    assert english_in("5 en service.organization_id") is None
