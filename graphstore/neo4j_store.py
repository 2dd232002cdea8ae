"""The production engine: Neo4j through the official async driver.

Reads go through ``execute_query(routing_=READ)`` so a cluster spreads them over its readers;
each upsert batch is one write transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired

from graphstore.cypher_store import CypherStore
from graphstore.instrumentation import timed_query
from graphstore.protocol import StoreUnavailableError
from graphstore.text_search import (
    NEO4J_FULLTEXT_INDEX,
    NEO4J_FULLTEXT_INDEXES,
    SearchDocument,
    SearchHit,
    lucene_query,
)
from graphstore.writes import Row, Statement

SCHEMA = (
    "CREATE CONSTRAINT researcher_id IF NOT EXISTS FOR (n:Researcher) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT work_id IF NOT EXISTS FOR (n:Work) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_email IF NOT EXISTS FOR (n:User) REQUIRE n.email IS UNIQUE",
    "CREATE INDEX work_year IF NOT EXISTS FOR (n:Work) ON (n.year)",
    *NEO4J_FULLTEXT_INDEXES,
)

_LABEL_KINDS = {
    "Researcher": "researcher",
    "Work": "work",
    "Topic": "topic",
    "Institution": "institution",
}
_SEARCH = f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $query) YIELD node, score
WITH node, score, [label IN labels(node) WHERE label IN $labels][0] AS label
WHERE label IS NOT NULL
RETURN node.id AS id, label, score
ORDER BY score DESC, id
SKIP $offset LIMIT $first
"""
_SEARCH_COUNT = f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $query) YIELD node
WHERE any(label IN labels(node) WHERE label IN $labels)
RETURN count(node) AS n
"""


class Neo4jStore(CypherStore):
    """GraphStore on a Neo4j server (5.x), addressed by a bolt or neo4j URI."""

    engine = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
    ) -> None:
        auth = (user, password or "") if user else None
        self._driver = AsyncGraphDatabase.driver(uri, auth=auth, connection_acquisition_timeout=5)
        self._database = database

    async def apply_schema(self) -> None:
        for statement in SCHEMA:
            await self._run(statement, {}, neo4j.RoutingControl.WRITE)

    async def ping(self) -> None:
        await self._run("RETURN 1 AS ok", {}, RoutingControl.READ)

    async def close(self) -> None:
        await self._driver.close()

    async def clear(self) -> None:
        """Delete every node and edge: for tests and for re-seeding a scratch database."""
        await self._run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
            {},
            RoutingControl.WRITE,
            implicit=True,
        )

    async def search(
        self, query: str, kinds: Sequence[str] | None, first: int, offset: int
    ) -> tuple[list[SearchHit], int]:
        lucene = lucene_query(query)
        wanted = [label for label, kind in _LABEL_KINDS.items() if kinds is None or kind in kinds]
        if lucene is None or not wanted:
            return [], 0
        params = {"query": lucene, "labels": wanted, "first": first, "offset": offset}
        total = int((await self._read(_SEARCH_COUNT, params))[0]["n"])
        if total == 0 or first == 0:
            return [], total
        rows = await self._read(_SEARCH, params)
        hits = [
            SearchHit(id=r["id"], kind=_LABEL_KINDS[r["label"]], score=r["score"]) for r in rows
        ]
        return hits, total

    async def _index_documents(self, docs: Sequence[SearchDocument]) -> None:
        """Nothing to do: Neo4j's full-text index follows every committed write itself."""

    async def _read(self, query: str, params: dict[str, Any]) -> list[Row]:
        return await self._run(query, params, RoutingControl.READ)

    async def _write(self, statements: Sequence[Statement]) -> None:
        async def work(tx: neo4j.AsyncManagedTransaction) -> None:
            for query, params in statements:
                result = await tx.run(query, params)
                await result.consume()

        try:
            with timed_query():
                async with self._driver.session(database=self._database) as session:
                    await session.execute_write(work)
        except (ServiceUnavailable, SessionExpired, AuthError) as error:
            raise StoreUnavailableError(f"Neo4j is unavailable: {error}") from error

    async def _run(
        self,
        query: str,
        params: dict[str, Any],
        routing: RoutingControl,
        *,
        implicit: bool = False,
    ) -> list[Row]:
        try:
            with timed_query():
                if implicit:
                    async with self._driver.session(database=self._database) as session:
                        result = await session.run(query, params)
                        return [record.data() async for record in result]
                records, _, _ = await self._driver.execute_query(
                    query,
                    params,
                    routing_=routing,
                    database_=self._database,
                )
                return [record.data() for record in records]
        except (ServiceUnavailable, SessionExpired, AuthError) as error:
            raise StoreUnavailableError(f"Neo4j is unavailable: {error}") from error
