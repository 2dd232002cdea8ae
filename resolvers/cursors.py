"""Opaque keyset cursors: an item's position in an order, not an offset.

A position is the item's sort value, its text (a work's title, a researcher's name) and its id.
A cursor names the order it belongs to, and holds the id of a work or a researcher, so one
taken from another order or another kind of list is refused rather than silently misread.
"""

from __future__ import annotations

import base64
import binascii
import json

import orjson

from graphstore.ids import InvalidIdError, NodeLabel, normalize_id
from graphstore.lists import ResearcherOrder, ResearcherPosition
from graphstore.records import WorkOrder, WorkPosition
from resolvers.errors import bad_input

_MAX_CURSOR = 1024


def encode_work_cursor(order: WorkOrder, key: WorkPosition) -> str:
    """The cursor after ``key`` in ``order``."""
    return _encoded(order.value, key.sort_value, key.title, key.id)


def decode_work_cursor(cursor: str, order: WorkOrder) -> WorkPosition:
    """The key a cursor stands for; a clear error when it is not one of ours for this order."""
    sort_value, title, work_id = _decoded(cursor, order.value, NodeLabel.WORK)
    return WorkPosition(sort_value=sort_value, title=title, id=work_id)


def encode_researcher_cursor(order: ResearcherOrder, key: ResearcherPosition) -> str:
    """The cursor after ``key`` in a researchers list's ``order``."""
    return _encoded(order.value, key.sort_value, key.name, key.id)


def decode_researcher_cursor(cursor: str, order: ResearcherOrder) -> ResearcherPosition:
    """The position a researchers list's cursor stands for, or a clear error."""
    sort_value, name, researcher_id = _decoded(cursor, order.value, NodeLabel.RESEARCHER)
    return ResearcherPosition(sort_value=sort_value, name=name, id=researcher_id)


def _encoded(order: str, sort_value: int, text: str, item_id: str) -> str:
    # orjson: a profile page encodes a cursor per work, and json.dumps was 1% of the server's
    # CPU for the hub's (bench/README.md). Its UTF-8 text decodes as json.dumps' escapes did.
    payload = orjson.dumps([order, sort_value, text, item_id])
    return base64.urlsafe_b64encode(payload).decode().rstrip("=")


def _decoded(cursor: str, order: str, kind: NodeLabel) -> tuple[int, str, str]:
    if len(cursor) > _MAX_CURSOR:
        raise bad_input("after: not a cursor of this list")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        cursor_order, sort_value, text, item_id = value
        valid = (
            isinstance(sort_value, int)
            and not isinstance(sort_value, bool)
            and isinstance(text, str)
            and isinstance(item_id, str)
            and normalize_id(item_id, kind) == item_id
        )
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, InvalidIdError):
        valid = False
    if not valid:
        raise bad_input("after: not a cursor of this list")
    if cursor_order != order:
        raise bad_input(f"after: this cursor belongs to orderBy {cursor_order}, not {order}")
    return sort_value, text, item_id
