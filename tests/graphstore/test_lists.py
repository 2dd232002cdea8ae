"""The analysts' lists read only what their anchor reaches, on both engines' plans.

A list of a topic's, an institution's or a researcher's works (and the researchers and facets
over them) is walked from that node: Neo4j seeks it in the id index and scans no label or
relationship type; LadybugDB scans no table whole (its scans under a semi-mask read only the
nodes the walk reached, and say so in their tuple counts). openalex-small's tables are much
larger than these sets, so a whole-table scan shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from msgspec.structs import replace
from neo4j import GraphDatabase

from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore, _collected
from graphstore.engines.query import ReadQuery
from graphstore.engines.work_lists import (
    facet_query,
    researcher_parts,
    work_count_query,
    work_page_query,
)
from graphstore.engines.writes import Dialect
from graphstore.ingest.importer import import_openalex
from graphstore.lists import (
    FacetKey,
    ResearcherListRequest,
    ResearcherOrder,
    ResearcherPosition,
    ResearcherScope,
    WorkFacetRequest,
    WorkListRequest,
    WorkScope,
)
from graphstore.records import WorkFilter, WorkOrder, WorkPosition
from tests.api.test_lists import ANALYST_FILES, BANGOR, DEEPMIND

RESEARCHER = "A5017898742"
AFTER = WorkPosition(sort_value=2020, title="M", id="W3")
LISTS: list[WorkListRequest | WorkFacetRequest | ResearcherListRequest] = [
    WorkListRequest(WorkScope(topic="T10118"), WorkFilter(), WorkOrder.NEWEST, None, 10),
    WorkListRequest(
        WorkScope(topic="fields/27"), WorkFilter(year_from=2019), WorkOrder.OLDEST, AFTER, 10
    ),
    WorkListRequest(WorkScope(institution=DEEPMIND), WorkFilter(), WorkOrder.MOST_CITED, None, 5),
    WorkListRequest(
        WorkScope(researcher=RESEARCHER, institution=BANGOR, topic="fields/17", venue="x"),
        WorkFilter(types=("article",)),
        WorkOrder.NEWEST,
        None,
        10,
    ),
    WorkListRequest(
        WorkScope(institution=BANGOR, topic="fields/17"), WorkFilter(), WorkOrder.NEWEST, None, 3
    ),
    WorkFacetRequest(WorkScope(topic="fields/27"), WorkFilter(), FacetKey.INSTITUTION, 10),
    WorkFacetRequest(WorkScope(institution=BANGOR), WorkFilter(), FacetKey.TOPIC, 10),
    WorkFacetRequest(WorkScope(researcher=RESEARCHER), WorkFilter(), FacetKey.YEAR, 10),
    ResearcherListRequest(ResearcherScope(topic="T10118"), ResearcherOrder.MOST_WORKS, None, 10),
    ResearcherListRequest(
        ResearcherScope(institution=BANGOR, min_works=1),
        ResearcherOrder.MOST_CITED,
        ResearcherPosition(sort_value=30, name="J", id="A5"),
        10,
    ),
    ResearcherListRequest(
        ResearcherScope(institution=DEEPMIND, topic="fields/13"),
        ResearcherOrder.MOST_WORKS,
        None,
        10,
    ),
]


def queries(
    request: WorkListRequest | WorkFacetRequest | ResearcherListRequest, dialect: Dialect
) -> Iterator[tuple[ReadQuery, dict[str, Any]]]:
    """Every query the store runs for the request."""
    if isinstance(request, WorkListRequest):
        yield work_page_query(request, dialect)
        yield work_count_query(request.scope, request.filter, dialect)
    elif isinstance(request, WorkFacetRequest):
        yield facet_query(request, dialect)
    else:
        for part in researcher_parts(request, dialect):
            yield part.page, part.params
            yield part.total, part.params


_OPERATOR = re.compile(r"│\s*([A-Z_]+)\[\d+\]\s*│")


def ladybug_scans(plan: str) -> list[tuple[str, str, int]]:
    """The table scans of a LadybugDB PROFILE: (operator, table, tuples out), read from the
    boxes of its drawing (each box's column, down to its bottom edge)."""
    lines = plan.splitlines()
    scans = []
    for number, line in enumerate(lines):
        for found in _OPERATOR.finditer(line):
            if found.group(1) not in ("SCAN_NODE_TABLE", "SCAN_REL_TABLE"):
                continue
            box = []
            for below in lines[number + 1 :]:
                cell = below[found.start() : found.end()]
                if cell.startswith("└"):
                    break
                box.append(cell.strip("│ "))
            text = " ".join(box)
            table = re.search(r"Tables: (\w+)", text)
            tuples = re.search(r"NumOutputTuples: (\d+)", text)
            assert table, text
            assert tuples, text
            scans.append((found.group(1), table.group(1), int(tuples.group(1))))
    return scans


async def test_ladybug_scans_no_table_whole() -> None:
    store = EmbeddedStore(IN_MEMORY)
    try:
        await store.apply_schema()
        await import_openalex(store, ANALYST_FILES)
        counts = await store.counts()
        sizes = {**counts.nodes, **counts.edges}
        checked = 0
        for request in LISTS:
            for query, params in queries(request, Dialect.LADYBUG):
                profiled = replace(query, body=f"PROFILE {query.body}")
                (row,) = await store._read(profiled, params)
                for operator, table, tuples in ladybug_scans(next(iter(row.values()))):
                    assert tuples < sizes[table], (request, operator, table, query.text())
                    checked += 1
        assert checked > 50
    finally:
        await store.close()


# Neo4j operators that read a whole label, relationship type or index.
_WHOLE = ("NodeByLabelScan", "AllNodesScan", "NodeIndexScan", "RelationshipTypeScan")


def operators(plan: Any) -> Iterator[str]:
    yield plan["operatorType"]
    for child in plan.get("children", ()):
        yield from operators(child)


@pytest.mark.neo4j
async def test_neo4j_seeks_the_anchor_and_scans_nothing(neo4j_uri: str) -> None:
    store = Neo4jStore(neo4j_uri)
    driver = GraphDatabase.driver(neo4j_uri)
    try:
        await store.apply_schema()
        await store.clear()
        await import_openalex(store, ANALYST_FILES)
        for request in LISTS:
            for query, params in queries(request, Dialect.NEO4J):
                with driver.session() as session:
                    result = session.run(f"PROFILE {_collected(query)}", params)
                    result.consume()
                    plan = result.consume().profile
                used = list(operators(plan))
                assert any(o.startswith("NodeUniqueIndexSeek") for o in used), (request, used)
                assert not [o for o in used if any(w in o for w in _WHOLE)], (request, used)
    finally:
        driver.close()
        await store.close()
