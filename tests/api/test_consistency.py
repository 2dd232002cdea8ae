"""Read-your-writes through the API, on both engines: a write's response gives its bookmarks
(Neo4j), a request sending them back reads the write, and malformed or foreign bookmarks get a
clear error (researchgraph/consistency.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.protocol import GraphStore
from researchgraph.consistency import MAX_BOOKMARK_LENGTH, MAX_BOOKMARKS
from tests.api.conftest import GraphQLClient
from tests.api.test_accounts import FOLLOW, PASSWORD, SIGN_UP
from tests.conftest import SEED_RESEARCHER

FOLLOWERS = "query ($id: ID!) { researcher(id: $id) { stats { followers } } }"


async def _post(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    *,
    token: str | None = None,
    bookmarks: object = None,
) -> httpx.Response:
    body: dict[str, Any] = {"query": query, "variables": variables}
    if bookmarks is not None:
        body["extensions"] = {"bookmarks": bookmarks}
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return await http.post("/graphql", json=body, headers=headers)


async def _follow(client: GraphQLClient) -> dict[str, Any]:
    """The response of a new user's follow of the seed researcher."""
    signed = await client.data(SIGN_UP, email="b@example.org", password=PASSWORD, name="B")
    response = await _post(
        client.http, FOLLOW, {"id": SEED_RESEARCHER}, token=signed["signUp"]["token"]
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["data"]["followResearcher"]["stats"] == {"followers": 1}
    return body


async def test_a_write_hands_its_bookmarks_to_the_next_request(
    client: GraphQLClient, store: GraphStore
) -> None:
    read = await _post(client.http, FOLLOWERS, {"id": SEED_RESEARCHER})
    assert "bookmarks" not in read.json()["extensions"]
    followed = await _follow(client)
    bookmarks = followed["extensions"].get("bookmarks")
    if isinstance(store, Neo4jStore):
        assert bookmarks
        assert all(isinstance(b, str) and b for b in bookmarks)
    else:
        # One process: every read sees every committed write, no bookmark is needed.
        assert bookmarks is None
        bookmarks = []
    again = await _post(client.http, FOLLOWERS, {"id": SEED_RESEARCHER}, bookmarks=bookmarks)
    assert again.status_code == 200, again.text
    body = again.json()
    assert body["data"]["researcher"]["stats"] == {"followers": 1}
    assert body["extensions"].get("bookmarks", []) == sorted(bookmarks)


@pytest.mark.parametrize(
    "bookmarks",
    [
        "FB:one",
        {"b": "FB:one"},
        [1],
        [""],
        [None],
        ["x" * (MAX_BOOKMARK_LENGTH + 1)],
        ["FB:one"] * (MAX_BOOKMARKS + 1),
    ],
)
async def test_malformed_bookmarks_are_a_bad_request(
    client: GraphQLClient, bookmarks: object
) -> None:
    response = await _post(client.http, FOLLOWERS, {"id": SEED_RESEARCHER}, bookmarks=bookmarks)
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "extensions.bookmarks" in error["message"]


async def test_bookmarks_the_database_never_gave_are_refused_clearly(
    client: GraphQLClient, store: GraphStore
) -> None:
    response = await _post(client.http, FOLLOWERS, {"id": SEED_RESEARCHER}, bookmarks=["FB:x"])
    assert response.status_code == 200
    body = response.json()
    if isinstance(store, Neo4jStore):
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert "bookmarks" in error["message"]
        assert "Expected" not in error["message"]
    else:
        # The embedded store has no bookmarks to check them against: it reads as always.
        assert body["data"]["researcher"]["stats"] == {"followers": 0}
