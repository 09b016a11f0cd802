"""Charts drawn on the server as SVG with matplotlib (the Agg-free SVG backend; no
JavaScript, nothing fetched). Each chart draws one analytics table, already
suppressed where it must be, so a hidden cell is never drawn: its bar is left out
and labelled. The page shows the same table beside the chart as its text alternative.
"""

from __future__ import annotations

import io
from typing import Any

from flask_babel import gettext as _
from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from referral.analytics.privacy import shown
from referral.analytics.tables import Table

# Text stays text in the SVG (selectable, and no glyph outlines to download).
STYLE: dict[str, Any] = {"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 10}
INK, ACCENT, MUTED = "#1f2933", "#1d6fa5", "#7b8794"
WIDTH, HEIGHT = 6.4, 3.2  # inches at 100 dpi: 640 x 320 px, scaled down on phones
MOST_BARS = 12


def _svg(figure: Figure) -> bytes:
    out = io.BytesIO()
    FigureCanvasSVG(figure).print_svg(out)
    return out.getvalue()


def _figure(height: float = HEIGHT) -> tuple[Figure, Any]:
    figure = Figure(figsize=(WIDTH, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=INK)
    return figure, axes


def _value(row: dict[str, Any], key: str) -> float | None:
    value = row.get(key)
    return float(value) if value is not None and shown(value) else None


def bars(table: Table, label_key: str, value_key: str, title: str) -> bytes:
    """Horizontal bars, largest first; a hidden value is drawn as a '<11' note."""
    rows = table.rows[:MOST_BARS]
    with rc_context(STYLE):  # type: ignore[arg-type]  # matplotlib types its keys as literals
        figure, axes = _figure(max(1.6, 0.35 * len(rows) + 1.0))
        labels = [str(r[label_key]) for r in rows][::-1]
        values = [_value(r, value_key) for r in rows][::-1]
        axes.barh(labels, [v or 0 for v in values], color=ACCENT)
        for y, (value, row) in enumerate(zip(values, rows[::-1], strict=True)):
            note = f"{value:g}" if value is not None else str(row.get(value_key) or "")
            axes.annotate(
                note,
                (value or 0, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                color=INK if value is not None else MUTED,
            )
        axes.set_title(title, loc="left", color=INK)
        if not rows:
            axes.text(0.5, 0.5, _("No data for this period"), ha="center", transform=axes.transAxes)
        return _svg(figure)


def funnel(table: Table) -> bytes:
    row = table.rows[0] if table.rows else {}
    stages = [
        ("requested", _("Requested")),
        ("accepted", _("Accepted")),
        ("completed", _("Completed")),
    ]
    shaped = table.replaced(rows=[{"label": name, "value": row.get(key)} for key, name in stages])
    return bars(shaped, "label", "value", _("Referrals: requested, accepted, completed"))


def monthly(table: Table) -> bytes:
    rows = sorted(table.rows, key=lambda r: str(r["label"]))
    with rc_context(STYLE):  # type: ignore[arg-type]  # matplotlib types its keys as literals
        figure, axes = _figure()
        months = [str(r["label"]) for r in rows]
        for key, name, colour in (("sent", _("Sent"), ACCENT), ("got_help", _("Got help"), INK)):
            values = [_value(r, key) for r in rows]
            axes.plot(
                months,
                [v if v is not None else float("nan") for v in values],
                marker="o",
                color=colour,
                label=name,
            )
        axes.set_title(_("Referrals sent and got help, by month"), loc="left", color=INK)
        axes.tick_params(axis="x", labelrotation=45)
        axes.set_ylim(bottom=0)
        axes.legend(frameon=False)
        return _svg(figure)


def need(table: Table) -> bytes:
    return bars(table, "label", "sent", _("Referrals sent, by need"))


def reasons(table: Table) -> bytes:
    return bars(table, "label", "rejected", _("Declined referrals, by reason"))


# chart name -> (table it draws, function)
CHARTS = {
    "funnel": ("funnel", funnel),
    "monthly": ("by-month", monthly),
    "need": ("by-need", need),
    "reasons": ("rejections", reasons),
}
