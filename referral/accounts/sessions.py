"""Server-side login sessions. The cookie carries only a random session id, so the
server can end a session (logout, disabled user, password change) and enforce the
idle and absolute timeouts whatever the browser keeps."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from referral.accounts.models import UserSession, aware, utcnow

# Writing last_seen_at on every request would turn each page view into a write;
# once a minute is precise enough for a timeout counted in minutes.
TOUCH_INTERVAL = timedelta(seconds=60)


def open_session(session: Session, user_id: str) -> UserSession:
    login = UserSession(id=secrets.token_urlsafe(32), user_id=user_id)
    session.add(login)
    session.flush()
    return login


def live_session(
    session: Session,
    session_id: str,
    user_id: str,
    *,
    idle: timedelta,
    lifetime: timedelta,
    now: datetime | None = None,
) -> UserSession | None:
    """The session if it exists, belongs to the user and has not ended or timed out.
    A timed-out session is ended on the way."""
    login = session.get(UserSession, session_id)
    if login is None or login.user_id != user_id or login.ended_at is not None:
        return None
    now = now or utcnow()
    if now - aware(login.last_seen_at) > idle or now - aware(login.created_at) > lifetime:
        login.ended_at = now
        return None
    if now - aware(login.last_seen_at) > TOUCH_INTERVAL:
        login.last_seen_at = now
    return login


def end_session(session: Session, session_id: str) -> None:
    login = session.get(UserSession, session_id)
    if login is not None and login.ended_at is None:
        login.ended_at = utcnow()


def end_all(session: Session, user_id: str, keep: str | None = None) -> int:
    query = (
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if keep is not None:
        query = query.where(UserSession.id != keep)
    return session.execute(query).rowcount  # type: ignore[attr-defined, no-any-return]


def active_sessions(session: Session, user_id: str) -> list[UserSession]:
    query = select(UserSession).where(
        UserSession.user_id == user_id, UserSession.ended_at.is_(None)
    )
    return list(session.scalars(query))
