"""Database faults under a running app: a real Neo4j stopped and started again, and deadlines."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.ingest.importer import import_openalex
from researchgraph import neo4j_server
from researchgraph.app import create_app
from researchgraph.settings import Settings
from tests.conftest import SEED_WORKS, _free_port

QUERY = '{ researcher(id: "A925533110232") { name stats { works } } }'


async def _ask(http: httpx.AsyncClient) -> httpx.Response:
    return await http.post("/graphql", json={"query": QUERY})


@pytest.mark.neo4j
async def test_neo4j_stopped_and_started_under_the_running_app(tmp_path: Path) -> None:
    # A server of its own: stopping the shared test server would break other tests.
    port = _free_port()
    uri = neo4j_server.start(tmp_path, port, heap="512m", pagecache="64m")
    store = Neo4jStore(uri)
    try:
        await store.apply_schema()
        await import_openalex(store, [SEED_WORKS])
        app = create_app(Settings(load_demo_data=False), store=store)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test"
        ) as http:
            assert (await _ask(http)).json()["data"]["researcher"]["stats"]["works"] == 8

            neo4j_server.stop(tmp_path)
            started = time.monotonic()
            down = await _ask(http)
            elapsed = time.monotonic() - started
            assert down.status_code == 200
            assert [e["extensions"]["code"] for e in down.json()["errors"]] == [
                "DATABASE_UNAVAILABLE"
            ]
            assert elapsed < 3.0
            assert "bolt" not in down.text.lower()
            assert (await http.get("/readyz")).status_code == 503
            assert (await http.get("/healthz")).status_code == 200

            neo4j_server.start(tmp_path, port, heap="512m", pagecache="64m")
            deadline = time.monotonic() + 30
            while (await http.get("/readyz")).status_code != 200:
                assert time.monotonic() < deadline, "the app did not recover"
            back = await _ask(http)
            assert back.json()["data"]["researcher"]["stats"]["works"] == 8
    finally:
        await store.close()
        neo4j_server.stop(tmp_path)


@pytest.fixture
async def seeded_store() -> AsyncIterator[EmbeddedStore]:
    store = EmbeddedStore(IN_MEMORY)
    await store.apply_schema()
    await import_openalex(store, [SEED_WORKS])
    try:
        yield store
    finally:
        await store.close()


async def test_a_request_past_its_deadline_gets_timeout_and_the_server_stays_healthy(
    seeded_store: EmbeddedStore,
) -> None:
    hurried = create_app(
        Settings(load_demo_data=False, request_timeout_seconds=1e-6), store=seeded_store
    )
    patient = create_app(Settings(load_demo_data=False), store=seeded_store)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=hurried), base_url="http://t") as fast,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=patient), base_url="http://t") as slow,
    ):
        late = await _ask(fast)
        assert late.status_code == 504
        assert late.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert (await _ask(slow)).json()["data"]["researcher"]["name"] == "Ekin D. Cubuk"
        assert (await slow.get("/readyz")).status_code == 200
