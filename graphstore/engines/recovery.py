"""After the database was unreachable, queries wait until it is warm again.

A restarted Neo4j plans every query afresh, on a cold JVM: the profile page's query took
seconds then, while a trivial query already answered, so requests sent as the server came back
ran out their whole deadline after a readiness check had passed. So once a query finds the
database unavailable, the store is *recovering*: one attempt at a time checks that the database
answers and runs the reads the store ran most recently again, with their parameters, so their
plans are cached and their code and pages warm (planning them alone, with EXPLAIN, left the
first requests after it several times slower than running them); only then do queries go
through again. A query arriving meanwhile waits for the attempt a short while and then fails as
unavailable; the attempt goes on, so a later query finds it done.

A restart that no query saw (none ran while the server was down) is not noticed: a readiness
probe polled during the outage (``GraphStore.ping``) is a query that sees it.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from graphstore.instrumentation import remaining_seconds
from graphstore.protocol import StoreUnavailableError

log = logging.getLogger("graphstore.recovery")

Read = tuple[str, dict[str, Any]]

# How many distinct reads (by query text) a recovery runs again: the most recent ones.
RECENT_READS = 16
# How long a query waits for a recovery under way before it fails as unavailable.
WAIT_SECONDS = 1.0
# One attempt's bound: past it the attempt fails, and the next query starts another.
ATTEMPT_SECONDS = 60.0


class Recovery:
    """The store's gate: open, or closed until an attempt to warm the database up succeeds.

    ``warm(reads)`` checks that the database answers and runs ``reads`` (most recent first)
    again; it raises StoreUnavailableError when the database does not answer.
    """

    def __init__(self, warm: Callable[[Sequence[Read]], Awaitable[None]]) -> None:
        self._warm = warm
        self._recent: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._recovering = False
        self._failures = 0
        self._attempt: asyncio.Task[None] | None = None

    def remember(self, query: str, params: dict[str, Any]) -> None:
        """Note a read that ran: a recovery runs the most recent ones again."""
        self._recent[query] = params
        self._recent.move_to_end(query)
        if len(self._recent) > RECENT_READS:
            self._recent.popitem(last=False)

    def failed(self) -> None:
        """A query found the database unavailable: from now on queries wait for a recovery."""
        self._recovering = True
        self._failures += 1

    async def ready(self) -> None:
        """Return at once when the gate is open; otherwise wait (at most WAIT_SECONDS, and
        never past the request's deadline) for a recovery, or raise StoreUnavailableError."""
        if not self._recovering:
            return
        if self._attempt is None or self._attempt.done():
            # A context of its own: the attempt outlives the request that started it, and
            # must not take that request's deadline or count into its tally of queries.
            self._attempt = asyncio.create_task(self._recover(), context=contextvars.Context())
            self._attempt.add_done_callback(_seen)
        wait = WAIT_SECONDS
        left = remaining_seconds()
        if left is not None:
            wait = max(0.0, min(wait, left))
        try:
            await asyncio.wait_for(asyncio.shield(self._attempt), wait)
        except StoreUnavailableError as error:
            raise StoreUnavailableError(str(error)) from error
        except TimeoutError:
            raise StoreUnavailableError(
                "the database is coming back: recent reads are being run again to warm it up"
            ) from None

    async def close(self) -> None:
        """Stop an attempt under way (the store is closing)."""
        if self._attempt is not None and not self._attempt.done():
            self._attempt.cancel()
            await asyncio.wait([self._attempt])

    async def _recover(self) -> None:
        failures = self._failures
        reads = list(reversed(self._recent.items()))
        started = time.monotonic()
        try:
            async with asyncio.timeout(ATTEMPT_SECONDS):
                await self._warm(reads)
        except TimeoutError as error:
            raise StoreUnavailableError("warming the database up took too long") from error
        # A query that failed meanwhile (it was sent before the gate closed) may have seen
        # a second outage: then the next query tries again.
        if failures == self._failures:
            self._recovering = False
            log.info(
                "the database answers again: %d recent reads run again in %.1f s",
                len(reads),
                time.monotonic() - started,
            )


def _seen(attempt: asyncio.Task[None]) -> None:
    # Every waiter may have given up before the attempt failed: its error is expected.
    if not attempt.cancelled():
        attempt.exception()
