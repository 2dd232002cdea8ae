"""The production engine: Neo4j through the official async driver.

Reads go through ``execute_query(routing_=READ)`` so a cluster spreads them over its readers;
each upsert batch is one write transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
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

from graphstore.engines import cypher
from graphstore.engines.accounts import AccountCypher, ConflictingWriteError, Step
from graphstore.engines.cypher_store import (
    CypherStore,
    coauthor_weight,
    merge_affiliations,
    researcher_from_row,
    researcher_record,
    topic_from_row,
    work_from_row,
)
from graphstore.engines.query import ReadQuery, columns
from graphstore.engines.text_search import (
    NEO4J_FULLTEXT_INDEX,
    NEO4J_FULLTEXT_INDEXES,
    SearchDocument,
    lucene_query,
)
from graphstore.engines.work_pages import descending_value
from graphstore.engines.writes import Dialect, Row, Statement
from graphstore.ids import NodeLabel
from graphstore.instrumentation import remaining_seconds, timed_query
from graphstore.protocol import (
    ProfileRead,
    ProfileReadResult,
    SearchHit,
    StoreError,
    StoreTimeoutError,
    StoreUnavailableError,
    WorkPage,
)
from graphstore.records import (
    CLOSE_COLLABORATION_WORKS,
    CollaborationRecord,
    ProfileSummary,
    SummaryOptions,
    TopicShareRecord,
    WorkPageRequest,
    WorkPosition,
)
from graphstore.traversal import EdgeKind, Neighbour

SCHEMA = (
    "CREATE CONSTRAINT researcher_id IF NOT EXISTS FOR (n:Researcher) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT work_id IF NOT EXISTS FOR (n:Work) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_id IF NOT EXISTS FOR (n:User) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT user_email IF NOT EXISTS FOR (n:User) REQUIRE n.email IS UNIQUE",
    # One claimant per researcher (graphstore.engines.accounts), whatever the claim's status.
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
_SEARCH = ReadQuery(
    f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $query) YIELD node, score
WITH node, score, [label IN labels(node) WHERE label IN $labels][0] AS label
WHERE label IS NOT NULL
""",
    columns(("node.id", "id"), "label", "score"),
    tail="ORDER BY score DESC, id SKIP $offset LIMIT $first",
)
_SEARCH_COUNT = ReadQuery(
    f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $query) YIELD node
WHERE any(label IN labels(node) WHERE label IN $labels)
""",
    columns(("count(node)", "n")),
)


# The profile walk aggregated where the data is: one row per researcher instead of one per
# co-authorship (thousands for a hub). Same figures and order as graphstore.engines.profile_summary.
# One subquery per part of the summary, named, so what each costs can be measured apart
# (profile_read_parts, for bench/run.py's scale phase).
_SUMMARY_HEAD = """
UNWIND $ids AS rid
OPTIONAL MATCH (r:Researcher {id: rid}) USING INDEX r:Researcher(id)
"""
_SUMMARY_PARTS = {
    "works, citations, h-index": """
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)
  WITH coalesce(w.citedByCount, 0) AS cited ORDER BY cited DESC
  WITH collect(cited) AS cites
  RETURN size(cites) AS works, reduce(total = 0, c IN cites | total + c) AS citations,
         size([i IN range(0, size(cites) - 1) WHERE cites[i] >= i + 1]) AS hIndex
}
""",
    "topics": """
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)-[:HAS_TOPIC]->(t:Topic)
  WITH t, count(DISTINCT w) AS shared
  ORDER BY shared DESC, coalesce(t.name, t.id), t.id
  RETURN count(t) AS topicCount,
         collect({id: t.id, name: t.name, level: t.level, works: shared})[..$top] AS topics
}
""",
    # A work's weight is read once, not once per co-author, and only those kept (at least
    # $minShared works) are sorted, top $top alone (a hub has 1,117 co-authors, 275 of them
    # close): Neo4j's CPU for the hub's summary 10.3-11.6 -> 5.9-7.8 ms (bench/README.md).
    "collaborators": """
CALL (r) {
  MATCH (r)-[:AUTHORED]->(w:Work)
  WITH r, w, CASE WHEN w.authorCount > 1 THEN 1.0 / (w.authorCount - 1) ELSE 1.0 END AS weight
  MATCH (w)<-[:AUTHORED]-(c:Researcher)
  WHERE c <> r
  WITH c, count(w) AS shared, sum(weight) AS strength
  WITH count(c) AS collaboratorCount,
       count(CASE WHEN shared >= $close THEN 1 END) AS closeCount,
       collect(CASE WHEN shared >= $minShared THEN [c, shared, round(strength, 9)] END) AS kept
  CALL (kept) {
    UNWIND kept AS k
    WITH k[0] AS c, k[1] AS shared, k[2] AS strength
    ORDER BY strength DESC, shared DESC, coalesce(c.name, c.id), c.id
    LIMIT $top
    RETURN collect({
      id: c.id, name: c.name, orcid: c.orcid, bio: c.bio,
      openToCollaborate: c.openToCollaborate, claimStatus: c.claimStatus,
      orcidVerified: c.orcidVerified, shared: shared, strength: strength
    }) AS collaborators
  }
  RETURN collaboratorCount, closeCount, collaborators
}
""",
    "followers": """
CALL (r) {
  OPTIONAL MATCH (u:User)-[:FOLLOWS]->(r)
  RETURN count(u) AS followers
}
""",
    "affiliations from authorships": """
CALL (r) {
  MATCH (r)-[e:AUTHORED]->(w:Work)
  UNWIND e.institutions AS iid
  MATCH (i:Institution {id: iid})
  WITH i, collect(DISTINCT w.year) AS years
  RETURN collect({id: i.id, name: i.name, country: i.country, type: i.type, ror: i.ror,
                  years: years}) AS fromAuthorships
}
""",
    "affiliations from author records": """
CALL (r) {
  MATCH (r)-[a:AFFILIATED_WITH]->(i:Institution)
  RETURN collect({id: i.id, name: i.name, country: i.country, type: i.type, ror: i.ror,
                  years: a.years}) AS fromRecords
}
""",
}
_PROFILE_SUMMARIES = ReadQuery(
    _SUMMARY_HEAD + "".join(_SUMMARY_PARTS.values()),
    columns(
        "rid",
        "works",
        "citations",
        "hIndex",
        "topicCount",
        "topics",
        "collaboratorCount",
        "closeCount",
        "collaborators",
        "followers",
        "fromAuthorships",
        "fromRecords",
    ),
)

# Keyset pages ordered, filtered and cut in Cypher: the filtered total (counting the works
# before the cursor too) from one walk, the page from another that keeps only what follows
# the cursor and sorts just the top $limit (the largest page + 1, for hasNextPage) of it.
# ``rank`` folds the three orders into one descending sort
# (graphstore.engines.work_pages.descending_value); a missing title sorts as the id. Titles, the
# tie-break, are read only for works whose rank can reach the page (at least the $limit-th
# largest rank): reading every work's title to sort was a sixth of the page's Neo4j CPU for the
# hub (bench/README.md). Only the page's works are read whole.
_SORT_TITLE = "CASE WHEN coalesce(w.title, '') = '' THEN w.id ELSE w.title END"
# A page's authors come as lists of these values, not maps: a hub's first page has 68 of
# them, and the keys of a map cost Neo4j writing and the driver decoding them every time.
# The work's id and author count, the same for all its authors, come once with the work.
# _page_authors unpacks them in this order. When every request of a read takes names only
# (WorkPageRequest.author_names_only: a profile page's authors), the other values are nulls,
# which Neo4j does not read: 8% of its CPU for the hub's profile (bench/README.md).
_PAGE_AUTHOR_VALUES = (
    "a.id, a.name, a.orcid, a.bio, a.openToCollaborate, a.claimStatus, a.orcidVerified, "
    "e.position, e.institutions"
)
_PAGE_AUTHOR_NAMES = "a.id, a.name, null, null, null, null, null, e.position, null"
_WORK_FILTER = """
(req.yearFrom IS NULL OR w.year >= req.yearFrom)
AND (req.yearTo IS NULL OR w.year <= req.yearTo)
AND (req.types IS NULL OR w.type IN req.types)
"""


def _work_pages_query(author_values: str) -> ReadQuery:
    return ReadQuery(
        f"""
UNWIND $requests AS req
OPTIONAL MATCH (r:Researcher {{id: req.researcher}}) USING INDEX r:Researcher(id)
CALL (r, req) {{
  RETURN CASE WHEN req.yearFrom IS NULL AND req.yearTo IS NULL AND req.types IS NULL
    THEN COUNT {{ (r)-[:AUTHORED]->() }}
    ELSE COUNT {{ (r)-[:AUTHORED]->(w:Work) WHERE {_WORK_FILTER} }}
  END AS total
}}
CALL (r, req) {{
  MATCH (r)-[:AUTHORED]->(w:Work)
  WHERE {_WORK_FILTER}
  WITH w,
       CASE req.order
         WHEN 'NEWEST' THEN coalesce(w.year, 0)
         WHEN 'OLDEST' THEN -coalesce(w.year, 9999)
         ELSE coalesce(w.citedByCount, 0)
       END AS rank
  WHERE req.after IS NULL OR rank < req.after.rank
    OR (rank = req.after.rank AND ({_SORT_TITLE} > req.after.title
        OR ({_SORT_TITLE} = req.after.title AND w.id > req.after.id)))
  WITH w, rank ORDER BY rank DESC
  WITH collect([w, rank]) AS kept
  UNWIND kept AS k
  WITH k[0] AS w, k[1] AS rank, kept[$limit - 1][1] AS threshold
  WHERE threshold IS NULL OR rank >= threshold
  WITH w, rank, {_SORT_TITLE} AS title
  ORDER BY rank DESC, title, w.id
  LIMIT $limit
  RETURN collect({{w: w, rank: rank, title: title}}) AS ranked
}}
CALL (req, ranked) {{
  UNWIND range(0, size(ranked[..req.first + 1]) - 1) AS index
  WITH index, ranked[index] AS c
  WITH index, c, c.w AS w
  RETURN collect({{
    index: index, id: w.id, title: w.title, type: w.type, year: w.year, venue: w.venue,
    doi: w.doi, abstract: w.abstract, citedByCount: w.citedByCount,
    authorCount: w.authorCount, rank: c.rank, sortTitle: c.title,
    authors: [(w)<-[e:AUTHORED]-(a:Researcher) | [{author_values}]]
  }}) AS page
}}
""",
        columns(("req.key", "key"), "total", "page"),
    )


_WORK_PAGES = _work_pages_query(_PAGE_AUTHOR_VALUES)
_WORK_PAGES_NAMES_ONLY = _work_pages_query(_PAGE_AUTHOR_NAMES)


@functools.lru_cache(maxsize=256)
def _collected(query: ReadQuery, name: str = "rows") -> str:
    """``query.collected(name)``, printed once: every Neo4j read prints it (a frozen
    ReadQuery is hashable, and an equal one built again finds the same entry)."""
    return query.collected(name)


def side_by_side(queries: dict[str, ReadQuery]) -> str:
    """One query running each of ``queries`` as a subquery: a single row whose column
    ``name`` lists the rows of ``queries[name]`` as maps. Parameters are shared, so the
    queries must agree on the ones they both use."""
    calls = "".join(
        f"CALL () {{\n{_collected(query, name)}\n}}\n" for name, query in queries.items()
    )
    return f"{calls}RETURN {', '.join(queries)}"


def profile_read_parts(read: ProfileRead) -> dict[str, tuple[ReadQuery, dict[str, Any]]]:
    """What ``Neo4jStore.profile_read`` asks Neo4j in one query, part by part: each part a
    query of its own with its parameters, for measuring what each costs (bench/run.py)."""
    ids = list(read.researcher_ids)
    parts = {"researcher": (cypher.RESEARCHERS_BY_ID, {"ids": ids})}
    if read.summary is not None:
        params = _summary_parameters(ids, read.summary)
        for name, part in _SUMMARY_PARTS.items():
            parts[name] = (ReadQuery(f"{_SUMMARY_HEAD}{part}", columns("rid")), params)
    if read.pages:
        parts["works page"] = (_pages_query(read.pages)[0], _pages_parameters(read.pages))
    return parts


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

    async def profile_summaries(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        params = _summary_parameters(list(ids), SummaryOptions(min_shared=min_shared, top=top))
        found = {row["rid"]: _summary(row) for row in await self._read(_PROFILE_SUMMARIES, params)}
        return [found[i] for i in ids]

    async def work_pages(self, requests: Sequence[WorkPageRequest]) -> list[WorkPage]:
        query, in_full = _pages_query(requests)
        found = {row["key"]: row for row in await self._read(query, _pages_parameters(requests))}
        return [_work_page(r, found[key], in_full) for key, r in enumerate(requests)]

    async def profile_read(self, read: ProfileRead) -> ProfileReadResult:
        """The three reads as subqueries of one query: one transaction and round trip instead
        of three, which is most of what a small profile costs the server and the driver."""
        ids = list(read.researcher_ids)
        queries: dict[str, ReadQuery] = {"researchers": cypher.RESEARCHERS_BY_ID}
        params: dict[str, Any] = {"ids": ids}
        pages_in_full = True
        if read.summary is not None:
            queries["summaries"] = _PROFILE_SUMMARIES
            params |= _summary_parameters(ids, read.summary)
        if read.pages:
            queries["pages"], pages_in_full = _pages_query(read.pages)
            params |= _pages_parameters(read.pages)
        row = (await self._run(side_by_side(queries), params, RoutingControl.READ))[0]
        researchers = {r["id"]: researcher_from_row(r) for r in row["researchers"]}
        if not researchers:
            return ProfileReadResult(researchers=[None for _ in ids], summaries=None, pages=[])
        summaries = {r["rid"]: _summary(r) for r in row.get("summaries", ())}
        pages = {r["key"]: r for r in row.get("pages", ())}
        return ProfileReadResult(
            researchers=[researchers.get(i) for i in ids],
            summaries=None if read.summary is None else [summaries[i] for i in ids],
            pages=[_work_page(r, pages[key], pages_in_full) for key, r in enumerate(read.pages)],
        )

    async def _index_documents(self, documents: Callable[[], Sequence[SearchDocument]]) -> None:
        """Nothing to do: Neo4j's full-text index follows every committed write itself."""

    async def _read(self, query: ReadQuery, params: dict[str, Any]) -> list[Row]:
        # One row holding every row as a map: the async driver costs about 60 microseconds per
        # record received (a task and a socket wait each), so 2,000 co-authorship rows took
        # 140 ms where the one collected row takes 20 ms (graphstore/engines/README.md).
        rows = await self._run(_collected(query), params, RoutingControl.READ)
        found: list[Row] = rows[0]["rows"]
        return found

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
                # Not Record.data(): it walks every nested value to convert graph types, which
                # our reads never return (they return properties), and cost 11 ms a profile.
                return [dict(zip(record.keys(), record, strict=True)) for record in records]
        except (ServiceUnavailable, SessionExpired, AuthError) as error:
            raise StoreUnavailableError(f"Neo4j is unavailable: {error}") from error
        except Neo4jClientError as error:
            if error.code and "TransactionTimedOut" in error.code:
                raise StoreTimeoutError("the query ran past the request's deadline") from error
            raise


def _summary(row: Row) -> ProfileSummary:
    affiliations = merge_affiliations([*row["fromAuthorships"], *row["fromRecords"]])
    return ProfileSummary(
        works=int(row["works"]),
        citations=int(row["citations"]),
        h_index=int(row["hIndex"]),
        topic_count=int(row["topicCount"]),
        collaborator_count=int(row["collaboratorCount"]),
        close_collaborator_count=int(row["closeCount"]),
        followers=int(row["followers"]),
        affiliations=tuple(affiliations),
        topics=tuple(
            TopicShareRecord(topic=topic_from_row(t), works=int(t["works"])) for t in row["topics"]
        ),
        collaborators=tuple(
            CollaborationRecord(
                researcher=researcher_from_row(c),
                shared_works=int(c["shared"]),
                strength=float(c["strength"]),
            )
            for c in row["collaborators"]
        ),
    )


def _summary_parameters(ids: list[str], options: SummaryOptions) -> dict[str, Any]:
    return {
        "ids": ids,
        "minShared": options.min_shared,
        "top": options.top,
        "close": CLOSE_COLLABORATION_WORKS,
    }


def _pages_parameters(requests: Sequence[WorkPageRequest]) -> dict[str, Any]:
    return {
        "requests": [_page_parameters(key, r) for key, r in enumerate(requests)],
        "limit": max(r.first for r in requests) + 1,
    }


def _page_parameters(key: int, request: WorkPageRequest) -> dict[str, Any]:
    after = request.after
    return {
        "key": key,
        "researcher": request.researcher_id,
        "order": request.order.value,
        "yearFrom": request.filter.year_from,
        "yearTo": request.filter.year_to,
        "types": list(request.filter.types) if request.filter.types is not None else None,
        "after": None
        if after is None
        else {
            "rank": descending_value(request.order, after.sort_value),
            "title": after.title,
            "id": after.id,
        },
        "first": request.first,
    }


def _pages_query(requests: Sequence[WorkPageRequest]) -> tuple[ReadQuery, bool]:
    """The page query for ``requests``, and whether it reads their authors in full."""
    if all(request.author_names_only for request in requests):
        return _WORK_PAGES_NAMES_ONLY, False
    return _WORK_PAGES, True


def _work_page(request: WorkPageRequest, row: Row, authors_in_full: bool) -> WorkPage:
    page = sorted(row["page"], key=lambda w: int(w["index"]))[: request.first]
    works = tuple(
        (
            WorkPosition(
                sort_value=descending_value(request.order, int(w["rank"])),
                title=w["sortTitle"],
                id=w["id"],
            ),
            work_from_row(w),
        )
        for w in page
    )
    return WorkPage(
        works=works,
        has_next_page=len(row["page"]) > request.first,
        total=int(row["total"]),
        authors=tuple(_page_authors(w) for w in page),
        authors_in_full=authors_in_full,
    )


def _page_authors(work: Row) -> tuple[Neighbour, ...]:
    """A page work's authors, from their lists of values (_PAGE_AUTHOR_VALUES or _NAMES): the
    Neighbours neighbour_from_row makes of the same hop's rows, without a map per author to
    build and copy (most of what building a hub's page cost, bench/README.md)."""
    weight = coauthor_weight(work["authorCount"])
    return tuple(
        Neighbour(
            source=work["id"],
            target=target,
            label=NodeLabel.RESEARCHER,
            name=name or target,
            edge=EdgeKind.AUTHORED,
            edge_weight=weight,
            node_weight=0.0,
            record=researcher_record(target, name, orcid, bio, open_flag, claim, verified),
            position=None if position is None else int(position),
            institutions=tuple(institutions or ()),
        )
        for target, name, orcid, bio, open_flag, claim, verified, position, institutions in work[
            "authors"
        ]
    )
