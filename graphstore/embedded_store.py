"""The embedded default engine: LadybugDB (a maintained fork of Kuzu) in a file or in memory.

LadybugDB allows one writer at a time, so writes go through one connection under a lock;
reads share a small pool of connections. Its Cypher dialect differs from Neo4j's in a few
places (typed tables, no ``type(r)``, bounded walks); see graphstore/README.md.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ladybug

from graphstore.cypher_store import CypherStore
from graphstore.instrumentation import timed_query
from graphstore.protocol import StoreError, StoreLockedError, StoreUnavailableError
from graphstore.text_search import SearchDocument, SearchHit, SqliteTextIndex
from graphstore.writes import Row, Statement

SCHEMA = (
    "CREATE NODE TABLE IF NOT EXISTS Researcher(id STRING PRIMARY KEY, name STRING, "
    "orcid STRING, bio STRING, openToCollaborate BOOLEAN, claimStatus STRING, "
    "orcidVerified BOOLEAN, nameAlternatives STRING[], "
    "worksCount INT64, citedByCount INT64, hIndex INT64, i10Index INT64, updatedDate STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Work(id STRING PRIMARY KEY, title STRING, type STRING, "
    "year INT64, venue STRING, doi STRING, abstract STRING, citedByCount INT64, "
    "authorCount INT64, updatedDate STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Topic(id STRING PRIMARY KEY, name STRING, level STRING)",
    "CREATE NODE TABLE IF NOT EXISTS Institution(id STRING PRIMARY KEY, name STRING, "
    "country STRING, type STRING, ror STRING, updatedDate STRING)",
    "CREATE NODE TABLE IF NOT EXISTS User(id STRING PRIMARY KEY, email STRING, name STRING, "
    "passwordHash STRING, roles STRING[], orcid STRING, orcidVerified BOOLEAN, createdAt STRING)",
    "CREATE REL TABLE IF NOT EXISTS AUTHORED(FROM Researcher TO Work, position INT64, "
    "institutions STRING[])",
    "CREATE REL TABLE IF NOT EXISTS HAS_TOPIC(FROM Work TO Topic, score DOUBLE)",
    "CREATE REL TABLE IF NOT EXISTS PART_OF(FROM Topic TO Topic)",
    "CREATE REL TABLE IF NOT EXISTS AFFILIATED_WITH(FROM Researcher TO Institution, years INT64[])",
    "CREATE REL TABLE IF NOT EXISTS CITES(FROM Work TO Work)",
    "CREATE REL TABLE IF NOT EXISTS FOLLOWS(FROM User TO Researcher, at STRING)",
    "CREATE REL TABLE IF NOT EXISTS CLAIMED(FROM User TO Researcher, status STRING, at STRING)",
)

IN_MEMORY = ":memory:"


class EmbeddedStore(CypherStore):
    """GraphStore on a LadybugDB database: a directory path, or ``:memory:`` for tests."""

    engine = "embedded"

    def __init__(self, path: Path | str, *, read_connections: int = 4) -> None:
        location = str(path)
        if location != IN_MEMORY:
            Path(location).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(location)
        except RuntimeError as error:
            if "Could not set lock" in str(error):
                raise StoreLockedError(
                    f"the embedded database {location} is in use by another process "
                    "(is `researchgraph serve` running?); stop it or use another --data-dir"
                ) from error
            raise StoreUnavailableError(f"cannot open the embedded database: {error}") from error
        self._search_index = SqliteTextIndex(
            IN_MEMORY if location == IN_MEMORY else f"{location}.search.sqlite"
        )
        self._readers = ladybug.AsyncConnection(self._db, max_concurrent_queries=read_connections)
        self._writer = ladybug.Connection(self._db)
        self._write_lock = asyncio.Lock()
        self._thread_lock = threading.Lock()
        self._closed = False

    async def apply_schema(self) -> None:
        await self._write([(statement, {}) for statement in SCHEMA])

    async def ping(self) -> None:
        await self._read("RETURN 1 AS ok", {})

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            self._readers.close()
            self._writer.close()
            self._db.close()
            self._search_index.close()

    async def clear(self) -> None:
        """Delete every node and edge: for tests and for re-seeding a scratch database."""
        await self._write([("MATCH (n) DETACH DELETE n", {})])
        await asyncio.to_thread(self._search_index.clear)

    async def search(
        self, query: str, kinds: Sequence[str] | None, first: int, offset: int
    ) -> tuple[list[SearchHit], int]:
        with timed_query():
            return await asyncio.to_thread(self._search_index.search, query, kinds, first, offset)

    async def _index_documents(self, docs: Sequence[SearchDocument]) -> None:
        # The index is a SQLite file beside the database, written after the graph commits;
        # re-importing the same records rebuilds any document a crash left out.
        await asyncio.to_thread(self._search_index.upsert, docs)

    async def _read(self, query: str, params: dict[str, Any]) -> list[Row]:
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        try:
            with timed_query():
                result = await self._readers.execute(query, params)
                return _rows(result)
        except RuntimeError as error:
            raise StoreError(f"embedded query failed: {error}") from error

    async def _write(self, statements: Sequence[Statement]) -> None:
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        async with self._write_lock:
            with timed_query():
                await asyncio.to_thread(self._write_in_transaction, statements)

    def _write_in_transaction(self, statements: Sequence[Statement]) -> None:
        with self._thread_lock:
            self._writer.execute("BEGIN TRANSACTION")
            try:
                for query, params in statements:
                    self._writer.execute(query, params)
            except RuntimeError as error:
                self._writer.execute("ROLLBACK")
                raise StoreError(f"embedded write failed: {error}") from error
            self._writer.execute("COMMIT")


def _rows(result: Any) -> list[Row]:
    """Rows of a LadybugDB QueryResult as dicts keyed by column name."""
    names = result.get_column_names()
    rows = [dict(zip(names, values, strict=True)) for values in result.get_all()]
    result.close()
    return rows
