"""How collections are paged: page sizes, the id range, and the opaque cursors a page hands
out to continue after its last row (a cursor is user input: anything we did not give out
is refused as InvalidQuery('cursor'))."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, datetime
from typing import Any

import orjson

from newsarchive.errors import InvalidQuery

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
#: the largest id either database stores in an INTEGER primary key (PostgreSQL int4)
MAX_ID = 2**31 - 1
#: cursors are short; anything longer is not one we gave out
MAX_CURSOR_CHARS = 200
CURSOR_VERSION = 1


def encode_cursor(sort: str, *keys: Any) -> str:
    payload = orjson.dumps([CURSOR_VERSION, sort, *keys])  # compact, as json.dumps wrote it
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _cursor_keys(cursor: str, kind: str) -> list[Any]:
    """The keys inside a cursor given out for ``kind``; InvalidQuery('cursor') otherwise."""
    if len(cursor) > MAX_CURSOR_CHARS or not cursor.isascii():
        raise bad_cursor()
    try:
        data = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:  # orjson's is a ValueError
        raise bad_cursor() from exc
    if not isinstance(data, list) or len(data) < 2 or data[:2] != [CURSOR_VERSION, kind]:
        raise bad_cursor()
    return data[2:]


def bad_cursor() -> InvalidQuery:
    return InvalidQuery("cursor", "not a cursor this API gave out for this list and sort")


def _valid_id(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_ID


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The keys of a list cursor given out for ``sort``: [instant, id] or, for relevance,
    [floor_id, ceil_id, score, id]."""
    bad = bad_cursor()
    keys = _cursor_keys(cursor, sort)
    try:
        if sort == "relevance":
            floor, ceil, score, last_id = keys
            ints: tuple[Any, ...] = (floor, ceil, last_id)
            if not isinstance(score, int | float) or isinstance(score, bool):
                raise bad
            score = float(score)
            if score != score or score in (float("inf"), float("-inf")):
                raise bad
            keys = [floor, ceil, score, last_id]
        else:
            instant, last_id = keys
            ints = (last_id,)
            if not isinstance(instant, str):
                raise bad
            keys = [datetime.fromisoformat(instant).astimezone(UTC), last_id]
    except (ValueError, TypeError, OverflowError) as exc:
        raise bad from exc
    if not all(_valid_id(i) for i in ints):
        raise bad
    return keys


def encode_id_cursor(kind: str, last_id: int) -> str:
    return encode_cursor(kind, last_id)


def decode_id_cursor(cursor: str | None, kind: str) -> int | None:
    """The id a plain id-ordered collection (sources, crawls, versions) stopped at."""
    if not cursor:
        return None
    keys = _cursor_keys(cursor, kind)
    if len(keys) != 1 or not _valid_id(keys[0]):
        raise bad_cursor()
    return int(keys[0])
