"""The embedded default engine: LadybugDB (a maintained fork of Kuzu) in a file or in memory.

LadybugDB allows one writer at a time, so writes go through one connection under a lock;
reads share a small pool of connections. Its Cypher dialect differs from Neo4j's in a few
places (typed tables, no ``type(r)``, bounded walks); see graphstore/engines/README.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import ladybug

from graphstore.engines import cypher, figures, writes
from graphstore.engines.accounts import AccountCypher, ConflictingWriteError, Step
from graphstore.engines.compiler import (
    EACH_FROM,
    Anchoring,
    SummaryPart,
    WorkSetPart,
    anchors_on_center,
    collaborators_query,
    first_page_ids,
    hop_query,
    hop_reads,
    listed_works,
    researcher_works_count,
    researcher_works_page,
    summary_parameters,
    summary_parts,
    work_set_query,
)
from graphstore.engines.cypher_store import (
    CypherStore,
    by_id,
    cursor_parameters,
    filter_parameters,
    neighbours_from_rows,
    researcher_from_row,
    rows_by_node,
    summary_from_row,
    work_from_row,
    work_position,
    year_counts,
)
from graphstore.engines.ladybug_csv import list_cell, write_csv
from graphstore.engines.query import FromIds, Read, ReadQuery, columns
from graphstore.engines.text_search import SearchDocument, SqliteTextIndex, documents_for_works
from graphstore.engines.work_lists import ListCypher
from graphstore.engines.writes import Dialect, Row, Statement
from graphstore.ids import NodeLabel
from graphstore.instrumentation import timed_query
from graphstore.protocol import (
    GraphCounts,
    ProfileRead,
    ProfileReadResult,
    SearchHit,
    SearchRequest,
    StoreError,
    StoreLockedError,
    StoreMemoryError,
    StoreTimeoutError,
    StoreUnavailableError,
    WorkPage,
)
from graphstore.records import (
    CLOSE_COLLABORATION_WORKS,
    ProfileSummary,
    SummaryOptions,
    WorkPageRequest,
    WorkRow,
    WriteSummary,
    YearCounts,
)
from graphstore.traversal import Hop, Neighbour
from graphstore.walk import WalkStep

_Found = TypeVar("_Found")

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
    "CREATE REL TABLE IF NOT EXISTS FROM_INSTITUTION(FROM Work TO Institution, authorships INT64)",
    "CREATE REL TABLE IF NOT EXISTS FOLLOWS(FROM User TO Researcher, at STRING)",
    "CREATE REL TABLE IF NOT EXISTS CLAIMED(FROM User TO Researcher, status STRING, at STRING)",
    # The import's: a reference to a work not in the graph waits on a MissingWork node until
    # that work arrives; ALTER adds the newer columns to databases made before them.
    "CREATE NODE TABLE IF NOT EXISTS MissingWork(id STRING PRIMARY KEY)",
    "CREATE REL TABLE IF NOT EXISTS CITES_MISSING(FROM Work TO MissingWork)",
    "ALTER TABLE Researcher ADD IF NOT EXISTS lastKnownInstitutions STRING[]",
    "ALTER TABLE Topic ADD IF NOT EXISTS updatedDate STRING",
    # Accounts (graphstore.engines.accounts): invitations, and the newer columns of users and
    # claims.
    "ALTER TABLE User ADD IF NOT EXISTS lastInvitationAt STRING",
    "ALTER TABLE CLAIMED ADD IF NOT EXISTS researcherId STRING",
    "ALTER TABLE CLAIMED ADD IF NOT EXISTS approvedAt STRING",
    "CREATE NODE TABLE IF NOT EXISTS Invitation(id STRING PRIMARY KEY, message STRING, "
    "status STRING, createdAt STRING, respondedAt STRING)",
    "CREATE REL TABLE IF NOT EXISTS SENT(FROM User TO Invitation)",
    "CREATE REL TABLE IF NOT EXISTS INVITES(FROM Invitation TO Researcher)",
    # Citations per year on works; Identifier keys (graphstore.identifiers): LadybugDB indexes
    # only primary keys, so look-ups by DOI, ORCID and ROR, and versions of one paper, go
    # through nodes keyed by them.
    "ALTER TABLE Work ADD IF NOT EXISTS citationYears INT64[]",
    "ALTER TABLE Work ADD IF NOT EXISTS citationCounts INT64[]",
    "CREATE NODE TABLE IF NOT EXISTS Identifier(id STRING PRIMARY KEY)",
    "CREATE REL TABLE IF NOT EXISTS IDENTIFIES(FROM Identifier TO Work, "
    "FROM Identifier TO Researcher, FROM Identifier TO Institution, own BOOLEAN)",
    # Stored per-researcher figures (graphstore.engines.figures).
    *figures.LADYBUG_SCHEMA,
)

# Below this many works a batch goes through the statement plan: writing files and running
# a dozen COPY statements costs more than it saves on a few rows.
COPY_MIN_WORKS = 100
# From this many researchers, a refresh sets their figures from a file (figures.load_figures).
LOADED_FIGURES_FROM = 100
# Up to this many ids, a read from each id runs anchored on each (_from_ids).
ANCHORED_IDS_AT_MOST = 6
# COPY options: no header and no dialect sniffing (it guesses wrong on names with commas).
# Node files hold free text, whose quoted newlines the parallel CSV reader refuses.
_COPY_NODES = "(header=false, auto_detect=false, parallel=false)"
_COPY_EDGES = "(header=false, auto_detect=false)"

PING = ReadQuery("", columns(("1", "ok")))

KNOWN_RESEARCHERS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (r:Researcher {id: rid})
""",
    columns(("r.id", "id"), ("r.name", "name"), ("r.orcid", "orcid")),
)
KNOWN_TOPIC_PARENTS = ReadQuery(
    """
UNWIND $ids AS tid
MATCH (:Topic {id: tid})-[:PART_OF]->(p:Topic)
""",
    columns(("tid", "child"), ("p.id", "parent")),
)
CITED_BY = ReadQuery(
    """
UNWIND $ids AS wid
MATCH (a:Work)-[:CITES]->(:Work {id: wid})
""",
    columns(("a.id", "source"), ("wid", "target")),
)
DELETE_WORKS = """
UNWIND $ids AS wid
MATCH (w:Work {id: wid})
DETACH DELETE w
"""
# Researchers, institutions and topics a work names fill in only what a known node lacks.
FILL_IN_RESEARCHERS = f"""
UNWIND $rows AS row
MATCH (r:Researcher {{id: row.id}})
{writes.FILL_IN_RESEARCHER}
"""
FILL_IN_INSTITUTIONS = f"""
UNWIND $rows AS row
MATCH (i:Institution {{id: row.id}})
{writes.FILL_IN_INSTITUTION}
"""
FILL_IN_TOPICS = f"""
UNWIND $rows AS row
MATCH (t:Topic {{id: row.id}})
{writes.FILL_IN_TOPIC}
"""
KNOWN_IDENTIFIERS = ReadQuery(
    """
UNWIND $ids AS key
MATCH (i:Identifier {id: key})
""",
    columns(("i.id", "id")),
)
KNOWN_MISSING_WORKS = ReadQuery(
    """
UNWIND $ids AS wid
MATCH (m:MissingWork {id: wid})
""",
    columns(("m.id", "id")),
)

IN_MEMORY = ":memory:"


class EmbeddedStore(AccountCypher, ListCypher, CypherStore):
    """GraphStore on a LadybugDB database: a directory path, or ``:memory:`` for tests."""

    engine = "embedded"
    dialect = Dialect.LADYBUG
    copy_min_works = COPY_MIN_WORKS
    # A refresh reads a chunk's figures over each of its researchers (Anchoring.EACH), one
    # scan a part: the longer the chunk, the fewer the scans, while its rows fit in memory.
    figures_chunk = 20_000

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
        # One thread a query, and no query timeout: the reads are anchored look-ups, and
        # spreading one over every core, or arming a timeout, cost more than the query
        # (bench/ladybug_shapes.py). Requests run side by side on the pool instead, and a
        # request past its deadline is cancelled, which interrupts its running query.
        self._readers = ladybug.AsyncConnection(
            self._db, max_concurrent_queries=read_connections, max_threads_per_query=1
        )
        self._batches = ThreadPoolExecutor(read_connections, thread_name_prefix="lbdb-batch")
        # The search index is written by a thread of its own, one batch at a time, in order.
        self._indexer = ThreadPoolExecutor(1, thread_name_prefix="lbdb-search-index")
        self._indexing: list[Future[None]] = []
        self._writer = ladybug.Connection(self._db)
        self._write_lock = asyncio.Lock()
        self._thread_lock = threading.Lock()
        self._closed = False

    async def apply_schema(self) -> None:
        await self._write([(statement, {}) for statement in SCHEMA])

    async def ping(self) -> None:
        await self._read(PING, {})

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        async with self._write_lock:
            try:
                await self._index_written()
            finally:
                self._indexer.shutdown()
                self._batches.shutdown()
                self._readers.close()
                self._writer.close()
                self._db.close()
                self._search_index.close()

    async def clear(self) -> None:
        """Delete every node and edge: for tests and for re-seeding a scratch database."""
        await self._write([("MATCH (n) DETACH DELETE n", {})])
        await self._index_written()
        await asyncio.to_thread(self._search_index.clear)

    async def counts(self) -> GraphCounts:
        """The counts once the writes before them are done, the search index's included: an
        import ends with them, so its time covers its last batch's index write."""
        await self._index_written()
        return await super().counts()

    async def search(self, request: SearchRequest) -> tuple[list[SearchHit], int]:
        await self._index_written()
        with timed_query(self.engine):
            return await asyncio.to_thread(self._search_index.search, request)

    async def expand(self, center: str, steps: Sequence[WalkStep]) -> list[list[list[Neighbour]]]:
        """One after the other in one trip to a worker thread (side by side, the queries of a
        level only wait on each other for the cores), from the centre where it can
        (compiler.hop_query)."""
        reads = []
        for step in steps:
            if anchors_on_center(step.via, self.dialect):
                query = hop_query(step.hop, self.dialect, step.via, brief=True)
                reads.append(_Read(query, ({"ids": list(step.ids), "center": center},)))
            else:
                reads.append(_from_ids(hop_reads(step.hop, self.dialect, brief=True), step.ids))
        results = await self._read_all(reads)
        return [
            neighbours_from_rows(step.hop, step.ids, rows, brief=True)
            for step, rows in zip(steps, results, strict=True)
        ]

    async def _live_summaries(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        """Each researcher's summary from the compiled parts (LadybugDB has no subqueries to
        run them as one): each part anchored on each researcher, in one trip to a worker
        thread, or over the whole list when it is long (Anchoring)."""
        if len(ids) >= EACH_FROM:
            return await self._summaries_over_each(ids, min_shared=min_shared, top=top)
        options = SummaryOptions(min_shared=min_shared, top=top)
        return _summaries(ids, options, await self._read_all(_summary_reads(ids, options)))

    async def _summaries_over_each(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        """The summaries of a long list of researchers: each part's counts over the whole
        list, each list over the researchers whose items are few (at most ``top``)."""
        parts, anchored = _parts(top, Anchoring.EACH), _parts(top)
        values = summary_parameters(min_shared, top)

        def params(part: SummaryPart) -> dict[str, Any]:
            return {n: values[n] for n in part.params}

        counts = [part for part in parts if not part.listing]
        found = dict(
            zip(
                counts,
                [
                    rows_by_node(rows)
                    for rows in await self._read_all(
                        [_Read(p.query, ({"ids": list(ids)} | params(p),)) for p in counts]
                    )
                ],
                strict=True,
            )
        )
        # A researcher a part has no paths for gets the part's answer over no paths: the
        # same for every researcher, read once, anchored on the first of them.
        anchored_of = dict(zip(parts, anchored, strict=True))
        absent = [(part, next((i for i in ids if i not in found[part]), None)) for part in counts]
        missing = [(part, i) for part, i in absent if i is not None]
        read = await self._read_all(
            [
                _Read(anchored_of[part].query, ({"id": i} | params(anchored_of[part]),))
                for part, i in missing
            ]
        )
        empty = {part: rows[0] for (part, _), rows in zip(missing, read, strict=True)}
        summary: dict[str, dict[str, Any]] = {i: {} for i in ids}
        for part in counts:
            for i in ids:
                own = found[part].get(i)
                summary[i] |= own[0] if own else empty[part]
        # A list over each researcher whose items are few; anchored, cut by the query, on
        # the others.
        for part, one in anchored_of.items():
            if not part.listing or part.counted is None:
                continue
            few = [i for i in ids if summary[i][part.counted] <= top]
            many = [i for i in ids if summary[i][part.counted] > top]
            reads = [_Read(part.query, ({"ids": few} | params(part),))] if few else []
            reads += [_Read(one.query, ({"id": i} | params(one),)) for i in many]
            results = await self._read_all(reads)
            listed = rows_by_node(results[0]) if few else {}
            listed |= dict(zip(many, results[1 if few else 0 :], strict=True))
            for i in ids:
                summary[i][part.listing] = listed.get(i, [])
        return [summary_from_row(summary[i]) for i in ids]

    async def _live_counts_by_year(
        self, ids: Sequence[str], label: NodeLabel
    ) -> list[list[YearCounts]]:
        """Both parts of each node's counts, in one trip to a worker thread: anchored on each
        node, or over the whole list when it is long (CypherStore's, through _read_many)."""
        if len(ids) >= EACH_FROM:
            return await super()._live_counts_by_year(ids, label)
        parts = [
            work_set_query(label, part, self.dialect)
            for part in (WorkSetPart.WORKS_BY_YEAR, WorkSetPart.CITATIONS_BY_YEAR)
        ]
        results = await self._read_all([_Read(q, ({"id": i},)) for i in ids for q in parts])
        return [year_counts(results[2 * n], results[2 * n + 1]) for n in range(len(ids))]

    async def _live_collaborators(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[list[Row]]:
        # Anchored on each, cut by the query: the researchers asked here have many.
        query = collaborators_query(self.dialect, top)
        params = summary_parameters(min_shared, top)
        return await self._read_all(
            [_Read(query, ({"id": i, "minShared": params["minShared"]},)) for i in ids]
        )

    async def _live_first_pages(self, ids: Sequence[str]) -> list[list[str]]:
        """Each researcher's first page, in one trip to a worker thread: anchored on each
        researcher, or over the whole list when it is long (Anchoring), cut here."""
        size = figures.STORED_PAGE_SIZE
        if len(ids) < EACH_FROM:
            query = first_page_ids(self.dialect, size)
            results = await self._read_all([_Read(query, ({"id": i},)) for i in ids])
            return [[row["id"] for row in rows] for rows in results]
        each = first_page_ids(self.dialect, size, Anchoring.EACH)
        (rows,) = await self._read_all([_Read(each, ({"ids": list(ids)},))])
        found = rows_by_node(rows)
        return [[row["id"] for row in found.get(i, [])[: size + 1]] for i in ids]

    async def _stored_summaries(
        self, ids: Sequence[str], options: SummaryOptions
    ) -> list[Row | None]:
        """The stored figures with the nodes their lists name, in one trip to a worker
        thread (_read_stored)."""
        _, stored = await self._read_stored(ids, options, ())
        return stored.summaries

    async def work_pages(self, requests: Sequence[WorkPageRequest]) -> list[WorkPage]:
        """Each page with its works' authors, and its filtered total, in one trip to a
        worker thread: from the stored first page's ids when it answers the request, else
        two queries anchored on the researcher (_page_reads)."""
        stored_for = [r.researcher_id for r in requests if figures.answers_page(r)]
        _, stored = await self._read_stored(list(dict.fromkeys(stored_for)), None, requests)
        return stored.pages

    async def profile_read(self, read: ProfileRead) -> ProfileReadResult:
        """The researchers, their summaries and their pages of works, in one trip to a
        worker thread. When no researcher is found, there are neither figures nor works."""
        ids = list(read.researcher_ids)
        rows, stored = await self._read_stored(ids, read.summary, read.pages)
        researchers = by_id(ids, rows, researcher_from_row)
        if not any(researchers):
            return ProfileReadResult(researchers=researchers, summaries=None, pages=[])
        summaries = None
        if read.summary is not None:
            summaries = await self._summaries_from(ids, read.summary, stored.summaries)
        return ProfileReadResult(researchers=researchers, summaries=summaries, pages=stored.pages)

    async def _read_stored(
        self,
        ids: Sequence[str],
        summary: SummaryOptions | None,
        pages: Sequence[WorkPageRequest],
    ) -> tuple[list[Row], _StoredRead]:
        """The researchers ``ids`` with their stored figures (figures.STORED_ROWS), then, on
        the same connection in the same trip to a worker thread, the nodes their lists
        name and the ``pages`` (_StoredRead)."""
        min_shared = summary.min_shared if summary is not None else CLOSE_COLLABORATION_WORKS
        first = _from_ids(figures.STORED_ROWS, ids, {"minShared": min_shared})

        def read(connection: Any) -> tuple[list[Row], _StoredRead, int]:
            (rows,) = _run_all(connection, [first])
            stored = _StoredRead(ids, summary, pages, rows)
            stored.answer(_run_all(connection, stored.reads))
            return rows, stored, sum(len(r.runs) for r in stored.reads)

        with timed_query(self.engine, queries=len(first.runs)) as trip:
            rows, stored, more = await self._on_reader(read)
            trip.queries += more
        return rows, stored

    async def _write_indexed(
        self, statements: Sequence[Statement], documents: Callable[[], Sequence[SearchDocument]]
    ) -> None:
        await self._write(statements)
        await self._index_documents(documents)

    async def _index_documents(self, documents: Callable[[], Sequence[SearchDocument]]) -> None:
        """Index a batch in the background, after the previous batch's index write: the
        import's next graph write then runs beside it (SQLite and LadybugDB each on a core).

        The index is a SQLite file beside the database, written after the graph commits;
        re-importing the same records rebuilds any document a crash left out. A search waits
        for the writes before it, so the documents written are found."""
        await self._index_written()
        self._indexing.append(self._indexer.submit(lambda: self._search_index.upsert(documents())))

    async def _index_written(self) -> None:
        """Wait for the search index writes under way (a failed one's error is raised here,
        once)."""
        pending = list(self._indexing)
        if not pending:
            return
        try:
            await asyncio.gather(*(asyncio.wrap_future(write) for write in pending))
        finally:
            self._indexing = [write for write in self._indexing if not write.done()]

    async def _read(self, query: ReadQuery, params: dict[str, Any]) -> list[Row]:
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        try:
            with timed_query(self.engine):
                result = await self._readers.execute(_text(query), params)
                return _rows(result)
        except RuntimeError as error:
            raise _read_error(error) from error

    async def _read_from_ids(
        self, query: FromIds, ids: Sequence[str], params: dict[str, Any] | None = None
    ) -> list[Row]:
        (rows,) = await self._read_all([_from_ids(query, ids, params)])
        return rows

    async def _read_all(self, reads: Sequence[_Read]) -> list[list[Row]]:
        """Reads one after the other on one pooled connection, in one trip to a worker
        thread: through AsyncConnection each pays a cost of its own, more than most anchored
        queries take (bench/README.md)."""
        with timed_query(self.engine, queries=sum(len(read.runs) for read in reads)):
            return await self._on_reader(functools.partial(_run_all, reads=reads))

    async def _on_reader(self, work: Callable[[Any], _Found]) -> _Found:
        """``work`` run with a pooled connection on a worker thread."""
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        connection = self._readers.acquire_connection()
        try:
            running = self._batches.submit(work, connection)
        except BaseException:
            self._readers.release_connection(connection)
            raise
        # The connection goes back to the pool when the thread is done with it, not when a
        # cancelled request stops waiting; a cancelled request interrupts the running query.
        running.add_done_callback(lambda _: self._readers.release_connection(connection))
        try:
            return await asyncio.wrap_future(running)
        except asyncio.CancelledError:
            connection.interrupt()
            raise
        except RuntimeError as error:
            raise _read_error(error) from error

    async def _read_many(self, reads: Sequence[Read]) -> list[list[Row]]:
        """The lists' reads in one trip to a worker thread (_read_all)."""
        return await self._read_all([_Read(query, (params,)) for query, params in reads])

    async def _write_figures(self, rows: Sequence[Row]) -> None:
        """Many researchers' figures are set from a CSV file (figures.load_figures), in the
        transaction that counts their followers."""
        if len(rows) < LOADED_FIGURES_FROM:
            await super()._write_figures(rows)
            return
        with tempfile.TemporaryDirectory(prefix="researchgraph-") as folder:
            path = Path(folder) / "figures.csv"

            def write_file() -> list[Row]:
                records, left = figures.csv_records(rows)
                write_csv(path, records)
                return left

            left = await asyncio.to_thread(write_file)
            await self._write(
                [
                    (figures.load_figures(str(path)), {}),
                    *([(figures.write_figures(self.dialect), {"rows": left})] if left else []),
                    *figures.follower_statements(self.dialect, rows),
                ]
            )

    async def _write(self, statements: Sequence[Statement]) -> None:
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        async with self._write_lock:
            with timed_query(self.engine):
                await asyncio.to_thread(self._write_in_transaction, statements)

    def _write_in_transaction(self, statements: Sequence[Statement]) -> None:
        with self._thread_lock:
            self._writer.execute("BEGIN TRANSACTION")
            try:
                for query, params in statements:
                    self._writer.execute(query, params)
            except RuntimeError as error:
                self._rollback()
                raise StoreError(f"embedded write failed: {error}") from error
            except BaseException:
                self._rollback()
                raise
            self._writer.execute("COMMIT")

    async def _transact(self, steps: Sequence[Step]) -> list[list[Row]]:
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        async with self._write_lock:
            with timed_query(self.engine):
                return await asyncio.to_thread(self._transact_in_thread, steps)

    def _transact_in_thread(self, steps: Sequence[Step]) -> list[list[Row]]:
        with self._thread_lock:
            self._writer.execute("BEGIN TRANSACTION")
            try:
                results = []
                for step in steps:
                    rows = _rows(self._writer.execute(step.query, step.params))
                    if step.check is not None:
                        step.check(rows)
                    results.append(rows)
            except RuntimeError as error:
                self._rollback()
                if "duplicated primary key" in str(error):
                    raise ConflictingWriteError(str(error)) from error
                raise StoreError(f"embedded write failed: {error}") from error
            except BaseException:
                # A check refused the write (or the task was interrupted): nothing stays.
                self._rollback()
                raise
            self._writer.execute("COMMIT")
            return results

    def _rollback(self) -> None:
        # A failed statement has already ended the transaction; ROLLBACK then finds none.
        with contextlib.suppress(RuntimeError):
            self._writer.execute("ROLLBACK")

    async def _upsert_latest_works(
        self, works: Sequence[WorkRow], former: Mapping[str, Sequence[str]]
    ) -> tuple[WriteSummary, list[WorkRow]]:
        if len(works) < self.copy_min_works:
            return await super()._upsert_latest_works(works, former)
        if self._closed:
            raise StoreUnavailableError("the embedded database is closed")
        async with self._write_lock:
            with timed_query(self.engine):
                summary, fresh = await asyncio.to_thread(self._bulk_upsert_works, works, former)
        if fresh:
            await self._index_documents(lambda: documents_for_works(fresh))
        return summary, fresh

    def _bulk_upsert_works(
        self, works: Sequence[WorkRow], former: Mapping[str, Sequence[str]]
    ) -> tuple[WriteSummary, list[WorkRow]]:
        """The bulk path: look up what exists, update that in place, COPY everything new.

        One transaction, reads first: every row a COPY gets is known to be new and every
        edge's endpoints known to exist, so no COPY fails (a COPY rolled back leaves an
        in-memory LadybugDB 0.22 with a broken primary-key index).
        """
        with self._thread_lock, tempfile.TemporaryDirectory(prefix="researchgraph-") as folder:
            # The commit checkpoints, as it must: COPY writes its rows to the database file,
            # not to the write-ahead log, so they are durable only once checkpointed (with
            # auto_checkpoint off, a killed import lost its committed COPYs). That is the
            # cost per batch that makes big batches pay.
            self._writer.execute("BEGIN TRANSACTION")
            try:
                result = _BulkWorks(self._writer, Path(folder)).write(works, former)
            except (RuntimeError, OSError, UnicodeError, ValueError) as error:
                self._rollback()
                raise StoreError(f"embedded bulk write failed: {error}") from error
            except BaseException:
                self._rollback()
                raise
            self._writer.execute("COMMIT")
            return result


class _BulkWorks:
    """One bulk write of works on the writer connection, inside its open transaction."""

    def __init__(self, connection: Any, folder: Path) -> None:
        self._connection = connection
        self._folder = folder

    def write(
        self, works: Sequence[WorkRow], former: Mapping[str, Sequence[str]]
    ) -> tuple[WriteSummary, list[WorkRow]]:
        ids = [w.id for w in works]
        fresh, stored_ids = writes.fresh_rows(
            works, _work_id, self._query(writes.WORK_UPDATED_DATES, ids)
        )
        if not fresh:
            return WriteSummary(), fresh
        batch = writes.work_batch(fresh, stored_ids)
        tables, batch_ids, existing, new = batch.tables, batch.ids, batch.existing, batch.new
        present = {r["id"] for r in self._query(writes.EXISTING_WORKS, batch.referenced_outside)}
        waiting = self._query(writes.PENDING_CITATIONS, new)
        citations = writes.citation_plan(tables, batch_ids, present, waiting)
        absent = list(dict.fromkeys(t for _, t in citations.pending))
        known_absent = {r["id"] for r in self._query(KNOWN_MISSING_WORKS, absent)}
        arrived = [r["id"] for r in self._query(KNOWN_MISSING_WORKS, new)]
        # Citations of re-issued works by works outside the batch outlive the re-issue.
        cited_by = [
            (r["source"], r["target"])
            for r in self._query(CITED_BY, existing)
            if r["source"] not in batch_ids
        ]
        new_researchers = self._fill_in(
            FILL_IN_RESEARCHERS, KNOWN_RESEARCHERS, writes.RESEARCHER_COLUMNS, tables.researchers
        )
        new_institutions = self._fill_in(
            FILL_IN_INSTITUTIONS,
            cypher.INSTITUTIONS_BY_ID.each,
            writes.INSTITUTION_COLUMNS,
            tables.institutions,
        )
        # New researchers and institutions get their keys by COPY, known ones by the
        # statements (which leave alone a node that has its key), after the COPYs.
        researcher_keys = writes.researcher_identifiers(new_researchers)
        institution_keys = writes.institution_identifiers(new_institutions)
        named_keys = [k for k, _, _ in tables.work_identifiers]
        named_keys += [r["key"] for r in researcher_keys + institution_keys]
        keys = list(dict.fromkeys(named_keys))
        known_keys = {r["id"] for r in self._query(KNOWN_IDENTIFIERS, keys)}
        new_ids = {row[0] for row in (*new_researchers, *new_institutions)}
        known_keys_of = (
            (
                writes.IDENTIFY_RESEARCHERS,
                writes.researcher_identifiers(
                    v for k, v in tables.researchers.items() if k not in new_ids
                ),
            ),
            (
                writes.IDENTIFY_INSTITUTIONS,
                writes.institution_identifiers(
                    v for k, v in tables.institutions.items() if k not in new_ids
                ),
            ),
        )
        new_topics = self._fill_in(
            FILL_IN_TOPICS, cypher.TOPICS_BY_ID.each, writes.TOPIC_COLUMNS, tables.topics
        )
        children = list(dict.fromkeys(child for child, _ in tables.topic_parents))
        known_links = {
            (r["child"], r["parent"]) for r in self._query(KNOWN_TOPIC_PARENTS, children)
        }

        # An authorship's institutions are one CSV list cell; ids that a cell cannot hold
        # (never OpenAlex's) are written from a parameter after the COPYs.
        copied_authorships, written_authorships = [], []
        for researcher, work, position, institutions in tables.authorships:
            cell = list_cell(institutions)
            if cell is None:
                written_authorships.append((researcher, work, position, institutions))
            else:
                copied_authorships.append((researcher, work, position, cell))
        # A re-issued work is deleted with all its edges and copied anew: DETACH DELETE is
        # 5x faster here than deleting its edges, and COPY far faster than MERGE ... SET.
        # Every file is written before the first COPY: text a file cannot hold (a lone
        # surrogate) then fails the batch while nothing has been copied.
        copies = [
            self._nodes("Work", writes.WORK_COLUMNS, tables.works),
            self._nodes("Researcher", writes.RESEARCHER_COLUMNS, new_researchers),
            self._nodes("Institution", writes.INSTITUTION_COLUMNS, new_institutions),
            self._nodes("Topic", writes.TOPIC_COLUMNS, new_topics),
            self._nodes("MissingWork", ("id",), [(t,) for t in absent if t not in known_absent]),
            self._edges(
                "PART_OF", [link for link in tables.topic_parents if link not in known_links]
            ),
            self._edges("AUTHORED", copied_authorships),
            self._edges("HAS_TOPIC", tables.work_topics),
            self._edges(
                "FROM_INSTITUTION", [(w, i, n) for (w, i), n in tables.work_institutions.items()]
            ),
            self._edges("CITES", citations.cites + citations.linked + cited_by),
            self._edges("CITES_MISSING", citations.pending),
            self._nodes("Identifier", ("id",), [(k,) for k in keys if k not in known_keys]),
            self._edges("IDENTIFIES", tables.work_identifiers, "Work"),
            self._edges(
                "IDENTIFIES", [(r["key"], r["node"], True) for r in researcher_keys], "Researcher"
            ),
            self._edges(
                "IDENTIFIES",
                [(r["key"], r["node"], True) for r in institution_keys],
                "Institution",
            ),
        ]
        if existing:
            self._execute(DELETE_WORKS, {"ids": existing})
        if arrived:
            self._execute(writes.DELETE_MISSING_WORKS, {"ids": arrived})
        for copy in copies:
            if copy is not None:
                self._execute(copy, {})
        if written_authorships:
            self._execute(*writes.create_authorships(Dialect.LADYBUG, written_authorships))
        for statement, rows in known_keys_of:
            if rows:
                self._execute(statement, {"rows": rows})
        self._execute(*figures.stale_statement(figures.researchers_of(fresh, former)))
        return writes.works_summary(tables, citations), fresh

    def _query(self, query: ReadQuery, ids: Sequence[str]) -> list[Row]:
        if not ids:
            return []
        return _rows(self._connection.execute(query.text(), {"ids": list(ids)}))

    def _execute(self, query: str, params: dict[str, Any]) -> None:
        self._connection.execute(query, params).close()

    def _fill_in(
        self,
        merge: str,
        known_query: ReadQuery,
        columns: Sequence[str],
        rows: dict[str, tuple[Any, ...]],
    ) -> list[tuple[Any, ...]]:
        """Fill in what the graph lacks on known nodes; return the rows of the new ones."""
        known = {r["id"]: r for r in self._query(known_query, list(rows))}
        gaps = [
            dict(zip(columns, row, strict=True))
            for node_id, row in rows.items()
            if node_id in known
            and any(
                known[node_id][column] is None and value is not None
                for column, value in zip(columns, row, strict=True)
            )
        ]
        if gaps:
            self._execute(merge, {"rows": gaps})
        return [row for node_id, row in rows.items() if node_id not in known]

    def _nodes(
        self, table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
    ) -> str | None:
        """The COPY statement for new nodes of a table (None when there are none)."""
        if not rows:
            return None
        path = self._csv(table, rows)
        return f"COPY {table}({', '.join(columns)}) FROM '{path}' {_COPY_NODES}"

    def _edges(
        self, table: str, rows: Sequence[tuple[Any, ...]], identified: str | None = None
    ) -> str | None:
        """The COPY statement for new edges (from id, to id, properties in table order).
        IDENTIFIES, from Identifier to several tables, names the one: ``identified``."""
        if not rows:
            return None
        if identified is None:
            return f"COPY {table} FROM '{self._csv(table, rows)}' {_COPY_EDGES}"
        options = _COPY_EDGES.replace(")", f", from='Identifier', to='{identified}')")
        return f"COPY {table} FROM '{self._csv(f'{table}-{identified}', rows)}' {options}"

    def _csv(self, table: str, rows: Iterable[Sequence[Any]]) -> Path:
        path = self._folder / f"{table}.csv"
        write_csv(path, rows)
        return path


def _work_id(row: WorkRow) -> str:
    return row.id


_text = functools.lru_cache(maxsize=1024)(ReadQuery.text)


class _Read(NamedTuple):
    """A read query run once per parameter set, its rows together."""

    query: ReadQuery
    runs: tuple[dict[str, Any], ...]


def _from_ids(query: FromIds, ids: Sequence[str], params: dict[str, Any] | None = None) -> _Read:
    """A read from each of ``ids``: anchored on each id while the list is short, where
    LadybugDB's list form pays a fixed cost that many anchored queries do not reach
    (bench/README.md)."""
    given = params or {}
    if len(ids) <= ANCHORED_IDS_AT_MOST:
        return _Read(query.one, tuple({**given, "id": i} for i in ids))
    return _Read(query.each, ({**given, "ids": list(ids)},))


def _by_keys(query: ReadQuery, keys: list[str], params: Mapping[str, Any] | None = None) -> _Read:
    """A look-up of the nodes ``keys`` (``$ids``, with ``params``), not run when there are
    none: LadybugDB takes longer over an empty list than over a short one
    (bench/ladybug_shapes.py)."""
    return _Read(query, ({"ids": keys, **(params or {})},) if keys else ())


def _run_all(connection: Any, reads: Sequence[_Read]) -> list[list[Row]]:
    results = []
    for read in reads:
        text = _text(read.query)
        rows = []
        for params in read.runs:
            rows += _rows(connection.execute(text, params))
        results.append(rows)
    return results


def _read_error(error: RuntimeError) -> StoreError:
    if "interrupted" in str(error).lower():
        return StoreTimeoutError("the query ran past its timeout")
    if "buffer pool is full" in str(error):
        return StoreMemoryError(
            f"the query needs more memory than LadybugDB's buffer pool: {error}"
        )
    return StoreError(f"embedded query failed: {error}")


def _summary_reads(ids: Sequence[str], options: SummaryOptions) -> list[_Read]:
    """Every part of each researcher's summary, researcher by researcher."""
    values = summary_parameters(options.min_shared, options.top)
    return [
        _Read(part.query, ({"id": i} | {name: values[name] for name in part.params},))
        for i in ids
        for part in _parts(options.top)
    ]


def _summaries(
    ids: Sequence[str], options: SummaryOptions, results: Sequence[list[Row]]
) -> list[ProfileSummary]:
    """The summaries from the rows of _summary_reads."""
    parts = _parts(options.top)
    summaries = []
    for start in range(0, len(ids) * len(parts), len(parts)):
        found: dict[str, Any] = {}
        for part, rows in zip(parts, results[start : start + len(parts)], strict=True):
            found |= {part.listing: rows} if part.listing else rows[0]
        summaries.append(summary_from_row(found))
    return summaries


def _parts(top: int, anchoring: Anchoring = Anchoring.ONE) -> list[SummaryPart]:
    return [
        part for group in summary_parts(Dialect.LADYBUG, top, anchoring).values() for part in group
    ]


def _page_reads(request: WorkPageRequest) -> list[_Read]:
    """A page of works (with their authors) from the walk, and the filtered total: two
    queries anchored on the researcher."""
    given = request.filter
    bounds = {"researcher": request.researcher_id, **filter_parameters(given)}
    count = _Read(researcher_works_count(given), (bounds,))
    after = request.after
    cursor = cursor_parameters(request.order, after)
    cut = request.author_limit is not None
    page = researcher_works_page(request.order, given, after is not None, request.first, cut)
    return [_Read(page, ({**bounds, **cursor, **_author_limit(request)},)), count]


def _author_limit(request: WorkPageRequest) -> dict[str, int]:
    """A page query's ``$authorLimit`` (compiler.first_authors), none when it reads every
    author."""
    return {} if request.author_limit is None else {"authorLimit": request.author_limit}


class _StoredRead:
    """What is read after the researchers' rows with their stored figures
    (figures.STORED_ROWS), on the same connection: the nodes each stored list names
    (figures.stored_lookups), looked up by key, and each page of works, by the ids of the
    stored first page when that answers it (figures.stored_page_ids; its total is the
    stored count of works), else from the walk (_page_reads)."""

    def __init__(
        self,
        ids: Sequence[str],
        summary: SummaryOptions | None,
        pages: Sequence[WorkPageRequest],
        rows: Sequence[Row],
    ) -> None:
        self._found = {row["id"]: row for row in rows}
        self._rows = [self._found.get(i) for i in ids]
        self._pages = pages
        self._lookups = [
            figures.stored_lookups(row, summary) if row is not None and summary else []
            for row in self._rows
        ]
        self._page_ids = [
            figures.stored_page_ids(self._found.get(r.researcher_id), r) for r in pages
        ]
        # A list's look-up by key costs LadybugDB no more than one anchored on one id.
        self.reads = [
            _by_keys(figures.LISTED_BY_ID[label].each, [key for key, _ in listed])
            for lookups in self._lookups
            for label, listed in lookups
        ]
        for request, page_ids in zip(pages, self._page_ids, strict=True):
            if page_ids is None:
                self.reads += _page_reads(request)
            else:
                cut = request.author_limit is not None
                listed = listed_works(request.author_names_only, cut)
                self.reads.append(_by_keys(listed, page_ids, _author_limit(request)))
        self.summaries: list[Row | None] = []
        self.pages: list[WorkPage] = []

    def answer(self, results: Sequence[list[Row]]) -> None:
        """Build ``summaries`` (for the ids, None for one absent) and ``pages`` from the
        rows of ``reads``."""
        at = 0
        for row, lookups in zip(self._rows, self._lookups, strict=True):
            found = results[at : at + len(lookups)]
            at += len(lookups)
            if row is None or not lookups:
                self.summaries.append(row)
            else:
                self.summaries.append(figures.stored_summary(row, lookups, found))
        for request, page_ids in zip(self._pages, self._page_ids, strict=True):
            if page_ids is None:
                total = int(results[at + 1][0]["total"])
                self.pages.append(_page(request, results[at], total))
                at += 2
                continue
            place = {work: n for n, work in enumerate(page_ids)}
            listed = sorted(results[at], key=lambda row: place[row["id"]])
            total = int(self._found[request.researcher_id]["works"])
            in_full = not request.author_names_only
            self.pages.append(_page(request, listed, total, in_full))
            at += 1


def _page(
    request: WorkPageRequest, rows: Sequence[Row], total: int, authors_in_full: bool = True
) -> WorkPage:
    """A page from its rows (one per authorship, in page order: the work's columns and the
    AUTHORS_OF_WORK hop's, or only the authors' ids, names and positions when not
    ``authors_in_full``) and its filtered total."""
    first_rows: dict[str, Row] = {}
    for row in rows:
        first_rows.setdefault(row["id"], row)
    on_page = list(first_rows.values())[: request.first]
    ids = [row["id"] for row in on_page]
    kept = set(ids)
    authors = neighbours_from_rows(
        Hop.AUTHORS_OF_WORK, ids, [row for row in rows if row["id"] in kept]
    )
    return WorkPage(
        works=tuple((work_position(request.order, row), work_from_row(row)) for row in on_page),
        has_next_page=len(first_rows) > request.first,
        total=total,
        authors=tuple(tuple(sorted(found, key=_author_order)) for found in authors),
        authors_in_full=authors_in_full,
    )


def _author_order(author: Neighbour) -> tuple[int, str]:
    """A work's authors in the order of its author list."""
    return (author.position if author.position is not None else 0, author.target)


def _rows(result: Any) -> list[Row]:
    """Rows of a LadybugDB QueryResult as dicts keyed by column name."""
    names = result.get_column_names()
    rows = [dict(zip(names, values, strict=True)) for values in result.get_all()]
    result.close()
    return rows
