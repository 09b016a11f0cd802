"""The directory: HSDS data model, geo, import/export, seed data."""

from referral.directory import audit as _audit  # noqa: F401  (registers the listing audit trail)
