"""The analysts' lists on both engines: a topic's and an institution's pages, the root lists of
works and researchers, and facets, over openalex-small (works, authors and institutions).

Expected figures are counted here from the records themselves, so the lists are checked against
a definition written again (graphstore/lists.py says the sets), not against themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from researchgraph.app import create_app
from researchgraph.settings import Settings
from tests.api.conftest import GraphQLClient
from tests.conftest import QUERIES, SEED_WORKS
from tests.graphstore.test_import import CONFERENCE_GRAPH, OPENALEX_SMALL, key, records

ACADEMIC_EXPLORER = OPENALEX_SMALL / "academic-explorer"
# openalex-small's Work, Author and Institution records that the acceptance figures count.
ANALYST_FILES = [
    ACADEMIC_EXPLORER / f"{entity}.jsonl.gz" for entity in ("works", "authors", "institutions")
]
WORKS = list(records(ACADEMIC_EXPLORER / "works.jsonl.gz"))
AUTHORS = list(records(ACADEMIC_EXPLORER / "authors.jsonl.gz"))
DEEPMIND = "I4210090411"
BANGOR = "I161548249"  # Author records list it: members with no works there too
GOOGLE = "I963401765285"  # conference-graph: named only in authorships


@pytest.fixture
async def analyst(store: GraphStore) -> AsyncIterator[GraphQLClient]:
    """The app over openalex-small's works, authors and institutions, nothing else."""
    await import_openalex(store, ANALYST_FILES)
    app = create_app(Settings(debug=True, load_demo_data=False), store=store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield GraphQLClient(http)


def topic_ids(work: dict[str, Any]) -> set[str]:
    """A work's topics and every level above them, as the graph's ids."""
    found = set()
    for topic in work.get("topics") or ():
        found.add(key(topic["id"]))
        for level in ("subfield", "field", "domain"):
            if topic.get(level):
                found.add(f"{level}s/{key(str(topic[level]['id']))}")
    return found


def listing(work: dict[str, Any], institution: str) -> set[str]:
    """The authors of a work whose authorship lists the institution."""
    return {
        key(a["author"]["id"])
        for a in work["authorships"]
        if any(key(i["id"]) == institution for i in a.get("institutions") or ())
    }


async def every_page(
    client: GraphQLClient, query: str, path: list[str], first: int, **variables: Any
) -> tuple[list[dict[str, Any]], int]:
    """Every edge of a connection, page by page, and its totalCount (the same on every page)."""
    edges: list[dict[str, Any]] = []
    after = None
    totals = set()
    while True:
        data: Any = await client.data(query, first=first, after=after, **variables)
        for step in path:
            data = data[step]
        edges += data["edges"]
        totals.add(data["totalCount"])
        assert len(data["edges"]) <= first
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["pageInfo"]["endCursor"]
    assert len(totals) == 1
    return edges, totals.pop()


TOPIC_WORKS = """
query ($id: ID!, $first: Int!, $after: String, $order: WorkOrder = NEWEST) {
  topic(id: $id) {
    works(first: $first, after: $after, orderBy: $order) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { id year citations topics { topic { id } } } }
    }
  }
}
"""


async def test_a_topic_lists_its_works_page_by_page(analyst: GraphQLClient) -> None:
    edges, total = await every_page(analyst, TOPIC_WORKS, ["topic", "works"], 4, id="T10118")
    expected = {key(w["id"]) for w in WORKS if "T10118" in topic_ids(w)}
    assert total == 11 == len(expected)
    years = [e["node"]["year"] or 0 for e in edges]
    assert years == sorted(years, reverse=True)
    assert {e["node"]["id"] for e in edges} == expected
    assert all("T10118" in {t["topic"]["id"] for t in e["node"]["topics"]} for e in edges)


async def test_a_field_lists_the_works_of_its_topics(analyst: GraphQLClient) -> None:
    edges, total = await every_page(
        analyst, TOPIC_WORKS, ["topic", "works"], 25, id="fields/27", order="MOST_CITED"
    )
    expected = {key(w["id"]) for w in WORKS if "fields/27" in topic_ids(w)}
    assert total == len(expected) > 11
    assert {e["node"]["id"] for e in edges} == expected
    citations = [e["node"]["citations"] for e in edges]
    assert citations == sorted(citations, reverse=True)


async def test_a_topic_shows_its_parent_chain_to_the_domain(analyst: GraphQLClient) -> None:
    query = """{ topic(id: "T10118") {
      ancestors { id level }
      parent { id parent { id parent { id parent { id } } } }
    } }"""
    topic = (await analyst.data(query))["topic"]
    assert [a["level"] for a in topic["ancestors"]] == ["subfield", "field", "domain"]
    chain = [topic["parent"]["id"], topic["parent"]["parent"]["id"]]
    chain.append(topic["parent"]["parent"]["parent"]["id"])
    assert [a["id"] for a in topic["ancestors"]] == chain
    assert topic["parent"]["parent"]["parent"]["parent"] is None


async def test_a_topic_ranks_its_researchers_by_their_works_in_it(analyst: GraphQLClient) -> None:
    query = """query ($first: Int!, $after: String) { topic(id: "fields/27") {
      researchers(first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { works citations node { id } }
      } } }"""
    edges, total = await every_page(analyst, query, ["topic", "researchers"], 50)
    in_field = [w for w in WORKS if "fields/27" in topic_ids(w)]
    works = Counter(key(a["author"]["id"]) for w in in_field for a in w["authorships"])
    assert total == len(works) == len(edges)
    assert {e["node"]["id"]: e["works"] for e in edges} == dict(works)
    ranked = [e["works"] for e in edges]
    assert ranked == sorted(ranked, reverse=True)
    top = edges[0]["node"]["id"]
    assert edges[0]["citations"] == sum(
        w["cited_by_count"]
        for w in in_field
        if top in {key(a["author"]["id"]) for a in w["authorships"]}
    )


INSTITUTION = """
query ($id: ID!) {
  institution(id: $id) {
    name
    works(first: 50) { totalCount nodes { id } }
    researchers(first: 100) { totalCount edges { works years node { id } } }
    topics(first: 5) { works topic { id } }
  }
}
"""


async def test_an_institution_has_its_researchers_and_works(analyst: GraphQLClient) -> None:
    institution = (await analyst.data(INSTITUTION, id=DEEPMIND))["institution"]
    works = [w for w in WORKS if listing(w, DEEPMIND)]
    assert institution["works"]["totalCount"] == len(works) > 0
    assert {n["id"] for n in institution["works"]["nodes"]} == {key(w["id"]) for w in works}
    members = Counter(a for w in works for a in listing(w, DEEPMIND))
    researchers = institution["researchers"]
    assert researchers["totalCount"] == len(members) > 0
    assert {e["node"]["id"]: e["works"] for e in researchers["edges"]} == dict(members)
    years = {key(w["id"]): w["publication_year"] for w in works}
    assert all(e["years"] for e in researchers["edges"])
    assert {y for e in researchers["edges"] for y in e["years"]} == set(years.values())
    names = {key(t["id"]): t["display_name"] for w in works for t in w.get("topics") or ()}
    topics = Counter(key(t["id"]) for w in works for t in w.get("topics") or ())
    ranked = sorted(topics, key=lambda t: (-topics[t], names[t], t))[:5]
    assert [(t["topic"]["id"], t["works"]) for t in institution["topics"]] == [
        (t, topics[t]) for t in ranked
    ]


async def test_author_records_make_members_also_without_works_there(
    analyst: GraphQLClient,
) -> None:
    institution = (await analyst.data(INSTITUTION, id=BANGOR))["institution"]
    edges = {e["node"]["id"]: e for e in institution["researchers"]["edges"]}
    recorded = {
        key(a["id"]): {
            y
            for f in a["affiliations"]
            if key(f["institution"]["id"]) == BANGOR
            for y in f["years"]
        }
        for a in AUTHORS
        if any(key(f["institution"]["id"]) == BANGOR for f in a.get("affiliations") or ())
    }
    by_works = Counter(a for w in WORKS for a in listing(w, BANGOR))
    assert set(edges) == set(recorded) | set(by_works)
    assert institution["researchers"]["totalCount"] == len(edges)
    assert any(edges[r]["works"] == 0 for r in recorded)
    for researcher, years in recorded.items():
        assert years <= set(edges[researcher]["years"])
        assert edges[researcher]["works"] == by_works.get(researcher, 0)
    query = """{ institution(id: "I161548249") {
      researchers(filter: {minWorks: 1}, first: 100) { totalCount edges { node { id } } } } }"""
    with_works = (await analyst.data(query))["institution"]["researchers"]
    assert {e["node"]["id"] for e in with_works["edges"]} == {
        r for r, e in edges.items() if e["works"] >= 1
    }
    assert with_works["totalCount"] < len(edges)


async def test_works_of_a_year_across_the_graph(analyst: GraphQLClient) -> None:
    query = """query ($first: Int!, $after: String) {
      works(filter: {yearFrom: 2020, yearTo: 2020}, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id year } } } }"""
    edges, total = await every_page(analyst, query, ["works"], 10)
    assert total == 29 == len(edges) == len({e["node"]["id"] for e in edges})
    assert {e["node"]["year"] for e in edges} == {2020}


async def test_year_facets_put_the_most_frequent_year_first(analyst: GraphQLClient) -> None:
    facets = (await analyst.data("{ workFacets(by: YEAR, first: 100) { value label count } }"))[
        "workFacets"
    ]
    assert facets[0] == {"value": "2023", "label": "2023", "count": 39}
    expected = Counter(str(w["publication_year"]) for w in WORKS if w.get("publication_year"))
    assert {f["value"]: f["count"] for f in facets} == dict(expected)
    counts = [f["count"] for f in facets]
    assert counts == sorted(counts, reverse=True)


async def test_facets_count_a_list_the_filter_keeps(analyst: GraphQLClient) -> None:
    query = """{
      types: workFacets(by: TYPE, filter: {topic: "fields/27"}) { value count }
      institutions: workFacets(by: INSTITUTION, filter: {yearFrom: 2021}, first: 3) {
        value label count
      }
    }"""
    data = await analyst.data(query)
    in_field = [w for w in WORKS if "fields/27" in topic_ids(w)]
    assert {f["value"]: f["count"] for f in data["types"]} == dict(
        Counter(w["type"] for w in in_field)
    )
    recent = [w for w in WORKS if (w.get("publication_year") or 0) >= 2021]
    named = Counter(
        key(i["id"])
        for w in recent
        for i in {
            key(i["id"]): i for a in w["authorships"] for i in a.get("institutions") or ()
        }.values()
    )
    assert [f["count"] for f in data["institutions"]] == [n for _, n in named.most_common(3)]
    assert all(named[f["value"]] == f["count"] and f["label"] for f in data["institutions"])


async def test_filters_narrow_every_list_the_same_way(analyst: GraphQLClient) -> None:
    researcher = "A5017898742"
    query = """query ($r: ID!, $i: ID!) {
      root: works(filter: {researcher: $r, institution: $i, yearTo: 2016}, first: 50) { ...Page }
      own: researcher(id: $r) {
        works(filter: {institution: $i, yearTo: 2016}, first: 50) { ...Page }
      }
      there: institution(id: $i) {
        works(filter: {researcher: $r, yearTo: 2016}, first: 50) { ...Page }
      }
    }
    fragment Page on WorkConnection { totalCount nodes { id } }"""
    data = await analyst.data(query, r=researcher, i=BANGOR)
    expected = {
        key(w["id"])
        for w in WORKS
        if researcher in {key(a["author"]["id"]) for a in w["authorships"]}
        and listing(w, BANGOR)
        and (w.get("publication_year") or 0) <= 2016
    }
    lists = (data["root"], data["own"]["works"], data["there"]["works"])
    assert all(found["totalCount"] == len(expected) > 0 for found in lists)
    assert all({n["id"] for n in found["nodes"]} == expected for found in lists)


async def test_researchers_with_at_least_some_works(analyst: GraphQLClient) -> None:
    query = """{ researchers(filter: {minWorks: 3}, orderBy: MOST_CITED, first: 100) {
      totalCount edges { works citations node { id } } } }"""
    found = (await analyst.data(query))["researchers"]
    works = Counter(key(a["author"]["id"]) for w in WORKS for a in w["authorships"])
    assert found["totalCount"] == sum(1 for n in works.values() if n >= 3) == len(found["edges"])
    assert all(e["works"] == works[e["node"]["id"]] >= 3 for e in found["edges"])
    citations = [e["citations"] for e in found["edges"]]
    assert citations == sorted(citations, reverse=True)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "{ works(filter: {yearFrom: 2021, yearTo: 2020}) { totalCount } }",
            "yearFrom is after yearTo",
        ),
        ('{ works(filter: {topic: "T999999"}) { totalCount } }', "filter.topic: no topic T999999"),
        ('{ works(filter: {institution: "W1775749144"}) { totalCount } }', "filter.institution"),
        ('{ works(filter: {researcher: "not an id"}) { totalCount } }', "filter.researcher"),
        ('{ workFacets(by: TOPIC, filter: {topic: "T1"}) { value } }', "no topic T1"),
        ('{ researchers(filter: {institution: "I1"}) { totalCount } }', "no institution I1"),
        ("{ researchers(filter: {minWorks: -1}) { totalCount } }", "minWorks"),
        (
            '{ topic(id: "T10118") { works(filter: {topic: "fields/27"}) { totalCount } } }',
            "works of T10118 only",
        ),
        ('{ works(after: "garbage") { totalCount } }', "not a cursor"),
    ],
)
async def test_bad_filters_are_refused_clearly(
    analyst: GraphQLClient, query: str, message: str
) -> None:
    body = await analyst(query)
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert message in error["message"]


async def test_a_cursor_of_another_list_is_refused(analyst: GraphQLClient) -> None:
    page = await analyst.data(
        "{ researchers(orderBy: MOST_CITED, first: 1) { pageInfo { endCursor } } }"
    )
    cursor = page["researchers"]["pageInfo"]["endCursor"]
    body = await analyst(
        "query ($after: String) { works(orderBy: MOST_CITED, after: $after) { totalCount } }",
        after=cursor,
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_list_pages_stay_within_the_cost_limits(analyst: GraphQLClient) -> None:
    for query in (
        "{ works(first: 101) { totalCount } }",
        "{ workFacets(by: YEAR, first: 500) { value } }",
        "{ researchers(first: 100) { nodes { works(first: 100) { nodes { authors { researcher {"
        " works(first: 100) { totalCount } } } } } } } }",
    ):
        body = await analyst(query)
        assert body["errors"][0]["extensions"]["code"] in {"BAD_USER_INPUT", "QUERY_TOO_COSTLY"}
        assert body["extensions"]["dbQueries"] == 0


async def test_an_institution_named_only_in_authorships_has_a_neighbourhood(
    store: GraphStore, tmp_path: Path
) -> None:
    around = tmp_path / "google.jsonl"
    with around.open("w") as out:
        for work in records(CONFERENCE_GRAPH):
            if any(key(i["id"]) == GOOGLE for a in work["authorships"] for i in a["institutions"]):
                out.write(json.dumps(work) + "\n")
    await import_openalex(store, [around])
    app = create_app(Settings(load_demo_data=False), store=store)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        client = GraphQLClient(http)
        graph = (
            await client.data(
                """{ institution(id: "I963401765285") {
                  neighbourhood(depth: 1, limit: 2000) {
                    nodes { id kind } edges { source target kind count }
                  }
                  researchers(first: 1) { totalCount } works(first: 1) { totalCount } } }"""
            )
        )["institution"]
    works = list(records(around))
    nodes = graph["neighbourhood"]["nodes"]
    assert {n["id"] for n in nodes if n["kind"] == "WORK"} == {key(w["id"]) for w in works}
    members = Counter(a for w in works for a in listing(w, GOOGLE))
    assert {n["id"] for n in nodes if n["kind"] == "RESEARCHER"} == set(members)
    assert {
        (e["source"], e["count"])
        for e in graph["neighbourhood"]["edges"]
        if e["kind"] == "AFFILIATED_WITH"
    } == set(members.items())
    assert graph["researchers"]["totalCount"] == len(members)
    assert graph["works"]["totalCount"] == len(works)


async def test_the_analysts_tab_answers_on_the_demo_data(client: GraphQLClient) -> None:
    """GraphiQL's TopicAnalysis tab (web/queries/analyst.graphql) on the seed's field."""
    data = await client.data((QUERIES / "analyst.graphql").read_text(), topic="fields/17")
    seed = [w for w in records(SEED_WORKS) if "fields/17" in topic_ids(w)]
    assert data["topic"]["works"]["totalCount"] == len(seed) > 0
    assert sum(f["count"] for f in data["byYear"]) == len(seed)
    assert data["byYear"][0]["count"] == max(Counter(w["publication_year"] for w in seed).values())
    assert [a["level"] for a in data["topic"]["ancestors"]] == ["domain"]
    assert data["topic"]["researchers"]["edges"][0]["works"] >= 1
