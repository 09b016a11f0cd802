"""Imports every feature's models so that Base.metadata knows all tables
(Alembic, tests and ``referral init`` rely on it)."""

from referral.directory import models as directory_models  # noqa: F401
