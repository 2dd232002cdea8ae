"""The compiler: hops and profile figures into anchored Cypher, for each engine.

Every read of the graph's walk comes from here: a hop over a frontier (``hop_query``), the
figures of a researcher's profile (``summary_parts``, printed whole for Neo4j by
``profile_summary_query``) and the figures of any node's works (``work_set_query``), built from
the hop specs of graphstore.traversal. So each figure (works, citations, h-index, i10-index,
topic shares, Newman strength, close collaborators, affiliations, counts by year) and each
edge weight has one definition, and the dialect differences live here and nowhere else:

- LadybugDB plans a frontier joined to a pattern (``UNWIND $ids AS x MATCH (s {id: x})-[]->(t)``)
  as a scan of the whole table; matching the frontier's nodes alone, then ``OPTIONAL MATCH``
  from them, looks each id up in the primary key (bench/README.md has the figures). Neo4j
  gets an index hint instead, and the plain MATCH.
- LadybugDB has no ``CALL`` subqueries, no list comprehensions, and ``collect`` after
  ``ORDER BY`` does not keep the order: its profile figures are one anchored query per part,
  its lists sorted with ``list_sort`` and filtered with ``list_filter``; Neo4j runs the parts
  as subqueries of one query, one round trip.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum
from typing import NamedTuple

from graphstore.engines.cypher import WORK_COLUMNS
from graphstore.engines.query import Column, FromIds, ReadQuery, columns
from graphstore.engines.writes import Dialect
from graphstore.identifiers import Scheme
from graphstore.ids import NodeLabel
from graphstore.records import CLOSE_COLLABORATION_WORKS, WorkFilter, WorkOrder
from graphstore.traversal import EdgeKind, Hop, HopShape, HopSpec


def coauthor_weight(work: str) -> str:
    """An authorship's weight towards each co-author of ``work`` (Newman): a work shared by
    many counts for less; a single-author work counts 1."""
    return f"CASE WHEN {work}.authorCount > 1 THEN 1.0 / ({work}.authorCount - 1) ELSE 1.0 END"


# What a hop returns of its target node: enough to build small records without a look-up.
_TARGET_COLUMNS: dict[NodeLabel, tuple[Column, ...]] = {
    NodeLabel.WORK: columns(
        ("t.citedByCount", "citations"), ("t.year", "year"), ("t.type", "type")
    ),
    NodeLabel.RESEARCHER: columns(
        ("t.orcid", "orcid"),
        ("t.bio", "bio"),
        ("t.openToCollaborate", "openToCollaborate"),
        ("t.claimStatus", "claimStatus"),
        ("t.orcidVerified", "orcidVerified"),
    ),
    NodeLabel.TOPIC: columns(("t.level", "level")),
    NodeLabel.INSTITUTION: columns(("t.country", "country"), ("t.type", "type"), ("t.ror", "ror")),
}


class _Path(NamedTuple):
    """A hop's path from a source node variable to ``t``.

    ``pattern`` follows the source node (``-[e:AUTHORED]->(t:Work)``); ``then`` are clauses
    after it (an UNWIND of authorship institutions); ``where`` a condition on the match.
    ``grouped`` are aggregates over the paths reaching each target (a contracted hop);
    ``per_edge`` the columns of a hop that returns one row per edge.
    """

    pattern: str
    then: str
    where: str
    grouped: tuple[Column, ...]
    per_edge: tuple[Column, ...]


def _authorship_groups(work: str) -> tuple[Column, ...]:
    """An institution hop through authorships, per target: the authorships (paths and
    weight) and the years of their works."""
    return columns(
        ("count(*)", "paths"), ("count(*)", "weight"), (f"collect(DISTINCT {work}.year)", "years")
    )


def _path(spec: HopSpec, source: str) -> _Path:
    target = f"(t:{spec.target.value})"
    if spec.shape is HopShape.RELATIONSHIP:
        edge = spec.edge.value
        arrow = f"-[e:{edge}]->" if spec.forward else f"<-[e:{edge}]-"
        return _Path(f"{arrow}{target}", "", "", (), _edge_columns(spec, source))
    if spec.shape is HopShape.AUTHORSHIP_INSTITUTIONS and spec.source is NodeLabel.INSTITUTION:
        # From an institution: the authors of its works whose own authorship lists it.
        return _Path(
            f"<-[:FROM_INSTITUTION]-(m:Work)<-[e:AUTHORED]-{target}",
            "",
            f"{source}.id IN e.institutions",
            _authorship_groups("m"),
            (),
        )
    if spec.shape is HopShape.AUTHORSHIP_INSTITUTIONS:
        if spec.source is NodeLabel.RESEARCHER:
            arrow, work = "-[e:AUTHORED]->(m:Work)", "m"
        else:
            arrow, work = "<-[e:AUTHORED]-(:Researcher)", source
        then = f"UNWIND e.institutions AS iid\nMATCH (t:{spec.target.value} {{id: iid}})"
        return _Path(arrow, then, "", _authorship_groups(work), ())
    if spec.shape is HopShape.VERSIONS:
        # Works sharing a DOI (their own, or one a record names for its locations), or a
        # title key and an author (graphstore.versions). The author check starts from the
        # candidate, nested: LadybugDB planned the plain pattern as a scan of the authorships
        # (bench/ladybug_shapes.py has the shapes).
        shared_author = (
            f"EXISTS {{ MATCH (t)<-[:AUTHORED]-(a:Researcher) "
            f"WHERE EXISTS {{ MATCH (a)-[:AUTHORED]->({source}) }} }}"
        )
        return _Path(
            f"<-[:IDENTIFIES]-(k:Identifier)-[:IDENTIFIES]->{target}",
            "",
            f"t <> {source} AND (k.id STARTS WITH '{Scheme.DOI.value}:' OR {shared_author})",
            columns(("count(k)", "paths"), ("count(k)", "weight")),
            (),
        )
    # THROUGH_WORK: two hops through a work, contracted.
    if spec.edge is EdgeKind.COAUTHOR:
        pattern = f"-[:AUTHORED]->(m:Work)<-[:AUTHORED]-{target}"
        weight = f"sum({coauthor_weight('m')})"
    elif spec.edge is EdgeKind.CO_OCCURS:
        pattern = f"<-[:HAS_TOPIC]-(m:Work)-[:HAS_TOPIC]->{target}"
        weight = "count(m)"
    else:  # a researcher's topics: the works of theirs each tags
        pattern = f"-[:AUTHORED]->(m:Work)-[:HAS_TOPIC]->{target}"
        weight = "count(m)"
    where = f"t <> {source}" if spec.source is spec.target else ""
    return _Path(pattern, "", where, columns(("count(m)", "paths"), (weight, "weight")), ())


def _edge_columns(spec: HopSpec, source: str) -> tuple[Column, ...]:
    if spec.edge is EdgeKind.AUTHORED:
        work = "t" if spec.target is NodeLabel.WORK else source
        return columns(
            (coauthor_weight(work), "weight"),
            ("e.position", "position"),
            ("e.institutions", "institutions"),
        )
    if spec.edge is EdgeKind.HAS_TOPIC:
        return columns(("coalesce(e.score, 0.0)", "weight"))
    if spec.edge is EdgeKind.AFFILIATED_WITH:
        return columns(("1.0", "weight"), ("e.years", "years"))
    if spec.edge is EdgeKind.FROM_INSTITUTION:
        # As INSTITUTIONS_OF_WORK weighs the edge: the authorships listing the institution.
        return columns(("e.authorships", "weight"), ("e.authorships", "paths"))
    return columns(("1.0", "weight"))


def _name(label: NodeLabel) -> Column:
    return Column("t.title" if label is NodeLabel.WORK else "t.name", "name")


def target_columns(label: NodeLabel) -> tuple[Column, ...]:
    """A node ``t`` of kind ``label`` as the summary's lists return it: id, name and the
    columns its record is built from."""
    return (Column("t.id", "id"), _name(label), *_TARGET_COLUMNS[label])


def anchors_on_center(via: Hop | None, dialect: Dialect) -> bool:
    """Whether ``hop_query`` with this ``via`` walks from the centre (LadybugDB, a
    relationship hop: one path from the centre to each frontier node)."""
    return (
        via is not None and dialect is Dialect.LADYBUG and via.spec.shape is HopShape.RELATIONSHIP
    )


@functools.cache
def hop_reads(hop: Hop, dialect: Dialect, *, brief: bool = False) -> FromIds:
    """The hop from each id of a frontier, in both forms: over the list (``$ids``) and
    anchored on one id (``$id``)."""
    return FromIds(
        each=hop_query(hop, dialect, brief=brief),
        one=hop_query(hop, dialect, brief=brief, single=True),
    )


@functools.cache
def hop_query(
    hop: Hop,
    dialect: Dialect,
    via: Hop | None = None,
    *,
    brief: bool = False,
    single: bool = False,
) -> ReadQuery:
    """Rows of the hop from each id of the frontier ``$ids``: source, target, name, weight
    and the target's columns, with the hop's own (position, paths, years, ...). ``single``:
    from the one id ``$id`` instead, a pattern anchored on it (no row when nothing is over
    the hop).

    On LadybugDB an id of ``$ids`` with nothing over the hop gives one row whose target is
    null. When the walk reached the frontier from its centre ``$center`` over ``via``, a
    relationship hop, LadybugDB walks from the centre instead, one pattern from its primary
    key (over an empty relationship table the frontier form is planned as a scan: the citers
    of the hub's works, bench/ladybug_shapes.py); the frontier is then a filter.
    ``brief`` rows hold only what a walk ranks and draws: source, target, name, weight, paths
    and a work's citations.
    """
    spec = hop.spec
    label = spec.source.value
    path = _path(spec, "s")
    source = "sid"
    if via is not None and anchors_on_center(via, dialect):
        step = via.spec
        arrow = f"-[:{step.edge.value}]->" if step.forward else f"<-[:{step.edge.value}]-"
        body = (
            f"MATCH (c:{step.source.value} {{id: $center}}){arrow}(s:{label}){path.pattern}"
            f"\nWHERE s.id IN $ids"
        )
        body += f" AND {path.where}" if path.where else ""
        source = "s.id"
    elif single:
        body = f"MATCH (s:{label} {{id: $id}}){path.pattern}"
        if path.where:
            body += f"\nWHERE {path.where}"
        source = "s.id"
    else:
        head = f"UNWIND $ids AS sid\nMATCH (s:{label} {{id: sid}})"
        if dialect is Dialect.NEO4J:
            # A seek, not just the index: from an institution over FROM_INSTITUTION, Neo4j
            # scanned the whole id index for each frontier id under the plain hint.
            head += f" USING INDEX SEEK s:{label}(id)\nMATCH"
        else:
            head += "\nOPTIONAL MATCH"
        body = f"{head} (s){path.pattern}"
        if path.where:
            body += f"\nWHERE {path.where}"
    if path.then:
        body += f"\n{path.then}"
    target = _TARGET_COLUMNS[spec.target]
    if brief:
        target = tuple(c for c in target if c.name == "citations")
    returned = (Column(source, "source"), Column("t.id", "target"), _name(spec.target), *target)
    if path.grouped:
        grouped = path.grouped
        if brief:
            grouped = tuple(c for c in grouped if c.name in ("paths", "weight"))
        body += f"\nWITH {source} AS source, t, {_as(grouped)}"
        returned = (Column("source", "source"), *returned[1:])
        return ReadQuery(body, returned + columns(*(c.name for c in grouped)))
    per_edge = path.per_edge
    if brief:
        per_edge = tuple(c for c in per_edge if c.name in ("weight", "paths"))
    return ReadQuery(body, returned + per_edge)


# ---------------------------------------------------------------------------------------------
# Keyset pages of a researcher's works: the orders, the filter, the tie-break and the cursor,
# defined once for both engines. ``rank`` folds the three orders into one descending sort
# (descending_value); a missing title sorts as the id.

SORT_TITLE = "CASE WHEN coalesce(w.title, '') = '' THEN w.id ELSE w.title END"
_RANKS = {
    WorkOrder.NEWEST: "coalesce(w.year, 0)",
    WorkOrder.OLDEST: "-coalesce(w.year, 9999)",
    WorkOrder.MOST_CITED: "coalesce(w.citedByCount, 0)",
}


def page_order(title: str, work_id: str) -> str:
    """A page's order, rank then sort title then id, by the names its query gives them."""
    return f"rank DESC, {title}, {work_id}"


def descending_value(order: WorkOrder, sort_value: int) -> int:
    """A work's sort value in an order (WorkPosition.sort_value) as its rank, the key every
    order sorts descending: NEWEST and MOST_CITED as they are, OLDEST negated. It is its own
    inverse."""
    return -sort_value if order is WorkOrder.OLDEST else sort_value


def work_rank_of(order: str) -> str:
    """A work ``w``'s rank in the order named by the value ``order`` holds."""
    cases = " ".join(f"WHEN '{o.value}' THEN {rank}" for o, rank in _RANKS.items())
    return f"CASE {order} {cases} END"


def work_filter(bound: Callable[[str], str], given: WorkFilter | None = None) -> str:
    """Whether a work ``w`` passes a works filter whose bounds (yearFrom, yearTo, types) are
    the values ``bound(name)`` names: each tested for null, or, when ``given`` is the filter
    itself, only the bounds it sets ("" when none)."""
    tests = (
        ("yearFrom", "w.year >= {}", None if given is None else given.year_from),
        ("yearTo", "w.year <= {}", None if given is None else given.year_to),
        ("types", "w.type IN {}", None if given is None else given.types),
    )
    if given is None:
        return "\nAND ".join(
            f"({bound(name)} IS NULL OR {test.format(bound(name))})" for name, test, _ in tests
        )
    return " AND ".join(
        test.format(bound(name)) for name, test, value in tests if value is not None
    )


def work_rank(order: WorkOrder) -> str:
    """A work ``w``'s rank in ``order``."""
    return _RANKS[order]


def after_cursor(bound: Callable[[str], str], rank: str, title: str, identifier: str) -> str:
    """The keyset condition of a list sorted by ``rank`` descending, then ``title`` and
    ``identifier`` ascending: what follows the cursor whose rank, title and id are the values
    ``bound(name)`` names."""
    after_rank, after_title, after_id = bound("rank"), bound("title"), bound("id")
    return (
        f"{rank} < {after_rank} OR ({rank} = {after_rank} AND ({title} > {after_title}"
        f" OR ({title} = {after_title} AND {identifier} > {after_id})))"
    )


def _after_parameters(title: str) -> str:
    """``after_cursor`` over ``rank``, ``title`` and ``w.id``, the cursor given as the
    parameters ``$afterRank``, ``$afterTitle``, ``$afterId``."""
    return after_cursor(lambda name: f"$after{name.capitalize()}", "rank", title, "w.id")


_PAGE_WORK_COLUMNS = (*WORK_COLUMNS, *columns("rank", ("title", "sortTitle")))


def _ranked_works(
    researcher: str, order: WorkOrder, given: WorkFilter, after: bool, first: int
) -> str:
    """Clauses from the researcher matched by ``researcher`` to its first ``first`` + 1 works
    ``w`` in ``order`` passing the filter, after the cursor ``$afterRank``, ``$afterTitle``,
    ``$afterId`` when ``after``, with their ``rank`` and ``title``: the order and the limit
    printed (a parameter would have LadybugDB plan it again each time)."""
    body = f"{researcher}-[:AUTHORED]->(w:Work)"
    passes = work_filter(lambda name: f"${name}", given)
    if passes:
        body += f"\nWHERE {passes}"
    body += f"\nWITH w, {_RANKS[order]} AS rank, {SORT_TITLE} AS title"
    if after:
        cursor = _after_parameters("title")
        body += f"\nWHERE {cursor}"
    return body + f"\nWITH w, rank, title ORDER BY {page_order('title', 'w.id')} LIMIT {first + 1}"


# A page's works with their authors (the AUTHORS_OF_WORK hop): one row per authorship.
_AUTHORSHIP_COLUMNS = (
    Column("w.id", "source"),
    Column("t.id", "target"),
    _name(Hop.AUTHORS_OF_WORK.spec.target),
    *_TARGET_COLUMNS[Hop.AUTHORS_OF_WORK.spec.target],
    *_edge_columns(Hop.AUTHORS_OF_WORK.spec, "w"),
)
_PAGE_TAIL = f"ORDER BY {page_order('sortTitle', 'id')}, position"


def first_authors(limit: str) -> str:
    """The condition on a page's authorship ``e`` when the request reads only each work's
    first authors (WorkPageRequest.author_limit): its position is below ``limit``."""
    return f"e.position < {limit}"


@functools.cache
def researcher_works_page(
    order: WorkOrder, given: WorkFilter, after: bool, first: int, authors_cut: bool = False
) -> ReadQuery:
    """LadybugDB: a page of the works of ``$researcher`` (``first`` + 1, to tell whether more
    follow; _ranked_works), each with its authors: one row per authorship, the work's columns
    and the AUTHORS_OF_WORK hop's. Anchored on the researcher. Neo4j's page query
    (neo4j_store) is built from the same orders, filter and cursor. With ``authors_cut``,
    only the authors below ``$authorLimit`` (first_authors)."""
    body = _ranked_works("MATCH (r:Researcher {id: $researcher})", order, given, after, first)
    authors = _path(Hop.AUTHORS_OF_WORK.spec, "w").pattern
    if authors_cut:
        # OPTIONAL keeps a work none of whose authors is below the limit; a MATCH with this
        # WHERE was planned as a scan of every authorship (checked with EXPLAIN).
        body += f"\nOPTIONAL MATCH (w){authors}\nWHERE {first_authors('$authorLimit')}"
    else:
        # Not OPTIONAL: every work on the page has the researcher among its authors.
        body += f"\nMATCH (w){authors}"
    return ReadQuery(body, _PAGE_WORK_COLUMNS + _AUTHORSHIP_COLUMNS, tail=_PAGE_TAIL)


# The first page in the default order, which a researcher's figures store
# (graphstore.engines.figures): the newest works, unfiltered.
FIRST_PAGE_ORDER = WorkOrder.NEWEST


# LadybugDB: the works ``$ids`` with their authors, in the rows researcher_works_page gives
# for a page, in no order (the caller's list gives it). Each work is looked up by its key,
# its authors by an OPTIONAL MATCH from it, which LadybugDB plans from the looked-up works (a
# plain MATCH there scans the authorships; one query anchored on each work is no faster,
# bench/ladybug_shapes.py). The rank and title are returned as expressions: LadybugDB fails
# on an OPTIONAL MATCH after a WITH computing them. LISTED_WORKS_AUTHOR_NAMES returns only the
# authors' ids, names and positions (WorkPageRequest.author_names_only): LadybugDB's time
# grows with the values it returns. With ``authors_cut``, only the authors below
# ``$authorLimit`` (first_authors).
@functools.cache
def listed_works(names_only: bool, authors_cut: bool) -> ReadQuery:
    """LadybugDB: the works ``$ids`` with their authors (above)."""
    authors = (
        tuple(
            column
            for column in _AUTHORSHIP_COLUMNS
            if column.name in ("source", "target", "name", "weight", "position")
        )
        if names_only
        else _AUTHORSHIP_COLUMNS
    )
    return ReadQuery(
        "UNWIND $ids AS key\nMATCH (w:Work {id: key})\n"
        f"OPTIONAL MATCH (w){_path(Hop.AUTHORS_OF_WORK.spec, 'w').pattern}"
        + (f"\nWHERE {first_authors('$authorLimit')}" if authors_cut else ""),
        (
            *WORK_COLUMNS,
            Column(_RANKS[FIRST_PAGE_ORDER], "rank"),
            Column(SORT_TITLE, "sortTitle"),
            *authors,
        ),
    )


LISTED_WORKS = listed_works(names_only=False, authors_cut=False)
LISTED_WORKS_AUTHOR_NAMES = listed_works(names_only=True, authors_cut=False)


@functools.cache
def researcher_works_count(given: WorkFilter) -> ReadQuery:
    """LadybugDB: how many works of ``$researcher`` pass the filter."""
    body = "MATCH (r:Researcher {id: $researcher})-[:AUTHORED]->(w:Work)"
    passes = work_filter(lambda name: f"${name}", given)
    if passes:
        body += f"\nWHERE {passes}"
    return ReadQuery(body, columns(("count(w)", "total")))


# Pages of the works another hop reaches (a work's citers and references; a list grouped by
# versions of one paper), in the same orders, filter and cursor, anchored on the one node.
# A reference to a work not in the graph sorts after every work in the graph (NEWEST ranks are
# years, 0 when unknown), by its id.
NOT_IN_GRAPH_RANK = -1


def _reached_works(hop: Hop, given: WorkFilter) -> str:
    """The works ``w`` the relationship hop ``hop`` reaches from ``$source``, once each,
    passing the filter."""
    spec = hop.spec
    if spec.target is not NodeLabel.WORK or spec.shape is not HopShape.RELATIONSHIP:
        raise ValueError(f"{hop} does not reach works over a relationship")
    body = f"MATCH (s:{spec.source.value} {{id: $source}}){_path(spec, 's').pattern}"
    body += "\nWITH DISTINCT t AS w"
    passes = work_filter(lambda name: f"${name}", given)
    return body + (f"\nWHERE {passes}" if passes else "")


@functools.cache
def hop_works_page(
    hop: Hop, order: WorkOrder, given: WorkFilter, after: bool, first: int | None
) -> ReadQuery:
    """A page of the works ``hop`` reaches from ``$source``: ``first`` + 1 of them (to tell
    whether more follow) after the cursor ``$afterRank``, ``$afterTitle``, ``$afterId`` when
    ``after``; with ``first`` None every one, each with ``follows``, whether it follows the
    cursor (a list grouped by versions pages its papers, not its works)."""
    body = f"{_reached_works(hop, given)}\nWITH w, {_RANKS[order]} AS rank, {SORT_TITLE} AS title"
    cursor = _after_parameters("title") if after else ""
    returns = _PAGE_WORK_COLUMNS
    tail = f"ORDER BY {page_order('sortTitle', 'id')}"
    if first is None:
        follows = f"CASE WHEN {cursor} THEN true ELSE false END" if after else "true"
        returns = (*returns, Column(follows, "follows"))
    else:
        body += f"\nWHERE {cursor}" if after else ""
        tail += f" LIMIT {int(first) + 1}"
    return ReadQuery(body, returns, tail=tail)


@functools.cache
def hop_works_count(hop: Hop, given: WorkFilter) -> ReadQuery:
    """How many works ``hop`` reaches from ``$source`` pass the filter."""
    return ReadQuery(_reached_works(hop, given), columns(("count(w)", "total")))


_MISSING_REFERENCES = "MATCH (s:Work {id: $source})-[:CITES_MISSING]->(w:MissingWork)"


@functools.cache
def missing_references_page(after: bool, first: int) -> ReadQuery:
    """Like ``hop_works_page`` over REFERENCES_OF_WORK in NEWEST order, the works ``$source``
    cites that are not in the graph: their ids, by id."""
    body = f"{_MISSING_REFERENCES}\nWITH w, {NOT_IN_GRAPH_RANK} AS rank, w.id AS title"
    if after:
        body += f"\nWHERE {_after_parameters('title')}"
    return ReadQuery(body, columns(("w.id", "id")), tail=f"ORDER BY id LIMIT {int(first) + 1}")


MISSING_REFERENCES_COUNT = ReadQuery(_MISSING_REFERENCES, columns(("count(w)", "total")))


# ---------------------------------------------------------------------------------------------
# A researcher's profile figures: aggregates of the depth-2 walk from it.


def summary_parameters(min_shared: int, top: int) -> dict[str, int]:
    """The parameters every summary query takes besides the researcher."""
    return {"minShared": min_shared, "top": top, "close": CLOSE_COLLABORATION_WORKS}


def _h_index(cites: str, dialect: Dialect) -> str:
    """The h-index of a list of citation counts sorted in descending order: the number of
    ranks i (from 1) whose i-th count is at least i."""
    if dialect is Dialect.NEO4J:
        return f"size([i IN range(0, size({cites}) - 1) WHERE {cites}[i] >= i + 1])"
    return f"size(list_filter(range(1, size({cites})), i -> {cites}[i] >= i))"


# Google Scholar's i10-index: the works cited at least this many times.
I10_CITATIONS = 10


def _i10_index(cites: str, dialect: Dialect) -> str:
    """The i10-index of a list of citation counts: how many are at least I10_CITATIONS."""
    if dialect is Dialect.NEO4J:
        return f"size([c IN {cites} WHERE c >= {I10_CITATIONS}])"
    return f"size(list_filter({cites}, c -> c >= {I10_CITATIONS}))"


class _Ranked(NamedTuple):
    """A part that groups a hop's paths by target: counts over every target, and the first
    ``$top`` targets passing ``keep`` in ``order``, each as a map of the target's columns and
    ``values`` (the list ``name``). ``count_params`` and ``keep_params`` are the parameters
    the counts and ``keep`` take."""

    hop: Hop
    values: tuple[Column, ...]
    order: str
    name: str
    counts: tuple[Column, ...]
    count_params: tuple[str, ...] = ()
    keep: str = ""
    keep_params: tuple[str, ...] = ()


_TOPICS = _Ranked(
    Hop.TOPICS_OF_RESEARCHER,
    columns(("paths", "works")),
    "works DESC, coalesce(t.name, t.id), t.id",
    "topics",
    columns(("count(t)", "topicCount")),
)
_COLLABORATORS = _Ranked(
    Hop.COAUTHORS_OF_RESEARCHER,
    columns(("paths", "shared"), ("round(weight, 9)", "strength")),
    "strength DESC, shared DESC, coalesce(t.name, t.id), t.id",
    "collaborators",
    columns(
        ("count(t)", "collaboratorCount"),
        ("count(CASE WHEN paths >= $close THEN 1 END)", "closeCount"),
    ),
    count_params=("close",),
    keep="shared >= $minShared",
    keep_params=("minShared",),
)


class SummaryPart(NamedTuple):
    """One part of a researcher's summary: LadybugDB's query, taking ``params`` besides the
    researchers, and the text of Neo4j's subquery over ``r``, with the columns the part gives.
    ``listing`` names the list whose items are the LadybugDB query's rows, and ``counted``
    the column of the part before it that counts them all; a part without it gives one row of
    columns (per researcher, over each of them)."""

    names: tuple[str, ...]
    query: ReadQuery
    subquery: str
    params: tuple[str, ...] = ()
    listing: str | None = None
    counted: str | None = None


# From this many ids on, LadybugDB's aggregates over each of them run as one query over the
# list (Anchoring.EACH): its fixed cost, a scan, is then below the anchored queries' sum
# (bench/ladybug_shapes.py).
EACH_FROM = 256


class Anchoring(Enum):
    """How a LadybugDB aggregate finds its nodes: ONE, looked up by ``$id`` (a profile); or
    EACH of ``$ids``, every aggregate grouped by ``rid``, the node's id (a refresh of many
    researchers' figures: one scan for the whole list, where ONE costs a query per node,
    bench/ladybug_shapes.py). Listing parts over EACH return every item, ordered by ``rid``
    and then as ONE orders them, for the reader to cut: they are for researchers whose items
    are few (a hyper-authored work's authors each have thousands of co-authors)."""

    ONE = "one"
    EACH = "each"


def _key(anchoring: Anchoring) -> str:
    """What an aggregation over the nodes' paths groups by besides its own keys."""
    return "rid, " if anchoring is Anchoring.EACH else ""


def _keyed(anchoring: Anchoring, returns: tuple[Column, ...]) -> tuple[Column, ...]:
    return (Column("rid", "rid"), *returns) if anchoring is Anchoring.EACH else returns


def _lookup(variable: str, label: NodeLabel, anchoring: Anchoring) -> str:
    if anchoring is Anchoring.EACH:
        return f"UNWIND $ids AS rid\nMATCH ({variable}:{label.value} {{id: rid}})"
    return f"MATCH ({variable}:{label.value} {{id: $id}})"


def _anchor(
    dialect: Dialect,
    path: _Path,
    *,
    optional: bool = False,
    anchoring: Anchoring = Anchoring.ONE,
) -> str:
    """The walk of a part from the researcher: ``r`` bound by the caller on Neo4j, looked up
    by id on LadybugDB (Anchoring)."""
    lookup = _lookup("r", NodeLabel.RESEARCHER, anchoring)
    if dialect is Dialect.NEO4J:
        text = f"{'OPTIONAL MATCH' if optional else 'MATCH'} (r){path.pattern}"
    elif optional:
        text = f"{lookup}\nOPTIONAL MATCH (r){path.pattern}"
    else:
        text = f"{lookup}{path.pattern}"
        if path.per_edge:
            # Join from the researcher: over an empty relationship table (AFFILIATED_WITH
            # without Author records) the planner scans the other end's table instead
            # (bench/ladybug_shapes.py).
            text += "\nHINT (r JOIN e) JOIN t"
    if path.where:
        text += f"\nWHERE {path.where}"
    return text + (f"\n{path.then}" if path.then else "")


def _grouped(dialect: Dialect, hop: Hop, anchoring: Anchoring) -> str:
    path = _path(hop.spec, "r")
    if dialect is Dialect.NEO4J and hop.spec.edge is EdgeKind.COAUTHOR:
        # Each work's weight read once, not once per co-author: about half of Neo4j's CPU for
        # the hub's summary (bench/README.md).
        return (
            f"MATCH (r)-[:AUTHORED]->(m:Work)\nWITH r, m, {coauthor_weight('m')} AS mw\n"
            "MATCH (m)<-[:AUTHORED]-(t:Researcher)\nWHERE t <> r\n"
            "WITH t, count(m) AS paths, sum(mw) AS weight"
        )
    anchor = _anchor(dialect, path, anchoring=anchoring)
    return f"{anchor}\nWITH {_key(anchoring)}t, {_as(path.grouped)}"


def _as(items: tuple[Column, ...]) -> str:
    return ", ".join(f"{c.expression} AS {c.name}" for c in items)


def target_item(label: NodeLabel, values: tuple[Column, ...]) -> str:
    """A map of a target's columns and ``values``."""
    pairs = [("id", "t.id"), ("name", _name(label).expression)]
    pairs += [(c.name, c.expression) for c in _TARGET_COLUMNS[label]]
    pairs += [(c.name, c.expression) for c in values]
    return "{" + ", ".join(f"{name}: {expression}" for name, expression in pairs) + "}"


def _ranked_parts(
    dialect: Dialect, ranked: _Ranked, top: int, anchoring: Anchoring = Anchoring.ONE
) -> list[SummaryPart]:
    label = ranked.hop.spec.target
    key = _key(anchoring)
    grouped = (
        f"{_grouped(dialect, ranked.hop, anchoring)}\nWITH {key}t, paths, {_as(ranked.values)}"
    )
    count_names = tuple(c.name for c in ranked.counts)
    if dialect is Dialect.LADYBUG:
        counts = ReadQuery(grouped, _keyed(anchoring, ranked.counts))
        kept = grouped + (f"\nWHERE {ranked.keep}" if ranked.keep else "")
        # A LIMIT given as a parameter makes LadybugDB plan the query again each time
        # (bench/ladybug_shapes.py): the limit is printed, an int (resolvers bound it
        # to 10-100), one query text per list length.
        tail = (
            f"ORDER BY rid, {ranked.order}"
            if anchoring is Anchoring.EACH
            else f"ORDER BY {ranked.order} LIMIT {int(top)}"
        )
        listed = ReadQuery(
            kept,
            _keyed(
                anchoring,
                (
                    Column("t.id", "id"),
                    _name(label),
                    *_TARGET_COLUMNS[label],
                    *columns(*(c.name for c in ranked.values)),
                ),
            ),
            tail=tail,
        )
        return [
            SummaryPart(count_names, counts, "", ranked.count_params),
            SummaryPart(
                (ranked.name,), listed, "", ranked.keep_params, ranked.name, count_names[0]
            ),
        ]
    named = columns(*(c.name for c in ranked.values))
    names = ", ".join(c.name for c in ranked.values)
    keep = f"CASE WHEN {ranked.keep} THEN [t, {names}] END" if ranked.keep else f"[t, {names}]"
    unpacked = ", ".join(f"k[{i + 1}] AS {c.name}" for i, c in enumerate(ranked.values))
    subquery = (
        f"CALL (r) {{\n{grouped}\nWITH {_as(ranked.counts)}, collect({keep}) AS kept\n"
        f"CALL (kept) {{\n  UNWIND kept AS k\n  WITH k[0] AS t, {unpacked}\n"
        f"  ORDER BY {ranked.order}\n  LIMIT $top\n"
        f"  RETURN collect({target_item(label, named)}) AS {ranked.name}\n}}\n"
        f"RETURN {', '.join(count_names)}, {ranked.name}\n}}"
    )
    return [SummaryPart((*count_names, ranked.name), ReadQuery("", ()), subquery)]


def _simple_part(
    dialect: Dialect,
    body: str,
    returns: tuple[Column, ...],
    anchoring: Anchoring = Anchoring.ONE,
) -> SummaryPart:
    if dialect is Dialect.LADYBUG:
        query = ReadQuery(body, _keyed(anchoring, returns))
        return SummaryPart(tuple(c.name for c in returns), query, "")
    subquery = f"CALL (r) {{\n{body}\nRETURN {_as(returns)}\n}}"
    return SummaryPart(tuple(c.name for c in returns), ReadQuery("", ()), subquery)


@functools.cache
def summary_parts(
    dialect: Dialect, top: int = 0, anchoring: Anchoring = Anchoring.ONE
) -> dict[str, list[SummaryPart]]:
    """Every part of a researcher's summary, by what it gives (profile_read_parts measures
    each apart on Neo4j); LadybugDB's lists hold ``top`` items (with Anchoring.EACH, every
    item), Neo4j's take ``$top``. Works, citations, the h-index and the i10-index come from the
    researcher's works; topics and collaborators are grouped two-hop walks; affiliations come
    from the institutions its authorships name and from Author records."""
    works = _path(Hop.WORKS_OF_RESEARCHER.spec, "r")
    cited = "coalesce(t.citedByCount, 0)"
    key = _key(anchoring)

    def anchor(path: _Path, *, optional: bool = False) -> str:
        return _anchor(dialect, path, optional=optional, anchoring=anchoring)

    if dialect is Dialect.NEO4J:
        works_body = (
            f"{anchor(works)}\nWITH {cited} AS cited ORDER BY cited DESC\n"
            "WITH collect(cited) AS cites, sum(cited) AS citations"
        )
    else:
        works_body = (
            f"{anchor(works)}\n"
            f"WITH {key}list_sort(collect({cited}), 'DESC') AS cites, sum({cited}) AS citations"
        )
    authorships = _path(Hop.AUTHORSHIP_INSTITUTIONS_OF_RESEARCHER.spec, "r")
    records = _path(Hop.INSTITUTIONS_OF_RESEARCHER.spec, "r")
    institution = NodeLabel.INSTITUTION
    return {
        "works, citations, h-index, i10-index": [
            _simple_part(
                dialect,
                works_body,
                columns(
                    ("size(cites)", "works"),
                    ("coalesce(citations, 0)", "citations"),
                    (_h_index("cites", dialect), "hIndex"),
                    (_i10_index("cites", dialect), "i10Index"),
                ),
                anchoring,
            )
        ],
        "topics": _ranked_parts(dialect, _TOPICS, top, anchoring),
        "collaborators": _ranked_parts(dialect, _COLLABORATORS, top, anchoring),
        "followers": [
            _simple_part(
                dialect,
                anchor(_FOLLOWERS, optional=True),
                columns((_FOLLOWER_COUNT, "followers")),
                anchoring,
            )
        ],
        "affiliations from authorships": [
            _simple_part(
                dialect,
                f"{anchor(authorships)}\nWITH {key}t, {_as(authorships.grouped)}",
                columns(
                    (f"collect({target_item(institution, columns('years'))})", "fromAuthorships")
                ),
                anchoring,
            )
        ],
        "affiliations from author records": [
            _simple_part(
                dialect,
                anchor(records),
                columns(
                    (
                        f"collect({target_item(institution, columns(('e.years', 'years')))})",
                        "fromRecords",
                    )
                ),
                anchoring,
            )
        ],
    }


_FOLLOWERS = _Path("<-[:FOLLOWS]-(u:User)", "", "", (), ())
_FOLLOWER_COUNT = "count(u)"


def followers_count(stored: str) -> str:
    """Clauses after a researcher ``r``: count its followers (as the summary's part does)
    and set the count as the property ``stored``."""
    return (
        f"OPTIONAL MATCH (r){_FOLLOWERS.pattern}\nWITH r, {_FOLLOWER_COUNT} AS followers\n"
        f"SET {stored} = followers"
    )


SUMMARY_HEAD = (
    "UNWIND $ids AS rid\nOPTIONAL MATCH (r:Researcher {id: rid}) USING INDEX r:Researcher(id)"
)


@functools.cache
def collaborators_query(dialect: Dialect, top: int) -> ReadQuery:
    """The summary's collaborators part alone, taking ``$minShared``: LadybugDB's anchored on
    ``$id`` (a row per collaborator, ``top`` of them), Neo4j's over ``$ids`` (a row per
    researcher, its list ``collaborators`` ``$top`` long)."""
    parts = _ranked_parts(dialect, _COLLABORATORS, top)
    if dialect is Dialect.LADYBUG:
        return parts[-1].query
    return ReadQuery(f"{SUMMARY_HEAD}\n{parts[0].subquery}", columns("rid", "collaborators"))


def profile_summary_query() -> ReadQuery:
    """Neo4j's summaries of the anchoring ``$ids``: every part a subquery of one query, one
    row per researcher."""
    parts = [part for group in summary_parts(Dialect.NEO4J).values() for part in group]
    body = SUMMARY_HEAD + "\n" + "\n".join(part.subquery for part in parts)
    return ReadQuery(body, columns("rid", *(name for part in parts for name in part.names)))


# ---------------------------------------------------------------------------------------------
# The figures of a node's works: a researcher's, a topic's, an institution's. One definition of
# each set (``_works_of``) and of each figure over a set (``work_set_query``), read anchored on
# the node, and only when a field asks for them.

# A work's levels of topics below a domain: topic -> subfield -> field -> domain.
TOPIC_LEVELS_BELOW = 3


def node_by_id(variable: str, label: NodeLabel, parameter: str, dialect: Dialect) -> str:
    """A MATCH of one node by id, through a seek of the id index on Neo4j."""
    text = f"MATCH ({variable}:{label.value} {{id: ${parameter}}})"
    if dialect is Dialect.NEO4J:
        text += f" USING INDEX SEEK {variable}:{label.value}(id)"
    return text


def node_works(
    label: NodeLabel, parameter: str, dialect: Dialect, anchoring: Anchoring = Anchoring.ONE
) -> tuple[str, list[str]]:
    """The works ``w`` of the node of kind ``label`` whose id is ``$parameter``, once each, and
    the conditions that keep them: a researcher's, those it authored; an institution's, those
    with an authorship listing it (FROM_INSTITUTION); a topic's, those tagged with it or with a
    topic below it (HAS_TOPIC links works to topics only), so a field's works are its topics'.

    The node is looked up by id (Neo4j: an index seek). LadybugDB walks as OPTIONAL MATCHes
    from it, a topic's topics before their works (so each step looks its ends up: a plain
    MATCH, or one pattern over both steps, was planned as a scan of every work, topic or
    HAS_TOPIC edge), then keeps the works found; Neo4j matches the path. Anchoring.EACH
    reads the works of each node of ``$ids``, ``rid`` beside each."""
    node = node_by_id("s", label, parameter, dialect)
    if anchoring is Anchoring.EACH:
        node = _lookup("s", label, anchoring)
        if dialect is Dialect.NEO4J:
            node += f" USING INDEX SEEK s:{label.value}(id)"
    key = _key(anchoring)
    walk = {
        NodeLabel.RESEARCHER: ["(s)-[:AUTHORED]->(w:Work)"],
        NodeLabel.INSTITUTION: ["(s)<-[:FROM_INSTITUTION]-(w:Work)"],
        NodeLabel.TOPIC: [
            f"(s)<-[:PART_OF*0..{TOPIC_LEVELS_BELOW}]-(st:Topic)",
            "(st)<-[:HAS_TOPIC]-(w:Work)",
        ],
    }[label]
    if dialect is Dialect.LADYBUG:
        steps = f"\nWITH DISTINCT {key}st\n".join(f"OPTIONAL MATCH {step}" for step in walk)
        return f"{node}\n{steps}\nWITH DISTINCT {key}w", ["w IS NOT NULL"]
    steps = "\n".join(f"MATCH {step}" for step in walk)
    return f"{node}\n{steps}" + (f"\nWITH DISTINCT {key}w" if len(walk) > 1 else ""), []


def _works_of(label: NodeLabel, dialect: Dialect, anchoring: Anchoring) -> str:
    """The works ``w`` of the node ``$id`` (node_works; of each of ``$ids`` with
    Anchoring.EACH), kept, ending with a WITH (a WHERE may follow)."""
    body, conditions = node_works(label, "id", dialect, anchoring)
    key = _key(anchoring)
    kept = f"\nWITH {key}w\nWHERE {' AND '.join(conditions)}" if conditions else ""
    return f"{body}{kept}\nWITH {key}w"


@functools.cache
def first_page_ids(dialect: Dialect, first: int, anchoring: Anchoring = Anchoring.ONE) -> ReadQuery:
    """The ids of a researcher's first ``first`` + 1 works in FIRST_PAGE_ORDER, unfiltered:
    the page researcher_works_page and Neo4j's page query give. LadybugDB's anchored on
    ``$id`` (a row per work, in page order); with Anchoring.EACH every work of each of
    ``$ids`` (``rid`` beside each, in page order within it) for the reader to cut; Neo4j's
    over ``$ids`` (a row per researcher, its list ``page``)."""
    unfiltered = WorkFilter()
    if dialect is Dialect.LADYBUG and anchoring is Anchoring.EACH:
        return ReadQuery(
            _works_of(NodeLabel.RESEARCHER, dialect, anchoring),
            (
                Column("rid", "rid"),
                Column("w.id", "id"),
                Column(_RANKS[FIRST_PAGE_ORDER], "rank"),
                Column(SORT_TITLE, "title"),
            ),
            tail=f"ORDER BY rid, {page_order('title', 'id')}",
        )
    if dialect is Dialect.LADYBUG:
        body = _ranked_works(
            "MATCH (r:Researcher {id: $id})", FIRST_PAGE_ORDER, unfiltered, False, first
        )
        return ReadQuery(
            body,
            columns(("w.id", "id"), "rank", "title"),
            tail=f"ORDER BY {page_order('title', 'id')}",
        )
    ranked = _ranked_works("MATCH (r)", FIRST_PAGE_ORDER, unfiltered, False, first)
    return ReadQuery(
        f"{SUMMARY_HEAD}\nCALL (r) {{\n{ranked}\nRETURN collect(w.id) AS page\n}}",
        columns("rid", "page"),
    )


class WorkSetPart(Enum):
    """What ``work_set_query`` gives: the works and the citations they have (one row); the
    works published each year; the citations they received each year (OpenAlex's
    counts_by_year)."""

    TOTALS = "totals"
    WORKS_BY_YEAR = "works by year"
    CITATIONS_BY_YEAR = "citations by year"


def list_index(items: str, dialect: Dialect) -> str:
    """The indexes of a list: from 0 on Neo4j, from 1 on LadybugDB."""
    if dialect is Dialect.NEO4J:
        return f"range(0, size({items}) - 1)"
    return f"range(1, size({items}))"


@functools.cache
def work_set_query(
    label: NodeLabel, part: WorkSetPart, dialect: Dialect, anchoring: Anchoring = Anchoring.ONE
) -> ReadQuery:
    """One part of the figures of the works of the node ``$id`` of kind ``label`` (of each
    node of ``$ids``, ``rid`` first, with Anchoring.EACH)."""
    body = _works_of(label, dialect, anchoring)
    if part is WorkSetPart.TOTALS:
        totals = columns(("count(w)", "works"), ("sum(coalesce(w.citedByCount, 0))", "citations"))
        return ReadQuery(body, _keyed(anchoring, totals))
    if part is WorkSetPart.WORKS_BY_YEAR:
        return ReadQuery(
            f"{body}\nWHERE w.year IS NOT NULL",
            _keyed(anchoring, columns(("w.year", "year"), ("count(w)", "works"))),
        )
    return ReadQuery(
        f"{body}\nUNWIND {list_index('w.citationYears', dialect)} AS i",
        _keyed(
            anchoring,
            columns(("w.citationYears[i]", "year"), ("sum(w.citationCounts[i])", "citations")),
        ),
    )
