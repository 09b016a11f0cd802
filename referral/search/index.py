"""The search index: a ``SearchIndex`` interface, its Whoosh implementation, and how
the index is built, kept current and shared.

Layout under ``SEARCH_INDEX_DIR``::

    CURRENT            name of the live generation folder (replaced atomically)
    gen-<stamp>/       a Whoosh index, plus APPLIED: the change-log ids it holds
    writer.lock        fcntl lock: one writer at a time across processes

``rebuild`` writes a new generation and swaps ``CURRENT``; readers notice the new name
on their next search and reopen. ``sync`` applies change-log rows not in APPLIED
(whoever takes the writer lock does it; others search on). A reader that races a commit
(a segment vanishing under it) reopens and retries briefly; an index that still cannot
be read raises :class:`IndexUnavailable`, and search answers from the database.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.search import changes, documents, whoosh_search
from referral.search.postings import PostingsCache
from referral.search.query import SearchParams
from referral.search.ranking import Ranked

log = logging.getLogger(__name__)

POINTER = "CURRENT"
APPLIED = "APPLIED"
LOCK = "writer.lock"
# Old generations are kept this long after a swap so that readers still on them finish.
OLD_GENERATION_GRACE_S = 60.0
# How often a reader checks for a newer commit or generation. Well under the 2 s
# edit-to-searchable target, and cheap (one small file read and a directory listing).
REFRESH_INTERVAL_S = 0.25
# Reader retries when a commit races it: attempts and the pause before each retry.
READ_RETRIES = (0.01, 0.05, 0.2)
# Indexing processes for `referral reindex` on a big directory (a 2-core host: one
# process reads the database while the children index).
BUILD_PROCS = min(2, os.cpu_count() or 1)
# Below this many documents, child processes cost more than they save.
PARALLEL_BUILD_MIN_DOCS = 5000


class IndexUnavailable(Exception):
    """The index is missing or cannot be read; search must answer from the database."""


class SearchIndex(Protocol):
    degraded: bool

    def search(
        self, session: Session, params: SearchParams, covered_areas: set[str] | None
    ) -> Ranked: ...

    def sync(self, session: Session) -> int: ...

    def rebuild(self, session: Session) -> BuildStats: ...


@dataclass
class BuildStats:
    documents: int
    seconds: float
    path: str

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else float("inf")


class WhooshIndex:
    degraded = False

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._reader: whoosh_search.Reader | None = None
        self._generation: str | None = None
        self._checked = 0.0
        self._postings_cache = PostingsCache()

    # -- reading ---------------------------------------------------------------
    def generation(self) -> Path:
        try:
            name = (self.root / POINTER).read_text().strip()
        except OSError as exc:
            raise IndexUnavailable(f"no search index at {self.root}") from exc
        if not name or not (self.root / name).is_dir():
            raise IndexUnavailable(f"search index generation {name!r} is missing")
        return self.root / name

    def generation_or_none(self) -> Path | None:
        try:
            return self.generation()
        except IndexUnavailable:
            return None

    def applied(self) -> changes.Applied:
        try:
            return changes.Applied.from_text((self.generation() / APPLIED).read_text())
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise IndexUnavailable(f"search index at {self.root} has no APPLIED mark") from exc

    def reader(self, force: bool = False) -> whoosh_search.Reader:
        now = time.monotonic()
        if self._reader is not None and not force and now - self._checked < REFRESH_INTERVAL_S:
            return self._reader
        self._checked = now
        path = self.generation()
        if self._reader is None or force or path.name != self._generation:
            self.close()
            if path.name != self._generation:
                self._postings_cache = PostingsCache()  # segment ids repeat across folders
            self._reader = whoosh_search.Reader.open(path, self._postings_cache)
            self._generation = path.name
        else:
            self._reader = self._reader.refreshed()
        return self._reader

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def search(
        self, session: Session, params: SearchParams, covered_areas: set[str] | None
    ) -> Ranked:
        for attempt, pause in enumerate((0.0, *READ_RETRIES)):
            if pause:
                time.sleep(pause)
            try:
                return self.reader(force=attempt > 0).search(params, covered_areas)
            except IndexUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - a commit raced us, or the files are bad
                failure = exc
                self.close()
        raise IndexUnavailable(f"search index at {self.root} cannot be read: {failure}")

    # -- writing ---------------------------------------------------------------
    @contextmanager
    def writer_lock(self, wait: bool) -> Iterator[bool]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def rebuild(self, session: Session, progress: Any = None, procs: int = 1) -> BuildStats:
        """Build a new generation from the database, then swap it in.

        ``procs`` > 1 indexes in child processes (forked): for the ``reindex`` command,
        not for a server process with other threads running.
        """
        with self.writer_lock(wait=True):
            start = changes.applied_at_start(session)
            stats = self._build_generation(session, start, progress, procs)
            self._apply_locked(session)
            return stats

    def _build_generation(
        self, session: Session, mark: changes.Applied, progress: Any = None, procs: int = 1
    ) -> BuildStats:
        started = time.perf_counter()
        path = self.root / f"gen-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
        count = whoosh_search.build(path, documents.iter_documents(session), progress, procs)
        (path / APPLIED).write_text(mark.to_text())
        self._swap(path)
        self._checked = 0.0
        return BuildStats(count, time.perf_counter() - started, str(path))

    def _swap(self, path: Path) -> None:
        temporary = self.root / f"{POINTER}.{os.getpid()}"
        temporary.write_text(path.name)
        os.replace(temporary, self.root / POINTER)
        self._remove_old_generations(keep=path.name)

    def _remove_old_generations(self, keep: str) -> None:
        cutoff = time.time() - OLD_GENERATION_GRACE_S
        for old in self.root.glob("gen-*"):
            if old.name != keep and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)

    def pending(self, session: Session) -> bool:
        return bool(changes.unseen_ids(session, self.applied()))

    def sync(self, session: Session, wait: bool = False) -> int:
        """Apply change-log rows the index has not seen; 0 if another writer is at it."""
        if not self.pending(session):
            return 0
        with self.writer_lock(wait=wait) as locked:
            return self._apply_locked(session) if locked else 0

    def _apply_locked(self, session: Session) -> int:
        applied = self.applied()
        rows = changes.pending_rows(session, applied)
        if not rows:
            return 0
        done = applied.with_ids(row.id for row in rows)
        if any(row.op == "rebuild" for row in rows):
            self._build_generation(session, changes.applied_at_start(session))
            return len(rows)
        whoosh_search.update(self.generation(), session, changes.affected(session, rows))
        (self.generation() / APPLIED).write_text(done.to_text())
        self._checked = 0.0
        return len(rows)


class RebuildingWhooshIndex(WhooshIndex):
    """A Whoosh index that rebuilds itself when found missing or corrupt.

    ``mode`` "thread" rebuilds in a background thread with its own session (servers);
    "inline" rebuilds at once in the caller's session after the degraded answer is
    computed (tests, small directories); "off" leaves it to ``referral reindex``.
    """

    def __init__(self, root: str | Path, mode: str = "thread", session_factory: Any = None):
        super().__init__(root)
        self.mode = mode
        self.session_factory = session_factory
        self._rebuilding = threading.Lock()

    def request_rebuild(self, session: Session) -> None:
        if self.mode == "inline":
            try:
                self.rebuild(session)
            except Exception:  # noqa: BLE001 - the degraded answer is already made
                log.exception("rebuilding the search index failed")
        elif (
            self.mode == "thread"
            and self.session_factory is not None
            and self._rebuilding.acquire(blocking=False)
        ):
            threading.Thread(target=self._rebuild_in_background, daemon=True).start()

    def _rebuild_in_background(self) -> None:
        try:
            with self.session_factory() as session:
                stats = self.rebuild(session)
            log.info("rebuilt search index: %d documents in %.1f s", stats.documents, stats.seconds)
        except Exception:  # noqa: BLE001 - a thread has nobody to raise to
            log.exception("rebuilding the search index failed")
        finally:
            self._rebuilding.release()


def build_procs(session: Session) -> int:
    """How many indexing processes a full rebuild of this directory deserves."""
    from referral.directory.models import ServiceAtLocation

    count = session.scalar(select(func.count()).select_from(ServiceAtLocation)) or 0
    return BUILD_PROCS if count >= PARALLEL_BUILD_MIN_DOCS else 1
