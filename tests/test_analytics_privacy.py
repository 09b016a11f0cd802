"""Small-cell suppression: no count from 0 to 10 is ever shown exactly outside the
owning organization, and no hidden cell can be recovered from a total."""

from __future__ import annotations

from referral.analytics import privacy
from referral.analytics.tables import Column, Table

COLUMNS = (
    Column("label", "Group", "label"),
    Column("sent", "Sent"),
    Column("got_help", "Got help"),
    Column("got_help_rate", "Got-help rate", "rate", ("got_help", "sent")),
    Column("hours", "Median hours", "hours", ("sent",)),
)


def row(label, sent, got_help, hours=5.0):
    return {
        "label": label,
        "sent": sent,
        "got_help": got_help,
        "got_help_rate": got_help / sent if sent else None,
        "hours": hours,
    }


def test_counts_below_eleven_are_shown_as_less_than_eleven_and_zero_too():
    table = Table("t", "T", COLUMNS, [row("a", 40, 0), row("b", 10, 5), row("c", 11, 11)])
    out = privacy.suppress(table).rows
    assert out[0]["got_help"] == "<11"
    assert out[1]["sent"] == "<11" and out[1]["got_help"] == "<11"
    assert out[2]["sent"] == 11


def test_a_part_whose_complement_is_small_is_hidden_with_its_rate():
    # 200 sent, 195 got help: showing both reveals that 5 did not.
    out = privacy.suppress(Table("t", "T", COLUMNS, [row("a", 200, 195)])).rows[0]
    assert out["sent"] == 200
    assert out["got_help"] == "suppressed"
    assert out["got_help_rate"] == "suppressed"


def test_a_single_hidden_row_forces_a_second_so_the_total_cannot_reveal_it():
    rows = [row("a", 100, 50), row("b", 60, 30), row("c", 4, 2)]
    total = row("All", 164, 82)
    out = privacy.suppress(Table("t", "T", COLUMNS, rows, total))
    sent = [r["sent"] for r in out.rows]
    assert sent == [100, "suppressed", "<11"]
    assert out.total["sent"] == 164
    assert [r["got_help"] for r in out.rows] == [50, "suppressed", "<11"]


def test_times_resting_on_fewer_than_eleven_values_are_hidden():
    out = privacy.suppress(Table("t", "T", COLUMNS, [row("a", 8, 0, hours=3.5)])).rows[0]
    assert out["hours"] == "suppressed"


def test_no_exact_small_number_survives_in_any_cell():
    rows = [row(str(i), i, i // 2) for i in range(0, 30)]
    total = row("All", sum(range(30)), sum(i // 2 for i in range(30)))
    out = privacy.suppress(Table("t", "T", COLUMNS, rows, total))
    for r in [*out.rows, out.total]:
        for key in ("sent", "got_help"):
            assert not (isinstance(r[key], int) and r[key] < 11)
