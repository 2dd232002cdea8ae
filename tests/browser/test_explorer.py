"""The explorer page as a person uses it: search, pick, see the graph, click to re-centre."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.browser.conftest import ARTIFACTS, RunScenario
from tests.conftest import SEED_RESEARCHER

pytestmark = pytest.mark.browser

SEED_WORKS_QUERY = "query($id: ID!) { researcher(id: $id) { works(first: 50) { nodes { id } } } }"


def _seed_work_ids(service: str) -> set[str]:
    response = httpx.post(
        f"{service}/graphql",
        json={"query": SEED_WORKS_QUERY, "variables": {"id": SEED_RESEARCHER}},
    )
    works: list[dict[str, Any]] = response.json()["data"]["researcher"]["works"]["nodes"]
    return {work["id"] for work in works}


def test_explorer_draws_the_seed_researchers_works(run_scenario: RunScenario, service: str) -> None:
    seen = run_scenario("explorer")

    assert seen["blocked"] == []
    assert seen["pageErrors"] == []
    assert any("Ekin D. Cubuk" in label for label in seen["resultLabels"])

    picked = seen["picked"]
    nodes = {node["id"]: node for node in picked["nodes"]}
    assert nodes[SEED_RESEARCHER]["label"] == "Ekin D. Cubuk"
    assert nodes[SEED_RESEARCHER]["kind"] == "RESEARCHER"
    assert nodes[SEED_RESEARCHER]["hop"] == 0
    works = _seed_work_ids(service)
    assert len(works) == 8
    assert works <= {node_id for node_id, node in nodes.items() if node["kind"] == "WORK"}
    assert len(nodes) >= 9
    assert picked["edges"] >= len(works)
    assert picked["url"].endswith(f"/explorer?center={SEED_RESEARCHER}&depth=2")

    # Clicking one of the works re-centres on it; its author is then one hop away.
    recentred = seen["recentred"]
    assert recentred["center"] in works
    around_work = {node["id"]: node for node in recentred["nodes"]}
    assert around_work[recentred["center"]]["hop"] == 0
    assert around_work[SEED_RESEARCHER]["hop"] == 1

    depth_one = seen["depthOne"]
    assert depth_one["url"].endswith(f"?center={recentred['center']}&depth=1")
    assert {node["hop"] for node in depth_one["nodes"]} <= {0, 1}

    for screenshot in ("explorer", "explorer-recentred"):
        assert (ARTIFACTS / f"{screenshot}.png").stat().st_size > 0
