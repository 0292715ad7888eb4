"""The project's one reading of a datetime without a zone: it is UTC.

SQLite keeps no offset, and feeds, headers and pages often give none, so every layer meets
naive datetimes; they all read them the same way through these helpers. Imports nothing of
ours, so ``extract``, ``discover``, ``fetch``, ``storage`` and ``web`` may all use it.
"""

from __future__ import annotations

from datetime import UTC, datetime


def aware_utc(value: datetime) -> datetime:
    """``value`` with UTC attached when it has no zone; an aware one is returned as it is."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC: a naive one read as UTC, an aware one converted (for comparing and
    storing instants in one zone)."""
    return aware_utc(value).astimezone(UTC)
