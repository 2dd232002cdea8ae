"""What both engines share: the reads and the write plan, over an engine's way to run Cypher.

An engine subclasses CypherStore and supplies ``_read`` and ``_write`` (its driver or
connection, its transactions, its errors); the walk's Cypher comes from
graphstore.engines.compiler, look-ups from graphstore.engines.cypher.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from graphstore.engines import cypher, figures, writes
from graphstore.engines.compiler import (
    EACH_FROM,
    MISSING_REFERENCES_COUNT,
    NOT_IN_GRAPH_RANK,
    Anchoring,
    WorkSetPart,
    descending_value,
    hop_reads,
    hop_works_count,
    hop_works_page,
    missing_references_page,
    work_set_query,
)
from graphstore.engines.query import FromIds, Read, ReadQuery, columns
from graphstore.engines.text_search import SearchDocument, documents_for_works
from graphstore.engines.writes import Row, Statement
from graphstore.identifiers import SCHEME_LABELS, scheme_of
from graphstore.ids import NodeLabel
from graphstore.protocol import (
    GraphCounts,
    HopPageRequest,
    ProfileRead,
    ProfileReadResult,
    ReferencePage,
    SearchHit,
    SearchRequest,
    StoreMemoryError,
    WorkPage,
)
from graphstore.records import (
    CLOSE_COLLABORATION_WORKS,
    AffiliationRecord,
    AuthorRow,
    ClaimState,
    CollaborationRecord,
    InstitutionRecord,
    InstitutionRow,
    OpenAlexAuthorFigures,
    ProfileSummary,
    ResearcherRecord,
    SummaryOptions,
    TopicRecord,
    TopicRow,
    TopicShareRecord,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
    WorkPosition,
    WorkRecord,
    WorkRow,
    WorkSetStats,
    WriteSummary,
    YearCounts,
)
from graphstore.traversal import Hop, HopSpec, Neighbour
from graphstore.versions import group_versions
from graphstore.walk import WalkStep

T = TypeVar("T")
log = logging.getLogger("graphstore.figures")

# Reads of one node each run side by side at most this many at a time.
_SIDE_BY_SIDE = 8

NODE_LABELS = ("Researcher", "Work", "Topic", "Institution", "User")
EDGE_TYPES = (
    "AUTHORED",
    "HAS_TOPIC",
    "PART_OF",
    "AFFILIATED_WITH",
    "CITES",
    "FROM_INSTITUTION",
    "FOLLOWS",
    "CLAIMED",
)
# One count query per label and per edge type, from the fixed lists above.
_NODE_COUNTS = {
    label: ReadQuery(f"MATCH (n:{label})", columns(("count(n)", "n"))) for label in NODE_LABELS
}
_EDGE_COUNTS = {
    edge_type: ReadQuery(f"MATCH ()-[e:{edge_type}]->()", columns(("count(e)", "n")))
    for edge_type in EDGE_TYPES
}


class CypherStore(ABC):
    """Reads and writes expressed in the Cypher both engines accept."""

    engine: str
    dialect: writes.Dialect
    # Researchers whose figures one refresh computes and writes together.
    figures_chunk = 500

    @abstractmethod
    async def _read(self, query: ReadQuery, params: dict[str, Any]) -> list[Row]:
        """Run a read query and return its rows as dicts."""

    async def _read_from_ids(
        self, query: FromIds, ids: Sequence[str], params: dict[str, Any] | None = None
    ) -> list[Row]:
        """Rows of a read from each of ``ids``: by default the list form, one query."""
        return await self._read(query.each, {**(params or {}), "ids": list(ids)})

    @abstractmethod
    async def _read_many(self, reads: Sequence[Read]) -> list[list[Row]]:
        """Several reads, side by side; an engine may run them its own way
        (work_lists.ListCypher's)."""

    @abstractmethod
    async def _write(self, statements: Sequence[Statement]) -> None:
        """Run the statements in order, in one transaction: all land or none."""

    @abstractmethod
    async def _write_indexed(
        self, statements: Sequence[Statement], documents: Callable[[], Sequence[SearchDocument]]
    ) -> None:
        """Run the statements in one transaction and bring the engine's text search up to
        date with the documents they write.

        ``documents`` builds them (both engines index the same normalised text)."""

    @abstractmethod
    async def search(self, request: SearchRequest) -> tuple[list[SearchHit], int]:
        """One page of nodes matching the request, ranked by ``text_search.SearchPlan``, and
        the number of matches up to ``text_search.COUNT_BOUND``."""

    async def counts(self) -> GraphCounts:
        nodes = {}
        for label, query in _NODE_COUNTS.items():
            rows = await self._read(query, {})
            nodes[label] = int(rows[0]["n"])
        edges = {}
        for edge_type, query in _EDGE_COUNTS.items():
            rows = await self._read(query, {})
            edges[edge_type] = int(rows[0]["n"])
        return GraphCounts(nodes=nodes, edges=edges)

    async def researchers(self, ids: Sequence[str]) -> list[ResearcherRecord | None]:
        rows = await self._read_from_ids(cypher.RESEARCHERS_BY_ID, ids)
        return by_id(ids, rows, researcher_from_row)

    async def works(self, ids: Sequence[str]) -> list[WorkRecord | None]:
        rows = await self._read_from_ids(cypher.WORKS_BY_ID, ids)
        return by_id(ids, rows, work_from_row)

    async def topics(self, ids: Sequence[str]) -> list[TopicRecord | None]:
        rows = await self._read_from_ids(cypher.TOPICS_BY_ID, ids)
        return by_id(ids, rows, topic_from_row)

    async def institutions(self, ids: Sequence[str]) -> list[InstitutionRecord | None]:
        rows = await self._read_from_ids(cypher.INSTITUTIONS_BY_ID, ids)
        return by_id(ids, rows, _institution)

    async def neighbours(self, ids: Sequence[str], hop: Hop) -> list[list[Neighbour]]:
        rows = await self._read_from_ids(hop_reads(hop, self.dialect), ids)
        return neighbours_from_rows(hop, ids, rows)

    async def expand(self, center: str, steps: Sequence[WalkStep]) -> list[list[list[Neighbour]]]:
        """Side by side: each hop a query of its own, over its frontier."""
        return list(await asyncio.gather(*(self.neighbours(step.ids, step.hop) for step in steps)))

    @abstractmethod
    async def _live_summaries(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        """Each researcher's figures from its walk: the compiled summary
        (graphstore.engines.compiler), run as the engine can (one query on Neo4j, anchored
        parts on LadybugDB). What the stored figures are made of (graphstore.engines.figures)."""

    @abstractmethod
    async def _live_collaborators(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[list[Row]]:
        """Each researcher's top collaborators from its walk (compiler.collaborators_query),
        as the summary lists them."""

    @abstractmethod
    async def _live_first_pages(self, ids: Sequence[str]) -> list[list[str]]:
        """The ids of each researcher's first page of works in the default order
        (compiler.first_page_ids, figures.STORED_PAGE_SIZE), as the figures store it."""

    @abstractmethod
    async def _stored_summaries(
        self, ids: Sequence[str], options: SummaryOptions
    ) -> list[Row | None]:
        """Each researcher's stored summary (figures.summary_row's input), None where the
        researcher is absent."""

    async def profile_summaries(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        """Each researcher's stored figures (graphstore.engines.figures), from its walk
        where they do not answer."""
        options = SummaryOptions(min_shared=min_shared, top=top)
        return await self._summaries_from(ids, options, await self._stored_summaries(ids, options))

    async def _summaries_from(
        self, ids: Sequence[str], options: SummaryOptions, stored: Sequence[Row | None]
    ) -> list[ProfileSummary]:
        """The summaries from the stored rows read for ``ids``; the walk's for the
        researchers whose stored figures do not answer ``options`` (figures.answers)."""
        walked = [
            i for i, row in zip(ids, stored, strict=True) if not figures.answers(row, options)
        ]
        live = {}
        if walked:
            found = await self._live_summaries(
                walked, min_shared=options.min_shared, top=options.top
            )
            live = dict(zip(walked, found, strict=True))
        return [
            live[i] if i in live or row is None else summary_from_row(figures.summary_row(row))
            for i, row in zip(ids, stored, strict=True)
        ]

    async def refresh_researcher_figures(self, ids: Sequence[str]) -> int:
        """Compute the researchers' figures from their walks and store them
        (graphstore.engines.figures), a chunk at a time; returns how many were written."""
        unique = list(dict.fromkeys(ids))
        written = 0
        for start in range(0, len(unique), self.figures_chunk):
            written += await self._refresh_chunk(unique[start : start + self.figures_chunk])
        return written

    async def _refresh_chunk(self, chunk: Sequence[str]) -> int:
        """Write the figures of ``chunk``; a chunk whose reads need more memory than the
        database gives a transaction (a hub's co-authorships beside others') in halves. A
        researcher whose walk alone needs more keeps no figures (reads walk, and meet the
        same limit): logged, and left out of the count."""
        try:
            rows = await self._figure_rows(chunk)
        except StoreMemoryError as error:
            if len(chunk) == 1:
                log.warning("the figures of researcher %s are not written: %s", chunk[0], error)
                return 0
            middle = len(chunk) // 2
            return await self._refresh_chunk(chunk[:middle]) + await self._refresh_chunk(
                chunk[middle:]
            )
        await self._write_figures(rows)
        return len(rows)

    async def _figure_rows(self, chunk: Sequence[str]) -> list[Row]:
        """The figures write_figures sets on each researcher of ``chunk``, from its walks."""
        summaries = await self._live_summaries(chunk, min_shared=1, top=figures.STORED_LIST_SIZE)
        crowded = [i for i, s in zip(chunk, summaries, strict=True) if figures.needs_close_list(s)]
        close = {}
        if crowded:
            found = await self._live_collaborators(
                crowded, min_shared=CLOSE_COLLABORATION_WORKS, top=figures.STORED_LIST_SIZE
            )
            close = dict(zip(crowded, found, strict=True))
        years = await self._live_counts_by_year(chunk, NodeLabel.RESEARCHER)
        pages = await self._live_first_pages(chunk)
        return figures.figure_rows(chunk, summaries, close, years, pages)

    async def _write_figures(self, rows: Sequence[Row]) -> None:
        """Set the researchers' figures (figures.figure_rows) and count their followers, in
        one transaction."""
        await self._write(
            [
                (figures.write_figures(self.dialect), {"rows": rows}),
                *figures.follower_statements(self.dialect, rows),
            ]
        )

    async def refresh_stale_figures(
        self, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Refresh the figures of every researcher whose figures a write marked stale (or that
        never had any), calling ``progress`` with the number done and the number to do after
        each chunk; returns how many."""
        (count,) = await self._read(figures.STALE_COUNT, {})
        total = int(count["n"])
        done = 0
        after = ""
        while True:
            rows = await self._read(
                figures.STALE_IDS_AFTER, {"after": after, "size": self.figures_chunk}
            )
            if not rows:
                return done
            ids = [row["id"] for row in rows]
            done += await self.refresh_researcher_figures(ids)
            after = ids[-1]
            if progress is not None:
                progress(done, total)

    @abstractmethod
    async def work_pages(self, requests: Sequence[WorkPageRequest]) -> list[WorkPage]:
        """Keyset pages of researchers' works, each with the filtered total."""

    @abstractmethod
    async def profile_read(self, read: ProfileRead) -> ProfileReadResult:
        """A researcher look-up, its summary and its pages of works together."""

    async def hop_work_pages(self, requests: Sequence[HopPageRequest]) -> list[WorkPage]:
        """Each page and its list's total, two queries anchored on the source; a list grouped
        by versions reads its whole list (in order, each work marked whether it follows the
        cursor) and the links between its works, and pages its papers."""
        return list(await asyncio.gather(*(self._hop_work_page(r) for r in requests)))

    async def _hop_work_page(self, request: HopPageRequest) -> WorkPage:
        params = _page_parameters(request)
        if not request.group_versions:
            page = hop_works_page(
                request.hop, request.order, request.filter, request.after is not None, request.first
            )
            rows, counted = await asyncio.gather(
                self._read(page, params),
                self._read(hop_works_count(request.hop, request.filter), params),
            )
            return work_page_of(request.order, request.first, rows, int(counted[0]["total"]))
        listed = hop_works_page(
            request.hop, request.order, request.filter, request.after is not None, None
        )
        rows = await self._read(listed, params)
        works = [work_from_row(row) for row in rows]
        links = await self.neighbours([w.id for w in works], Hop.VERSIONS_OF_WORK) if works else []
        papers = group_versions(works, [(n.source, n.target) for reached in links for n in reached])
        at = {row["id"]: row for row in rows}
        following = [p for p in papers if at[p.work.id]["follows"]]
        shown = following[: request.first]
        return WorkPage(
            works=tuple((work_position(request.order, at[p.work.id]), p.work) for p in shown),
            has_next_page=len(following) > request.first,
            total=len(papers),
            versions=tuple(p.versions for p in shown),
        )

    async def reference_pages(self, requests: Sequence[HopPageRequest]) -> list[ReferencePage]:
        return list(await asyncio.gather(*(self._reference_page(r) for r in requests)))

    async def _reference_page(self, request: HopPageRequest) -> ReferencePage:
        """The works in the graph first (NEWEST), then those not in it (compiler's
        NOT_IN_GRAPH_RANK): a page from each part the cursor has not passed."""
        params = _page_parameters(request)
        after = request.after
        in_graph_passed = after is not None and after.sort_value == NOT_IN_GRAPH_RANK
        reads = [
            self._read(hop_works_count(request.hop, request.filter), params),
            self._read(MISSING_REFERENCES_COUNT, params),
            self._read(missing_references_page(in_graph_passed, request.first), params),
        ]
        if not in_graph_passed:
            page = hop_works_page(
                request.hop, request.order, request.filter, after is not None, request.first
            )
            reads.append(self._read(page, params))
        in_graph, missing, missing_rows, *cited = await asyncio.gather(*reads)
        found: list[tuple[WorkPosition, WorkRecord | None]] = (
            [(work_position(request.order, row), work_from_row(row)) for row in cited[0]]
            if cited
            else []
        )
        found += [
            (WorkPosition(sort_value=NOT_IN_GRAPH_RANK, title=row["id"], id=row["id"]), None)
            for row in missing_rows
        ]
        return ReferencePage(
            references=tuple(found[: request.first]),
            has_next_page=len(found) > request.first,
            total=int(in_graph[0]["total"]) + int(missing[0]["total"]),
        )

    async def identified(self, keys: Sequence[str]) -> list[str | None]:
        by_label: dict[NodeLabel, list[str]] = {}
        for key in dict.fromkeys(keys):
            by_label.setdefault(SCHEME_LABELS[scheme_of(key)], []).append(key)
        found: dict[str, str | None] = {}
        for label, group in by_label.items():
            rows = await self._read_from_ids(cypher.IDENTIFIED[label], group)
            found |= {row["key"]: row["id"] for row in rows}
        return [found.get(key) for key in keys]

    async def openalex_author_figures(
        self, ids: Sequence[str]
    ) -> list[OpenAlexAuthorFigures | None]:
        rows = await self._read_from_ids(cypher.OPENALEX_AUTHOR_FIGURES, ids)
        return by_id(ids, rows, _openalex_figures)

    async def work_set_stats(self, ids: Sequence[str], label: NodeLabel) -> list[WorkSetStats]:
        query = work_set_query(label, WorkSetPart.TOTALS, self.dialect)
        found = await asyncio.gather(*(self._read(query, {"id": i}) for i in ids))
        return [
            WorkSetStats(works=int(rows[0]["works"]), citations=int(rows[0]["citations"] or 0))
            for rows in found
        ]

    async def counts_by_year(self, ids: Sequence[str], label: NodeLabel) -> list[list[YearCounts]]:
        """A researcher's stored counts (graphstore.engines.figures), or the walk's where
        none are stored; a topic's or an institution's from the walk."""
        if label is not NodeLabel.RESEARCHER:
            return await self._live_counts_by_year(ids, label)
        rows = await self._read_from_ids(figures.STORED_YEARS, ids)
        stored = {row["id"]: figures.years_from_row(row) for row in rows}
        walked = [i for i in ids if stored.get(i) is None]
        live = dict(zip(walked, await self._live_counts_by_year(walked, label), strict=True))
        return [live.get(i) or stored.get(i) or [] for i in ids]

    async def _live_counts_by_year(
        self, ids: Sequence[str], label: NodeLabel
    ) -> list[list[YearCounts]]:
        """Each node's counts from its walk: a few nodes side by side at a time, or for a
        long list (a refresh's) each part once over the whole list (Anchoring.EACH), where a
        query a node costs a round trip each."""
        if len(ids) >= EACH_FROM:
            works, citations = await self._read_many(
                [
                    (work_set_query(label, part, self.dialect, Anchoring.EACH), {"ids": list(ids)})
                    for part in (WorkSetPart.WORKS_BY_YEAR, WorkSetPart.CITATIONS_BY_YEAR)
                ]
            )
            published, cited = rows_by_node(works), rows_by_node(citations)
            return [year_counts(published.get(i, []), cited.get(i, [])) for i in ids]
        found: list[list[YearCounts]] = []
        for start in range(0, len(ids), _SIDE_BY_SIDE):
            group = ids[start : start + _SIDE_BY_SIDE]
            found += await asyncio.gather(*(self._counts_by_year(i, label) for i in group))
        return found

    async def _counts_by_year(self, node_id: str, label: NodeLabel) -> list[YearCounts]:
        params = {"id": node_id}
        published, cited = await asyncio.gather(
            self._read(work_set_query(label, WorkSetPart.WORKS_BY_YEAR, self.dialect), params),
            self._read(work_set_query(label, WorkSetPart.CITATIONS_BY_YEAR, self.dialect), params),
        )
        return year_counts(published, cited)

    async def follower_counts(self, ids: Sequence[str]) -> list[int]:
        rows = await self._read(cypher.FOLLOWER_COUNTS, {"ids": list(ids)})
        counted = {row["rid"]: int(row["n"]) for row in rows}
        return [counted.get(i, 0) for i in ids]

    async def affiliations(self, ids: Sequence[str]) -> list[list[AffiliationRecord]]:
        """The institutions of each researcher's authorships and of its Author record."""
        found: list[list[Row]] = [[] for _ in ids]
        for hop in (Hop.AUTHORSHIP_INSTITUTIONS_OF_RESEARCHER, Hop.INSTITUTIONS_OF_RESEARCHER):
            for rows, reached in zip(found, await self.neighbours(ids, hop), strict=True):
                rows.extend(_affiliation_row(n) for n in reached)
        return [merge_affiliations(rows) for rows in found]

    async def upsert_works(self, rows: Sequence[WorkRow]) -> WriteSummary:
        latest = writes.latest_versions(rows, _work_id)
        # A re-issued work's former authors lose it: their figures change too.
        found = await self.neighbours([w.id for w in latest], Hop.AUTHORS_OF_WORK)
        former = {
            w.id: [n.target for n in authors] for w, authors in zip(latest, found, strict=True)
        }
        summary, fresh = await self._upsert_latest_works(latest, former)
        return summary + WriteSummary(skipped_older=len(rows) - len(fresh))

    async def _upsert_latest_works(
        self, works: Sequence[WorkRow], former: Mapping[str, Sequence[str]]
    ) -> tuple[WriteSummary, list[WorkRow]]:
        """Write the works (one version per id) not older than the graph's, and their search
        documents, and mark stale the figures of their authors and of the ``former`` authors
        of each (figures.stale_statement); return what was written and which works those were.
        Engines may replace this with a bulk path."""
        stored = await self._read(writes.WORK_UPDATED_DATES, {"ids": [w.id for w in works]})
        fresh, stored_ids = writes.fresh_rows(works, _work_id, stored)
        if not fresh:
            return WriteSummary(), fresh
        batch = writes.work_batch(fresh, stored_ids)
        present = set()
        if batch.referenced_outside:
            found = await self._read(writes.EXISTING_WORKS, {"ids": batch.referenced_outside})
            present = {r["id"] for r in found}
        waiting = (
            await self._read(writes.PENDING_CITATIONS, {"ids": batch.new}) if batch.new else []
        )
        citations = writes.citation_plan(batch.tables, batch.ids, present, waiting)
        statements, summary = writes.work_upsert_plan(
            self.dialect, batch.tables, batch.existing, batch.new, citations
        )
        stale = figures.stale_statement(figures.researchers_of(fresh, former))
        await self._write_indexed([*statements, stale], lambda: documents_for_works(fresh))
        return summary, fresh

    async def upsert_authors(self, rows: Sequence[AuthorRow]) -> WriteSummary:
        latest = writes.latest_versions(rows, _author_id)
        stored = await self._read(writes.RESEARCHER_UPDATED_DATES, {"ids": [a.id for a in latest]})
        fresh, _ = writes.fresh_rows(latest, _author_id, stored)
        skipped = WriteSummary(skipped_older=len(rows) - len(fresh))
        if not fresh:
            return skipped
        statements, summary = writes.author_upsert_plan(self.dialect, fresh)
        # A record's affiliations are among the figures.
        stale = figures.stale_statement([a.id for a in fresh])
        await self._write_indexed([*statements, stale], lambda: _author_documents(fresh))
        return summary + skipped

    async def upsert_institutions(self, rows: Sequence[InstitutionRow]) -> WriteSummary:
        latest = writes.latest_versions(rows, _institution_id)
        stored = await self._read(writes.INSTITUTION_UPDATED_DATES, {"ids": [i.id for i in latest]})
        fresh, _ = writes.fresh_rows(latest, _institution_id, stored)
        skipped = WriteSummary(skipped_older=len(rows) - len(fresh))
        if not fresh:
            return skipped
        statements, summary = writes.institution_upsert_plan(fresh)
        await self._write_indexed(
            statements, lambda: [SearchDocument(i.id, "institution", i.name) for i in fresh]
        )
        return summary + skipped

    async def upsert_topics(self, rows: Sequence[TopicRow]) -> WriteSummary:
        latest = writes.latest_versions(rows, _topic_id)
        stored = await self._read(writes.TOPIC_UPDATED_DATES, {"ids": [t.topic.id for t in latest]})
        fresh, _ = writes.fresh_rows(latest, _topic_id, stored)
        skipped = WriteSummary(skipped_older=len(rows) - len(fresh))
        if not fresh:
            return skipped
        statements, summary = writes.topic_upsert_plan(fresh)
        await self._write_indexed(statements, lambda: topic_documents(fresh))
        return summary + skipped


def _author_documents(authors: Sequence[AuthorRow]) -> list[SearchDocument]:
    """The records' researchers, and the institutions they name (whose nodes are only filled
    in: SearchDocument.fills_in)."""
    docs = [SearchDocument(a.id, "researcher", a.name) for a in authors]
    for author in authors:
        docs.extend(
            SearchDocument(i.id, "institution", i.name, fills_in=True)
            for i in _author_institutions(author)
        )
    return list({d.id: d for d in docs}.values())


def topic_documents(topics: Sequence[TopicRow]) -> list[SearchDocument]:
    """The searchable documents Topic records bring: each record's topic, and the levels
    above it (whose nodes are only filled in, SearchDocument.fills_in) that no record of
    the batch is."""
    docs = {t.topic.id: SearchDocument(t.topic.id, "topic", t.topic.name) for t in topics}
    for topic in topics:
        for level in topic.ancestors:
            docs.setdefault(level.id, SearchDocument(level.id, "topic", level.name, fills_in=True))
    return list(docs.values())


def rows_by_node(rows: Sequence[Row]) -> dict[str, list[Row]]:
    """The rows of a query over each of a list of nodes (Anchoring.EACH), by node, each
    without its ``rid``, in the order read."""
    found: dict[str, list[Row]] = {}
    for row in rows:
        own = dict(row)
        found.setdefault(own.pop("rid"), []).append(own)
    return found


def year_counts(published: Sequence[Row], cited: Sequence[Row]) -> list[YearCounts]:
    """A node's counts by year from the rows of work_set_query's WORKS_BY_YEAR and
    CITATIONS_BY_YEAR, oldest first."""
    years: dict[int, list[int]] = {}
    for rows, column, at in ((published, "works", 0), (cited, "citations", 1)):
        for row in rows:
            years.setdefault(int(row["year"]), [0, 0])[at] = int(row[column])
    return [YearCounts(year=y, works=w, citations=c) for y, (w, c) in sorted(years.items())]


def merge_affiliations(rows: Sequence[Row]) -> list[AffiliationRecord]:
    """One researcher's institutions from both sources (rows hold the institution's
    properties and its ``years``), merged by institution, most recent first."""
    institutions: dict[str, InstitutionRecord] = {}
    years: dict[str, set[int]] = {}
    for row in rows:
        institutions[row["id"]] = _institution(row)
        known = years.setdefault(row["id"], set())
        known.update(int(year) for year in row["years"] or () if year is not None)
    found = [
        AffiliationRecord(institution=institutions[iid], years=tuple(sorted(ys)))
        for iid, ys in years.items()
    ]
    # Most recent first; an affiliation without years last; then by name.
    found.sort(key=lambda a: (-(a.years[-1] if a.years else 0), a.institution.name))
    return found


def researcher_from_row(row: Row) -> ResearcherRecord:
    return researcher_record(
        row["id"],
        row["name"],
        row.get("orcid"),
        row.get("bio"),
        row.get("openToCollaborate"),
        row.get("claimStatus"),
        row.get("orcidVerified"),
    )


# By value: calling the enum is a micro-second per record, and a hub's profile builds hundreds
# (a refresh of every researcher's figures, millions); reading a member off the class costs
# about a tenth of that each time, so the default is held here.
_CLAIM_STATES = {state.value: state for state in ClaimState}
_UNCLAIMED = ClaimState.UNCLAIMED


def researcher_record(
    researcher_id: str,
    name: str | None,
    orcid: str | None,
    bio: str | None,
    open_to_collaborate: bool | None,
    claim_status: str | None,
    orcid_verified: bool | None,
) -> ResearcherRecord:
    """A researcher from its stored properties, with the defaults of the ones never set."""
    return ResearcherRecord(
        id=researcher_id,
        name=name or researcher_id,
        orcid=orcid,
        bio=bio,
        open_to_collaborate=True if open_to_collaborate is None else bool(open_to_collaborate),
        claim_status=_CLAIM_STATES[claim_status] if claim_status else _UNCLAIMED,
        orcid_verified=bool(orcid_verified),
    )


def by_id(ids: Sequence[str], rows: Iterable[Row], build: Callable[[Row], T]) -> list[T | None]:
    """The records a look-up by id found, built from its rows and aligned with ``ids`` (None
    where absent)."""
    found = {row["id"]: build(row) for row in rows}
    return [found.get(i) for i in ids]


def neighbours_from_rows(
    hop: Hop, ids: Sequence[str], rows: Sequence[Row], *, brief: bool = False
) -> list[list[Neighbour]]:
    """A hop query's rows as each frontier id's neighbours, aligned with ``ids`` (``brief``:
    the rows of a brief hop query, so no records)."""
    spec = hop.spec
    found: dict[str, list[Neighbour]] = {i: [] for i in ids}
    for row in rows:
        # LadybugDB's anchored form gives a source with nothing over the hop a null row.
        if row["target"] is not None:
            found[row["source"]].append(neighbour_from_row(row, spec, brief=brief))
    return [found[i] for i in ids]


def neighbour_from_row(row: Row, spec: HopSpec, *, brief: bool = False) -> Neighbour:
    """A hop's row as a Neighbour; the edge's weight is the one the compiled query computed."""
    paths = row.get("paths")
    if brief:
        return Neighbour(
            source=row["source"],
            target=row["target"],
            label=spec.target,
            name=row["name"] or row["target"],
            edge=spec.edge,
            edge_weight=float(row["weight"]),
            node_weight=float(row.get("citations") or 0),
            paths=int(paths) if paths is not None else 1,
        )
    # A work's year (the row of a page's authorship holds its work's too).
    year = row.get("year") if spec.target is NodeLabel.WORK else None
    position = row.get("position")
    target_row = {**row, "id": row["target"]}
    record: ResearcherRecord | TopicRecord | InstitutionRecord | None = None
    if spec.target is NodeLabel.RESEARCHER:
        record = researcher_from_row(target_row)
    elif spec.target is NodeLabel.TOPIC:
        record = topic_from_row(target_row)
    elif spec.target is NodeLabel.INSTITUTION:
        record = _institution(target_row)
    return Neighbour(
        source=row["source"],
        target=row["target"],
        label=spec.target,
        name=row["name"] or row["target"],
        edge=spec.edge,
        edge_weight=float(row["weight"]),
        node_weight=float(row.get("citations") or 0),
        record=record,
        year=int(year) if year is not None else None,
        work_type=row.get("type") if spec.target is NodeLabel.WORK else None,
        position=int(position) if position is not None else None,
        institutions=tuple(row.get("institutions") or ()),
        paths=int(paths) if paths is not None else 1,
        years=tuple(sorted(int(y) for y in row.get("years") or () if y is not None)),
    )


def _page_parameters(request: HopPageRequest) -> dict[str, Any]:
    """The parameters of a hop page's queries: its source, filter bounds and cursor."""
    return {
        "source": request.source,
        **filter_parameters(request.filter),
        **cursor_parameters(request.order, request.after),
    }


def filter_parameters(given: WorkFilter) -> dict[str, Any]:
    """The bounds a works filter sets, as a page query's parameters (compiler.work_filter)."""
    bounds: dict[str, Any] = {}
    if given.year_from is not None:
        bounds["yearFrom"] = given.year_from
    if given.year_to is not None:
        bounds["yearTo"] = given.year_to
    if given.types is not None:
        bounds["types"] = list(given.types)
    return bounds


def cursor_parameters(order: WorkOrder, after: WorkPosition | None) -> dict[str, Any]:
    """A page query's cursor parameters (compiler.after_cursor), none without a cursor."""
    if after is None:
        return {}
    return {
        "afterRank": descending_value(order, after.sort_value),
        "afterTitle": after.title,
        "afterId": after.id,
    }


def work_position(order: WorkOrder, row: Row) -> WorkPosition:
    """A work's place in ``order`` from a page query's ``rank`` and ``sortTitle``."""
    return WorkPosition(
        sort_value=descending_value(order, int(row["rank"])), title=row["sortTitle"], id=row["id"]
    )


def work_page_of(order: WorkOrder, first: int, rows: Sequence[Row], total: int) -> WorkPage:
    """A page from a page query's rows (``first`` + 1 at most) and its list's total."""
    return WorkPage(
        works=tuple((work_position(order, row), work_from_row(row)) for row in rows[:first]),
        has_next_page=len(rows) > first,
        total=total,
    )


def _openalex_figures(row: Row) -> OpenAlexAuthorFigures | None:
    figures = OpenAlexAuthorFigures(
        works_count=row["worksCount"],
        cited_by_count=row["citedByCount"],
        h_index=row["hIndex"],
        i10_index=row["i10Index"],
    )
    return None if figures == _NO_FIGURES else figures


_NO_FIGURES = OpenAlexAuthorFigures(None, None, None, None)


def _affiliation_row(reached: Neighbour) -> Row:
    """An institution a researcher reached, as merge_affiliations reads it."""
    institution = reached.record
    assert isinstance(institution, InstitutionRecord)
    return {
        "id": institution.id,
        "name": institution.name,
        "country": institution.country,
        "type": institution.type,
        "ror": institution.ror,
        "years": reached.years,
    }


def summary_from_row(row: Row) -> ProfileSummary:
    """A researcher's summary from the columns of the compiled summary's parts."""
    return ProfileSummary(
        works=int(row["works"]),
        citations=int(row["citations"]),
        h_index=int(row["hIndex"]),
        i10_index=int(row["i10Index"]),
        topic_count=int(row["topicCount"]),
        collaborator_count=int(row["collaboratorCount"]),
        close_collaborator_count=int(row["closeCount"]),
        followers=int(row["followers"]),
        affiliations=tuple(merge_affiliations([*row["fromAuthorships"], *row["fromRecords"]])),
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


def topic_from_row(row: Row) -> TopicRecord:
    return TopicRecord(id=row["id"], name=row["name"] or row["id"], level=row["level"] or "topic")


def _institution(row: Row) -> InstitutionRecord:
    return InstitutionRecord(
        id=row["id"],
        name=row["name"] or row["id"],
        country=row["country"],
        type=row["type"],
        ror=row["ror"],
    )


def work_from_row(row: Row) -> WorkRecord:
    return WorkRecord(
        id=row["id"],
        title=row["title"] or "",
        type=row["type"] or "unknown",
        year=row["year"],
        venue=row["venue"],
        doi=row["doi"],
        abstract=row["abstract"],
        citations=int(row["citedByCount"] or 0),
        author_count=int(row["authorCount"] or 0),
    )


def _work_id(row: WorkRow) -> str:
    return row.id


def _author_id(row: AuthorRow) -> str:
    return row.id


def _institution_id(row: InstitutionRow) -> str:
    return row.id


def _topic_id(row: TopicRow) -> str:
    return row.topic.id


def _author_institutions(author: AuthorRow) -> list[InstitutionRow]:
    listed = [a.institution for a in author.affiliations or ()]
    return listed + list(author.last_known_institutions or ())
