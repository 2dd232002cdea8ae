"""What a store needs to know about the request it serves, and tells about its queries.

Per request (ContextVars, so concurrent requests never mix): a tally of queries for the
debug extension and tests, the deadline each query's timeout is cut from, and the causal
chain that makes reads after a write see it on any server of a cluster. Process-wide:
observers that see every query's duration (the metrics).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(slots=True)
class QueryTally:
    """Queries sent to the database, and the milliseconds spent waiting for them."""

    queries: int = 0
    millis: float = 0.0


_current: ContextVar[QueryTally | None] = ContextVar("graphstore_query_tally", default=None)
_deadline: ContextVar[float | None] = ContextVar("graphstore_deadline", default=None)
_chain: ContextVar[CausalChain | None] = ContextVar("graphstore_causal_chain", default=None)
_observers: list[Callable[[str, float], None]] = []


@dataclass(slots=True)
class CausalChain:
    """The bookmarks a request's reads wait for: those its client sent, then those of its
    last write. Opaque strings from the database (Neo4j's); a store without replicas, where
    every read sees every committed write, neither reads nor sets them."""

    bookmarks: frozenset[str] = frozenset()


@contextmanager
def causal_chain(bookmarks: Iterable[str] = ()) -> Iterator[CausalChain]:
    """Chain the queries sent inside this block: each read waits for the bookmarks, each
    write replaces them with its own."""
    chain = CausalChain(frozenset(bookmarks))
    token = _chain.set(chain)
    try:
        yield chain
    finally:
        _chain.reset(token)


def current_chain() -> CausalChain | None:
    """The current request's causal chain; None outside one."""
    return _chain.get()


def observe_queries(observer: Callable[[str, float], None]) -> None:
    """Call ``observer(engine, seconds)`` after every store query of this process."""
    _observers.append(observer)


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Queries sent inside this block must finish within ``seconds`` from now."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining_seconds() -> float | None:
    """Seconds left before the current request's deadline; None when it has none."""
    until = _deadline.get()
    return None if until is None else until - time.monotonic()


@contextmanager
def tally_queries() -> Iterator[QueryTally]:
    """Count the queries sent inside this block (and in tasks it starts)."""
    tally = QueryTally()
    token = _current.set(tally)
    try:
        yield tally
    finally:
        _current.reset(token)


@dataclass
class RoundTrip:
    """One database round trip being timed: ``queries`` may grow while it runs (a read
    whose later queries depend on its first ones)."""

    queries: int


@contextmanager
def timed_query(engine: str, queries: int = 1) -> Iterator[RoundTrip]:
    """Wrap one database round trip (of ``queries`` queries) so the current tally and the
    observers count it."""
    trip = RoundTrip(queries)
    started = time.perf_counter()
    try:
        yield trip
    finally:
        seconds = time.perf_counter() - started
        tally = _current.get()
        if tally is not None:
            tally.queries += trip.queries
            tally.millis += seconds * 1000.0
        for observer in _observers:
            observer(engine, seconds)
