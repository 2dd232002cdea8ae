"""Search and look-ups by id of every node kind, on both engines."""

from __future__ import annotations

import random
from typing import Any

import pytest

from graphstore.text import normalise
from tests.api.conftest import GraphQLClient
from tests.conftest import SEED_RESEARCHER

SEARCH = """
query ($q: String!, $kinds: [NodeKind!], $first: Int, $after: String) {
  search(query: $q, kinds: $kinds, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename id
      ... on Researcher { name }
      ... on Work { title }
      ... on Topic { name }
    }
  }
}
"""


async def test_search_ranks_titles_holding_the_words_first(client: GraphQLClient) -> None:
    found = (await client.data(SEARCH, q="augmentation robustness", kinds=["WORK"]))["search"]
    titles = [n["title"] for n in found["nodes"]]
    assert any(t.startswith("AugMix") for t in titles), titles
    # Matches in abstracts are ordered by their titles (schema/README.md): those whose title
    # holds a word of the query before those whose title holds none.
    in_title = [bool({"augmentation", "robustness"} & set(normalise(t).split())) for t in titles]
    assert in_title == sorted(in_title, reverse=True), titles
    assert any(in_title), titles
    assert not all(in_title), titles
    assert all(n["__typename"] == "Work" for n in found["nodes"])


async def test_search_finds_researchers_and_topics_by_name(client: GraphQLClient) -> None:
    people = (await client.data(SEARCH, q="cubuk", kinds=["RESEARCHER"]))["search"]
    assert [n["name"] for n in people["nodes"]] == ["Ekin D. Cubuk"]
    topics = (await client.data(SEARCH, q="semi-supervised", kinds=["TOPIC"]))["search"]
    assert topics["nodes"][0]["name"] == "Semi-supervised learning"


async def test_search_pages_with_cursors(client: GraphQLClient) -> None:
    everything = (await client.data(SEARCH, q="learning", first=100))["search"]
    seen: list[str] = []
    after = None
    while True:
        page = (await client.data(SEARCH, q="learning", first=2, after=after))["search"]
        assert page["totalCount"] == everything["totalCount"]
        seen.extend(n["id"] for n in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [n["id"] for n in everything["nodes"]]


FILTERED = """
query ($q: String!, $order: SearchOrder, $from: Int, $to: Int) {
  search(query: $q, orderBy: $order, yearFrom: $from, yearTo: $to, first: 20) {
    totalCount
    nodes { __typename id ... on Work { year citations } }
  }
}
"""


async def test_search_filters_years_and_orders(client: GraphQLClient) -> None:
    found = (await client.data(FILTERED, q="learning", **{"from": 2019, "to": 2020}))["search"]
    assert found["nodes"]
    assert all(n["__typename"] == "Work" and 2019 <= n["year"] <= 2020 for n in found["nodes"])
    newest = (await client.data(FILTERED, q="learning", order="NEWEST", to=2030))["search"]
    years = [n["year"] for n in newest["nodes"]]
    assert years == sorted(years, reverse=True)
    cited = (await client.data(FILTERED, q="learning", order="MOST_CITED", to=2030))["search"]
    citations = [n["citations"] for n in cited["nodes"]]
    assert citations == sorted(citations, reverse=True)


async def test_search_refuses_bad_year_ranges(client: GraphQLClient) -> None:
    for years in ({"from": 2021, "to": 2020}, {"from": -1}, {"to": 10_000}):
        body = await client(FILTERED, q="learning", **years)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], years


async def test_the_exact_title_comes_first(client: GraphQLClient) -> None:
    works = (await client.data(SEARCH, q="learning", kinds=["WORK"], first=100))["search"]
    assert len(works["nodes"]) > 3
    for work in works["nodes"]:
        found = (await client.data(SEARCH, q=work["title"], first=1))["search"]
        assert found["nodes"][0]["title"].lower() == work["title"].lower(), work["title"]


LUCENE_AND_FTS_SYNTAX = [*'"*?~\\:()[]{}^+-!&|/', "AND", "OR", "NOT", "NEAR", "TO"]


async def test_any_query_text_gives_results_or_a_clear_error(client: GraphQLClient) -> None:
    rng = random.Random(20261126)
    words = ["augmentation", "robust", "Cubuk", "é", "数据", "", " "]
    queries = ["", " ", "x" * 10_000, "a" * 10_001, '"unbalanced', "title:AugMix", "Cub*~2"]
    for _ in range(150):
        parts = rng.choices(LUCENE_AND_FTS_SYNTAX + words, k=rng.randint(1, 8))
        queries.append(rng.choice(["", " "]).join(parts))
    for text in queries:
        body = await client(SEARCH, q=text)
        if "errors" in body:
            assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], text
            assert len(text) > 10_000
        else:
            assert isinstance(body["data"]["search"]["totalCount"], int)


NODE = """
query ($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Researcher { name }
    ... on Work { title authors { position researcher { id } institutions { id } } }
    ... on Topic { name level parent { id level } children { id } }
    ... on Institution { name }
  }
}
"""


@pytest.mark.parametrize(
    ("node_id", "typename"),
    [
        ("A925533110232", "Researcher"),
        ("https://openalex.org/W921788629796", "Work"),
        ("T913714451065", "Topic"),
        ("subfields/1707", "Topic"),
    ],
)
async def test_node_resolves_every_kind(client: GraphQLClient, node_id: str, typename: str) -> None:
    node = (await client.data(NODE, id=node_id))["node"]
    assert node["__typename"] == typename


async def test_topic_hierarchy_and_work_topics(client: GraphQLClient) -> None:
    topic = (await client.data(NODE, id="T913714451065"))["node"]
    assert topic["level"] == "topic"
    assert topic["parent"] == {"id": "subfields/1707", "level": "subfield"}
    field = (await client.data(NODE, id="fields/17"))["node"]
    assert field["name"] == "Computer Science"
    assert {"id": "subfields/1707"} in field["children"]
    work = await client.data(
        '{ work(id: "W921788629796") { citations doi topics { score topic { id name } } } }'
    )
    assert work["work"]["topics"][0]["topic"]["name"] == "Robustness to distribution shift"
    assert work["work"]["topics"][0]["score"] == pytest.approx(0.99)


async def test_typed_lookups_refuse_the_wrong_kind(client: GraphQLClient) -> None:
    body = await client('{ topic(id: "A925533110232") { id } institution(id: "I1") { id } }')
    assert body["data"] == {"topic": None, "institution": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]


async def test_an_empty_kinds_list_is_refused_wherever_kinds_filter(
    client: GraphQLClient,
) -> None:
    """[] would mean "every kind" to some clients and "none" to others: each field says so."""
    queries: list[tuple[str, dict[str, Any]]] = [
        (SEARCH, {"q": "cubuk", "kinds": []}),
        (
            "query ($id: ID!) { explore(center: $id, kinds: []) { center } }",
            {"id": SEED_RESEARCHER},
        ),
        (
            "query ($id: ID!) { researcher(id: $id) { neighbourhood(kinds: []) { center } } }",
            {"id": SEED_RESEARCHER},
        ),
    ]
    for query, variables in queries:
        body = await client(query, **variables)
        assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
            ("kinds: name at least one kind, or leave kinds out for every kind", "BAD_USER_INPUT")
        ]
