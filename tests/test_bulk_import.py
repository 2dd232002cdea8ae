"""The bulk first load makes the graph a transactional import of the same files makes.

The same test data (openalex-small: works, Author, Institution and Topic records, JSON Lines
and JSON arrays; the conference-graph slice) goes through ``import_openalex`` into the test
session's Neo4j and through ``bulk_load`` (neo4j-admin) into a second, empty server. Both
graphs are then dumped whole (every node's labels and properties, every edge's type, ends
and properties) and asked the product's queries through GraphQL; everything must agree.
"""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from neo4j import GraphDatabase

from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.ingest.importer import import_openalex
from researchgraph import neo4j_server
from researchgraph.bulk_load import BulkLoadError, bulk_load
from tests.api.conftest import HUB, app_client
from tests.conftest import QUERIES
from tests.graphstore.test_import import CONFERENCE_GRAPH, OPENALEX_SMALL

pytestmark = pytest.mark.neo4j

INPUTS = [OPENALEX_SMALL, CONFERENCE_GRAPH]
# The bulk load's graph is the import's with the whole input as one batch. The importer's
# graph is the same for any batch size but for one thing: a node that works name keeps the
# first name they give it while its search title is the last batch's (Neo4jStore's
# _index_documents sets it on every batch that names it), so the comparison is with one batch.
ONE_BATCH = 100_000


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Loaded:
    """The two graphs: the transactional import's and the bulk load's."""

    def __init__(self, transactional: Neo4jStore, bulk: Neo4jStore, uris: tuple[str, str]):
        self.transactional = transactional
        self.bulk = bulk
        self.uris = uris


@pytest.fixture(scope="module")
async def loaded(
    neo4j_uri: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[tuple[Loaded, Path]]:
    transactional = Neo4jStore(neo4j_uri)
    await transactional.apply_schema()
    await transactional.clear()
    report = await import_openalex(transactional, INPUTS, batch_size=ONE_BATCH)
    assert not report.problems
    data_dir = tmp_path_factory.mktemp("bulk")
    result = await bulk_load(INPUTS, data_dir, port=_free_port(), workers=2, max_errors=0)
    assert result.uri is not None
    assert not result.report.problems
    assert result.report.written.works == report.written.works
    bulk = Neo4jStore(result.uri)
    try:
        yield Loaded(transactional, bulk, (neo4j_uri, result.uri)), data_dir
    finally:
        await bulk.close()
        await transactional.close()
        neo4j_server.stop(data_dir)


def _dump(uri: str) -> tuple[Counter[str], Counter[str]]:
    """Every node (labels, properties) and edge (type, ends, properties), as comparable text."""
    with GraphDatabase.driver(uri, auth=None) as driver:
        nodes, _, _ = driver.execute_query(
            "MATCH (n) RETURN labels(n) AS labels, properties(n) AS properties"
        )
        edges, _, _ = driver.execute_query(
            "MATCH (a)-[e]->(b) RETURN type(e) AS type, labels(a) AS fromLabels, a.id AS source, "
            "labels(b) AS toLabels, b.id AS target, properties(e) AS properties"
        )
    return (
        Counter(json.dumps(r.data(), sort_keys=True) for r in nodes),
        Counter(json.dumps(r.data(), sort_keys=True) for r in edges),
    )


async def test_the_bulk_load_makes_the_transactional_graph(loaded: tuple[Loaded, Path]) -> None:
    graphs, _ = loaded
    assert await graphs.bulk.counts() == await graphs.transactional.counts()
    expected_nodes, expected_edges = _dump(graphs.uris[0])
    nodes, edges = _dump(graphs.uris[1])
    assert sum(expected_nodes.values()) > 10_000  # the data is all there to compare
    # Differences first (a readable failure), then the whole multisets.
    assert list((nodes - expected_nodes).elements())[:5] == []
    assert list((expected_nodes - nodes).elements())[:5] == []
    assert list((edges - expected_edges).elements())[:5] == []
    assert list((expected_edges - edges).elements())[:5] == []
    assert nodes == expected_nodes
    assert edges == expected_edges


def _queries(name: str) -> str:
    return (QUERIES / name).read_text()


_WORK_BY_DOI = """
query WorkByDoi($id: ID!) {
  work(id: $id) {
    id title year venue doi citations
    authors { position researcher { id name orcid } }
    topics { score topic { id name } }
    versions { id }
  }
}
"""
_TOPIC_PAGE = """
query TopicPage($id: ID!) {
  topic(id: $id) {
    id name level
    parent { id name }
    works(first: 5) { totalCount nodes { id title } }
    researchers(first: 5) { totalCount edges { works node { id name } } }
    stats { works citations }
  }
}
"""
_INSTITUTION = """
query Institution($id: ID!) {
  institution(id: $id) {
    id name ror country type
    researchers(first: 5) { totalCount edges { works node { id name } } }
  }
}
"""


async def _answers(store: Neo4jStore, requests: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """Each request's data and errors (not its extensions: the debug mode's query timings)."""
    answers = []
    async with app_client(store) as client:
        for query, variables in requests:
            response = await client.http.post(
                "/graphql", json={"query": query, "variables": variables}
            )
            body = response.json()
            answers.append((response.status_code, body.get("data"), body.get("errors")))
    return answers


async def test_the_bulk_graph_answers_as_the_transactional_one(
    loaded: tuple[Loaded, Path],
) -> None:
    graphs, _ = loaded
    with GraphDatabase.driver(graphs.uris[0], auth=None) as driver:
        picks, _, _ = driver.execute_query(
            """
            CALL () { MATCH (w:Work) WHERE w.doi IS NOT NULL
                      RETURN w.doi AS doi ORDER BY w.id LIMIT 1 }
            CALL () { MATCH (r:Researcher)-[:AUTHORED]->(:Work)<-[:CITES]-()
                      RETURN r.id AS cited ORDER BY r.id LIMIT 1 }
            CALL () { MATCH (t:Topic)<-[:HAS_TOPIC]-() RETURN t.id AS topic, count(*) AS n
                      ORDER BY n DESC, topic LIMIT 1 }
            CALL () { MATCH (i:Institution) WHERE i.ror IS NOT NULL
                      RETURN i.id AS institution ORDER BY i.id LIMIT 1 }
            RETURN doi, cited, topic, institution
            """
        )
    pick = picks[0]
    profile, explorer, search = (
        _queries(name) for name in ("profile.graphql", "explorer.graphql", "search.graphql")
    )
    requests: list[tuple[str, dict[str, Any]]] = [
        (profile, {"id": HUB}),
        (profile, {"id": pick["cited"]}),
        (explorer, {"center": HUB, "depth": 2, "limit": 100}),
        (explorer, {"center": pick["topic"], "depth": 1, "limit": 50}),
        (search, {"query": "learning", "first": 10}),
        (search, {"query": "Yang Liu", "first": 5}),
        (_WORK_BY_DOI, {"id": f"doi:{pick['doi']}"}),
        (_TOPIC_PAGE, {"id": pick["topic"]}),
        (_INSTITUTION, {"id": pick["institution"]}),
    ]
    expected = await _answers(graphs.transactional, requests)
    failed = [
        (variables, status, errors)
        for (_, variables), (status, data, errors) in zip(requests, expected, strict=True)
        if status != 200 or not data or errors
    ]
    assert failed == []
    assert await _answers(graphs.bulk, requests) == expected


async def test_a_database_holding_anything_is_refused(loaded: tuple[Loaded, Path]) -> None:
    graphs, data_dir = loaded
    before = await graphs.bulk.counts()
    with pytest.raises(BulkLoadError, match="not empty"):
        await bulk_load(INPUTS, data_dir, max_errors=0)
    assert await graphs.bulk.counts() == before


async def test_too_many_bad_records_load_nothing(tmp_path: Path) -> None:
    records = tmp_path / "works.jsonl"
    records.write_text('{"id": "W1", "title": "kept"}\nnot json\n{"id": 7}\n')
    data_dir = tmp_path / "server"
    result = await bulk_load([records], data_dir, max_errors=1)
    assert result.report.aborted
    assert [line.split(" (")[0] for line in result.report.problems] == [
        f"{records}:2: malformed JSON",
        f"{records}:3: missing or malformed id",
    ]
    assert result.uri is None
    assert not neo4j_server.has_database(data_dir)
