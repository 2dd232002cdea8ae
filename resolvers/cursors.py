"""Opaque keyset cursors: a work's position in an order, not an offset.

A cursor names the order it belongs to, so one taken from another order is refused rather
than silently misread.
"""

from __future__ import annotations

import base64
import binascii
import json

import orjson

from graphstore.records import WorkOrder, WorkPosition
from resolvers.errors import bad_input

_MAX_CURSOR = 1024


def encode_work_cursor(order: WorkOrder, key: WorkPosition) -> str:
    """The cursor after ``key`` in ``order``."""
    # orjson: a profile page encodes a cursor per work, and json.dumps was 1% of the server's
    # CPU for the hub's (bench/README.md). Its UTF-8 text decodes as json.dumps' escapes did.
    payload = orjson.dumps([order.value, key.sort_value, key.title, key.id])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def decode_work_cursor(cursor: str, order: WorkOrder) -> WorkPosition:
    """The key a cursor stands for; a clear error when it is not one of ours for this order."""
    if len(cursor) > _MAX_CURSOR:
        raise bad_input("after: not a cursor of this list")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        cursor_order, sort_value, title, work_id = value
        valid = (
            isinstance(sort_value, int)
            and not isinstance(sort_value, bool)
            and isinstance(title, str)
            and isinstance(work_id, str)
        )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        valid = False
    if not valid:
        raise bad_input("after: not a cursor of this list")
    if cursor_order != order.value:
        raise bad_input(f"after: this cursor belongs to orderBy {cursor_order}, not {order.value}")
    return WorkPosition(sort_value=sort_value, title=title, id=work_id)
