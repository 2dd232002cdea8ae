"""The explorer: neighbourhoods at any depth and paths, on both engines."""

from __future__ import annotations

import json
from pathlib import Path

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from tests.api.conftest import HUB, GraphQLClient
from tests.conftest import QUERIES, SEED_RESEARCHER
from tests.graphstore.test_import import OPENALEX_SMALL, key, records

EXPLORE = (QUERIES / "explorer.graphql").read_text()
# A view's subgraph with what its edges stand for.
VIEW = """
query ($center: ID!, $depth: Int!, $view: ExploreView!) {
  explore(center: $center, depth: $depth, limit: 200, view: $view) {
    nodes { id kind label hop weight } edges { source target kind weight count }
  }
}
"""


async def test_depth_one_is_the_researcher_and_its_works(client: GraphQLClient) -> None:
    graph = (await client.data(EXPLORE, center=SEED_RESEARCHER, depth=1, limit=200))["explore"]
    assert graph["center"] == SEED_RESEARCHER
    assert graph["truncated"] is False
    hops = {n["id"]: n["hop"] for n in graph["nodes"]}
    assert hops[SEED_RESEARCHER] == 0
    assert sorted(n["kind"] for n in graph["nodes"] if n["hop"] == 1) == ["WORK"] * 8
    assert len(graph["nodes"]) == 9
    assert [e["kind"] for e in graph["edges"]] == ["AUTHORED"] * 8
    assert all(e["source"] == SEED_RESEARCHER for e in graph["edges"])


async def test_depth_two_adds_coauthors_weighted_by_strength_and_topics(
    client: GraphQLClient,
) -> None:
    graph = (await client.data(EXPLORE, center=SEED_RESEARCHER, depth=2, limit=200))["explore"]
    second = [n for n in graph["nodes"] if n["hop"] == 2]
    assert sum(1 for n in second if n["kind"] == "TOPIC") == 6
    people = [n for n in second if n["kind"] == "RESEARCHER"]
    collaborators = await client.data(
        """{ researcher(id: "A925533110232") {
             collaborators(first: 100) { strength researcher { id } } } }"""
    )
    strengths = {
        c["researcher"]["id"]: c["strength"] for c in collaborators["researcher"]["collaborators"]
    }
    assert {n["id"]: n["weight"] for n in people} == strengths
    assert max(people, key=lambda n: n["weight"])["label"] == "Raphael Gontijo-Lopes"
    ids = {n["id"] for n in graph["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])


async def test_neighbourhood_is_explore(client: GraphQLClient) -> None:
    fields = (
        "center depth truncated nodes { id kind label hop weight } "
        "edges { source target kind weight }"
    )
    data = await client.data(
        f"""{{ explore(center: "{SEED_RESEARCHER}", depth: 2) {{ {fields} }}
               researcher(id: "{SEED_RESEARCHER}") {{
                 neighbourhood(depth: 2, limit: 200) {{ {fields} }} }} }}"""
    )
    assert data["researcher"]["neighbourhood"] == data["explore"]


async def test_explore_limits_are_clear_errors(client: GraphQLClient) -> None:
    for depth, limit in [(10, 10), (0, 10), (2, 2001), (2, 0)]:
        body = await client(EXPLORE, center=SEED_RESEARCHER, depth=depth, limit=limit)
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert body["extensions"]["dbQueries"] == 0
    body = await client(EXPLORE, center="A999999999999", depth=1, limit=10)
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


PATH = """
query ($from: ID!, $to: ID!, $maxDepth: Int) {
  path(from: $from, to: $to, maxDepth: $maxDepth) {
    depth nodes { id hop } edges { source target kind }
  }
}
"""


async def test_path_between_coauthors_and_unconnected_nodes(client: GraphQLClient) -> None:
    # Raphael Gontijo-Lopes and Yann Dauphin wrote "No One Representation" together.
    found = (await client.data(PATH, **{"from": "A976364520665", "to": "A913838009839"}))["path"]
    assert found["depth"] == 2
    assert [n["hop"] for n in found["nodes"]] == [0, 1, 2]
    assert found["nodes"][1]["id"] == "W921788629796"
    assert len(found["edges"]) == 2
    # Two co-authors of Cubuk who never wrote together connect through him: length 4.
    longer = (await client.data(PATH, **{"from": "A913838009839", "to": "A917955087954"}))["path"]
    assert longer["depth"] == 4
    # The liquid-silica paper has one author; no path from it to a topic it lacks, within 1.
    assert (
        await client.data(PATH, **{"from": "W913668136896", "to": "T971241434907", "maxDepth": 1})
    )["path"] is None
    body = await client(PATH, **{"from": "A976364520665", "to": "A913838009839", "maxDepth": 7})
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    for ends, message in (
        ({"from": "A1", "to": "A913838009839"}, "from: no node A1 in the graph"),
        ({"from": "A913838009839", "to": "W1"}, "to: no node W1 in the graph"),
    ):
        body = await client(PATH, **ends)
        assert body["data"] == {"path": None}
        assert [(e["message"], e["extensions"]["code"]) for e in body["errors"]] == [
            (message, "NOT_FOUND")
        ]


async def test_hub_depth_three_keeps_every_level_within_the_limit(
    client: GraphQLClient, store: GraphStore, hub_works_file: Path
) -> None:
    await import_openalex(store, [hub_works_file])
    body = await client(EXPLORE, center=HUB, depth=3, limit=500)
    graph = body["data"]["explore"]
    assert len(graph["nodes"]) == 500
    assert graph["truncated"] is True
    levels: dict[int, set[str]] = {}
    for node in graph["nodes"]:
        levels.setdefault(node["hop"], set()).add(node["kind"])
    # The hub's 356 works do not spend the limit at hop 1: every level is there, and at hop 2
    # people and topics both (works reached through topics cannot crowd them out at hop 3).
    assert sorted(levels) == [0, 1, 2, 3]
    assert {"RESEARCHER", "TOPIC"} <= levels[2]
    assert len(levels[3]) >= 2
    # What was left out, by hop and kind, adds up with what was kept to all that was reached.
    omitted = {(o["hop"], o["kind"]): o["count"] for o in graph["omitted"]}
    assert omitted[(1, "WORK")] > 0
    assert all(count > 0 for count in omitted.values())
    # Within a level and kind the strongest survive, so the kept ones come strongest first.
    for hop, kinds in levels.items():
        for kind in kinds:
            weights = [n["weight"] for n in graph["nodes"] if (n["hop"], n["kind"]) == (hop, kind)]
            assert weights == sorted(weights, reverse=True)
    # A bounded number of store queries: the centre, then one per hop kind per level.
    assert body["extensions"]["dbQueries"] <= 1 + 3 * 12


async def test_hub_depth_two_within_the_default_limit_has_people_and_topics(
    client: GraphQLClient, store: GraphStore, hub_works_file: Path
) -> None:
    await import_openalex(store, [hub_works_file])
    graph = (await client.data(EXPLORE, center=HUB, depth=2, limit=200))["explore"]
    assert len(graph["nodes"]) == 200
    second = {n["kind"] for n in graph["nodes"] if n["hop"] == 2}
    assert {"RESEARCHER", "TOPIC"} <= second
    # Institutions come from the authorships' affiliations (no Author records imported).
    assert any(n["kind"] == "INSTITUTION" for n in graph["nodes"])
    hop_one_works = sum(1 for n in graph["nodes"] if n["hop"] == 1 and n["kind"] == "WORK")
    left_out = {(o["hop"], o["kind"]): o["count"] for o in graph["omitted"]}
    assert hop_one_works + left_out[(1, "WORK")] == 356


async def test_the_coauthors_view_is_the_researcher_graph(client: GraphQLClient) -> None:
    graph = (await client.data(VIEW, center=SEED_RESEARCHER, depth=1, view="COAUTHORS"))["explore"]
    collaborators = await client.data(
        """{ researcher(id: "A925533110232") {
             collaborators(first: 100) { strength sharedWorks researcher { id } } } }"""
    )
    expected = {
        c["researcher"]["id"]: (c["strength"], c["sharedWorks"])
        for c in collaborators["researcher"]["collaborators"]
    }
    assert {n["kind"] for n in graph["nodes"]} == {"RESEARCHER"}
    assert {n["id"]: n["weight"] for n in graph["nodes"] if n["hop"] == 1} == {
        i: strength for i, (strength, _) in expected.items()
    }
    assert {e["kind"] for e in graph["edges"]} == {"COAUTHOR"}
    for edge in graph["edges"]:
        other = edge["target"] if edge["source"] == SEED_RESEARCHER else edge["source"]
        assert (edge["weight"], edge["count"]) == expected[other]
    # Depth counts co-author steps: at 2, the co-authors' co-authors, edges between them too.
    deeper = (await client.data(VIEW, center=SEED_RESEARCHER, depth=2, view="COAUTHORS"))["explore"]
    assert len(deeper["edges"]) > len(graph["edges"])
    assert {n["kind"] for n in deeper["nodes"]} == {"RESEARCHER"}


async def test_kinds_researcher_alone_meet_through_shared_works(client: GraphQLClient) -> None:
    query = """query ($center: ID!) { explore(center: $center, depth: 1, kinds: [RESEARCHER]) {
                 nodes { id kind } edges { kind } } }"""
    graph = (await client.data(query, center=SEED_RESEARCHER))["explore"]
    assert len(graph["nodes"]) > 1
    assert {n["kind"] for n in graph["nodes"]} == {"RESEARCHER"}
    assert {e["kind"] for e in graph["edges"]} == {"COAUTHOR"}


async def test_the_topics_view_links_topics_through_shared_works(client: GraphQLClient) -> None:
    topic = "T971241434907"
    graph = (await client.data(VIEW, center=topic, depth=1, view="TOPICS"))["explore"]
    assert {n["kind"] for n in graph["nodes"]} == {"TOPIC"}
    assert len(graph["nodes"]) > 1
    assert all(e["kind"] == "CO_OCCURS" and e["count"] >= 1 for e in graph["edges"])


async def test_the_citations_view_walks_references_and_citers(
    client: GraphQLClient, store: GraphStore, tmp_path: Path
) -> None:
    works = [
        {"id": "W1", "title": "cited", "referenced_works": []},
        {"id": "W2", "title": "middle", "referenced_works": ["https://openalex.org/W1"]},
        {"id": "W3", "title": "citing", "referenced_works": ["https://openalex.org/W2"]},
    ]
    data = tmp_path / "citations.jsonl"
    data.write_text("".join(json.dumps(w) + "\n" for w in works))
    await import_openalex(store, [data])
    graph = (await client.data(EXPLORE, center="W2", depth=1, limit=200, view="CITATIONS"))[
        "explore"
    ]
    assert sorted(n["id"] for n in graph["nodes"]) == ["W1", "W2", "W3"]
    assert sorted((e["source"], e["target"], e["kind"]) for e in graph["edges"]) == [
        ("W2", "W1", "CITES"),
        ("W3", "W2", "CITES"),
    ]


async def test_institutions_stand_around_researchers_and_works_of_their_authorships(
    client: GraphQLClient, store: GraphStore
) -> None:
    await import_openalex(store, [OPENALEX_SMALL / "academic-explorer" / "works.jsonl.gz"])
    (work,) = [
        w
        for w in records(OPENALEX_SMALL / "academic-explorer" / "works.jsonl.gz")
        if w["id"].endswith("W2741809807")
    ]
    authorship = next(a for a in work["authorships"] if a["institutions"])
    researcher = key(authorship["author"]["id"])
    institutions = {key(i["id"]) for i in authorship["institutions"]}
    around = (await client.data(EXPLORE, center=researcher, depth=1, limit=200))["explore"]
    found = {n["id"] for n in around["nodes"] if n["kind"] == "INSTITUTION"}
    assert institutions <= found
    assert any(
        e["kind"] == "AFFILIATED_WITH" and e["source"] == researcher and e["target"] in found
        for e in around["edges"]
    )
    of_work = (await client.data(EXPLORE, center="W2741809807", depth=1, limit=200))["explore"]
    assert institutions <= {n["id"] for n in of_work["nodes"] if n["kind"] == "INSTITUTION"}
    assert any(e["kind"] == "FROM_INSTITUTION" for e in of_work["edges"])


async def test_a_view_is_refused_around_another_kind_and_with_kinds(client: GraphQLClient) -> None:
    body = await client(EXPLORE, center="W921788629796", depth=1, limit=10, view="COAUTHORS")
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "walks researchers" in body["errors"][0]["message"]
    body = await client(
        """{ explore(center: "A925533110232", view: TOPICS, kinds: [TOPIC]) { depth } }"""
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["extensions"]["dbQueries"] == 0
