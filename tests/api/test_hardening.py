"""Hostile and malformed requests: each gets a clear error with a code, before the store."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import httpx
import pytest

from graphstore.protocol import GraphStore
from researchgraph.observability import (
    MAX_OPERATION_LABELS,
    REQUEST_ID_HEADER,
    JsonLogFormatter,
    Metrics,
)
from tests.api.conftest import GraphQLClient

PROFILE_SLICE = '{ researcher(id: "A925533110232") { name } }'


def _nested(depth: int) -> str:
    inner = "id"
    for _ in range(depth):
        inner = f"collaborators {{ researcher {{ {inner} }} }}"
    return f'{{ researcher(id: "A925533110232") {{ {inner} }} }}'


@pytest.mark.parametrize(
    ("query", "code"),
    [
        (_nested(50), "QUERY_TOO_DEEP"),
        (
            "{ " + " ".join(f'a{i}: researcher(id: "A1") {{ id }}' for i in range(1000)) + " }",
            "TOO_MANY_TOKENS",
        ),
        (
            "{ " + " ".join(f'a{i}: node(id: "A1") {{ id }}' for i in range(31)) + " }",
            "TOO_MANY_ALIASES",
        ),
        (
            '{ researcher(id: "A925533110232") { works(first: 1000000) { totalCount } } }',
            "BAD_USER_INPUT",
        ),
        ('{ explore(center: "A925533110232", depth: 10) { depth } }', "BAD_USER_INPUT"),
        (
            '{ researcher(id: "A925533110232") { works(first: 100) { nodes { authors { researcher {'
            " works(first: 100) { nodes { authors { researcher { name } } } } } } } } } }",
            "QUERY_TOO_COSTLY",
        ),
        ("{ researcher(id: ", "GRAPHQL_PARSE_FAILED"),
        ("{ noSuchField }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
async def test_expensive_or_broken_documents_are_refused_before_the_store(
    client: GraphQLClient, query: str, code: str
) -> None:
    body = await client(query)
    assert [e["extensions"]["code"] for e in body["errors"]][:1] == [code]
    assert body.get("extensions", {}).get("dbQueries", 0) == 0


async def test_a_document_too_repetitive_to_validate_says_why(client: GraphQLClient) -> None:
    body = await client('{ researcher(id: "A925533110232") { ' + "name " * 1000 + "} }")
    assert [e["message"] for e in body["errors"]] == [
        "validation aborted: the document repeats or overlaps too many fields to check; "
        "ask each field once"
    ]


async def test_variables_count_in_the_limits(client: GraphQLClient) -> None:
    query = (
        'query ($n: Int!) { researcher(id: "A925533110232") { works(first: $n) { totalCount } } }'
    )
    body = await client(query, n=5000)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["extensions"]["dbQueries"] == 0


async def test_a_document_that_passed_is_checked_again_with_other_sizes(
    client: GraphQLClient,
) -> None:
    query = (
        "query ($id: ID!, $n: Int) { researcher(id: $id) { works(first: 100) { nodes { "
        "authors { researcher { works(first: $n) { nodes { authors { researcher { name } } } } "
        "} } } } } }"
    )
    for n in (1, 2):
        assert "errors" not in await client(query, id="A925533110232", n=n)
    assert "errors" not in await client(query, id="A1", n=1)
    too_costly = await client(query, id="A925533110232", n=100)
    assert [e["extensions"]["code"] for e in too_costly["errors"]] == ["QUERY_TOO_COSTLY"]
    out_of_bounds = await client(query, id="A925533110232", n=101)
    assert [e["extensions"]["code"] for e in out_of_bounds["errors"]] == ["BAD_USER_INPUT"]
    # Absent, the argument's default counts (too costly here), not a value that passed before.
    absent = await client(query, id="A925533110232")
    assert [e["extensions"]["code"] for e in absent["errors"]] == ["QUERY_TOO_COSTLY"]


async def _post(
    http: httpx.AsyncClient, content: bytes, content_type: str, **headers: str
) -> httpx.Response:
    return await http.post(
        "/graphql", content=content, headers={"content-type": content_type, **headers}
    )


async def test_http_level_refusals_carry_codes(client: GraphQLClient) -> None:
    http = client.http
    cases: list[tuple[httpx.Response, int, str]] = [
        (await _post(http, b"x" * (1024 * 1024), "application/json"), 413, "PAYLOAD_TOO_LARGE"),
        (await _post(http, b"{not json", "application/json"), 400, "BAD_REQUEST"),
        (await _post(http, b"query { x }", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE"),
        (
            await _post(http, b'[{"query": "{ __typename }"}]', "application/json"),
            400,
            "BAD_REQUEST",
        ),
        (await _post(http, b'{"query": 5}', "application/json"), 400, "BAD_REQUEST"),
        (await _post(http, b'{"variables": {}}', "application/json"), 400, "BAD_REQUEST"),
        (
            await http.get(
                "/graphql", params={"query": 'mutation { followResearcher(id: "A1") { id } }'}
            ),
            405,
            "METHOD_NOT_ALLOWED",
        ),
        (await http.put("/graphql", content=b"{}"), 405, "METHOD_NOT_ALLOWED"),
        (
            await _post(
                http, b'{"query": "{ __typename }"}', "application/json", accept="text/csv"
            ),
            406,
            "NOT_ACCEPTABLE",
        ),
    ]
    for response, status, code in cases:
        assert response.status_code == status, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == code
    for method in ("PUT", "HEAD"):
        assert (await http.request(method, "/graphql")).headers["allow"] == "GET, POST"
    options = await http.options("/graphql")
    assert (options.status_code, options.headers["allow"], options.content) == (
        204,
        "GET, POST",
        b"",
    )


# Bodies that are no JSON object, and what the client is told: the product's words and the
# place, never the parser's (orjson's own were "invalid literal, expected 'true'", "str is not
# valid UTF-8: surrogates not allowed", "no low surrogate in string", "trailing comma is not
# allowed", "unexpected end of data").
ODD_BODIES = [
    (b"", "the body is empty: expected a JSON object"),
    (b" \n ", "the body is empty: expected a JSON object"),
    (b"tru", "the body ends before its JSON value is complete (line 1, column 4)"),
    (
        b'{"query": "{ __typename }"',
        "the body ends before its JSON value is complete (line 1, column 27)",
    ),
    (b'{\n  "query": tru }', "the body is not valid JSON at line 2, column 12"),
    (b'{"query": "{ x }",}', "the body is not valid JSON at line 1, column 18"),
    (b'{"query": "{ x }"} {}', "the body is not valid JSON at line 1, column 20"),
    (b"NaN", "the body is not valid JSON at line 1, column 1"),
    (b'{"query": "\\ud800"}', "the body is not valid JSON at line 1, column 12"),
    (b"\xff\xfe{}", "the body is not UTF-8 text at line 1, column 1"),
    (b'{"query":\n "\xc3\xa9\xed\xa0\x80"}', "the body is not UTF-8 text at line 2, column 4"),
]


@pytest.mark.parametrize(("content", "message"), ODD_BODIES)
async def test_a_malformed_body_is_told_where_in_the_products_words(
    client: GraphQLClient, content: bytes, message: str
) -> None:
    response = await _post(client.http, content, "application/json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["message"], error["extensions"]["code"]) == (message, "BAD_REQUEST")


async def test_media_types_and_status_codes_follow_graphql_over_http(client: GraphQLClient) -> None:
    http = client.http
    ok = await http.get("/graphql", params={"query": PROFILE_SLICE})
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("application/json")
    strict = "application/graphql-response+json"
    invalid = await _post(http, b'{"query": "{ nope }"}', "application/json", accept=strict)
    assert invalid.status_code == 400
    assert invalid.headers["content-type"].startswith(strict)
    assert "data" not in invalid.json()
    legacy = await _post(http, b'{"query": "{ nope }"}', "application/json")
    assert legacy.status_code == 200
    executed = await _post(
        http, json.dumps({"query": PROFILE_SLICE}).encode(), "application/json", accept=strict
    )
    assert executed.status_code == 200
    assert executed.json()["data"]["researcher"]["name"] == "Ekin D. Cubuk"


async def test_the_operation_to_run_must_be_named_when_it_is_not_the_only_one(
    client: GraphQLClient, store: GraphStore
) -> None:
    two = (
        'mutation Join { signUp(email: "two@example.org", password: "password123", name: "T") '
        "{ user { id } } } query Look { __typename }"
    )
    before = await store.counts()
    cases = [
        ({"query": two}, "several operations: name the one to run in operationName"),
        ({"query": two, "operationName": "Nope"}, 'no operation named "Nope"'),
        ({"query": "query A { __typename }", "operationName": ""}, 'no operation named ""'),
        ({"query": "fragment F on Query { __typename }"}, "no operation to run"),
        ({"query": "type Foo { a: Int }"}, "no operation to run"),
    ]
    strict = "application/graphql-response+json"
    for payload, message in cases:
        for accept, status in (("application/json", 200), (strict, 400)):
            response = await client.http.post("/graphql", json=payload, headers={"accept": accept})
            assert response.status_code == status, (payload, response.text)
            (error,) = response.json()["errors"]
            assert error["extensions"]["code"] == "OPERATION_RESOLUTION_FAILURE"
            assert message in error["message"]
    assert await store.counts() == before  # the mutation did not run
    picked = await client.http.post("/graphql", json={"query": two, "operationName": "Look"})
    assert picked.json()["data"] == {"__typename": "Query"}
    # Over GET, the operation picked is what counts: a query beside a mutation may run.
    got = await client.http.get("/graphql", params={"query": two, "operationName": "Look"})
    assert got.json()["data"] == {"__typename": "Query"}
    refused = await client.http.get("/graphql", params={"query": two, "operationName": "Join"})
    assert refused.status_code == 405
    assert await store.counts() == before


async def test_text_that_is_not_unicode_is_refused_as_bad_json(
    client: GraphQLClient, store: GraphStore
) -> None:
    """A lone UTF-16 surrogate is no character: refused at the door, not deep in the store."""
    query = 'mutation ($n: String!) { signUp(email: "s@example.org", password: "password123", '
    query += "name: $n) { user { id } } }"
    before = await store.counts()
    # json.dumps writes the surrogate as the escape a client's JSON would carry: \ud800.
    raw = json.dumps({"query": query, "variables": {"n": "x\ud800"}})
    assert "\\ud800" in raw
    response = await _post(client.http, raw.encode(), "application/json")
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert error["message"].startswith("the body is not valid JSON")
    variables = await client.http.get(
        "/graphql", params={"query": PROFILE_SLICE, "variables": json.dumps({"n": "\udfff"})}
    )
    assert variables.status_code == 400
    assert variables.json()["errors"][0]["message"] == (
        "variables is not valid JSON at line 1, column 8"
    )
    assert await store.counts() == before


async def test_unexpected_errors_are_masked_and_logged_with_an_id(
    client: GraphQLClient,
    store: GraphStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(ids: Any) -> Any:
        raise RuntimeError("MATCH (n) secret /etc/researchgraph NEO4J_PASSWORD=hunter2")

    monkeypatch.setattr(store, "researchers", broken)
    with caplog.at_level(logging.ERROR, logger="researchgraph.errors"):
        response = await client.http.post("/graphql", json={"query": PROFILE_SLICE})
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    error_id = error["extensions"]["errorId"]
    assert error_id in error["message"]
    for secret in ("MATCH", "/etc", "hunter2", "NEO4J"):
        assert secret not in response.text
    (record,) = [r for r in caplog.records if getattr(r, "error_id", None) == error_id]
    logged = json.loads(JsonLogFormatter().format(record))
    assert logged["errorId"] == error_id
    assert "hunter2" in logged["trace"]


async def test_request_ids_metrics_and_probes(client: GraphQLClient) -> None:
    http = client.http
    given = await http.post(
        "/graphql", json={"query": PROFILE_SLICE}, headers={REQUEST_ID_HEADER: "abc-123"}
    )
    assert given.headers[REQUEST_ID_HEADER] == "abc-123"
    made = await http.post(
        "/graphql", json={"query": PROFILE_SLICE}, headers={REQUEST_ID_HEADER: "<bad id>"}
    )
    assert made.headers[REQUEST_ID_HEADER] != "<bad id>"
    await http.post("/graphql", json={"query": "{ nope }"})
    metrics = (await http.get("/metrics")).text
    assert 'graphql_requests_total{operation="anonymous",outcome="ok"} 2.0' in metrics
    assert 'graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1.0' in metrics
    assert "store_query_seconds_count" in metrics
    assert 'dataloader_batch_size_count{loader="researcher"}' in metrics
    assert (await http.get("/healthz")).status_code == 200
    assert (await http.get("/readyz")).json() == {"status": "ready"}


def test_operation_names_make_a_bounded_set_of_metric_labels() -> None:
    metrics = Metrics()
    assert metrics.operation_label(None) == "anonymous"
    for bad in ("x" * 65, "two words", "Op-1", ""):
        assert metrics.operation_label(bad) == "other"
    names = [f"Op{i}" for i in range(MAX_OPERATION_LABELS + 3)]
    labels = [metrics.operation_label(name) for name in names]
    assert labels == names[:MAX_OPERATION_LABELS] + ["other"] * 3
    assert metrics.operation_label("Op0") == "Op0"


def test_log_lines_are_json_objects() -> None:
    record = logging.LogRecord("researchgraph", logging.INFO, __file__, 1, "hello %s", ("x",), None)
    line = JsonLogFormatter().format(record)
    assert json.loads(line)["message"] == "hello x"
    assert "\n" not in line


async def test_a_request_answers_only_once_its_store_calls_are_done(
    client: GraphQLClient,
) -> None:
    # stats asks for the summary first; then collaborators refuses its argument, which nulls
    # the researcher and ends the execution while that load is queued or being read.
    body = await client(
        """query ($id: ID!) { node(id: $id) { ... on Researcher {
             stats { works } collaborators(minSharedWorks: 0) { sharedWorks } } } }""",
        id="A925533110232",
    )
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    still_loading = [
        task
        for task in asyncio.all_tasks()
        if "dispatch" in getattr(task.get_coro(), "__qualname__", "")
    ]
    assert still_loading == []
