"""The analysts' lists in Cypher (graphstore.lists): a scope's works as one set of ``w``, and the
pages, counts and facets of works and researchers over it, for both engines.

``work_set`` is the one place the sets of graphstore.lists are printed: a topic's works (its
topics' and its own, over PART_OF), an institution's (FROM_INSTITUTION), a researcher's, a
venue's, narrowed by the filter. Any figure of a scope (a topic's works per year, say) is a
query over it. The set is walked from one node looked up by id (Neo4j: an index hint), and the
other sets a scope names are conditions on each work walked. LadybugDB gets its steps as
OPTIONAL MATCHes from bound nodes, then filtered: a plain MATCH after a WITH, a filter inside
the walk's pattern, an EXISTS subquery or a target matched by its id were each planned as a
scan of a whole table (tests/graphstore/test_lists.py checks the plans).

Page sizes are printed, not parameters (LadybugDB plans a query again for every LIMIT given as
a parameter): bounded by the resolvers, so a few texts. Optional filters are fixed fragments
added when given, since LadybugDB binds a null parameter as BOOL.
"""

from __future__ import annotations

import asyncio
import itertools
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, NamedTuple

from graphstore.engines.compiler import (
    SORT_TITLE,
    TOPIC_LEVELS_BELOW,
    after_cursor,
    descending_value,
    node_by_id,
    node_works,
    work_filter,
    work_rank,
)
from graphstore.engines.cypher import RESEARCHER_COLUMNS, WORK_COLUMNS
from graphstore.engines.cypher_store import researcher_from_row, work_page_of
from graphstore.engines.query import Read, ReadQuery, columns
from graphstore.engines.writes import Dialect, Row
from graphstore.ids import NodeLabel
from graphstore.lists import (
    FacetCount,
    FacetKey,
    ListedResearcher,
    ResearcherListRequest,
    ResearcherOrder,
    ResearcherPage,
    ResearcherPosition,
    WorkFacetRequest,
    WorkListRequest,
    WorkScope,
)
from graphstore.protocol import WorkPage
from graphstore.records import WorkFilter

# What a page returns of each work: the WORKS_BY_ID columns, and its place in the order.
_WORK_COLUMNS = (*WORK_COLUMNS, *columns("rank", "sortTitle"))
_RESEARCHER_COLUMNS = (*RESEARCHER_COLUMNS, *columns("works", "citations", "years", "sortName"))


class WorkSet(NamedTuple):
    """Clauses binding ``w`` to each work of a set once, and the parameters they take."""

    body: str
    params: dict[str, Any]


# A set named besides the one walked, as a condition on each work ``w``: OPTIONAL MATCHes from
# the work, filtered (on LadybugDB an EXISTS subquery, or a target matched by its id, was
# planned as a scan of every work; single steps from a bound node look their ends up). A
# work's topics and the levels above them, for a topic's works.
_AT_INSTITUTION = (
    "OPTIONAL MATCH (w)-[:FROM_INSTITUTION]->(ci:Institution)\n"
    "WITH w, ci\nWHERE ci.id = $scopeInstitution"
)
_LEVELS = [f"t{level}" for level in range(TOPIC_LEVELS_BELOW + 1)]
_UNDER_TOPIC = "\n".join(
    (
        "OPTIONAL MATCH (w)-[:HAS_TOPIC]->(t0:Topic)",
        *(
            f"OPTIONAL MATCH ({lower})-[:PART_OF]->({upper}:Topic)"
            for lower, upper in itertools.pairwise(_LEVELS)
        ),
        f"WITH w, {', '.join(_LEVELS)}",
        f"WHERE $scopeTopic IN [{', '.join(f'{t}.id' for t in _LEVELS)}]",
        "WITH DISTINCT w",
    )
)


def _anchored_works(scope: WorkScope, dialect: Dialect) -> tuple[str, list[str]] | None:
    """The works ``w`` of the scope's first set (researcher, institution, topic), walked from
    its node (compiler.node_works), and the conditions that keep them; None when it names
    none."""
    if scope.researcher is not None:
        return node_works(NodeLabel.RESEARCHER, "scopeResearcher", dialect)
    if scope.institution is not None:
        return node_works(NodeLabel.INSTITUTION, "scopeInstitution", dialect)
    if scope.topic is not None:
        return node_works(NodeLabel.TOPIC, "scopeTopic", dialect)
    return None


def work_set(scope: WorkScope, given: WorkFilter, dialect: Dialect) -> WorkSet:
    """The works of every set ``scope`` names that pass the filter ``given``, each bound to ``w``
    once: walked from the researcher, else the institution, else the topic, else every work;
    the other sets named are conditions on each work walked."""
    body, conditions = _anchored_works(scope, dialect) or ("MATCH (w:Work)", [])
    params: dict[str, Any] = {}
    for name, value in (
        ("scopeResearcher", scope.researcher),
        ("scopeInstitution", scope.institution),
        ("scopeTopic", scope.topic),
        ("venue", scope.venue),
        ("yearFrom", given.year_from),
        ("yearTo", given.year_to),
    ):
        if value is not None:
            params[name] = value
    if given.types is not None:
        params["types"] = list(given.types)
    if scope.venue is not None:
        conditions.append("w.venue = $venue")
    passes = work_filter(lambda name: f"${name}", given)
    if passes:
        conditions.append(passes)
    if conditions:
        body += "\nWHERE " + "\nAND ".join(conditions)
    if scope.institution is not None and scope.researcher is not None:
        body += f"\n{_AT_INSTITUTION}"
    if scope.topic is not None and (scope.researcher is not None or scope.institution is not None):
        body += f"\n{_UNDER_TOPIC}"
    return WorkSet(body, params)


def _after(rank: str, text: str, identifier: str) -> str:
    """The keyset condition over ``$afterRank``, ``$afterTitle``, ``$afterId``."""
    return after_cursor(lambda name: f"$after{name.capitalize()}", rank, text, identifier)


def work_page_query(request: WorkListRequest, dialect: Dialect) -> tuple[ReadQuery, dict[str, Any]]:
    """The page's works (one more than ``first``, to tell whether more follow) with their
    ``rank`` and ``sortTitle``, in order."""
    found = work_set(request.scope, request.filter, dialect)
    params = dict(found.params)
    body = f"{found.body}\nWITH w, {work_rank(request.order)} AS rank, {SORT_TITLE} AS sortTitle"
    if request.after is not None:
        body += "\nWHERE " + _after("rank", "sortTitle", "w.id")
        params |= _after_params(
            descending_value(request.order, request.after.sort_value),
            request.after.title,
            request.after.id,
        )
    tail = f"ORDER BY rank DESC, sortTitle, id LIMIT {int(request.first) + 1}"
    return ReadQuery(body, _WORK_COLUMNS, tail=tail), params


def _after_params(rank: int, text: str, identifier: str) -> dict[str, Any]:
    return {"afterRank": rank, "afterTitle": text, "afterId": identifier}


def work_count_query(
    scope: WorkScope, given: WorkFilter, dialect: Dialect
) -> tuple[ReadQuery, dict[str, Any]]:
    """How many works the set holds."""
    found = work_set(scope, given, dialect)
    return ReadQuery(found.body, columns(("count(w)", "total"))), found.params


# What a facet groups the set's works by: the clauses from ``w`` to ``value`` and ``label``.
_FACET_GROUPS = {
    FacetKey.YEAR: "WITH w.year AS value, count(*) AS n\nWHERE value IS NOT NULL",
    FacetKey.TYPE: "WITH w.type AS value, count(*) AS n\nWHERE value IS NOT NULL",
    FacetKey.VENUE: "WITH w.venue AS value, count(*) AS n\nWHERE value IS NOT NULL",
    FacetKey.TOPIC: "MATCH (w)-[:HAS_TOPIC]->(g:Topic)\nWITH g, count(*) AS n",
    FacetKey.INSTITUTION: "MATCH (w)-[:FROM_INSTITUTION]->(g:Institution)\nWITH g, count(*) AS n",
}
_NAMED_FACETS = frozenset({FacetKey.TOPIC, FacetKey.INSTITUTION})


def facet_query(request: WorkFacetRequest, dialect: Dialect) -> tuple[ReadQuery, dict[str, Any]]:
    """The ``first`` most frequent values of the facet among the set's works, with their
    counts: ties of years newest first, of anything else by label, then value."""
    found = work_set(request.scope, request.filter, dialect)
    body = f"{found.body}\n{_FACET_GROUPS[request.by]}"
    limit = f"LIMIT {int(request.first)}"
    if request.by in _NAMED_FACETS:
        returns = columns(("g.id", "value"), ("coalesce(g.name, g.id)", "label"), "n")
        tail = f"ORDER BY n DESC, label, value {limit}"
    else:
        returns = columns("value", ("value", "label"), "n")
        ties = "value DESC" if request.by is FacetKey.YEAR else "value"
        tail = f"ORDER BY n DESC, {ties} {limit}"
    return ReadQuery(body, returns, tail=tail), found.params


def facet_counts(rows: Sequence[Row]) -> list[FacetCount]:
    """A facet query's rows as counts, in the query's order."""
    return [
        FacetCount(value=str(r["value"]), label=str(r["label"]), count=int(r["n"])) for r in rows
    ]


class ResearcherPart(NamedTuple):
    """One query of a researchers list: its page (``first`` + 1 after the cursor) and its count.
    A list is one part, or two for an institution's members: those through authorships, and
    those its Author records list (disjoint, so totals add up)."""

    page: ReadQuery
    total: ReadQuery
    params: dict[str, Any]


# The figure each order sorts by (descending); not aliased as a rank: LadybugDB returns an
# alias of an alias in its place.
_RESEARCHER_RANKS = {ResearcherOrder.MOST_WORKS: "works", ResearcherOrder.MOST_CITED: "citations"}
_MEMBER_FIGURES = (
    "count(w) AS works, sum(coalesce(w.citedByCount, 0)) AS citations, "
    "collect(DISTINCT w.year) AS years"
)
# Leaves out researchers whose Author record lists the institution, from researchers grouped
# with their figures (an EXISTS subquery was a scan of every researcher on LadybugDB).
_NOT_RECORD_MEMBER = (
    "OPTIONAL MATCH (r)-[:AFFILIATED_WITH]->(ri:Institution)\n"
    "WITH r, works, citations, years, collect(ri.id) AS recorded\n"
    "WHERE NOT $scopeInstitution IN recorded"
)


def _matched(dialect: Dialect, pattern: str, found: str, conditions: Sequence[str] = ()) -> str:
    """``pattern`` matched from bound nodes where ``conditions`` hold: on LadybugDB an
    OPTIONAL MATCH keeping the rows that reached ``found`` (a plain MATCH from a WITH's nodes
    was planned as a scan of the relationship's table), on Neo4j a MATCH."""
    if dialect is Dialect.LADYBUG:
        kept = " AND ".join((f"{found} IS NOT NULL", *conditions))
        return f"OPTIONAL MATCH {pattern}\nWITH *\nWHERE {kept}"
    return f"MATCH {pattern}" + (f"\nWHERE {' AND '.join(conditions)}" if conditions else "")


def researcher_parts(request: ResearcherListRequest, dialect: Dialect) -> list[ResearcherPart]:
    """The queries of a researchers list, each binding ``r`` with its ``works``, ``citations``
    and ``years`` in the scope."""
    scope = request.scope
    figures = f"WITH r, {_MEMBER_FIGURES}"
    if scope.topic is None and scope.institution is None:
        everyone = f"MATCH (r:Researcher)\nOPTIONAL MATCH (r)-[:AUTHORED]->(w:Work)\n{figures}"
        return [_researcher_part(request, everyone, {})]
    found = work_set(
        WorkScope(topic=scope.topic, institution=scope.institution), WorkFilter(), dialect
    )
    conditions = []
    if scope.institution is not None:
        # At an institution, the works where the researcher's own authorship lists it.
        conditions.append("$scopeInstitution IN e.institutions")
    by_record = None
    if scope.institution is not None and scope.topic is None:
        # Researchers whose Author record lists the institution are the other part's.
        figures += f"\n{_NOT_RECORD_MEMBER}"
        by_record = "\n".join(
            (
                node_by_id("i", NodeLabel.INSTITUTION, "scopeInstitution", dialect),
                _matched(dialect, "(i)<-[a:AFFILIATED_WITH]-(r:Researcher)", "r"),
                "OPTIONAL MATCH (r)-[e:AUTHORED]->(w:Work)",
                "WHERE $scopeInstitution IN e.institutions",
                f"WITH r, a, {_MEMBER_FIGURES}",
                "WITH r, works, citations, years + coalesce(a.years, []) AS years",
            )
        )
    authors = _matched(dialect, "(w)<-[e:AUTHORED]-(r:Researcher)", "r", conditions)
    parts = [_researcher_part(request, f"{found.body}\n{authors}\n{figures}", found.params)]
    if by_record is not None:
        parts.append(_researcher_part(request, by_record, found.params))
    return parts


def _researcher_part(
    request: ResearcherListRequest, members: str, params: dict[str, Any]
) -> ResearcherPart:
    params = dict(params)
    rank = _RESEARCHER_RANKS[request.order]
    kept = ""
    if request.scope.min_works is not None:
        params["minWorks"] = request.scope.min_works
        kept = "\nWITH r, works, citations, years\nWHERE works >= $minWorks"
    count = ReadQuery(f"{members}{kept}", columns(("count(r)", "total")))
    body = f"{members}{kept}\nWITH r, works, citations, years, coalesce(r.name, r.id) AS sortName"
    if request.after is not None:
        body += "\nWHERE " + _after(rank, "sortName", "r.id")
        after = request.after
        params |= _after_params(after.sort_value, after.name, after.id)
    tail = f"ORDER BY {rank} DESC, sortName, id LIMIT {int(request.first) + 1}"
    return ResearcherPart(ReadQuery(body, _RESEARCHER_COLUMNS, tail=tail), count, params)


def work_list_page(request: WorkListRequest, rows: Sequence[Row], total: int) -> WorkPage:
    """A page query's rows (``first`` + 1 at most) as the page."""
    return work_page_of(request.order, request.first, rows, total)


def researcher_page(
    request: ResearcherListRequest, pages: Sequence[Sequence[Row]], totals: Sequence[int]
) -> ResearcherPage:
    """The page of a researchers list from its parts' pages, merged in the list's order (the
    parts are disjoint), and their totals."""
    rank = _RESEARCHER_RANKS[request.order]
    listed = sorted(
        (_listed_researcher(row, rank) for rows in pages for row in rows),
        key=lambda r: (-r.position.sort_value, r.position.name, r.position.id),
    )
    return ResearcherPage(
        researchers=tuple(listed[: request.first]),
        has_next_page=len(listed) > request.first,
        total=sum(totals),
    )


def _listed_researcher(row: Row, rank: str) -> ListedResearcher:
    return ListedResearcher(
        position=ResearcherPosition(sort_value=int(row[rank]), name=row["sortName"], id=row["id"]),
        researcher=researcher_from_row(row),
        works=int(row["works"]),
        citations=int(row["citations"]),
        years=tuple(sorted({int(year) for year in row["years"] or () if year is not None})),
    )


class ListCypher(ABC):
    """The lists' reads, for an engine that runs Cypher (mixed into both engines)."""

    dialect: Dialect

    @abstractmethod
    async def _read(self, query: ReadQuery, params: dict[str, Any]) -> list[Row]:
        """Run a read query and return its rows as dicts."""

    async def _read_many(self, reads: Sequence[Read]) -> list[list[Row]]:
        """Several reads, side by side; an engine may run them its own way."""
        return list(await asyncio.gather(*(self._read(query, params) for query, params in reads)))

    async def work_lists(self, requests: Sequence[WorkListRequest]) -> list[WorkPage]:
        """Each request's page and the number of works in its list: two anchored queries."""
        reads = []
        for request in requests:
            reads.append(work_page_query(request, self.dialect))
            reads.append(work_count_query(request.scope, request.filter, self.dialect))
        results = await self._read_many(reads)
        return [
            work_list_page(request, results[2 * index], int(results[2 * index + 1][0]["total"]))
            for index, request in enumerate(requests)
        ]

    async def researcher_lists(
        self, requests: Sequence[ResearcherListRequest]
    ) -> list[ResearcherPage]:
        """Each request's page and total, from its parts' pages and counts."""
        parts = [researcher_parts(request, self.dialect) for request in requests]
        reads = [
            read
            for request_parts in parts
            for part in request_parts
            for read in ((part.page, part.params), (part.total, part.params))
        ]
        results = iter(await self._read_many(reads))
        pages = []
        for request, request_parts in zip(requests, parts, strict=True):
            found = [(next(results), next(results)) for _ in request_parts]
            pages.append(
                researcher_page(
                    request,
                    [rows for rows, _ in found],
                    [int(counted[0]["total"]) for _, counted in found],
                )
            )
        return pages

    async def work_facets(self, requests: Sequence[WorkFacetRequest]) -> list[list[FacetCount]]:
        """Each request's most frequent values, one query each."""
        results = await self._read_many([facet_query(r, self.dialect) for r in requests])
        return [facet_counts(rows) for rows in results]
