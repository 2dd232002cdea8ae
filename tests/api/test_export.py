"""Neighbourhoods downloaded as GraphML and CSV: what the explore field answers, in files that
networkx (and Gephi, Cytoscape) read, with the field's limits and errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from tests.api.conftest import GraphQLClient
from tests.conftest import SEED_RESEARCHER

EXPLORE = """
query ($center: ID!, $depth: Int!, $limit: Int!, $view: ExploreView!, $kinds: [NodeKind!]) {
  explore(center: $center, depth: $depth, limit: $limit, view: $view, kinds: $kinds) {
    center depth truncated
    nodes { id kind label hop weight }
    edges { source target kind weight count }
  }
}
"""


async def explored(client: GraphQLClient, **arguments: Any) -> dict[str, Any]:
    variables = {"depth": 2, "limit": 200, "view": "FULL", "kinds": None, **arguments}
    answer: dict[str, Any] = (await client.data(EXPLORE, **variables))["explore"]
    return answer


async def download(client: GraphQLClient, path: str, **params: Any) -> str:
    response = await client.http.get(f"/export/{path}", params=params)
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return response.text


async def test_graphml_of_the_seeds_depth_2_neighbourhood_loads_in_networkx(
    client: GraphQLClient,
) -> None:
    answer = await explored(client, center=SEED_RESEARCHER)
    text = await download(client, "graphml", center=SEED_RESEARCHER, depth=2)
    graph = nx.read_graphml(io.BytesIO(text.encode()))

    assert graph.number_of_nodes() == len(answer["nodes"]) > 9
    assert graph.number_of_edges() == len(answer["edges"]) > len(answer["nodes"]) - 1
    for node in answer["nodes"]:
        attributes = graph.nodes[node["id"]]
        assert (attributes["kind"], attributes["label"], attributes["hop"]) == (
            node["kind"],
            node["label"],
            node["hop"],
        )
        assert attributes["weight"] == pytest.approx(node["weight"])
    assert {(s, t, a["kind"], a["count"]) for s, t, a in graph.edges(data=True)} == {
        (e["source"], e["target"], e["kind"], e["count"]) for e in answer["edges"]
    }
    described = {name: graph.graph[name] for name in ("center", "depth", "truncated")}
    assert described == {"center": SEED_RESEARCHER, "depth": 2, "truncated": False}


@pytest.mark.parametrize(
    "arguments",
    [
        {"center": SEED_RESEARCHER, "depth": 3, "limit": 40},
        {"center": SEED_RESEARCHER, "depth": 2, "view": "COAUTHORS"},
        {"center": SEED_RESEARCHER, "depth": 2, "kinds": ["RESEARCHER", "TOPIC"]},
    ],
)
async def test_csv_lists_hold_the_fields_answer(
    client: GraphQLClient, arguments: dict[str, Any]
) -> None:
    answer = await explored(client, **arguments)
    params = {k: ",".join(v) if isinstance(v, list) else v for k, v in arguments.items()}
    nodes = list(csv.DictReader(io.StringIO(await download(client, "nodes.csv", **params))))
    edges = list(csv.DictReader(io.StringIO(await download(client, "edges.csv", **params))))
    assert [(n["Id"], n["Label"], n["kind"], int(n["hop"])) for n in nodes] == [
        (n["id"], n["label"], n["kind"], n["hop"]) for n in answer["nodes"]
    ]
    assert [(e["Source"], e["Target"], e["kind"], int(e["count"])) for e in edges] == [
        (e["source"], e["target"], e["kind"], e["count"]) for e in answer["edges"]
    ]
    assert [float(e["Weight"]) for e in edges] == [e["weight"] for e in answer["edges"]]
    types = {e["kind"]: e["Type"] for e in edges}
    assert types.get("COAUTHOR", "Undirected") == "Undirected"
    assert types.get("AUTHORED", "Directed") == "Directed"
    assert len(nodes) <= arguments.get("limit", 200)


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"center": SEED_RESEARCHER, "depth": 4}, 400, "BAD_USER_INPUT"),
        ({"center": SEED_RESEARCHER, "limit": 2001}, 400, "BAD_USER_INPUT"),
        ({"center": "A1"}, 404, "NOT_FOUND"),
        ({"center": "W921788629796", "view": "COAUTHORS"}, 400, "BAD_USER_INPUT"),
        ({"center": SEED_RESEARCHER, "kinds": ""}, 400, "BAD_USER_INPUT"),
        ({"center": "not an id"}, 400, "BAD_USER_INPUT"),
    ],
)
async def test_the_fields_errors_with_their_codes(
    client: GraphQLClient, params: dict[str, Any], status: int, code: str
) -> None:
    graphql = await client(
        EXPLORE,
        **{
            "depth": 2,
            "limit": 200,
            "view": "FULL",
            **params,
            "kinds": None if "kinds" not in params else [],
        },
    )
    for path in ("graphml", "nodes.csv", "edges.csv"):
        response = await client.http.get(f"/export/{path}", params=params)
        assert response.status_code == status
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == code
        assert error["message"] == graphql["errors"][0]["message"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"center": SEED_RESEARCHER, "depth": "two"},
        {"center": SEED_RESEARCHER, "view": "NEIGHBOURS"},
        {"center": SEED_RESEARCHER, "kinds": "WORK,PERSON"},
    ],
)
async def test_parameters_that_are_not_the_fields_arguments_are_refused(
    client: GraphQLClient, params: dict[str, Any]
) -> None:
    response = await client.http.get("/export/graphml", params=params)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_titles_any_text_still_make_valid_graphml(
    client: GraphQLClient, store: GraphStore, tmp_path: Path
) -> None:
    title = 'Tabs\tand <tags> & "quotes", a vertical\x0btab and \U0001f600'
    work = {"id": "https://openalex.org/W1", "title": title, "authorships": []}
    data = tmp_path / "odd.jsonl"
    data.write_text(json.dumps(work) + "\n")
    await import_openalex(store, [data])
    graph = nx.read_graphml(io.BytesIO((await download(client, "graphml", center="W1")).encode()))
    assert graph.nodes["W1"]["label"] == title.replace("\x0b", "")
