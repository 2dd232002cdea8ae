"""The production engine: Neo4j through the official async driver.

Reads go through ``execute_query(routing_=READ)`` so a cluster spreads them over its readers;
each upsert batch is one write transaction. Inside a request's causal chain
(graphstore.instrumentation), reads wait for its bookmarks and each write hands on its own, so
a read after a write sees it whichever server answers.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ConstraintError,
    DatabaseUnavailable,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.exceptions import ClientError as Neo4jClientError

from graphstore.engines import cypher
from graphstore.engines.accounts import AccountCypher, ConflictingWriteError, Step
from graphstore.engines.compiler import (
    FIRST_PAGE_ORDER,
    SORT_TITLE,
    SUMMARY_HEAD,
    after_cursor,
    coauthor_weight,
    collaborators_query,
    descending_value,
    first_authors,
    first_page_ids,
    page_order,
    profile_summary_query,
    summary_parameters,
    summary_parts,
    work_filter,
    work_rank,
    work_rank_of,
)
from graphstore.engines.cypher_store import (
    CypherStore,
    by_id,
    researcher_from_row,
    researcher_record,
    summary_from_row,
    work_from_row,
    work_position,
)
from graphstore.engines.figures import (
    STORED_PAGE,
    STORED_PAGE_SIZE,
    answers_page,
    stored_summaries_query,
)
from graphstore.engines.query import ReadQuery, columns
from graphstore.engines.recovery import Read, Recovery
from graphstore.engines.text_search import (
    CANDIDATES,
    COUNT_BOUND,
    NEO4J_FULLTEXT_INDEX,
    NEO4J_FULLTEXT_INDEXES,
    SearchCandidate,
    SearchDocument,
    SearchPlan,
    Stage,
    lucene_query,
    neo4j_search_properties,
)
from graphstore.engines.work_lists import ListCypher
from graphstore.engines.writes import Dialect, Row, Statement
from graphstore.ids import NodeLabel
from graphstore.instrumentation import (
    CausalChain,
    current_chain,
    remaining_seconds,
    timed_query,
)
from graphstore.protocol import (
    InvalidBookmarkError,
    ProfileRead,
    ProfileReadResult,
    SearchHit,
    SearchRequest,
    StoreError,
    StoreMemoryError,
    StoreTimeoutError,
    StoreUnavailableError,
    WorkPage,
)
from graphstore.records import (
    ProfileSummary,
    SummaryOptions,
    WorkPageRequest,
)
from graphstore.traversal import EdgeKind, Neighbour

log = logging.getLogger("graphstore.neo4j")

# What says that Neo4j cannot be reached (or is not serving the database) right now.
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, AuthError, DatabaseUnavailable)
# A query that any Neo4j answers: the readiness probe's, and the recovery's first.
_PING = "RETURN 1 AS ok"

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
    # The analysts' lists of a venue's works (graphstore.engines.work_lists).
    "CREATE INDEX work_venue IF NOT EXISTS FOR (n:Work) ON (n.venue)",
    # The import's: a reference to a work not in the graph waits on a MissingWork node.
    "CREATE CONSTRAINT missing_work_id IF NOT EXISTS FOR (n:MissingWork) REQUIRE n.id IS UNIQUE",
    # Look-ups by DOI, ORCID and ROR, and versions of one paper (graphstore.identifiers).
    "CREATE CONSTRAINT identifier_id IF NOT EXISTS FOR (n:Identifier) REQUIRE n.id IS UNIQUE",
    *NEO4J_FULLTEXT_INDEXES,
)

# What a write transaction's work returns (Neo4jStore._chained_write).
_Result = TypeVar("_Result")

_KIND_LABELS = {
    "researcher": "Researcher",
    "work": "Work",
    "topic": "Topic",
    "institution": "Institution",
}
# One stage's candidates (text_search.Stage): the title stages' first CANDIDATES in the order
# SqliteTextIndex keeps them (Stage.cut_in_title_order); the all-words stage's matches when
# they are at most CANDIDATES, as only a complete one counts (Stage.complete_only);
# the any-word stage's with the bounded count (_ANY_WORD_AND_COUNT). Only the kept ones read
# their title and popularity.
_POPULARITY = (
    "CASE node.searchKind WHEN 'work' THEN coalesce(node.citedByCount, 0) "
    "WHEN 'researcher' THEN COUNT { MATCH (node)-[:AUTHORED]->(w) RETURN DISTINCT w } "
    "ELSE 0 END"
)
_CANDIDATE_COLUMNS = columns(
    ("node.id", "id"),
    ("node.searchKind", "kind"),
    ("node.searchTitle", "title"),
    ("node.year", "year"),
    (_POPULARITY, "popularity"),
)
_STAGE_CANDIDATES = {
    stage: ReadQuery(
        f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $stage{stage.value}) YIELD node
WITH node, {_POPULARITY} AS popularity
ORDER BY node.searchLength, popularity DESC, node.id LIMIT {CANDIDATES}
""",
        columns(*_CANDIDATE_COLUMNS[:-1], "popularity"),
    )
    if stage.cut_in_title_order
    else ReadQuery(
        # A cut stage would be left out by rank: its nodes are not read at all.
        f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $stage{stage.value},
    {{limit: {CANDIDATES + 1}}}) YIELD node
WITH collect(node) AS found
UNWIND CASE WHEN size(found) <= {CANDIDATES} THEN found ELSE [] END AS node
""",
        _CANDIDATE_COLUMNS,
    )
    for stage in Stage
    if stage != Stage.ANY_WORD
}
# The any-word matches, counted up to COUNT_BOUND, and all of them when they are at most
# CANDIDATES (SearchPlan.counts): one Lucene query for both (it is the costliest of a
# search's).
_ANY_WORD_AND_COUNT = ReadQuery(
    f"""
CALL db.index.fulltext.queryNodes('{NEO4J_FULLTEXT_INDEX}', $stage{Stage.ANY_WORD.value},
    {{limit: {COUNT_BOUND}}}) YIELD node
WITH collect(node) AS found
CALL (found) {{
    UNWIND CASE WHEN size(found) <= {CANDIDATES} THEN found ELSE [] END AS node
    RETURN collect({{{", ".join(f"{c.name}: {c.expression}" for c in _CANDIDATE_COLUMNS)}}})
        AS candidates
}}
""",
    columns(("size(found)", "n"), "candidates"),
)
# The search properties each kind's nodes carry for the full-text index
# (text_search.neo4j_search_properties).
# By kind and SearchDocument.fills_in: a node a work names keeps the properties it has.
_SEARCH_PROPERTIES = {
    (kind, fills_in): f"""
UNWIND $docs AS d
MATCH (n:{label} {{id: d.id}}){" WHERE n.searchTitle IS NULL" if fills_in else ""}
SET n += d.properties
"""
    for kind, label in _KIND_LABELS.items()
    for fills_in in (False, True)
}


# Keyset pages ordered, filtered and cut in Cypher (the orders, filter and cursor are the
# compiler's, as LadybugDB's page): the filtered total (counting the works before the cursor
# too) from one walk, the page from another that keeps only what follows the cursor and sorts
# just the top $limit (the largest page + 1, for hasNextPage) of it. Titles, the tie-break,
# are read only for works whose rank can reach the page (at least the $limit-th largest
# rank): reading every work's title to sort was a sixth of the page's Neo4j CPU for the hub
# (bench/README.md). Only the page's works are read whole. A request the stored first page
# answers (figures.answers_page) reads the works that page lists by key instead, and walks
# only when it was never written.
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
_WORK_FILTER = work_filter(lambda name: f"req.{name}")
_AFTER_CURSOR = after_cursor(lambda name: f"req.after.{name}", "rank", SORT_TITLE, "w.id")


def _work_pages_query(author_values: str) -> ReadQuery:
    return ReadQuery(
        f"""
UNWIND $requests AS req
OPTIONAL MATCH (r:Researcher {{id: req.researcher}}) USING INDEX r:Researcher(id)
WITH req, r, CASE WHEN req.stored THEN {STORED_PAGE} END AS stored
CALL (r, req) {{
  RETURN CASE WHEN req.yearFrom IS NULL AND req.yearTo IS NULL AND req.types IS NULL
    THEN COUNT {{ (r)-[:AUTHORED]->() }}
    ELSE COUNT {{ (r)-[:AUTHORED]->(w:Work) WHERE {_WORK_FILTER} }}
  END AS total
}}
CALL (r, req, stored) {{
  MATCH (r)-[:AUTHORED]->(w:Work)
  WHERE stored IS NULL AND {_WORK_FILTER}
  WITH w, {work_rank_of("req.order")} AS rank
  WHERE req.after IS NULL OR {_AFTER_CURSOR}
  WITH w, rank ORDER BY rank DESC
  WITH collect([w, rank]) AS kept
  UNWIND kept AS k
  WITH k[0] AS w, k[1] AS rank, kept[$limit - 1][1] AS threshold
  WHERE threshold IS NULL OR rank >= threshold
  WITH w, rank, {SORT_TITLE} AS title
  ORDER BY {page_order("title", "w.id")}
  LIMIT $limit
  RETURN collect({{w: w, rank: rank, title: title}}) AS ranked
}}
CALL (req, stored) {{
  UNWIND range(0, size(coalesce(stored, [])[..req.first + 1]) - 1) AS index
  MATCH (w:Work {{id: stored[index]}})
  WITH index, w ORDER BY index
  RETURN collect({{w: w, rank: {work_rank(FIRST_PAGE_ORDER)}, title: {SORT_TITLE}}}) AS listed
}}
WITH req, total, CASE WHEN stored IS NULL THEN ranked ELSE listed END AS ranked
CALL (req, ranked) {{
  UNWIND range(0, size(ranked[..req.first + 1]) - 1) AS index
  WITH index, ranked[index] AS c
  WITH index, c, c.w AS w
  RETURN collect({{
    index: index, id: w.id, title: w.title, type: w.type, year: w.year, venue: w.venue,
    doi: w.doi, abstract: w.abstract, citedByCount: w.citedByCount, authorCount: w.authorCount,
    authorWeight: {coauthor_weight("w")}, rank: c.rank, sortTitle: c.title,
    authors: [(w)<-[e:AUTHORED]-(a:Researcher)
        WHERE req.authorLimit IS NULL OR {first_authors("req.authorLimit")} | [{author_values}]]
  }}) AS page
}}
""",
        columns(("req.key", "key"), "total", "page"),
    )


# The profile's figures, every part a subquery of one query (graphstore.engines.compiler).
_PROFILE_SUMMARIES = profile_summary_query()
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
    parts: dict[str, tuple[ReadQuery, dict[str, Any]]] = {
        "researcher": (cypher.RESEARCHERS_BY_ID.each, {"ids": ids})
    }
    if read.summary is not None:
        params = {"ids": ids, **summary_parameters(read.summary.min_shared, read.summary.top)}
        for name, group in summary_parts(Dialect.NEO4J).items():
            subqueries = "\n".join(part.subquery for part in group)
            parts[name] = (ReadQuery(f"{SUMMARY_HEAD}\n{subqueries}", columns("rid")), params)
    if read.pages:
        parts["works page"] = (_pages_query(read.pages)[0], _pages_parameters(read.pages))
    return parts


class Neo4jStore(AccountCypher, ListCypher, CypherStore):
    """GraphStore on a Neo4j server (5.x), addressed by a bolt or neo4j URI."""

    engine = "neo4j"
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
        # itself once the server is back. A server that is back but cold is the recovery's
        # (graphstore.engines.recovery): queries wait while it runs the recent reads again.
        self._driver = AsyncGraphDatabase.driver(
            uri,
            auth=auth,
            connection_timeout=1.0,
            connection_acquisition_timeout=2.0,
            # One retry after a short back-off, then give up: a failed query is the
            # recovery's to handle. The driver's default back-off (about 1 s) came on top of
            # the seconds a stopping Neo4j holds a query before it refuses it.
            initial_retry_delay=0.2,
            max_transaction_retry_time=0.1,
            # Schema hints ("relationship type does not exist" before the first invitation)
            # are expected in an empty graph and only flood the log.
            notifications_min_severity="OFF",
        )
        self._database = database
        self._recovery = Recovery(self._warm_up)

    async def apply_schema(self) -> None:
        for statement in SCHEMA:
            await self._run(statement, {}, neo4j.RoutingControl.WRITE)

    async def ping(self) -> None:
        await self._run(_PING, {}, RoutingControl.READ)

    async def close(self) -> None:
        await self._recovery.close()
        await self._driver.close()

    async def clear(self) -> None:
        """Delete every node and edge: for tests and for re-seeding a scratch database."""
        await self._run(
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
            {},
            RoutingControl.WRITE,
            implicit=True,
        )

    async def run_self_batching(self, statement: str) -> None:
        """Run a statement outside a managed transaction: one that commits as it goes
        (``CALL { ... } IN TRANSACTIONS``) or a procedure that waits (the bulk load's)."""
        await self._run(statement, {}, RoutingControl.WRITE, implicit=True)

    async def search(self, request: SearchRequest) -> tuple[list[SearchHit], int]:
        """Every stage, and the bounded count, as subqueries of one query."""
        plan = SearchPlan.of(request)
        if plan is None:
            return [], 0
        params: dict[str, Any] = {
            f"stage{stage.value}": lucene_query(plan, stage) for stage in plan.stages
        }
        first = [stage for stage in plan.stages if stage != Stage.ANY_WORD]
        queries = {"anyWord": _ANY_WORD_AND_COUNT} | {
            f"stage{stage.value}": _STAGE_CANDIDATES[stage] for stage in first
        }
        row = (await self._run(side_by_side(queries), params, RoutingControl.READ))[0]
        (any_word,) = row["anyWord"]
        total = int(any_word["n"])
        if total == 0 or request.first == 0:
            return [], total
        found: dict[Stage, Sequence[SearchCandidate]] = {
            stage: _candidates(row[f"stage{stage.value}"])
            for stage in first
            if plan.counts(stage, total)
        }
        if plan.counts(Stage.ANY_WORD, total):
            found[Stage.ANY_WORD] = _candidates(any_word["candidates"])
        if plan.near_miss(found, total):
            near = Stage.TITLE_ALL_BUT_ONE
            params = {f"stage{near.value}": lucene_query(plan, near)}
            rows = await self._read(_STAGE_CANDIDATES[Stage.TITLE_ALL_BUT_ONE], params)
            found[near] = _candidates(rows)
        ranked = plan.rank(found)
        return ranked[request.offset : request.offset + request.first], total

    async def _live_summaries(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        params = {"ids": list(ids), **summary_parameters(min_shared, top)}
        rows = await self._read(_PROFILE_SUMMARIES, params)
        found = {row["rid"]: summary_from_row(row) for row in rows}
        return [found[i] for i in ids]

    async def _live_collaborators(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[list[Row]]:
        params = {"ids": list(ids), **summary_parameters(min_shared, top)}
        rows = await self._read(collaborators_query(self.dialect, top), params)
        found = {row["rid"]: row["collaborators"] for row in rows}
        return [found[i] for i in ids]

    async def _live_first_pages(self, ids: Sequence[str]) -> list[list[str]]:
        rows = await self._read(first_page_ids(self.dialect, STORED_PAGE_SIZE), {"ids": list(ids)})
        found = {row["rid"]: row["page"] for row in rows}
        return [found[i] for i in ids]

    async def _stored_summaries(
        self, ids: Sequence[str], options: SummaryOptions
    ) -> list[Row | None]:
        rows = await self._read(stored_summaries_query(), _stored_parameters(ids, options))
        return _stored_rows(ids, rows)

    async def work_pages(self, requests: Sequence[WorkPageRequest]) -> list[WorkPage]:
        query, in_full = _pages_query(requests)
        found = {row["key"]: row for row in await self._read(query, _pages_parameters(requests))}
        return [_work_page(r, found[key], in_full) for key, r in enumerate(requests)]

    async def profile_read(self, read: ProfileRead) -> ProfileReadResult:
        """The three reads as subqueries of one query: one transaction and round trip instead
        of three, which is most of what a small profile costs the server and the driver."""
        ids = list(read.researcher_ids)
        queries: dict[str, ReadQuery] = {"researchers": cypher.RESEARCHERS_BY_ID.each}
        params: dict[str, Any] = {"ids": ids}
        pages_in_full = True
        if read.summary is not None:
            queries["summaries"] = stored_summaries_query()
            params |= _stored_parameters(ids, read.summary)
        if read.pages:
            queries["pages"], pages_in_full = _pages_query(read.pages)
            params |= _pages_parameters(read.pages)
        row = (await self._run(side_by_side(queries), params, RoutingControl.READ))[0]
        researchers = by_id(ids, row["researchers"], researcher_from_row)
        if not any(researchers):
            return ProfileReadResult(researchers=researchers, summaries=None, pages=[])
        summaries = None
        if read.summary is not None:
            stored = _stored_rows(ids, row["summaries"])
            summaries = await self._summaries_from(ids, read.summary, stored)
        pages = {r["key"]: r for r in row.get("pages", ())}
        return ProfileReadResult(
            researchers=researchers,
            summaries=summaries,
            pages=[_work_page(r, pages[key], pages_in_full) for key, r in enumerate(read.pages)],
        )

    async def _write_indexed(
        self, statements: Sequence[Statement], documents: Callable[[], Sequence[SearchDocument]]
    ) -> None:
        """The statements and the nodes' search properties in one transaction: Neo4j's
        full-text index follows the properties itself, at the commit."""
        await self._write([*statements, *self._search_statements(documents())])

    def _search_statements(self, documents: Sequence[SearchDocument]) -> list[Statement]:
        """The statements that set the documents' nodes' search properties."""
        grouped: dict[tuple[str, bool], list[dict[str, Any]]] = {}
        for doc in documents:
            grouped.setdefault((doc.kind, doc.fills_in), []).append(
                {"id": doc.id, "properties": neo4j_search_properties(doc)}
            )
        return [(_SEARCH_PROPERTIES[key], {"docs": docs}) for key, docs in grouped.items()]

    async def _read(self, query: ReadQuery, params: dict[str, Any]) -> list[Row]:
        # One row holding every row as a map: the async driver pays a task and a socket wait
        # for each record received, so thousands of co-authorship rows cost far more than
        # the one collected row (graphstore/engines/README.md).
        rows = await self._run(_collected(query), params, RoutingControl.READ)
        found: list[Row] = rows[0]["rows"]
        return found

    async def _write(self, statements: Sequence[Statement]) -> None:
        async def work(tx: neo4j.AsyncManagedTransaction) -> None:
            for query, params in statements:
                result = await tx.run(query, params)
                await result.consume()

        try:
            await self._chained_write(work)
        except _UNAVAILABLE as error:
            raise self._unavailable(error) from error
        except Neo4jError as error:
            _check_bookmarks(error)
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
            return await self._chained_write(work)
        except ConstraintError as error:
            raise ConflictingWriteError(error.message or str(error)) from error
        except _UNAVAILABLE as error:
            raise self._unavailable(error) from error
        except Neo4jError as error:
            _check_bookmarks(error)
            raise StoreError(f"Neo4j refused the write: {error.message or error}") from error

    async def _run(
        self,
        query: str,
        params: dict[str, Any],
        routing: RoutingControl,
        *,
        implicit: bool = False,
    ) -> list[Row]:
        await self._recovery.ready()
        rows = await self._execute(query, params, routing, implicit=implicit)
        if routing is RoutingControl.READ and not implicit:
            self._recovery.remember(query, params)
        return rows

    async def _warm_up(self, reads: Sequence[Read]) -> None:
        """The recovery's attempt: Neo4j answers, and has run ``reads`` again (their answers
        are dropped; what counts is the plans, compiled code and pages they leave warm)."""
        await self._execute(_PING, {}, RoutingControl.READ)
        for query, params in reads:
            try:
                await self._execute(query, params, RoutingControl.READ)
            except Neo4jError as error:
                # One read not warmed up is one slower query, no reason to stay closed.
                log.warning("could not run a recent read again: %s", error.message or error)

    def _unavailable(self, error: Exception) -> StoreUnavailableError:
        """What a query raises when Neo4j cannot be reached; later ones wait for a recovery."""
        self._recovery.failed()
        return StoreUnavailableError(f"Neo4j is unavailable: {error}")

    async def _execute(
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
        chain = current_chain()
        try:
            with timed_query(self.engine):
                if implicit:
                    async with self._session(chain) as session:
                        result = await session.run(statement, params)
                        return [record.data() async for record in result]
                records, _, _ = await self._driver.execute_query(
                    statement,
                    params,
                    routing_=routing,
                    database_=self._database,
                    bookmark_manager_=self._bookmark_manager(chain),
                )
                # Not Record.data(): it walks every nested value to convert graph types, which
                # our reads never return (they return properties): a profile's worth of
                # needless work.
                return [dict(zip(record.keys(), record, strict=True)) for record in records]
        except _UNAVAILABLE as error:
            raise self._unavailable(error) from error
        except TransientError as error:
            if error.code and "MemoryPoolOutOfMemoryError" in error.code:
                raise StoreMemoryError(
                    f"the query needs more memory than Neo4j gives a transaction: {error.message}"
                ) from error
            raise
        except Neo4jClientError as error:
            if error.code and "TransactionTimedOut" in error.code:
                raise StoreTimeoutError("the query ran past the request's deadline") from error
            _check_bookmarks(error)
            raise

    async def _chained_write(
        self, work: Callable[[neo4j.AsyncManagedTransaction], Awaitable[_Result]]
    ) -> _Result:
        """Run ``work`` as one write transaction, after the request's causal chain, and hand
        the chain the write's bookmarks; the callers map the errors."""
        await self._recovery.ready()
        chain = current_chain()
        with timed_query(self.engine):
            async with self._session(chain) as session:
                result = await session.execute_write(work)
                if chain is not None:
                    chain.bookmarks = (await session.last_bookmarks()).raw_values
                return result

    def _session(self, chain: CausalChain | None) -> neo4j.AsyncSession:
        """A session on the store's database that waits for the chain's bookmarks."""
        bookmarks = None if chain is None else neo4j.Bookmarks.from_raw_values(chain.bookmarks)
        return self._driver.session(database=self._database, bookmarks=bookmarks)

    def _bookmark_manager(self, chain: CausalChain | None) -> neo4j.AsyncBookmarkManager:
        """What a read of ``execute_query`` waits for: the chain's bookmarks in a request
        that has some, else the driver's shared manager (execute_query's default)."""
        if chain is None or not chain.bookmarks:
            return self._driver.execute_query_bookmark_manager
        bookmarks = neo4j.Bookmarks.from_raw_values(chain.bookmarks)
        return AsyncGraphDatabase.bookmark_manager(initial_bookmarks=bookmarks)


def _check_bookmarks(error: Neo4jError) -> None:
    """Raise InvalidBookmarkError when Neo4j refused the bookmarks a client sent."""
    if error.code and "InvalidBookmark" in error.code:
        raise InvalidBookmarkError(error.message or error.code) from error


def _stored_parameters(ids: Sequence[str], options: SummaryOptions) -> dict[str, Any]:
    return {"ids": list(ids), "top": options.top, "minShared": options.min_shared}


def _stored_rows(ids: Sequence[str], rows: Sequence[Row]) -> list[Row | None]:
    """The stored summaries' rows by researcher (None for one absent)."""
    found = {row["rid"]: row for row in rows}
    return [found.get(i) for i in ids]


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
        "stored": answers_page(request),
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
        "authorLimit": request.author_limit,
    }


def _pages_query(requests: Sequence[WorkPageRequest]) -> tuple[ReadQuery, bool]:
    """The page query for ``requests``, and whether it reads their authors in full."""
    if all(request.author_names_only for request in requests):
        return _WORK_PAGES_NAMES_ONLY, False
    return _WORK_PAGES, True


def _work_page(request: WorkPageRequest, row: Row, authors_in_full: bool) -> WorkPage:
    page = sorted(row["page"], key=lambda w: int(w["index"]))[: request.first]
    works = tuple((work_position(request.order, w), work_from_row(w)) for w in page)
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
    weight = float(work["authorWeight"])
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


def _candidates(rows: Sequence[Row]) -> list[SearchCandidate]:
    return [
        SearchCandidate(
            id=r["id"],
            kind=r["kind"],
            title=r["title"],
            year=r["year"],
            popularity=int(r["popularity"]),
        )
        for r in rows
    ]
