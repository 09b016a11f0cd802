"""A data table that turns into cards on a phone is still a table to a screen reader.

Below 48em site.css gives a .stack-table's parts `display: block`; Safari with
VoiceOver (and Chrome at times) then stops exposing the table, so site.js puts the
roles back explicitly. The Debian Chromium here keeps the semantics on its own, so the
test reads both its real accessibility tree and the roles that Safari needs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def accessibility_tree(page) -> list[tuple[str, str]]:  # noqa: ANN001
    """(role, name) of every exposed node, as Chromium hands it to assistive technology."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    return [
        (node["role"]["value"], node.get("name", {}).get("value", ""))
        for node in nodes
        if not node.get("ignored")
    ]


def test_a_stack_table_on_a_360_pixel_phone_is_still_a_table_with_rows_and_cells(page, demo_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(demo_server.url + "/api/docs")
    table = page.locator("table.stack-table").first
    expect(table).to_be_visible()
    assert table.evaluate("(t) => getComputedStyle(t).display") == "block"  # cards, really
    expect(table).to_have_attribute("role", "table")
    for part, role in (("tbody", "rowgroup"), ("tbody tr", "row"), ("td", "cell")):
        expect(table.locator(part).first).to_have_attribute("role", role)
    expect(table.locator("thead th").first).to_have_attribute("role", "columnheader")
    expect(table.locator("tbody th").first).to_have_attribute("role", "rowheader")
    tree = accessibility_tree(page)
    roles = [role for role, _ in tree]
    assert ("table", "Parameters") in tree
    assert roles.count("row") >= 2 and "cell" in roles and "columnheader" in roles
    named = page.get_by_role("table", name="Parameters").first
    expect(named.get_by_role("row").nth(1)).to_be_visible()
    expect(named.get_by_role("cell").first).to_be_visible()
