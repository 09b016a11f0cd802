"""Migration 0017: the English phrases stored in ``duplicate_candidate.reasons`` become
codes with parameters and, on downgrade, the same phrases again."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import select
from test_curation_reasons import EVERY_KIND

from referral.curation.models import DuplicateCandidate
from referral.curation.reason_codes import Reason
from referral.curation.scoring import score_pair
from referral.db import MIGRATIONS_DIR

# Rows as the scorer wrote them before 0017 (its output for test_curation_reasons'
# EVERY_KIND), with a phrase no version wrote and a row with no reasons.
STORED = [
    ["names 93% alike", "same phone", "same phone (used by 4 organizations)", "same address",
     "same website", "same website (used by 5 organizations) (a public-body domain)",
     "same website domain (used by 3 organizations)", "different organizations"],
    ["names 50% alike", "one place: same address, same or unknown organization",
     "same address"],
    ["names 90% alike", "20 m apart", "names differ in iii, north"],
    ["names 10% alike", "names too different"],
    ["names 90% alike", "same website (a public-body domain)",
     "same website domain (a public-body domain)"],
    ["names 80% alike", "both open on Sundays", "same phone (a public-body domain)"],
    [],
]  # fmt: skip


@pytest.fixture
def migration():
    spec = importlib.util.spec_from_file_location(
        "migration_0017", MIGRATIONS_DIR / "versions" / "0017_structured_duplicate_reasons.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _store(session, rows):
    for number, reasons in enumerate(rows):
        session.add(
            DuplicateCandidate(
                entity="organization", a_id=f"a{number:03}", b_id=f"b{number:03}", score=0.8,
                reasons=reasons, status="open", detected_at=datetime.now(UTC),
            )
        )  # fmt: skip
    session.flush()


def _run(session, migration, step):
    with Operations.context(MigrationContext.configure(session.connection())):
        getattr(migration, step)()
    session.expire_all()
    return list(session.scalars(select(DuplicateCandidate.reasons).order_by(DuplicateCandidate.id)))


def test_upgrade_turns_the_stored_phrases_into_the_reasons_the_scorer_now_writes(
    session, migration
):
    _store(session, STORED)
    migrated = _run(session, migration, "upgrade")
    now_written = [[r.to_json() for r in score_pair(f).reasons] for f in EVERY_KIND]
    assert migrated[: len(EVERY_KIND)] == now_written
    assert migrated[-2] == [
        {"code": "names-alike", "percent": 80},
        {"code": "text", "text": "both open on Sundays"},
        {"code": "text", "text": "same phone (a public-body domain)"},
    ]
    assert migrated[-1] == []
    assert all(Reason.from_json(r) for row in migrated for r in row)


def test_downgrade_gives_back_the_phrases_as_stored_and_upgrading_twice_changes_nothing(
    session, migration
):
    _store(session, STORED)
    upgraded = _run(session, migration, "upgrade")
    assert _run(session, migration, "upgrade") == upgraded
    assert _run(session, migration, "downgrade") == STORED
    assert _run(session, migration, "downgrade") == STORED


def test_the_migration_reads_the_rows_in_batches(session, migration, monkeypatch):
    monkeypatch.setattr(migration, "BATCH", 2)
    _store(session, STORED)
    assert _run(session, migration, "upgrade")[3] == [
        {"code": "names-alike", "percent": 10},
        {"code": "names-too-different"},
    ]
