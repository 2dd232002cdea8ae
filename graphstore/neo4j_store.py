"""The production engine: Neo4j through the official async driver.

Reads go through ``execute_query(routing_=READ)`` so a cluster spreads them over its readers;
each upsert batch is one write transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.exceptions import ClientError as Neo4jClientError

from graphstore.accounts import AccountCypher, ConflictingWriteError, Step
from graphstore.cypher_store import CypherStore
from graphstore.instrumentation import remaining_seconds, timed_query
from graphstore.protocol import StoreError, StoreTimeoutError, StoreUnavailableError
from graphstore.text_search import (
    NEO4J_FULLTEXT_INDEX,
    NEO4J_FULLTEXT_INDEXES,
    SearchDocument,
    SearchHit,
    lucene_query,
)
from graphstore.writes import Dialect, Row, Statement

SCHEMA = (
    "CREATE CONSTRAINT researcher_id IF NOT EXISTS FOR (n:Researcher) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT work_id IF NOT EXISTS FOR (n:Work) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_email IF NOT EXISTS FOR (n:User) REQUIRE n.email IS UNIQUE",
    # One claimant per researcher (graphstore.accounts), whatever the claim's status.
    "CREATE CONSTRAINT claimed_researcher IF NOT EXISTS "
    "FOR ()-[c:CLAIMED]-() REQUIRE c.researcherId IS UNIQUE",
    "CREATE CONSTRAINT invitation_id IF NOT EXISTS FOR (n:Invitation) REQUIRE n.id IS UNIQUE",
    "CREATE INDEX work_year IF NOT EXISTS FOR (n:Work) ON (n.year)",
    # The import's: a reference to a work not in the graph waits on a MissingWork node.
    "CREATE CONSTRAINT missing_work_id IF NOT EXISTS FOR (n:MissingWork) REQUIRE n.id IS UNIQUE",
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


class Neo4jStore(AccountCypher, CypherStore):
    """GraphStore on a Neo4j server (5.x), addressed by a bolt or neo4j URI."""

    engine = "neo4j"
    index_hints = True
    dialect = Dialect.NEO4J

    def __init__(
        self,
        uri: str,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
    ) -> None:
        auth = (user, password or "") if user else None
        # Short connect, acquisition and retry times: with Neo4j down a request fails within
        # a second or two (DATABASE_UNAVAILABLE) instead of hanging; the driver reconnects by
        # itself once the server is back.
        self._driver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=1.0,
            connection_acquisition_timeout=2.0,
            # One retry after the driver's first back-off (about 1 s), then give up.
            max_transaction_retry_time=0.5,
            # Schema hints ("relationship type does not exist" before the first invitation)
            # are expected in an empty graph and only flood the log.
            notifications_min_severity="OFF",
        )
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
            with timed_query(self.engine):
                async with self._driver.session(database=self._database) as session:
                    await session.execute_write(work)
        except (ServiceUnavailable, SessionExpired, AuthError) as error:
            raise StoreUnavailableError(f"Neo4j is unavailable: {error}") from error
        except Neo4jError as error:
            # Refused by the database (a constraint, a type): the importer retries the
            # batch's records one by one and reports those refused again.
            raise StoreError(f"Neo4j refused the write: {error.message or error}") from error

    async def _transact(self, steps: Sequence[Step]) -> list[list[Row]]:
        async def work(tx: neo4j.AsyncManagedTransaction) -> list[list[Row]]:
            results = []
            for step in steps:
                result = await tx.run(step.query, step.params)
                rows: list[Row] = await result.data()
                if step.check is not None:
                    step.check(rows)
                results.append(rows)
            return results

        try:
            with timed_query(self.engine):
                async with self._driver.session(database=self._database) as session:
                    return await session.execute_write(work)
        except ConstraintError as error:
            raise ConflictingWriteError(error.message or str(error)) from error
        except (ServiceUnavailable, SessionExpired, AuthError) as error:
            raise StoreUnavailableError(f"Neo4j is unavailable: {error}") from error
        except Neo4jError as error:
            raise StoreError(f"Neo4j refused the write: {error.message or error}") from error

    async def _run(
        self,
        query: str,
        params: dict[str, Any],
        routing: RoutingControl,
        *,
        implicit: bool = False,
    ) -> list[Row]:
        left = remaining_seconds()
        if left is not None and left <= 0:
            raise StoreTimeoutError("the request's deadline passed before the query")
        # The request's deadline becomes the transaction timeout: past it Neo4j itself stops
        # the work, even if the client has gone.
        statement = neo4j.Query(query, timeout=left) if left is not None else query
        try:
            with timed_query(self.engine):
                if implicit:
                    async with self._driver.session(database=self._database) as session:
                        result = await session.run(statement, params)
                        return [record.data() async for record in result]
                records, _, _ = await self._driver.execute_query(
                    statement,
                    params,
                    routing_=routing,
                    database_=self._database,
                )
                return [record.data() for record in records]
        except (ServiceUnavailable, SessionExpired, AuthError) as error:
            raise StoreUnavailableError(f"Neo4j is unavailable: {error}") from error
        except Neo4jClientError as error:
            if error.code and "TransactionTimedOut" in error.code:
                raise StoreTimeoutError("the query ran past the request's deadline") from error
            raise
