"""The store's gate after an outage (graphstore.engines.recovery), engine aside: who waits,
for how long, and what an attempt runs. The real outage, on a real Neo4j, is
tests/test_faults.py's."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import pytest

from graphstore.engines import recovery
from graphstore.engines.recovery import Read, Recovery
from graphstore.instrumentation import deadline
from graphstore.protocol import StoreUnavailableError


class Database:
    """What an attempt finds: a database that is down, or up and taking a while to warm."""

    def __init__(self) -> None:
        self.up = False
        self.warm_seconds = 0.0
        self.attempts: list[list[str]] = []
        self.stopped = False

    async def warm(self, reads: Sequence[Read]) -> None:
        self.attempts.append([query for query, _ in reads])
        if not self.up:
            raise StoreUnavailableError("refused")
        try:
            await asyncio.sleep(self.warm_seconds)
        except asyncio.CancelledError:
            self.stopped = True
            raise


async def test_an_open_gate_lets_queries_through_at_once() -> None:
    database = Database()
    gate = Recovery(database.warm)
    await gate.ready()
    assert database.attempts == []


async def test_after_a_failure_queries_wait_for_one_attempt_that_runs_the_recent_reads() -> None:
    database = Database()
    gate = Recovery(database.warm)
    for n in range(recovery.RECENT_READS + 2):
        gate.remember(f"read {n}", {"n": n})
    gate.remember("read 5", {"n": 5})  # run again: now the most recent
    gate.failed()

    with pytest.raises(StoreUnavailableError):
        await gate.ready()  # down: the attempt fails, and so does the query

    database.up = True
    await asyncio.gather(*(gate.ready() for _ in range(5)))
    down, up = database.attempts
    assert down == up
    assert len(up) == recovery.RECENT_READS
    assert up[:2] == ["read 5", f"read {recovery.RECENT_READS + 1}"]
    assert {"read 0", "read 1"}.isdisjoint(up)  # the oldest are forgotten
    await gate.ready()
    assert len(database.attempts) == 2  # open again: no more attempts


async def test_a_query_waits_a_short_while_and_the_attempt_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recovery, "WAIT_SECONDS", 0.05)
    database = Database()
    database.up, database.warm_seconds = True, 0.3
    gate = Recovery(database.warm)
    gate.failed()
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError, match="coming back"):
        await gate.ready()
    assert time.monotonic() - started < 0.2
    # A request with no time left does not wait at all.
    with deadline(0.0), pytest.raises(StoreUnavailableError):
        await gate.ready()
    await asyncio.sleep(0.4)
    await gate.ready()  # the same attempt finished meanwhile
    assert len(database.attempts) == 1


async def test_a_failure_during_an_attempt_keeps_the_gate_closed() -> None:
    database = Database()
    database.up, database.warm_seconds = True, 0.1
    gate = Recovery(database.warm)
    gate.failed()
    waiting = asyncio.create_task(gate.ready())
    await asyncio.sleep(0.02)
    gate.failed()  # a query sent before the gate closed failed meanwhile
    await waiting
    await gate.ready()  # so this one starts another attempt
    assert len(database.attempts) == 2


async def test_closing_stops_an_attempt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(recovery, "WAIT_SECONDS", 0.05)
    database = Database()
    database.up, database.warm_seconds = True, 60.0
    gate = Recovery(database.warm)
    gate.failed()
    with pytest.raises(StoreUnavailableError):
        await gate.ready()
    await gate.close()
    assert database.stopped
