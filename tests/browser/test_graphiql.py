"""GraphiQL as an analyst meets it: served by the service alone, ready with the profile query."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.browser.conftest import ARTIFACTS, RunScenario
from tests.conftest import SEED_RESEARCHER

pytestmark = pytest.mark.browser

# Anything that names a host: http://x, https://x, and protocol-relative //x.
HOST_REFERENCE = re.compile(r"(?:https?:)?//[\w.-]+", re.IGNORECASE)
LOCAL_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["'](/[^"']*)["']""")


def test_graphiql_runs_the_profile_and_analyst_queries_with_the_network_cut_off(
    run_scenario: RunScenario,
) -> None:
    seen = run_scenario("graphiql")

    assert seen["blocked"] == [], "GraphiQL asked another host for something"
    assert seen["pageErrors"] == []
    assert seen["consoleErrors"] == []
    assert seen["tabs"] == ["ProfilePage", "Explore", "TopicAnalysis"]
    profile = seen["profile"]
    assert "query ProfilePage($id: ID!)" in profile["query"]
    assert json.loads(profile["variables"]) == {"id": SEED_RESEARCHER}
    assert '"name": "Ekin D. Cubuk"' in profile["response"]
    explore = seen["explore"]
    assert (
        "query Explore($center: ID!, $depth: Int!, $limit: Int!, $view: ExploreView = FULL, "
        "$kinds: [NodeKind!])" in explore["query"]
    )
    assert json.loads(explore["variables"]) == {
        "center": SEED_RESEARCHER,
        "depth": 2,
        "limit": 200,
    }
    analyst = seen["analyst"]
    assert "query TopicAnalysis($topic: ID!)" in analyst["query"]
    assert json.loads(analyst["variables"]) == {"topic": "fields/17"}
    assert '"level": "field"' in analyst["response"]
    assert (ARTIFACTS / "graphiql.png").stat().st_size > 0


@pytest.mark.parametrize("path", ["/graphql", "/explorer"])
def test_pages_reference_no_other_host(service: str, path: str) -> None:
    response = httpx.get(f"{service}{path}", headers={"accept": "text/html"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")

    assert HOST_REFERENCE.findall(response.text) == []
    # Everything the page loads comes from the service, and is there (the API endpoint it
    # names is not a file: a GET without a query is a 400 by the GraphQL-over-HTTP spec).
    references = [r for r in LOCAL_REFERENCE.findall(response.text) if r != "/graphql"]
    assert any(reference.endswith(".js") for reference in references)
    for reference in references:
        assert httpx.get(f"{service}{reference}").status_code == 200, reference
