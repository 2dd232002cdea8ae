"""Fixtures: a real LadybugDB in memory and a real Neo4j server for every store test.

Neo4j comes from NEO4J_URI when set (the test command starts one); otherwise the session
starts its own with `researchgraph.neo4j_server`, so a plain `pytest` runs every test.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.protocol import GraphStore
from researchgraph import neo4j_server

ROOT = Path(__file__).resolve().parents[1]
# The project's own test data (tests/data/README.md says where each file comes from).
TEST_DATA = ROOT / "tests" / "data"
# The example queries the README, GraphiQL's tabs and the benchmarks use.
QUERIES = ROOT / "web" / "queries"
SEED_WORKS = ROOT / "researchgraph" / "demo_data" / "seed-profile-works.jsonl"
SEED_RESEARCHER = "A925533110232"
# The seed researcher's newest work, and a co-author of it. The seed data has no ORCIDs: a
# test that gives this one an ORCID can tell an author read in full from one read by name.
SEED_NEWEST_WORK = "W921788629796"
SEED_CO_AUTHOR = "A976364520665"
SEED_CO_AUTHOR_NAME = "Raphael Gontijo-Lopes"

ENGINES = [
    pytest.param("embedded", id="embedded"),
    pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Neo4j server's bolt URI: NEO4J_URI, or one started for this test session."""
    given = os.environ.get("NEO4J_URI")
    if given:
        yield given
        return
    data_dir = tmp_path_factory.mktemp("neo4j")
    uri = neo4j_server.start(data_dir, _free_port())
    try:
        yield uri
    finally:
        neo4j_server.stop(data_dir)


async def empty_store(request: pytest.FixtureRequest) -> EmbeddedStore | Neo4jStore:
    """An empty graph store with its schema on the engine ``request.param`` names."""
    opened: EmbeddedStore | Neo4jStore
    if request.param == "embedded":
        opened = EmbeddedStore(IN_MEMORY)
    else:
        uri: str = request.getfixturevalue("neo4j_uri")
        opened = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"))
        await opened.apply_schema()
        await opened.clear()
    await opened.apply_schema()
    return opened


@pytest.fixture(params=ENGINES)
async def store(request: pytest.FixtureRequest) -> AsyncIterator[GraphStore]:
    """An empty graph store with its schema, on each engine in turn."""
    opened = await empty_store(request)
    try:
        yield opened
    finally:
        await opened.close()
