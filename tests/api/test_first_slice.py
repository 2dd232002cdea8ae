"""The first GraphQL slice over both engines, with the demo data imported the real way."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from researchgraph.app import create_app, demo_data_file
from researchgraph.settings import Settings
from tests.conftest import SEED_RESEARCHER, SEED_WORKS

SLICE = """
query ($id: ID!) {
  researcher(id: $id) {
    id name stats { works }
    works(first: 10) { totalCount nodes { title year } }
  }
}
"""


@pytest.fixture
async def client(store: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    await import_openalex(store, [SEED_WORKS])
    app = create_app(Settings(debug=True, load_demo_data=False), store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def graphql(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_demo_data_is_the_seed_profile() -> None:
    assert demo_data_file().read_bytes() == SEED_WORKS.read_bytes()


@pytest.mark.parametrize(
    "researcher_id", [SEED_RESEARCHER, f"https://openalex.org/{SEED_RESEARCHER}"]
)
async def test_seed_researcher_slice(client: httpx.AsyncClient, researcher_id: str) -> None:
    body = await graphql(client, SLICE, id=researcher_id)
    researcher = body["data"]["researcher"]
    assert researcher["id"] == SEED_RESEARCHER
    assert researcher["name"] == "Ekin D. Cubuk"
    assert researcher["stats"]["works"] == 8
    assert researcher["works"]["totalCount"] == 8
    titles = [w["title"] for w in researcher["works"]["nodes"]]
    assert titles[0].startswith("No One Representation")
    assert titles[1:4] == [
        "A Fourier Perspective on Model Robustness in Computer Vision",
        "Affinity and Diversity: Quantifying Mechanisms of Data Augmentation",
        "AugMix: A Simple Data Processing Method to Improve Robustness and Uncertainty",
    ]
    assert len(titles) == 8
    years = [w["year"] for w in researcher["works"]["nodes"]]
    assert years == sorted(years, reverse=True)


async def test_unknown_id_is_null_without_error(client: httpx.AsyncClient) -> None:
    body = await graphql(client, SLICE, id="A999999999999")
    assert body["data"]["researcher"] is None
    assert "errors" not in body


@pytest.mark.parametrize("bad_id", ["' OR 1=1", "W921788629796", "MATCH (n) DETACH DELETE n", ""])
async def test_malformed_id_is_a_clear_error_that_never_reaches_the_store(
    client: httpx.AsyncClient, bad_id: str
) -> None:
    body = await graphql(client, SLICE, id=bad_id)
    assert body["data"]["researcher"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "OpenAlex id" in error["message"] or "not the id of a Researcher" in error["message"]
    assert body["extensions"]["dbQueries"] == 0


async def test_page_size_limit_is_a_clear_error(client: httpx.AsyncClient) -> None:
    query = '{ researcher(id: "A925533110232") { works(first: 1000000) { totalCount } } }'
    body = await graphql(client, query)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["extensions"]["dbQueries"] == 0
