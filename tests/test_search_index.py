"""The index lifecycle: documents, change log, applying edits, rebuild and swap,
missing or corrupt indexes, concurrent readers and the single writer."""

from __future__ import annotations

import subprocess
import sys

import pytest
import test_search
from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession
from test_search import listing, names, term

from referral import db
from referral.directory.models import Phone, Service
from referral.search import documents
from referral.search import index as index_module
from referral.search.fallback import DatabaseIndex
from referral.search.index import IndexUnavailable, RebuildingWhooshIndex, WhooshIndex
from referral.search.models import SearchChange, log_rebuild
from referral.search.query import parse_params
from referral.search.service import search
from referral.search.textquery import SEARCH_BOOSTS

# shared fixtures
find = test_search.find
index = test_search.index


def changes(session):
    return session.scalars(select(SearchChange).order_by(SearchChange.id)).all()


def test_documents_carry_names_ancestor_terms_languages_and_place(session):
    parent = term(session, "Food")
    sal = listing(
        session,
        "Pantry",
        terms=[term(session, "Pantries", parent)],
        languages=["spa"],
        eligibility_description="Residents of Dade County",
    )
    [doc] = documents.documents_for(session, [sal.id])
    assert doc.service_name == "Pantry" and doc.organization_name == "Helping Hands"
    assert doc.taxonomy == "Pantries Food" and len(doc.taxonomy_ids) == 2
    assert doc.languages == ["es"] and doc.eligibility == "Residents of Dade County"
    assert doc.place == "Miami FL 33130" and doc.timezone == "America/New_York"


def test_field_boosts_rank_names_above_descriptions():
    assert SEARCH_BOOSTS["service_name"] > SEARCH_BOOSTS["taxonomy"] > SEARCH_BOOSTS["description"]


def test_an_edit_writes_a_change_row_in_the_same_transaction(session):
    sal = listing(session, "Pantry")
    before = len(changes(session))
    nested = session.begin_nested()
    session.get(Service, sal.service_id).name = "Renamed Pantry"
    session.flush()
    assert [c.service_id for c in changes(session)[before:]] == [sal.service_id]
    nested.rollback()
    assert len(changes(session)) == before


def test_a_child_record_logs_its_owner_not_itself(session):
    sal = listing(session, "Pantry")
    before = len(changes(session))
    session.add(Phone(service_id=sal.service_id, number="555-0100"))
    session.flush()
    [row] = changes(session)[before:]
    assert (row.service_id, row.op) == (sal.service_id, "change")


def test_a_bulk_load_can_log_one_rebuild_request_instead(session):
    session.info["search_change_log"] = "rebuild"
    before = len(changes(session))
    listing(session, "Pantry")
    assert {c.op for c in changes(session)[before:]} == {"rebuild"}
    session.info.pop("search_change_log")


def test_an_edit_is_searchable_at_the_next_search(session, find):
    sal = listing(session, "Pantry")
    assert find(q="pantry").total == 1
    session.get(Service, sal.service_id).name = "Warming Center"
    session.flush()
    assert names(find(q="warming")) == ["Warming Center"]
    assert find(q="pantry").total == 0


def test_deleting_a_service_removes_its_documents(session, find):
    sal = listing(session, "Pantry")
    assert find(q="pantry").total == 1
    session.delete(session.get(Service, sal.service_id))
    session.flush()
    assert find(q="pantry").total == 0


def test_taxonomy_term_rename_reaches_documents_through_descendants(session, find):
    food = term(session, "Food")
    listing(session, "Pantry", terms=[term(session, "Pantries", food)])
    assert find(q="nourishment").total == 0
    food.name = "Nourishment"
    session.flush()
    assert find(q="nourishment").total == 1


def test_rebuild_writes_a_new_generation_and_swaps_it_in(session, index):
    listing(session, "Pantry")
    index.rebuild(session)
    first = index.generation()
    listing(session, "Shelter")
    index.rebuild(session)
    assert index.generation() != first
    found = search(session, parse_params({"q": "shelter"}), index)
    assert found.total == 1 and not found.degraded


def test_a_missing_index_answers_from_the_database_then_is_rebuilt(session, tmp_path):
    listing(session, "Food Pantry")
    healing = RebuildingWhooshIndex(tmp_path / "idx", mode="inline")
    first = search(session, parse_params({"q": "pantry"}), healing)
    assert first.degraded and [r.service_name for r in first.results] == ["Food Pantry"]
    second = search(session, parse_params({"q": "pantry"}), healing)
    assert not second.degraded and second.total == 1
    healing.close()


def test_a_corrupt_index_answers_from_the_database_not_an_error(session, index):
    listing(session, "Food Pantry")
    index.rebuild(session)
    index.close()
    for path in index.generation().iterdir():
        if path.suffix in (".toc", ".seg"):
            path.write_bytes(b"garbage")
    found = search(session, parse_params({"q": "pantry", "near": "25.7,-80.2"}), index)
    assert found.degraded and found.total == 1
    assert found.results[0].distance_km is not None


def test_a_reader_survives_another_process_swapping_the_index(session, tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "OLD_GENERATION_GRACE_S", -1.0)
    listing(session, "Pantry")
    reader, writer = WhooshIndex(tmp_path / "shared"), WhooshIndex(tmp_path / "shared")
    writer.rebuild(session)
    assert search(session, parse_params({"q": "pantry"}), reader).total == 1
    listing(session, "Second Pantry")
    writer.rebuild(session)  # deletes the generation the reader has open
    monkeypatch.setattr(index_module, "REFRESH_INTERVAL_S", 0.0)
    found = search(session, parse_params({"q": "pantry"}), reader)
    assert found.total == 2 and not found.degraded
    reader.close()
    writer.close()


def test_only_one_writer_holds_the_lock(tmp_path):
    first, second = WhooshIndex(tmp_path / "x"), WhooshIndex(tmp_path / "x")
    with first.writer_lock(wait=False) as got_first, second.writer_lock(wait=False) as got_second:
        assert (got_first, got_second) == (True, False)


def test_sync_skips_when_another_writer_is_busy(session, index):
    listing(session, "Pantry")
    index.rebuild(session)
    listing(session, "Shelter")
    other = WhooshIndex(index.root)
    with other.writer_lock(wait=True):
        assert index.sync(session) == 0
    assert index.sync(session) > 0


def test_an_index_with_no_pointer_is_unavailable(tmp_path):
    with pytest.raises(IndexUnavailable):
        WhooshIndex(tmp_path / "none").generation()


def test_a_bulk_loader_can_ask_for_a_full_rebuild(session, index):
    listing(session, "Pantry")
    index.rebuild(session)
    first = index.generation()
    log_rebuild(session)
    assert index.sync(session) == 1
    assert index.generation() != first


def test_the_database_backend_searches_without_index_files(session, tmp_path):
    listing(session, "Food Pantry")
    found = search(session, parse_params({"q": "pantry"}), DatabaseIndex(degraded=False))
    assert found.total == 1 and not found.degraded


def test_a_change_that_commits_after_a_newer_one_is_still_applied(session, find, index):
    late = listing(session, "Pantry")
    assert find(q="pantry").total == 1
    early_id = max(c.id for c in changes(session))
    session.get(Service, late.service_id).name = "Warming Center"
    session.flush()
    newest = changes(session)[-1]
    # as if this row had taken its id before another transaction committed a higher one
    session.delete(newest)
    session.flush()
    index.sync(session)
    session.add(
        SearchChange(
            id=early_id + 50, op="change", created_at=newest.created_at, service_id="elsewhere"
        )
    )
    session.flush()
    index.sync(session)  # applies the newer row only: the rename's row is missing
    session.add(
        SearchChange(
            id=newest.id, op="change", created_at=newest.created_at, service_id=late.service_id
        )
    )
    session.flush()
    assert names(find(q="warming")) == ["Warming Center"]


WORKER = """
import sys
from sqlalchemy.orm import Session
from referral import db
import referral.models
from referral.directory.models import Service
from referral.search.index import WhooshIndex
from referral.search.query import parse_params
from referral.search.service import search

engine = db.make_engine(sys.argv[1])
index = WhooshIndex(sys.argv[2])
with Session(engine) as session:
    for round in range(6):
        if sys.argv[3] == "rebuilder" and round % 2 == 0:
            index.rebuild(session)
        else:
            service = session.get(Service, sys.argv[4])
            service.name = f"Pantry edit {sys.argv[3]} {round}"
            session.commit()
        found = search(session, parse_params({"q": "pantry"}), index)
        assert not found.degraded and found.total == 2, found
        session.rollback()
index.close()
engine.dispose()
"""


@pytest.mark.slow
def test_several_processes_share_one_index_while_writing(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with OrmSession(engine) as setup:
        first, second = listing(setup, "Pantry one"), listing(setup, "Pantry two")
        ids = [first.service_id, second.service_id]
        setup.commit()
        WhooshIndex(tmp_path / "idx").rebuild(setup)
    engine.dispose()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, url, str(tmp_path / "idx"), role, service_id],
            stderr=subprocess.PIPE,
        )
        for role, service_id in (("rebuilder", ids[0]), ("editor", ids[1]))
    ]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
