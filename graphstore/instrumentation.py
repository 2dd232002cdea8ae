"""Counts the database queries of the current request, for the debug extension and tests.

The counter lives in a ContextVar so concurrent requests never mix their figures; a store
records every query it sends, whatever the caller.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(slots=True)
class QueryTally:
    """Queries sent to the database, and the milliseconds spent waiting for them."""

    queries: int = 0
    millis: float = 0.0


_current: ContextVar[QueryTally | None] = ContextVar("graphstore_query_tally", default=None)


@contextmanager
def tally_queries() -> Iterator[QueryTally]:
    """Count the queries sent inside this block (and in tasks it starts)."""
    tally = QueryTally()
    token = _current.set(tally)
    try:
        yield tally
    finally:
        _current.reset(token)


@contextmanager
def timed_query() -> Iterator[None]:
    """Wrap one database round trip so the current tally, if any, counts it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        tally = _current.get()
        if tally is not None:
            tally.queries += 1
            tally.millis += (time.perf_counter() - started) * 1000.0
