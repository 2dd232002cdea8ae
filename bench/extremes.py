"""Phase ``extremes``: OpenAlex's tails at constant cost (issue 26).

A generated graph (researchgraph.generate) with one tail author on EXTREME_WORKS works,
among them EXTREME_HYPER works of EXTREME_AUTHORS authors each, is imported into each engine
with our importer (which stores every researcher's figures, graphstore.engines.figures); our
server then answers the ProfilePage (web/queries/profile.graphql) over HTTP for that author
and for a 5-work author, their sides measured in turn. The goal: the hub's p50 at most 2x the
5-work author's on both engines. On LadybugDB the 5-work author's page is also measured
against a hand-written floor that reads the same stored figures (StoredFiguresFloor): at most
3x.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import harness
import ladybug_floor
import peer_queries as q
from http_load import LoadClient
from ladybug_floor import (
    INSTITUTION_NAMES,
    PAGE,
    PROFILE_COLLABORATORS,
    PROFILE_TOPICS,
    RESEARCHER_NAMES,
    LadybugFloor,
)

from graphstore.engines.embedded_store import EmbeddedStore
from graphstore.engines.figures import STORED_LIST_SIZE
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.ids import normalize_id
from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from researchgraph.generate import Tails, tail_author_id, works, write_works

log = logging.getLogger("bench")

EXTREME_GRAPH = 10_000
EXTREME_WORKS = 5_000
EXTREME_HYPER = 3
EXTREME_AUTHORS = 2_000
ORDINARY_WORK_AUTHORS = 20
HUB_GOAL = 2.0
FLOOR_GOAL = 3.0
TAILS = Tails(
    authors=1,
    author_works=(EXTREME_WORKS, EXTREME_WORKS),
    works=EXTREME_HYPER,
    work_authors=(EXTREME_AUTHORS, EXTREME_AUTHORS),
)

# The stored figures (graphstore.engines.figures) and the researcher's own columns.
STORED = """
MATCH (r:Researcher {id: $id})
RETURN r.name, r.orcid, r.bio, r.openToCollaborate, r.claimStatus, r.orcidVerified,
       r.figWorks, r.figCitations, r.figHIndex, r.figTopicCount, r.figCloseCount,
       r.figFollowers, r.figTopicIds, r.figTopicWorks, r.figCollaboratorCount,
       r.figCollaboratorIds, r.figCollaboratorShared, r.figCollaboratorStrength,
       r.figCloseIds, r.figCloseShared, r.figCloseStrength,
       r.figAffiliationIds, r.figAffiliationYears, r.figAffiliationYearCounts
"""
TOPIC_NAMES = "UNWIND $ids AS x MATCH (t:Topic {id: x}) RETURN t.id, t.name"
WORKS_COUNT = "MATCH (r:Researcher {id: $id})-[:AUTHORED]->(w:Work) RETURN count(w)"


class StoredFiguresFloor(LadybugFloor):
    """The profile page from the stored figures, by hand: the researcher's node, the names of
    what its lists name (primary-key look-ups), and the works page as LadybugFloor reads it."""

    def profile(self, researcher_id: str) -> dict[str, Any] | None:
        anchor = {"id": researcher_id}
        found = self._rows(STORED, anchor)
        if not found:
            return None
        (
            name, orcid, bio, open_flag, claim_status, verified,
            works, citations, h_index, topic_count, close_count, followers,
            topic_ids, topic_works, collaborator_count,
            all_ids, all_shared, all_strength, close_ids, close_shared, close_strength,
            affiliation_ids, affiliation_years, year_counts,
        ) = found[0]  # fmt: skip
        topic_ids, topic_works = topic_ids[:PROFILE_TOPICS], topic_works[:PROFILE_TOPICS]
        topic_names = dict(self._rows(TOPIC_NAMES, {"ids": topic_ids})) if topic_ids else {}
        if collaborator_count > STORED_LIST_SIZE:
            listed = list(zip(close_ids, close_shared, close_strength, strict=True))
        else:
            listed = [c for c in zip(all_ids, all_shared, all_strength, strict=True) if c[1] >= 2]
        listed = listed[:PROFILE_COLLABORATORS]
        names = {}
        if listed:
            names = dict(self._rows(RESEARCHER_NAMES, {"ids": [c[0] for c in listed]}))
        institutions = {}
        if affiliation_ids:
            institutions = dict(self._rows(INSTITUTION_NAMES, {"ids": affiliation_ids}))
        affiliations, start = [], 0
        for iid, count in zip(affiliation_ids, year_counts, strict=True):
            years = affiliation_years[start : start + count]
            start += count
            affiliations.append({"id": iid, "name": institutions.get(iid) or iid, "years": years})
        affiliations.sort(key=lambda a: (-(a["years"][-1] if a["years"] else 0), a["name"]))
        page = self._rows(PAGE, anchor)
        total = int(self._rows(WORKS_COUNT, anchor)[0][0])
        stats = {
            "works": works,
            "followers": followers or 0,
            "topics": topic_count,
            "closeCollaborators": close_count,
            "citations": citations,
            "hIndex": h_index,
        }
        return self.answer(
            researcher_id,
            (name, orcid, bio, open_flag, claim_status, verified),
            stats,
            affiliations=affiliations,
            topics=[
                {"id": t, "name": topic_names.get(t) or t, "works": n}
                for t, n in zip(topic_ids, topic_works, strict=True)
            ],
            collaborators=[
                {"id": c, "name": names.get(c) or c, "sharedWorks": n, "strength": s}
                for c, n, s in listed
            ],
            total=total,
            page=page,
        )


def _picks() -> dict[str, Any]:
    """The tail author and the first 5-work author of the generated graph, with their
    works and the largest author list among them."""
    counts: Counter[str] = Counter()
    widest: dict[str, int] = {}
    for record in works(EXTREME_GRAPH, 1, TAILS):
        size = len(record["authorships"])
        for authorship in record["authorships"]:
            author = authorship["author"]["id"]
            counts[author] += 1
            widest[author] = max(widest.get(author, 0), size)
    hub = tail_author_id(0)
    # A 5-work author on ordinary works (a page listing a collaboration's authors is another
    # matter: its size is the page's, whoever asks).
    small = min(a for a, n in counts.items() if n == 5 and widest[a] <= ORDINARY_WORK_AUTHORS)
    return {
        "hub": normalize_id(hub),
        "hub_works": counts[hub],
        "hub_widest_work": widest[hub],
        "small": normalize_id(small),
        "small_widest_work": widest[small],
    }


async def _import(store: GraphStore, path: Path) -> dict[str, Any]:
    await store.apply_schema()
    started = time.perf_counter()
    await import_openalex(store, [path], batch_size=2_000)
    seconds = time.perf_counter() - started
    counts = await store.counts()
    return {"seconds": seconds, "nodes": counts.nodes, "edges": counts.edges}


async def _measure(
    settings: Any, url: str, picks: dict[str, Any], floor: StoredFiguresFloor | None
) -> dict[str, Any]:
    served = {harness.BENCH_PROCESS: os.getpid()}
    server_pid = harness.pid_of(url)
    if server_pid is not None:
        served["server"] = server_pid
    result: dict[str, Any] = {}
    async with LoadClient() as http:

        def ours(rid: str) -> harness.Call:
            async def call(run: harness.Run) -> None:
                await harness.post_graphql(http, url, q.OUR_PROFILE, {"id": rid})

            return call

        sides: dict[str, tuple[harness.Call, dict[str, int] | None]] = {
            "hub": (ours(picks["hub"]), served),
            "small": (ours(picks["small"]), served),
        }
        if floor is not None:
            body = await harness.post_graphql(http, url, q.OUR_PROFILE, {"id": picks["small"]})
            differences = ladybug_floor.profile_differences(
                ladybug_floor.server_profile_view(body),
                ladybug_floor.profile_view(floor.profile(picks["small"]) or {}),
            )
            result["floor_same"] = not differences
            result["floor_differences"] = differences
            if differences:
                log.warning("extremes: floor and server differ: %s", json.dumps(differences)[:800])

            async def floor_call(run: harness.Run) -> None:
                floor.profile(picks["small"])

            sides["floor small"] = (floor_call, {harness.BENCH_PROCESS: os.getpid()})
        measured = await harness.interleaved(
            sides, 1, settings.seconds, settings.reps, settings.warmup, min_calls=3
        )
    result["sides"] = measured
    p50 = {side: figures["p50_ms"]["median"] for side, figures in measured.items()}
    result["hub_over_small"] = p50["hub"] / p50["small"]
    if floor is not None:
        result["small_over_floor"] = p50["small"] / p50["floor small"]
    return result


async def phase_extremes(settings: Any, args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="rg-bench-extremes-"))
    try:
        path = work / "extremes.jsonl"
        write_works(EXTREME_GRAPH, 1, path, TAILS)
        picks = _picks()
        log.info("extremes: %s", picks)
        result: dict[str, Any] = {"picks": picks, "graph_works": EXTREME_GRAPH}
        result["goal"] = {"hub_over_small": HUB_GOAL, "small_over_floor": FLOOR_GOAL}
        store = EmbeddedStore(work / "graph.lbdb")
        try:
            result["embedded_import"] = await _import(store, path)
        finally:
            await store.close()
        log.info("extremes: embedded import %s", result["embedded_import"]["seconds"])
        floor_dir = work / "floor"
        floor_dir.mkdir()
        shutil.copy(work / "graph.lbdb", floor_dir / "graph.lbdb")
        floor = StoredFiguresFloor(floor_dir / "graph.lbdb")
        try:
            with harness.our_server(work / "ours.log", data_dir=work) as url:
                result["embedded"] = await _measure(settings, url, picks, floor)
        finally:
            floor.close()
        log.info(
            "extremes: embedded %s", {k: v for k, v in result["embedded"].items() if k != "sides"}
        )
        with harness.neo4j(work / "neo4j", args.heap, args.pagecache) as uri:
            neo4j_store = Neo4jStore(uri)
            try:
                result["neo4j_import"] = await _import(neo4j_store, path)
            finally:
                await neo4j_store.close()
            with harness.our_server(work / "ours-neo4j.log", neo4j_uri=uri) as url:
                result["neo4j"] = await _measure(settings, url, picks, None)
        log.info("extremes: neo4j %s", {k: v for k, v in result["neo4j"].items() if k != "sides"})
        result["loadavg_end"] = os.getloadavg()
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def section(phase: dict[str, Any], run_line: str) -> list[str]:
    """BENCHMARKS.md's section on this phase."""
    picks = phase["picks"]
    out = [
        "## 8. Extremes: a 5,000-work author on works of 2,000 authors (issue 26)",
        "",
        run_line,
        "",
        f"A generated graph of {phase['graph_works']:,} works (`researchgraph generate` with "
        f"one tail author of {EXTREME_WORKS:,} works and {EXTREME_HYPER} works of "
        f"{EXTREME_AUTHORS:,} authors, every one with the tail author on it), imported with "
        "our importer into each engine (which stores every researcher's figures, "
        "`graphstore/engines/figures.py`). The ProfilePage over HTTP, one client, the sides in "
        f"turn: the tail author {picks['hub']} ({picks['hub_works']:,} works, its widest "
        f"{picks['hub_widest_work']:,} authors) against a 5-work author {picks['small']} (its "
        f"widest work {picks['small_widest_work']} authors); on LadybugDB also a hand-written "
        "floor of the 5-work author's page that reads the same stored figures "
        "(`bench/extremes.py` StoredFiguresFloor).",
        "",
        "| engine | import (s) | hub p50 (ms) | 5-work p50 (ms) | floor p50 (ms) | hub / 5-work "
        f"(goal <= {HUB_GOAL:g}x) | 5-work / floor (goal <= {FLOOR_GOAL:g}x) |",
        "|---|---|---|---|---|---|---|",
    ]
    for engine, imported in (("embedded", "embedded_import"), ("neo4j", "neo4j_import")):
        if engine not in phase:
            continue
        found = phase[engine]
        sides = found["sides"]

        def p50(side: str, sides: dict[str, Any] = sides) -> str:
            if side not in sides:
                return "-"
            figure = sides[side]["p50_ms"]
            return f"{figure['median']:.1f} <sub>({figure['low']:.1f}-{figure['high']:.1f})</sub>"

        hub_ratio = found["hub_over_small"]
        floor_ratio = found.get("small_over_floor")
        floor_cell = "-" if floor_ratio is None else f"{floor_ratio:.2f}x"
        if floor_ratio is not None:
            floor_cell += " met" if floor_ratio <= FLOOR_GOAL else " **missed**"
        out.append(
            f"| {engine} | {phase[imported]['seconds']:.0f} | {p50('hub')} | {p50('small')} | "
            f"{p50('floor small')} | {hub_ratio:.2f}x "
            f"{'met' if hub_ratio <= HUB_GOAL else '**missed**'} | {floor_cell} |"
        )
    embedded = phase.get("embedded", {})
    if "floor_same" in embedded:
        out += [
            "",
            "- The floor's answer for the 5-work author "
            + (
                "equals the server's, field by field."
                if embedded["floor_same"]
                else f"**differs** from the server's in {', '.join(embedded['floor_differences'])}."
            ),
        ]
    out += [
        "- Neo4j has no hand-written floor in this phase.",
        f"- Load average at the end of the phase: {phase['loadavg_end'][0]:.1f} (a shared "
        "2-core machine).",
        "",
    ]
    return out
