"""The explorer: neighbourhoods at any depth and paths, on both engines."""

from __future__ import annotations

from pathlib import Path

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from tests.api.conftest import HUB, GraphQLClient
from tests.conftest import QUERIES, SEED_RESEARCHER

EXPLORE = (QUERIES / "explorer.graphql").read_text()


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


async def test_hub_depth_three_is_cut_at_the_limit(
    client: GraphQLClient, store: GraphStore, hub_works_file: Path
) -> None:
    await import_openalex(store, [hub_works_file])
    body = await client(EXPLORE, center=HUB, depth=3, limit=500)
    graph = body["data"]["explore"]
    assert len(graph["nodes"]) == 500
    assert graph["truncated"] is True
    # Hop 1 (356 works) fits; hop 2 is cut, so hop 3 is never walked: a bounded number of
    # store queries (centre, then one per hop kind per level).
    assert max(n["hop"] for n in graph["nodes"]) == 2
    assert body["extensions"]["dbQueries"] <= 10
    weights = [n["weight"] for n in graph["nodes"] if n["hop"] == 2]
    assert weights == sorted(weights, reverse=True)
