"""Fuzzing, bounded: schema-driven random queries and random bodies never get a 5xx or an
unmasked error."""

from __future__ import annotations

import random

import hypothesis_graphql
from graphql import StringValueNode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schema import schema
from tests.api.conftest import GraphQLClient

ALLOWED_CODES = {
    "BAD_USER_INPUT",
    "NOT_FOUND",
    "GRAPHQL_VALIDATION_FAILED",
    "GRAPHQL_PARSE_FAILED",
    "QUERY_TOO_DEEP",
    "TOO_MANY_ALIASES",
    "TOO_MANY_TOKENS",
    "QUERY_TOO_COSTLY",
    "UNAUTHENTICATED",
    "FORBIDDEN",
}
SDL = schema.as_str()
IDS = st.sampled_from(
    ["A925533110232", "W921788629796", "T913714451065", "subfields/1707", "A1", "' OR 1=1", ""]
).map(lambda value: StringValueNode(value=value))


async def test_schema_driven_random_queries(client: GraphQLClient) -> None:
    examples: list[str] = []

    @settings(
        max_examples=150,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(hypothesis_graphql.queries(SDL, custom_scalars={"ID": IDS}))
    def collect(query: str) -> None:
        examples.append(query)

    collect()
    assert len(examples) >= 100
    for query in examples:
        response = await client.http.post("/graphql", json={"query": query})
        assert response.status_code < 500, (query, response.text)
        for error in response.json().get("errors", []):
            code = error["extensions"]["code"]
            assert code in ALLOWED_CODES, (query, error)


async def test_random_bytes_as_bodies(client: GraphQLClient) -> None:
    rng = random.Random(7)
    bodies = [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 2000))) for _ in range(100)]
    bodies += [b"", b"null", b"[]", b"{}", b'{"query": null}', b'{"query": "{"}', b"\xff\xfe{}"]
    for body in bodies:
        for content_type in ("application/json", "application/octet-stream"):
            response = await client.http.post(
                "/graphql", content=body, headers={"content-type": content_type}
            )
            assert response.status_code < 500
            assert response.json()["errors"][0]["extensions"]["code"]
