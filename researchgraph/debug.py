"""The debug extension: every response tells how many database queries it cost."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

from graphstore.instrumentation import QueryTally, tally_queries


class QueryCountExtension(SchemaExtension):
    """Adds ``extensions.dbQueries`` and ``extensions.dbMillis`` to each response."""

    _tally: QueryTally | None = None

    def on_operation(self) -> Iterator[None]:
        with tally_queries() as tally:
            self._tally = tally
            yield

    def get_results(self) -> dict[str, Any]:
        tally = self._tally or QueryTally()
        return {"dbQueries": tally.queries, "dbMillis": round(tally.millis, 3)}
