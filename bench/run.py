"""Research Graph benchmarks: one command runs them all and writes BENCHMARKS.md.

    .venv/bin/python bench/run.py            # everything, full repetitions (about 1.5 h)
    .venv/bin/python bench/run.py --quick    # fewer and shorter repetitions, 10k/100k only
    .venv/bin/python bench/run.py --only conference,scale --sizes 10000,100000

Phases (each starts and stops its own processes, all on 127.0.0.1):
- conference: conference-graph imported into a fresh Neo4j; the profile query over HTTP
  (ours, under uvicorn) against the floor (hand-written Cypher through the async driver) and
  the peer (@neo4j/graphql on Apollo Server, bench/peer/); the explorer over HTTP against the
  raw store call; a pyinstrument profile of the server under load.
- ladybug: conference-graph imported into LadybugDB (the embedded store); our server over
  HTTP against the floor (bench/ladybug_floor.py: hand-written anchored queries through
  `ladybug` on a copy of the same database) for the profile query of three researchers and the
  hub's explorer, depth 2; checks that the floor answers what the server answers.
- scale: `researchgraph generate` at 10k, 100k and 1M works, each into a fresh Neo4j: import
  throughput and store file sizes; then the sizes' servers side by side: profile p50, CPU and
  store queries per request, measured on the sizes in turn, and explorer depth 2.
- bulk: conference-graph bulk-loaded into an empty Neo4j (bench/bulk_bench.py): each phase's
  wall and CPU seconds, works/s end to end; then the scale phase's generated sizes, each
  bulk-loaded alike (the rate as the graph grows).
- import: conference-graph imported by our importer into each engine, each in a process of
  its own, against decoding the file in the same process (bench/import_bench.py): works/s,
  the figures refresh's share, peak RSS, CPU on each side.

Results go to bench/results/results.json (merged by phase, so one phase can be rerun alone)
and BENCHMARKS.md is rendered from it; every figure comes from a run of this script. Commit
results.json with BENCHMARKS.md: a phase rerun on another machine merges into it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import gc
import gzip
import json
import logging
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import bulk_bench
import floor
import harness
import import_bench
import ladybug_floor
import peer_queries as q
import pyprofile
import report
import subgraph
from extremes import StoredFiguresFloor, phase_extremes
from harness import ROOT, Run
from http_load import LoadClient
from inputs import conference_graph
from ladybug_floor import LadybugFloor
from neo4j import AsyncGraphDatabase

from graphstore.engines.embedded_store import EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore, profile_read_parts
from graphstore.explore import explore
from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore, ProfileRead, ProfileReadResult
from graphstore.records import (
    CLOSE_COLLABORATION_WORKS,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
)
from graphstore.walk import VIEW_HOPS, View, Walk
from researchgraph import neo4j_server
from researchgraph.cli import GC_YOUNG_THRESHOLD
from resolvers.loaders import summary_options
from resolvers.works import authorship_records

RESULTS = ROOT / "bench" / "results"
HUB = "A989782488510"  # 356 works
MID = "A909243731370"  # Ekin Dogus Cubuk, 24 works
SMALL = "A989136682205"  # 5 works
EXPLORER_CASES = ((2, 500), (3, 2000))

log = logging.getLogger("bench")


class Settings:
    """How long and how often to measure."""

    def __init__(self, quick: bool) -> None:
        self.quick = quick
        self.reps = 3 if quick else 5
        self.seconds = 2.0 if quick else 3.0
        self.warmup = 1.0 if quick else 2.0
        # Per side, once per Neo4j server, before the profile comparison's first repetition.
        self.jvm_warmup = 5.0 if quick else 15.0
        # Per researcher and graph size, one client, before the scale comparison: each size's
        # JVM starts cold, and one client calls far less often than the comparison's 16.
        self.scale_warmup = 10.0 if quick else 30.0
        self.explorer_seconds = 1.0 if quick else 2.0
        self.profile_seconds = 10.0 if quick else 30.0


# ---------------------------------------------------------------------------------------------
# Machine and versions


def _read(command: Sequence[str], cwd: Path | None = None) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False)
    except OSError:
        return "n/a"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "n/a"


def _package_version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "n/a"


def _npm_version(package: str) -> str:
    manifest = harness.PEER_DIR / "node_modules" / package / "package.json"
    if not manifest.exists():
        return "n/a"
    version: str = json.loads(manifest.read_text())["version"]
    return version


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "ram_gib": round(total_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "kernel": platform.release(),
        "versions": {
            "Python": platform.python_version(),
            "Neo4j": neo4j_server.NEO4J_VERSION,
            "Java": _read(["java", "-version"]),
            "neo4j (Python driver)": _package_version("neo4j"),
            "strawberry-graphql": _package_version("strawberry-graphql"),
            "uvicorn": _package_version("uvicorn"),
            "ladybug": _package_version("ladybug"),
            "node": _read(["node", "--version"]),
            "@neo4j/graphql": _npm_version("@neo4j/graphql"),
            "@apollo/server": _npm_version("@apollo/server"),
            "neo4j-driver (JS)": _npm_version("neo4j-driver"),
        },
    }


# ---------------------------------------------------------------------------------------------
# Small helpers


async def _researcher_name(store: GraphStore, researcher_id: str) -> str:
    found = (await store.researchers([researcher_id]))[0]
    if found is None:
        raise RuntimeError(f"no researcher {researcher_id} in the graph")
    return found.name


async def _degree_picks(uri: str) -> dict[str, Any]:
    """The hub, the authorship-weighted median researcher, a 100-work and a 5-work one."""
    async with AsyncGraphDatabase.driver(uri) as driver:
        rows, _, _ = await driver.execute_query(
            "MATCH (r:Researcher) WITH COUNT { (r)-[:AUTHORED]->() } AS n "
            "RETURN n, count(*) AS researchers ORDER BY n"
        )
        histogram = [(int(r["n"]), int(r["researchers"])) for r in rows]
        authorships = sum(n * c for n, c in histogram)
        seen, weighted_median = 0, 0
        for n, c in histogram:
            seen += n * c
            if seen >= authorships / 2:
                weighted_median = n
                break
        median_plain = _plain_median(histogram)

        async def with_degree(n: int) -> str:
            found, _, _ = await driver.execute_query(
                "MATCH (r:Researcher) WITH r, COUNT { (r)-[:AUTHORED]->() } AS n "
                "WITH r, n, abs(n - $n) AS gap ORDER BY gap, r.id LIMIT 1 RETURN r.id AS id, n",
                {"n": n},
            )
            return str(found[0]["id"])

        hub_rows, _, _ = await driver.execute_query(
            "MATCH (r:Researcher) WITH r, COUNT { (r)-[:AUTHORED]->() } AS n "
            "ORDER BY n DESC, r.id LIMIT 1 RETURN r.id AS id, n"
        )
        return {
            "researchers": sum(c for _, c in histogram),
            "authorships": authorships,
            "median_works": median_plain,
            "weighted_median_works": weighted_median,
            "hub": str(hub_rows[0]["id"]),
            "hub_works": int(hub_rows[0]["n"]),
            "median": await with_degree(weighted_median),
            "mid": await with_degree(100),
            "small": await with_degree(5),
        }


def _plain_median(histogram: Sequence[tuple[int, int]]) -> int:
    total = sum(c for _, c in histogram)
    seen = 0
    for n, c in histogram:
        seen += c
        if seen >= total / 2:
            return n
    return 0


async def _works_of(uri: str, researcher_id: str) -> int:
    async with AsyncGraphDatabase.driver(uri) as driver:
        rows, _, _ = await driver.execute_query(
            "MATCH (:Researcher {id: $id})-[:AUTHORED]->(w) RETURN count(w) AS n",
            {"id": researcher_id},
        )
        return int(rows[0]["n"])


def _graphql_call(
    http: LoadClient, url: str, document: str, variables: dict[str, Any]
) -> harness.Call:
    async def call(run: Run) -> None:
        body = await harness.post_graphql(http, url, document, variables)
        extensions = body.get("extensions") or {}
        if "dbMillis" in extensions:
            run.db_millis.append(float(extensions["dbMillis"]))
            run.db_queries.append(int(extensions["dbQueries"]))

    return call


# ---------------------------------------------------------------------------------------------
# Checks: the three sides answer alike


def _our_view(body: dict[str, Any]) -> dict[str, Any]:
    researcher = body["data"]["researcher"]
    view: dict[str, Any] = {
        "page": [
            (w["id"], [a["researcher"]["id"] for a in w["authors"]])
            for w in researcher["works"]["nodes"]
        ],
        "total": researcher["works"]["totalCount"],
    }
    if "stats" in researcher:
        view |= _figures_view(researcher)
    return view


def _figures_view(researcher: dict[str, Any]) -> dict[str, Any]:
    """The page's derived figures, from a response with our field names (ours, the peer's)."""
    stats = researcher["stats"]
    return {
        "stats": (
            stats["works"],
            stats["citations"],
            stats["hIndex"],
            stats["topics"],
            stats["closeCollaborators"],
        ),
        "collaborators": [c["researcher"]["id"] for c in researcher["collaborators"]],
        "topics": [t["topic"]["id"] for t in researcher["topics"]],
        "affiliations": sorted(a["institution"]["id"] for a in researcher["affiliations"]),
    }


def _peer_view(body: dict[str, Any]) -> dict[str, Any]:
    researcher = body["data"]["researchers"][0]
    connection = researcher["worksConnection"]
    view: dict[str, Any] = {
        "page": [
            (e["node"]["id"], [a["node"]["id"] for a in e["node"]["authorsConnection"]["edges"]])
            for e in connection["edges"]
        ],
        "total": connection["totalCount"],
    }
    if "stats" in researcher:
        view |= _figures_view(researcher)
    return view


def _floor_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "page": [(w["id"], [a["id"] for a in w["authors"]]) for w in row["page"]],
        "total": row["works"],
        "stats": (
            row["works"],
            row["citations"],
            row["hIndex"],
            row["topicCount"],
            row["closeCollaborators"],
        ),
        "collaborators": [c["id"] for c in row["collaborators"]],
        "topics": [t["id"] for t in row["topics"]],
        "affiliations": sorted(a["id"] for a in row["affiliations"]),
    }


def _profile_read(researcher_id: str) -> ProfileRead:
    """The one store call our server makes for profile.graphql: what resolvers.lookahead
    plans for its selection (the figures' summary and the newest 10 works, whose authors it
    asks only ids and names of)."""
    page = WorkPageRequest(
        researcher_id, WorkOrder.NEWEST, WorkFilter(), None, first=10, author_names_only=True
    )
    return ProfileRead((researcher_id,), summary_options(CLOSE_COLLABORATION_WORKS, 0), (page,))


def _store_view(found: ProfileReadResult) -> dict[str, Any]:
    [page] = found.pages
    assert page.authors is not None
    return {
        "page": [
            (work.id, [a.researcher.id for a in authorship_records(authors)])
            for (_, work), authors in zip(page.works, page.authors, strict=True)
        ],
        "total": page.total,
    }


def _compare(ours: dict[str, Any], other: dict[str, Any]) -> dict[str, bool]:
    return {key: ours[key] == other[key] for key in other if key in ours}


# ---------------------------------------------------------------------------------------------
# Phase: conference-graph on Neo4j


def _chunks(path: Path, lines: int, into: Path) -> list[Path]:
    """``path`` (JSON Lines, maybe gzip) cut into plain files of ``lines`` records."""
    into.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.name.endswith(".gz") else open
    chunks: list[Path] = []
    out = None
    with opener(path, "rb") as source:
        for number, line in enumerate(source):
            if number % lines == 0:
                if out is not None:
                    out.close()
                chunks.append(into / f"part-{len(chunks):05d}.jsonl")
                out = chunks[-1].open("wb")
            assert out is not None
            out.write(line)
    if out is not None:
        out.close()
    return chunks


async def _import_into(
    store: GraphStore, path: Path, budget: float | None, work: Path, chunk: int = 50_000
) -> dict[str, Any]:
    """Import ``path`` with our importer; with a budget, stop between chunks once it is spent.

    The file is cut into chunks first (not timed) so a stop never cancels a transaction.
    """
    await store.apply_schema()
    parts = _chunks(path, chunk, work / "chunks") if budget is not None else [path]
    started = time.perf_counter()
    partial = False
    for part in parts:
        if budget is not None and time.perf_counter() - started > budget:
            partial = True
            break
        await import_openalex(store, [part], batch_size=10_000)
    seconds = time.perf_counter() - started
    shutil.rmtree(work / "chunks", ignore_errors=True)
    counts = await store.counts()
    works = counts.nodes.get("Work", 0)
    return {
        "seconds": seconds,
        "works": works,
        "works_per_second": works / seconds,
        "partial": partial,
        "budget_seconds": budget,
        "nodes": counts.nodes,
        "edges": counts.edges,
    }


async def _profile_comparison(
    settings: Settings, uri: str, ours: str, peer: str, picks: dict[str, str]
) -> dict[str, Any]:
    # Without notifications, as our store's driver runs: Neo4j would otherwise compute and
    # send, and the driver log, warnings (properties the graph has none of) with every query.
    driver = AsyncGraphDatabase.driver(
        uri, max_connection_pool_size=64, notifications_min_severity="OFF"
    )
    store = Neo4jStore(uri)
    results: dict[str, Any] = {"checks": {}, "cases": []}
    warmed = False
    async with LoadClient() as http:
        for who, rid in picks.items():
            variables = {"id": rid}
            our_full = await harness.post_graphql(http, ours, q.OUR_PROFILE, variables)
            our_subset = await harness.post_graphql(http, ours, q.OUR_SUBSET, variables)
            peer_body = await harness.post_graphql(http, peer, q.PEER_PROFILE, variables)
            peer_generated = await harness.post_graphql(http, peer, q.PEER_GENERATED, variables)
            peer_subset = await harness.post_graphql(http, peer, q.PEER_SUBSET, variables)
            floor_row = await floor.profile(driver, rid)
            store_read = await store.profile_read(_profile_read(rid))
            results["checks"][who] = {
                "floor_vs_ours": _compare(_our_view(our_full), _floor_view(floor_row)),
                "store_vs_ours": _compare(_our_view(our_full), _store_view(store_read)),
                "peer_vs_ours": _compare(_our_view(our_full), _peer_view(peer_body)),
                "peer_generated_vs_ours": _compare(_our_view(our_full), _peer_view(peer_generated)),
                "peer_subset_vs_our_subset": _compare(
                    _our_view(our_subset), _peer_view(peer_subset)
                ),
                "works": _our_view(our_full)["total"],
            }

            async def floor_call(run: Run, rid: str = rid) -> None:
                await floor.profile(driver, rid)

            read = _profile_read(rid)

            async def store_call(run: Run, read: ProfileRead = read) -> None:
                await store.profile_read(read)

            sides: list[tuple[str, harness.Call, str | None]] = [
                ("ours", _graphql_call(http, ours, q.OUR_PROFILE, variables), ours),
                ("floor", floor_call, None),
                ("ours_store", store_call, None),
                ("peer", _graphql_call(http, peer, q.PEER_PROFILE, variables), peer),
                ("peer_generated", _graphql_call(http, peer, q.PEER_GENERATED, variables), peer),
                ("ours_subset", _graphql_call(http, ours, q.OUR_SUBSET, variables), ours),
                ("peer_subset", _graphql_call(http, peer, q.PEER_SUBSET, variables), peer),
            ]
            if not warmed:
                # A fresh Neo4j keeps compiling for minutes: its CPU per hub profile call fell
                # from 17.7 to 11.0 ms over the first minute of load (bench/README.md). One
                # common warm-up, every side in turn, keeps that out of the first repetitions.
                log.info("profile: warming Neo4j up, %.0f s a side", settings.jvm_warmup)
                for _, call, _ in sides:
                    await harness.load(call, 16, settings.jvm_warmup)
                warmed = True
            for concurrency in (1, 16):
                log.info(
                    "profile %s c=%d: %s, in turn", who, concurrency, ", ".join(s[0] for s in sides)
                )
                by_side = await harness.interleaved(
                    {side: (call, _cpu_roles(server, uri)) for side, call, server in sides},
                    concurrency,
                    settings.seconds,
                    settings.reps,
                    settings.warmup,
                    min_calls=concurrency * 2,
                )
                for side, figures in by_side.items():
                    results["cases"].append({"who": who, "id": rid, "side": side, **figures})
    await driver.close()
    await store.close()
    return results


def _cpu_roles(server: str | None, neo4j_uri: str) -> dict[str, int]:
    """The processes a profile call keeps busy: the server (none for the floor), Neo4j (when
    started by the benchmark) and this process (the load loop, and the floor's driver)."""
    roles = {harness.BENCH_PROCESS: os.getpid()}
    for role, address in (("server", server), ("neo4j", neo4j_uri)):
        pid = harness.pid_of(address) if address is not None else None
        if pid is not None:
            roles[role] = pid
    return roles


async def _explorer_cases(
    settings: Settings,
    store: GraphStore | None,
    url: str | None,
    centers: dict[str, tuple[str, str]],
    explorer_cases: Sequence[tuple[int, int]] = EXPLORER_CASES,
) -> list[dict[str, Any]]:
    """The raw store call (with ``store``) or end to end over HTTP (with ``url``).

    ``centers`` maps a role (hub, median) to the centre's id and name.
    """
    cases = []
    async with LoadClient() as http:
        for who, (center, name) in centers.items():
            for depth, limit in explorer_cases:
                variables = {"center": center, "depth": depth, "limit": limit}
                shape: dict[str, Any] = {}
                call: harness.Call
                if store is not None:
                    call = _raw_explore(store, center, name, depth, limit, shape)
                else:
                    assert url is not None
                    call = _graphql_call(http, url, q.OUR_EXPLORER, variables)
                    body = await harness.post_graphql(http, url, q.OUR_EXPLORER, variables)
                    sub = body["data"]["explore"]
                    shape.update(
                        nodes=len(sub["nodes"]),
                        edges=len(sub["edges"]),
                        truncated=sub["truncated"],
                        response_bytes=len(json.dumps(body)),
                    )
                via = "raw" if store is not None else "http"
                log.info("explorer %s depth %d %s", who, depth, via)
                figures = await harness.repeat(
                    call, 1, settings.explorer_seconds, settings.reps, settings.warmup, min_calls=3
                )
                cases.append(
                    {
                        "who": who,
                        "center": center,
                        "depth": depth,
                        "limit": limit,
                        "via": via,
                        **shape,
                        **figures,
                    }
                )
    return cases


def _raw_explore(
    store: GraphStore, center: str, name: str, depth: int, limit: int, shape: dict[str, Any]
) -> harness.Call:
    """The raw store call: graphstore.explore.explore over store.expand (the FULL view)."""
    walk = Walk(center=center, depth=depth, limit=limit, hops=VIEW_HOPS[View.FULL])

    async def call(run: Run) -> None:
        found = await explore(store.expand, walk, name)
        shape.update(nodes=len(found.nodes), edges=len(found.edges), truncated=found.truncated)

    return call


async def _named(store: GraphStore, centers: dict[str, str]) -> dict[str, tuple[str, str]]:
    return {who: (rid, await _researcher_name(store, rid)) for who, rid in centers.items()}


async def _pyinstrument(settings: Settings, uri: str, work: Path, hub: str) -> dict[str, Any]:
    """The server under pyinstrument while 16 clients ask for the hub's profile."""
    out = work / "profile-pyinstrument.json"
    with harness.our_server(work / "ours-pyinstrument.log", neo4j_uri=uri, profile_to=out) as url:
        async with LoadClient() as http:
            call = _graphql_call(http, url, q.OUR_PROFILE, {"id": hub})
            run = await harness.load(call, 16, settings.profile_seconds)
    summary = pyprofile.summarise(out)
    shutil.copy(out, RESULTS / "profile-pyinstrument.json")
    return {
        "seconds": settings.profile_seconds,
        "requests": len(run.latencies),
        "rate_under_profiler": run.rate,
        **summary,
    }


async def phase_conference(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="rg-bench-conference-"))
    try:
        if args.neo4j_uri:
            return await _conference_on(settings, args.neo4j_uri, work, imported=None)
        with harness.neo4j(work / "neo4j", args.heap, args.pagecache) as uri:
            store = Neo4jStore(uri)
            try:
                log.info("importing conference-graph into Neo4j")
                imported = await _import_into(store, args.conference, None, work)
            finally:
                await store.close()
            return await _conference_on(settings, uri, work, imported)
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def _conference_on(
    settings: Settings, uri: str, work: Path, imported: dict[str, Any] | None
) -> dict[str, Any]:
    picks = await _degree_picks(uri)
    result: dict[str, Any] = {"import": imported, "picks": picks}
    with (
        harness.our_server(work / "ours.log", neo4j_uri=uri) as ours,
        harness.peer_server(uri, work / "peer.log") as peer,
    ):
        result["profile"] = await _profile_comparison(
            settings, uri, ours, peer, {"hub": HUB, "small": SMALL}
        )
        store = Neo4jStore(uri)
        try:
            centers = await _named(store, {"hub": HUB, "median": picks["median"]})
            result["explorer"] = await _explorer_cases(
                settings, store, None, centers
            ) + await _explorer_cases(settings, None, ours, centers)
        finally:
            await store.close()
        result["explorer"] += await _neo4j_explore_floor(settings, uri, ours, centers)
    result["pyinstrument"] = await _pyinstrument(settings, uri, work, HUB)
    return result


async def _neo4j_explore_floor(
    settings: Settings, uri: str, url: str, centers: dict[str, tuple[str, str]]
) -> list[dict[str, Any]]:
    """The explorer's floor on Neo4j (bench/floor.py ``explore``, one query through the async
    driver) for the depth-2 cases: each checked against our server's answer over HTTP, then
    measured like the other explorer sides (one client)."""
    cases = []
    driver = AsyncGraphDatabase.driver(uri, notifications_min_severity="OFF")
    try:
        async with LoadClient() as http:
            for who, (center, _) in centers.items():
                for depth, limit in EXPLORER_CASES:
                    if depth > 2:
                        continue
                    variables = {"center": center, "depth": depth, "limit": limit}
                    body = await harness.post_graphql(http, url, q.OUR_EXPLORER, variables)
                    ours = subgraph.server_subgraph(body)
                    found = await floor.explore(driver, center, depth, limit)
                    check = subgraph.compare(ours, found)
                    if not check["same"]:
                        log.warning(
                            "EXPLORE MISMATCH on Neo4j, %s depth %d: the floor differs from our "
                            "server (either may be wrong): %s",
                            who,
                            depth,
                            json.dumps(check)[:2000],
                        )

                    async def call(
                        run: Run, center: str = center, depth: int = depth, limit: int = limit
                    ) -> None:
                        await floor.explore(driver, center, depth, limit)

                    log.info("explorer %s depth %d floor", who, depth)
                    figures = await harness.repeat(
                        call,
                        1,
                        settings.explorer_seconds,
                        settings.reps,
                        settings.warmup,
                        min_calls=3,
                    )
                    cases.append(
                        {
                            "who": who,
                            "center": center,
                            "depth": depth,
                            "limit": limit,
                            "via": "floor",
                            "nodes": len(found["nodes"]),
                            "edges": len(found["edges"]),
                            "truncated": found["truncated"],
                            "check": check,
                            **figures,
                        }
                    )
    finally:
        await driver.close()
    return cases


# ---------------------------------------------------------------------------------------------
# Phase: LadybugDB, our server against the floor

# The embedded engine's cases: each researcher's ProfilePage, and the hub's explorer.
LADYBUG_PROFILES = {"hub": HUB, "mid": MID, "small": SMALL}
LADYBUG_EXPLORE = {"center": HUB, "depth": 2, "limit": 2000}
LADYBUG_GOAL = 3.0  # our p50 at most this many times the floor's


async def phase_ladybug(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="rg-bench-ladybug-"))
    try:
        store = EmbeddedStore(work / "graph.lbdb")
        try:
            log.info("importing conference-graph into LadybugDB (budget %.0f s)", args.lbdb_budget)
            imported = await _import_into(store, args.conference, args.lbdb_budget, work, 50_000)
        finally:
            await store.close()
        return {"import": imported, **await ladybug_comparison(settings, work)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def ladybug_comparison(settings: Settings, work: Path) -> dict[str, Any]:
    """Our server over HTTP (on ``work``/graph.lbdb, closed and so checkpointed) against the
    floor (bench/ladybug_floor.py) on a copy of the same file: a second process cannot open a
    database the server has open for writing. Checks first (the floor answers what the
    server answers, and its plans look ids up), then each case's two sides measured in turn."""
    floor_dir = work / "floor"
    floor_dir.mkdir(exist_ok=True)
    shutil.copy(work / "graph.lbdb", floor_dir / "graph.lbdb")
    # The profile's floor reads the stored figures the server reads (issue 26), the
    # explorer's walks as LadybugFloor does.
    floor = StoredFiguresFloor(floor_dir / "graph.lbdb")
    result: dict[str, Any] = {
        "profiles": LADYBUG_PROFILES,
        "explore": LADYBUG_EXPLORE,
        "goal": LADYBUG_GOAL,
    }
    try:
        result["plans"] = _floor_plans(floor)
        with harness.our_server(work / "ours.log", data_dir=work) as url:
            async with LoadClient() as http:
                result["checks"] = await _ladybug_checks(http, url, floor)
                with _serving_gc():
                    result["cases"] = await _ladybug_cases(settings, http, url, floor)
    finally:
        floor.close()
    hub = result["checks"]["profile"].get("hub", {})
    result["hub_works"] = hub.get("works")
    return result


@contextlib.contextmanager
def _serving_gc() -> Iterator[None]:
    """This process's garbage collector set as our server sets its own
    (researchgraph.cli.tune_gc_for_serving: what exists frozen out of its reach, young
    collections after 20,000 allocations): the floor runs in this process, and with CPython's
    defaults the collector took 3 of the 7 ms the hub's explorer spends in Python."""
    threshold = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _floor_plans(floor: LadybugFloor) -> list[dict[str, Any]]:
    calls = [
        *(("profile", "profile", {"researcher_id": rid}) for rid in LADYBUG_PROFILES.values()),
        ("explore", "explore", LADYBUG_EXPLORE),
    ]
    plans = floor.plans(calls)
    for plan in plans:
        if not plan["anchored"]:
            log.warning(
                "FLOOR PLAN NOT ANCHORED (scans %s; index look-up %s): %s",
                ", ".join(plan["full_scans"]) or "nothing",
                plan["index_lookup"],
                plan["query"],
            )
    log.info(
        "floor plans: %d of %d queries anchored", sum(p["anchored"] for p in plans), len(plans)
    )
    return plans


async def _ladybug_checks(http: LoadClient, url: str, floor: LadybugFloor) -> dict[str, Any]:
    """The floor's answers against our server's. A difference is logged loudly and kept in
    the results; it is not fatal: the server may be the one that is wrong."""
    checks: dict[str, Any] = {"profile": {}, "explore": {}}
    for who, rid in LADYBUG_PROFILES.items():
        body = await harness.post_graphql(http, url, q.OUR_PROFILE, {"id": rid})
        found = floor.profile(rid)
        if found is None:
            raise RuntimeError(f"no researcher {rid} in the LadybugDB graph")
        differences = ladybug_floor.profile_differences(
            ladybug_floor.server_profile_view(body), ladybug_floor.profile_view(found)
        )
        checks["profile"][who] = {
            "id": rid,
            "works": found["stats"]["works"],
            "same": not differences,
            "differences": differences,
        }
        if differences:
            log.warning(
                "PROFILE MISMATCH, %s (%s): the floor and our server differ in %s (the server "
                "may be the one that is wrong): %s",
                who,
                rid,
                ", ".join(differences),
                json.dumps(differences)[:2000],
            )
    body = await harness.post_graphql(http, url, q.OUR_EXPLORER, LADYBUG_EXPLORE)
    ours = subgraph.server_subgraph(body)
    checks["explore"]["response_bytes"] = len(json.dumps(body))
    found = floor.explore(**LADYBUG_EXPLORE)
    compared = subgraph.compare(ours, found)
    checks["explore"]["floor"] = compared
    log.info(
        "explore %s: ours %d nodes / %d edges, floor %d / %d%s",
        LADYBUG_EXPLORE,
        len(ours["nodes"]),
        len(ours["edges"]),
        len(found["nodes"]),
        len(found["edges"]),
        ", the same subgraph" if compared["same"] else "",
    )
    if not compared["same"]:
        log.warning(
            "EXPLORE MISMATCH: our server's subgraph differs from the floor's (either may be "
            "wrong): %s",
            json.dumps(compared)[:2000],
        )
    return checks


async def _ladybug_cases(
    settings: Settings, http: LoadClient, url: str, floor: LadybugFloor
) -> list[dict[str, Any]]:
    """Each case's sides measured in turn (``harness.interleaved``), one client, sequential
    requests, after a warm-up of each. The floor runs in this process, one query after
    another on one connection; its CPU is this process's."""
    me = {harness.BENCH_PROCESS: os.getpid()}
    served = dict(me)
    server_pid = harness.pid_of(url)
    if server_pid is not None:
        served["server"] = server_pid
    cases: list[dict[str, Any]] = []

    async def measure(case: str, sides: dict[str, tuple[harness.Call, dict[str, int]]]) -> None:
        log.info("ladybug %s: %s, in turn", case, ", ".join(sides))
        by_side = await harness.interleaved(
            sides, 1, settings.seconds, settings.reps, settings.warmup, min_calls=3
        )
        for side, figures in by_side.items():
            cases.append({"case": case, "side": side, **figures})

    for who, rid in LADYBUG_PROFILES.items():

        async def profile_floor(run: Run, rid: str = rid) -> None:
            floor.profile(rid)

        await measure(
            f"profile {who}",
            {
                "ours": (_graphql_call(http, url, q.OUR_PROFILE, {"id": rid}), served),
                "floor": (profile_floor, me),
            },
        )

    async def explore_floor(run: Run) -> None:
        floor.explore(**LADYBUG_EXPLORE)

    await measure(
        "explore hub",
        {
            "ours": (_graphql_call(http, url, q.OUR_EXPLORER, LADYBUG_EXPLORE), served),
            "floor": (explore_floor, me),
        },
    )
    return cases


# ---------------------------------------------------------------------------------------------
# Phase: scale


def _store_files(home: Path) -> dict[str, int]:
    """Neo4j store files of the default database, grouped: bytes per group."""
    database = home / "data" / "databases" / "neo4j"
    groups: dict[str, int] = {}
    for path in database.rglob("*"):
        if not path.is_file():
            continue
        name = path.name
        if "schema" in path.parts:
            group = "indexes (schema/)"
        elif "nodestore" in name or "labeltokenstore" in name:
            group = "nodes"
        elif "relationshipstore" in name or "relationshipgroupstore" in name:
            group = "relationships"
        elif "propertystore" in name:
            group = "properties (incl. strings, arrays)"
        else:
            group = "other"
        groups[group] = groups.get(group, 0) + path.stat().st_size
    transactions = home / "data" / "transactions" / "neo4j"
    if transactions.exists():
        groups["transaction logs"] = harness.du(transactions)
    return groups


def _generated(size: int, seed: int) -> tuple[Path, float | None]:
    path = RESULTS / "data" / f"works-{size}-seed{seed}.jsonl.gz"
    if path.exists():
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "researchgraph.cli",
            "generate",
            "--works",
            str(size),
            "--seed",
            str(seed),
            "--out",
            str(path),
        ],
        check=True,
        cwd=ROOT,
    )
    return path, time.perf_counter() - started


def code_revision() -> str:
    """The commit the code under test is at, with "-dirty" for uncommitted changes."""
    return _read(["git", "describe", "--always", "--dirty"], cwd=ROOT)


SCALE_ROLES = ("hub", "mid", "small")


async def _scale_import(args: argparse.Namespace, size: int, work: Path) -> dict[str, Any]:
    """Generate ``size`` works and import them into a fresh Neo4j under ``work``; the server
    is stopped afterwards, so the store files measured are checkpointed and complete."""
    path, generate_seconds = _generated(size, args.seed)
    result: dict[str, Any] = {
        "size": size,
        "file_bytes": path.stat().st_size,
        "generate_seconds": generate_seconds,
        "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "code": [code_revision()],
    }
    with harness.neo4j(work / "neo4j", args.heap, args.pagecache) as uri:
        store = Neo4jStore(uri)
        try:
            budget = args.import_budget if size >= 1_000_000 else None
            log.info("scale %d: importing (budget %s s)", size, budget)
            result["import"] = await _import_into(store, path, budget, work, 100_000)
        finally:
            await store.close()
        picks = await _degree_picks(uri)
        result["picks"] = picks
        result["works_of"] = {who: await _works_of(uri, picks[who]) for who in SCALE_ROLES}
    result["store_files"] = _store_files(work / "neo4j" / "neo4j" / "home")
    return result


async def _scale_side_by_side(
    settings: Settings, args: argparse.Namespace, works: dict[int, Path], runs: dict[int, Any]
) -> None:
    """Every size's Neo4j and API server running at once, warmed up alike; each researcher's
    profile measured on the sizes in turn (``harness.interleaved``), so the ratios between
    sizes do not carry the machine's drift between minutes apart; then each size's explorer."""
    with contextlib.ExitStack() as servers:
        uris = {
            size: servers.enter_context(harness.neo4j(work / "neo4j", args.heap, args.pagecache))
            for size, work in works.items()
        }
        urls = {
            size: servers.enter_context(harness.our_server(work / "ours.log", neo4j_uri=uris[size]))
            for size, work in works.items()
        }
        async with LoadClient() as http:
            calls = {
                size: {
                    who: _graphql_call(http, urls[size], q.OUR_PROFILE, {"id": run["picks"][who]})
                    for who in SCALE_ROLES
                }
                for size, run in runs.items()
            }
            # Each JVM starts cold: the same warm-up for every size keeps the JIT out of the
            # figures (bench/README.md, "Neo4j warms up for minutes").
            log.info("scale: warming up, %.0f s a researcher and size", settings.scale_warmup)
            for size in runs:
                for who in SCALE_ROLES:
                    await harness.load(calls[size][who], 1, settings.scale_warmup)
            for run in runs.values():
                run["profile"] = []
            for who in SCALE_ROLES:
                log.info("scale: profile %s, the sizes in turn", who)
                by_size = await harness.interleaved(
                    {
                        str(size): (calls[size][who], _cpu_roles(urls[size], uris[size]))
                        for size in runs
                    },
                    1,
                    settings.seconds,
                    settings.reps,
                    settings.warmup,
                    min_calls=3,
                )
                for size, run in runs.items():
                    rid = run["picks"][who]
                    run["profile"].append({"who": who, "id": rid, **by_size[str(size)]})
        for size, run in runs.items():
            store = Neo4jStore(uris[size])
            try:
                hub_only = await _named(store, {"hub": run["picks"]["hub"]})
                depth_2 = [(2, 500)]
                raw = await _explorer_cases(settings, store, None, hub_only, depth_2)
                http_cases = await _explorer_cases(settings, None, urls[size], hub_only, depth_2)
                run["explorer"] = raw + http_cases
            finally:
                await store.close()
            log.info("scale %d: the profile query part by part", size)
            run["query_parts"] = await _query_parts(uris[size], run["picks"])


QUERY_PART_ROLES = ("hub", "mid")
QUERY_PART_RUNS = 30


def _db_hits(plan: dict[str, Any]) -> int:
    """Database hits of a PROFILE plan, its operators' and their children's."""
    return int(plan.get("dbHits", 0)) + sum(_db_hits(child) for child in plan.get("children", ()))


async def _query_parts(uri: str, picks: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Each part of the profile query (graphstore.engines.neo4j_store.profile_read_parts) run alone
    for the hub and the mid researcher: Neo4j's database hits (PROFILE; they do not vary from
    run to run) and its own time for the part (available after + consumed after), the mean
    over QUERY_PART_RUNS runs: each is a difference of two whole-millisecond clock readings,
    so their mean estimates the time without the truncation's bias, and without the round
    trip and the client's share of the cores that a wall time carries."""
    found: dict[str, dict[str, Any]] = {}
    async with AsyncGraphDatabase.driver(uri, notifications_min_severity="OFF") as driver:
        for who in QUERY_PART_ROLES:
            parts: dict[str, Any] = {}
            for name, (part, params) in profile_read_parts(_profile_read(picks[who])).items():
                query = part.text()
                profiled = await driver.execute_query(f"PROFILE {query}", params)
                for _ in range(5):
                    await driver.execute_query(query, params, routing_="r")
                server_ms = 0
                for _ in range(QUERY_PART_RUNS):
                    summary = (await driver.execute_query(query, params, routing_="r")).summary
                    server_ms += (summary.result_available_after or 0) + (
                        summary.result_consumed_after or 0
                    )
                parts[name] = {
                    "db_hits": _db_hits(profiled.summary.profile or {}),
                    "ms": server_ms / QUERY_PART_RUNS,
                }
            found[who] = {"id": picks[who], "parts": parts}
    return found


async def phase_scale(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """Import each size into its own Neo4j in turn, then measure them side by side. The
    sizes' ratios are only comparable within one run, so a run replaces every earlier size."""
    sizes = [int(s) for s in args.sizes.split(",")]
    works = {size: Path(tempfile.mkdtemp(prefix=f"rg-bench-scale-{size}-")) for size in sizes}
    try:
        runs = {size: await _scale_import(args, size, work) for size, work in works.items()}
        await _scale_side_by_side(settings, args, works, runs)
        for run in runs.values():
            run["code"].append(code_revision())
    finally:
        for work in works.values():
            shutil.rmtree(work, ignore_errors=True)
    return {
        "seed": args.seed,
        "warmup_seconds": settings.scale_warmup,
        "runs": [runs[size] for size in sorted(runs)],
    }


# ---------------------------------------------------------------------------------------------
# Main


def _load_results() -> dict[str, Any]:
    path = RESULTS / "results.json"
    if path.exists():
        loaded: dict[str, Any] = json.loads(path.read_text())
        return loaded
    return {}


async def phase_bulk(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """conference-graph bulk-loaded (bench/bulk_bench.py), then each generated graph of the
    scale phase's sizes (``--sizes``): the bulk loader's rate as the graph grows."""
    found = await bulk_bench.measure(args.conference)
    found["sizes"] = []
    for size in (int(s) for s in args.sizes.split(",")):
        path, _ = _generated(size, args.seed)
        log.info("bulk %d", size)
        found["sizes"].append({"size": size, **await bulk_bench.measure(path)})
    return found


async def phase_import(settings: Settings, args: argparse.Namespace) -> dict[str, Any]:
    """conference-graph imported into each engine against decoding it (bench/import_bench.py
    with its defaults, the naive baseline on 300 records)."""
    options = import_bench.parser().parse_args(["--data", str(args.conference), "--sample", "300"])
    return {"engines": await asyncio.to_thread(import_bench.run_engines, options)}


PHASES = {
    "conference": phase_conference,
    "ladybug": phase_ladybug,
    "scale": phase_scale,
    "extremes": phase_extremes,
    "bulk": phase_bulk,
    "import": phase_import,
}


async def main_async(args: argparse.Namespace) -> None:
    settings = Settings(args.quick)
    RESULTS.mkdir(parents=True, exist_ok=True)
    results = _load_results()
    command = "bench/run.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    for name in args.only.split(","):
        started = time.perf_counter()
        code_before = code_revision()
        load_before = os.getloadavg()[0]
        log.info("phase %s", name)
        data = await PHASES[name](settings, args)
        results[name] = {
            **data,
            "when": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": ".venv/bin/python " + command,
            "quick": settings.quick,
            "reps": settings.reps,
            "seconds_per_rep": settings.seconds,
            "phase_seconds": time.perf_counter() - started,
            "loadavg": [load_before, os.getloadavg()[0]],
            "code": [code_before, code_revision()],
        }
        # After the phase: the peer's npm packages are installed on its first use.
        results["machine"] = machine()
        (RESULTS / "results.json").write_text(json.dumps(results, indent=1))
    (ROOT / "BENCHMARKS.md").write_text(report.render(results))
    log.info("wrote BENCHMARKS.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repetitions")
    parser.add_argument("--only", default="conference,ladybug,scale", help="phases to run")
    parser.add_argument("--sizes", help="scale sizes (default 10k,100k,1M; quick: 10k,100k)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--heap", default="4g", help="Neo4j JVM heap")
    parser.add_argument("--pagecache", default="4g", help="Neo4j page cache")
    parser.add_argument(
        "--import-budget", type=float, default=1500, help="seconds for the 1M import"
    )
    parser.add_argument(
        "--lbdb-budget", type=float, default=900, help="seconds for the LadybugDB import"
    )
    parser.add_argument("--neo4j-uri", help="use this loaded Neo4j for the conference phase")
    parser.add_argument("--conference", type=Path, help="works file (default: bench/datasets.py)")
    parser.add_argument("--render", action="store_true", help="only re-render BENCHMARKS.md")
    args = parser.parse_args()
    args.conference = conference_graph(args.conference)
    if args.sizes is None:
        args.sizes = "10000,100000" if args.quick else "10000,100000,1000000"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.render:
        (ROOT / "BENCHMARKS.md").write_text(report.render(_load_results()))
        return
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
