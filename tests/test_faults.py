"""Database faults under a running app: a real Neo4j stopped and started again, and deadlines."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.ingest.importer import import_openalex
from researchgraph import neo4j_server
from researchgraph.app import create_app
from researchgraph.settings import Settings
from tests.conftest import QUERIES, SEED_RESEARCHER, SEED_WORKS, _free_port

QUERY = '{ researcher(id: "A925533110232") { name stats { works } } }'


async def _ask(http: httpx.AsyncClient) -> httpx.Response:
    return await http.post("/graphql", json={"query": QUERY})


# Light load: a few clients asking for the profile page one after another, as a web front end.
CLIENTS = 3
# What "within about 2 s" allows, with room for a busy test machine.
LONGEST_ANSWER_SECONDS = 3.0
PROFILE = (QUERIES / "profile.graphql").read_text()


@dataclass(frozen=True, slots=True)
class Answer:
    """One request of the load: when it was sent, how long it took, and what it got."""

    sent: float
    seconds: float
    outcome: str  # "data", or the code of the error that came instead


def _outcome(response: httpx.Response) -> str:
    body = response.json()
    codes = sorted({error["extensions"]["code"] for error in body.get("errors") or []})
    data = body.get("data") or {}
    if response.status_code == 200 and data.get("researcher") and not codes:
        return "data"
    return ",".join(codes) or f"HTTP {response.status_code}"


async def _profile(http: httpx.AsyncClient) -> httpx.Response:
    return await http.post(
        "/graphql", json={"query": PROFILE, "variables": {"id": SEED_RESEARCHER}}
    )


@pytest.mark.neo4j
async def test_neo4j_stopped_and_started_under_load(tmp_path: Path) -> None:
    """While Neo4j stops and starts again, every profile request answers within seconds, with
    its data or DATABASE_UNAVAILABLE, and /readyz says 200 only once requests get data again.

    A restarted Neo4j plans every query afresh on a cold JVM: before the store warmed its
    plans up first (graphstore.engines.recovery), requests sent as it came back waited out
    their whole deadline (504 TIMEOUT) after /readyz already said 200.
    """
    # A server of its own: stopping the shared test server would break other tests.
    port = _free_port()
    uri = neo4j_server.start(tmp_path, port, heap="512m", pagecache="64m")
    store = Neo4jStore(uri)
    answers: list[Answer] = []
    readiness: list[tuple[float, int]] = []
    try:
        await store.apply_schema()
        await import_openalex(store, [SEED_WORKS])
        app = create_app(Settings(load_demo_data=False), store=store)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test", timeout=60
        ) as http:
            # The running service: its profile page has been asked for before the outage.
            assert _outcome(await _profile(http)) == "data"
            done = asyncio.Event()

            async def client() -> None:
                while not done.is_set():
                    sent = time.monotonic()
                    response = await _profile(http)
                    answers.append(Answer(sent, time.monotonic() - sent, _outcome(response)))
                    assert "bolt" not in response.text.lower()
                    await asyncio.sleep(0.1)

            async def orchestrator() -> None:
                while not done.is_set():
                    sent = time.monotonic()
                    readiness.append((sent, (await http.get("/readyz")).status_code))
                    await asyncio.sleep(0.2)

            tasks = [asyncio.create_task(client()) for _ in range(CLIENTS)]
            tasks.append(asyncio.create_task(orchestrator()))
            await asyncio.sleep(1)
            await asyncio.to_thread(neo4j_server.stop, tmp_path)
            stopped = time.monotonic()
            await asyncio.sleep(2)
            assert (await http.get("/healthz")).status_code == 200
            await asyncio.to_thread(
                neo4j_server.start, tmp_path, port, heap="512m", pagecache="64m"
            )
            # Load on until every client has had its data again, and a little longer.
            deadline = time.monotonic() + 60
            while not _recovered(answers, stopped):
                assert time.monotonic() < deadline, "the service did not recover"
                await asyncio.sleep(0.5)
            await asyncio.sleep(2)
            done.set()
            await asyncio.gather(*tasks)
    finally:
        await store.close()
        neo4j_server.stop(tmp_path)

    timeline = "\n".join(
        f"{a.sent - stopped:+.2f} s: {a.seconds:.2f} s, {a.outcome}" for a in answers
    )
    assert max(a.seconds for a in answers) < LONGEST_ANSWER_SECONDS, timeline
    assert {a.outcome for a in answers} == {"data", "DATABASE_UNAVAILABLE"}, timeline
    # /readyz agrees with the requests: 503 while they fail, and once it says 200 again,
    # every request sent after it gets its data.
    assert any(status == 503 for sent, status in readiness if sent > stopped)
    ready_again = next(
        sent
        for sent, status in readiness
        if sent > stopped
        and status == 200
        and any(s == 503 for t, s in readiness if stopped < t < sent)
    )
    late = [a for a in answers if a.sent > ready_again and a.outcome != "data"]
    assert not late, timeline


def _recovered(answers: list[Answer], since: float) -> bool:
    """Whether, after ``since``, the last CLIENTS answers are each data."""
    recent = [a for a in answers if a.sent > since][-CLIENTS:]
    return len(recent) == CLIENTS and all(a.outcome == "data" for a in recent)


@pytest.fixture
async def seeded_store() -> AsyncIterator[EmbeddedStore]:
    store = EmbeddedStore(IN_MEMORY)
    await store.apply_schema()
    await import_openalex(store, [SEED_WORKS])
    try:
        yield store
    finally:
        await store.close()


async def test_a_request_past_its_deadline_gets_timeout_and_the_server_stays_healthy(
    seeded_store: EmbeddedStore,
) -> None:
    hurried = create_app(
        Settings(load_demo_data=False, request_timeout_seconds=1e-6), store=seeded_store
    )
    patient = create_app(Settings(load_demo_data=False), store=seeded_store)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=hurried), base_url="http://t") as fast,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=patient), base_url="http://t") as slow,
    ):
        late = await _ask(fast)
        assert late.status_code == 504
        assert late.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert (await _ask(slow)).json()["data"]["researcher"]["name"] == "Ekin D. Cubuk"
        assert (await slow.get("/readyz")).status_code == 200
