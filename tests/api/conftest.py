"""API fixtures: the app over each engine, reached through httpx's ASGI transport."""

from __future__ import annotations

import contextlib
import gzip
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from researchgraph.app import create_app
from researchgraph.settings import Settings
from tests.conftest import ENGINES, SEED_WORKS, empty_store
from tests.graphstore.test_import import CONFERENCE_GRAPH, OPENALEX_SMALL

HUB = "A989782488510"  # "Yang Liu", 356 works: the largest hub of conference-graph


class GraphQLClient:
    """Posts GraphQL requests to the app and returns the decoded body."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def __call__(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def data(self, query: str, **variables: Any) -> dict[str, Any]:
        """The data of a request that must not fail."""
        body = await self(query, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data


@contextlib.asynccontextmanager
async def app_client(store: GraphStore) -> AsyncIterator[GraphQLClient]:
    """The app in debug mode (dbQueries in every response) over the store."""
    app = create_app(Settings(debug=True, load_demo_data=False), store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphQLClient(http)


@pytest.fixture
async def client(store: GraphStore) -> AsyncIterator[GraphQLClient]:
    """The app in debug mode (dbQueries in every response) over the store, seed data loaded."""
    await import_openalex(store, [SEED_WORKS])
    async with app_client(store) as client:
        yield client


@pytest.fixture(scope="module", params=ENGINES)
async def openalex_client(request: pytest.FixtureRequest) -> AsyncIterator[GraphQLClient]:
    """The app over all of openalex-small (works, authors, institutions, topics), on each
    engine in turn: imported once per test module, which must only read it."""
    store = await empty_store(request)
    try:
        await import_openalex(store, [OPENALEX_SMALL])
        async with app_client(store) as client:
            yield client
    finally:
        await store.close()


@pytest.fixture(scope="session")
def hub_works_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The conference-graph works of its largest hub, as a JSON Lines file."""
    path = tmp_path_factory.mktemp("hub") / "hub-works.jsonl"
    with gzip.open(CONFERENCE_GRAPH, "rt", encoding="utf-8") as source, path.open("w") as out:
        for line in source:
            if HUB in line and any(
                a["author"]["id"].endswith(HUB) for a in json.loads(line)["authorships"]
            ):
                out.write(line)
    return path
