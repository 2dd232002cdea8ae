"""BENCHMARKS.md from bench/results/results.json: every figure is read from a run's results."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import bulk_bench
import extremes

SIDES = {
    "ours": "Research Graph (HTTP, full ProfilePage)",
    "floor": "floor (Cypher via async driver, same data)",
    "ours_store": "Research Graph's store call alone (no HTTP, no GraphQL)",
    "peer": "peer (@neo4j/graphql, closest query: figures from @cypher fields)",
    "peer_generated": "peer, generated API only (no derived figures)",
    "ours_subset": "Research Graph, common subset",
    "peer_subset": "peer, common subset",
}


def _fig(figure: dict[str, float] | None, digits: int = 1) -> str:
    if not figure:
        return "n/a"
    return (
        f"{figure['median']:.{digits}f} "
        f"<sub>({figure['low']:.{digits}f}-{figure['high']:.{digits}f})</sub>"
    )


def _table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return lines


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b == 0:
        return None
    return a / b


def _x(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _verdict(value: float | None, target: float, *, at_least: bool) -> str:
    if value is None:
        return "not measured"
    if at_least:
        if value >= target:
            return "**met**"
        return f"**missed**: {1 - value / target:.1%} under the target"
    if value <= target:
        return "**met**"
    if value >= 2 * target:
        return f"**missed**: {value / target:.1f}x the target"
    return f"**missed**: {value / target - 1:.0%} over the target"


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def _case(cases: Sequence[dict[str, Any]], **match: Any) -> dict[str, Any] | None:
    for case in cases:
        if all(case.get(k) == v for k, v in match.items()):
            return case
    return None


def _summary_notes(results: dict[str, Any]) -> list[str]:
    notes = []
    scale = results.get("scale")
    if scale:
        runs = sorted(scale["runs"], key=lambda r: r["size"])
        first, last = runs[0], runs[-1]
        if first["works_of"]["hub"] != last["works_of"]["hub"]:
            notes.append(
                "- The hub rows of the scale goals compare the biggest hub of each graph "
                f"({first['works_of']['hub']} vs {last['works_of']['hub']} works): a profile's "
                "cost follows the researcher's own works and co-authors, so *mid* (about 100 "
                "works) and *small* (about 5) are the like-for-like comparison of graph size."
            )
        similar = _similar_hubs(runs)
        if similar is not None:
            small, large, ratio = similar
            notes.append(
                f"- Two graph sizes have hubs of about the same size ({small['works_of']['hub']} "
                f"works at {small['size']:,} works, {large['works_of']['hub']} at "
                f"{large['size']:,}): the larger graph's hub profile p50 is {ratio:.2f}x the "
                f"smaller's, for a {large['size'] // small['size']}x larger graph."
            )
        if "query_parts" in first and "query_parts" in last:
            notes.append(_hub_parts_note(first, last))
    conference = results.get("conference", {})
    cpu = _hub_cpu(conference)
    if cpu:
        notes.append(
            "- The CPU table of section 1 says what bounds the profile figures: on this "
            "2-core machine every process shares the same cores, so requests/s at c=16 is "
            "bounded by the CPU a request costs all of them. The hub's full profile costs "
            f"{cpu['ours']:.0f} ms of CPU (server, Neo4j and load client), the peer's closest "
            f"query {cpu['peer']:.0f} ms and the floor {cpu['floor']:.0f} ms: ours "
            f"{cpu['ours'] / cpu['floor']:.2f}x the floor's, the ratio the p50 at c=16 follows "
            'from run to run (bench/README.md, "The profile goals across runs", has every '
            "run). Section 4 shows where the server's share goes."
        )
    return notes


def _hub_parts_note(first: dict[str, Any], last: dict[str, Any]) -> str:
    """What the part-by-part table says of the hub's profile query between two sizes."""
    before, after = (run["query_parts"]["hub"]["parts"] for run in (first, last))
    hits = [sum(p["db_hits"] for p in parts.values()) for parts in (before, after)]
    largest = max(after, key=lambda name: after[name]["db_hits"])
    return (
        f"- What the profile shows for the hub rows (section 3, part by part): Neo4j's "
        f"database hits for the hub's query are {hits[0]:,} at {first['size']:,} works and "
        f"{hits[1]:,} at {last['size']:,} ({hits[1] / hits[0]:.2f}x, for "
        f"{last['works_of']['hub'] / first['works_of']['hub']:.2f}x the hub's works); the "
        f"largest part is {largest} ({after[largest]['db_hits'] / hits[1]:.0%} of them, "
        f"{after[largest]['ms']:.1f} ms of {sum(p['ms'] for p in after.values()):.1f})"
        + (
            ", the walk over every co-authorship of the hub's works. Materialised "
            "collaboration, measured on the 100,000-work graph, takes 15% off the hub's "
            'summary and still reads an edge per co-author (bench/README.md, "Materialised '
            'collaboration, measured").'
            if largest == "collaborators"
            else "."
        )
    )


def _similar_hubs(runs: Sequence[dict[str, Any]]) -> tuple[Any, Any, float] | None:
    """Two graph sizes whose hubs have works within 5% of each other, and the ratio of their
    profile p50s (larger graph over smaller); None when no two sizes qualify."""
    for small, large in itertools.pairwise(runs):
        a, b = small["works_of"]["hub"], large["works_of"]["hub"]
        if abs(a - b) <= 0.05 * max(a, b):
            ratio = _ratio(
                _median(_case(large["profile"], who="hub"), "p50_ms"),
                _median(_case(small["profile"], who="hub"), "p50_ms"),
            )
            if ratio is not None:
                return small, large, ratio
    return None


def _hub_cpu(conference: dict[str, Any]) -> dict[str, float]:
    """Total CPU ms per hub request at c=16 by side, for the sides that have it."""
    totals = {}
    for case in conference.get("profile", {}).get("cases", []):
        if case["who"] == "hub" and case["concurrency"] == 16 and case.get("cpu_ms_per_call"):
            totals[case["side"]] = sum(f["median"] for f in case["cpu_ms_per_call"].values())
    return totals if {"ours", "peer", "floor"} <= totals.keys() else {}


def _graph(run: dict[str, Any]) -> str:
    """A scale run's graph: works imported, and of how many generated when it stopped early."""
    works = run["import"]["works"]
    if run["import"]["partial"]:
        return f"{works:,} works (of {run['size']:,} generated)"
    return f"{works:,} works"


def _queries(case: dict[str, Any]) -> str:
    return ", ".join(str(n) for n in case.get("db_queries", [])) or "n/a"


def _median(case: dict[str, Any] | None, key: str) -> float | None:
    if case is None or key not in case:
        return None
    value: float = case[key]["median"]
    return value


def render(results: dict[str, Any]) -> str:
    out: list[str] = ["# Benchmarks", ""]
    out += [
        "Written by `bench/run.py` (see its docstring); every figure below comes from "
        "`bench/results/results.json` of the runs named in each section. Figures are the "
        "**median over repetitions**, with the spread (min-max over repetitions) in small "
        "print. Absolute times on a shared 2-core machine are noisy (other work, such as test "
        "servers and import benchmarks, ran on it during these runs; the load average at the "
        "start and end of each phase is given where recorded): the ratios, measured side by "
        "side in the same run, are what to read. The profile comparison starts with a common "
        "warm-up of Neo4j (every side in turn, 15 s each) and then takes its sides' runs in "
        "turn (ours, the floor, the peer..., then again), so a drift of the machine during "
        "the comparison falls on every side alike.",
        "",
    ]
    out += [
        "Command: `.venv/bin/python bench/run.py` (all phases, about 1.5 h; `--quick` for a "
        "shorter first pass, `--only conference|ladybug|scale` for one phase, `--render` to "
        "re-render this file). Needs the dev extras (`pip install -e '.[dev]'`, for "
        "pyinstrument), Java 17 and Maven (the real Neo4j 5.26, as for the tests), node and npm "
        "(the peer: `npm ci` runs in `bench/peer/` on first use). Generated data is cached in "
        "`bench/results/data/` (git-ignored).",
        "",
    ]
    out += _machine(results.get("machine", {}))
    summary, sections = _goals(results), []
    out += ["## Summary: goals", "", *summary, "", *_summary_notes(results), ""]
    if "conference" in results:
        sections += _profile_section(results["conference"])
    sections += _explorer_section(results)
    if "scale" in results:
        sections += _scale_section(results["scale"])
    if "conference" in results and "pyinstrument" in results["conference"]:
        sections += _where_time_goes(results["conference"])
    if "scale" in results:
        sections += _projection(results["scale"])
    if "cases" in results.get("ladybug", {}):
        sections += _ladybug_section(results["ladybug"])
    if "search" in results:
        sections += _search_section(results["search"])
    if "extremes" in results:
        sections += extremes.section(results["extremes"], _run_line(results["extremes"]))
    if "import" in results:
        sections += _import_section(results["import"])
    if "bulk" in results:
        sections += bulk_bench.section(results["bulk"])
    out += sections
    return "\n".join(out) + "\n"


def _machine(machine: dict[str, Any]) -> list[str]:
    if not machine:
        return []
    lines = [
        "## Machine",
        "",
        f"- {machine['nproc']} CPUs ({machine['cpu']}), {machine['ram_gib']} GiB RAM, "
        f"Linux {machine['kernel']}; everything (load client, API, Neo4j, peer) on this one "
        "machine, over loopback.",
        "",
    ]
    lines += _table(["component", "version"], machine["versions"].items())
    return [*lines, ""]


def _run_line(phase: dict[str, Any]) -> str:
    mode = "quick" if phase.get("quick") else "full"
    load = phase.get("loadavg")
    load_note = f"; 1-min load average {load[0]:.1f} at start, {load[1]:.1f} at end" if load else ""
    code = phase.get("code")
    if code:
        load_note += f"; code at {code[0]}" + (
            "" if code[0] == code[-1] else f" at the start, {code[-1]} at the end"
        )
    return (
        f"Run: `{phase['command'].strip()}` at {phase['when']} ({mode}: {phase['reps']} "
        f"repetitions of {phase['seconds_per_rep']:.0f} s per figure; the phase took "
        f"{phase['phase_seconds'] / 60:.1f} min{load_note})."
    )


# ---------------------------------------------------------------------------------------------
# Goals


def _goals(results: dict[str, Any]) -> list[str]:
    rows: list[Sequence[str]] = []
    conference = results.get("conference")
    if conference:
        cases = conference["profile"]["cases"]
        ours = _case(cases, who="hub", side="ours", concurrency=16)
        peer = _case(cases, who="hub", side="peer", concurrency=16)
        floor = _case(cases, who="hub", side="floor", concurrency=16)
        throughput = _ratio(_median(ours, "rate"), _median(peer, "rate"))
        p50 = _ratio(_median(ours, "p50_ms"), _median(floor, "p50_ms"))
        rows.append(
            (
                "Profile, hub, c=16: throughput vs peer",
                ">= 1.0x",
                _x(throughput),
                _verdict(throughput, 1.0, at_least=True),
            )
        )
        rows.append(
            (
                "Profile, hub, c=16: p50 vs floor",
                "<= 1.5x",
                _x(p50),
                _verdict(p50, 1.5, at_least=False),
            )
        )
    scale = results.get("scale")
    if scale:
        runs = {r["size"]: r for r in scale["runs"]}
        smallest, largest = min(runs), max(runs)
        label = f"{_graph(runs[smallest])} vs {_graph(runs[largest])}"
        for who in ("hub", "mid", "small"):
            a = _case(runs[smallest]["profile"], who=who)
            b = _case(runs[largest]["profile"], who=who)
            if a is None or b is None:
                continue
            same = a.get("db_queries") == b.get("db_queries")
            rows.append(
                (
                    f"Store queries per profile request, {who} ({label})",
                    "equal",
                    f"{_queries(a)} vs {_queries(b)}",
                    "**met**" if same else "**missed**",
                )
            )
        for who in ("hub", "mid", "small"):
            a = _case(runs[smallest]["profile"], who=who)
            b = _case(runs[largest]["profile"], who=who)
            ratio = _ratio(_median(b, "p50_ms"), _median(a, "p50_ms"))
            works = (
                f" ({runs[smallest]['works_of'][who]} vs {runs[largest]['works_of'][who]} works)"
            )
            rows.append(
                (
                    f"Profile p50 at {_graph(runs[largest])} / at {_graph(runs[smallest])}, "
                    f"{who}{works}",
                    "<= 1.5x",
                    _x(ratio),
                    _verdict(ratio, 1.5, at_least=False),
                )
            )
        if largest < 1_000_000:
            rows.append(("(the 1M-work run is not in these results)", "", "", ""))
        biggest = runs[largest]["import"]
        if biggest["partial"]:
            rate = biggest["works_per_second"]
            rows.append(
                (
                    f"Import of {largest:,} generated works within the "
                    f"{biggest['budget_seconds']:.0f} s budget",
                    "all",
                    f"{biggest['works']:,} works in {biggest['seconds']:.0f} s "
                    f"({rate:,.0f} works/s)",
                    f"**stopped at the budget**; projected for all {largest:,}: "
                    f"{largest / rate / 60:.0f} min at the measured rate (projection)",
                )
            )
    if "conference" in results:
        for who in ("hub", "median"):
            cases = results["conference"]["explorer"]
            http = _case(cases, who=who, depth=2, via="http")
            raw = _case(cases, who=who, depth=2, via="raw")
            ratio = _ratio(_median(http, "p50_ms"), _median(raw, "p50_ms"))
            rows.append(
                (
                    f"Explorer depth 2 / limit 500, Neo4j, {who}: HTTP vs raw store call",
                    "<= 3x",
                    _x(ratio),
                    _verdict(ratio, 3.0, at_least=False),
                )
            )
    ladybug = results.get("ladybug")
    if ladybug and "cases" in ladybug:
        goal = ladybug.get("goal", 3.0)
        for case, ours, floor in _ladybug_rows(ladybug):
            ratio = _ratio(_median(ours, "p50_ms"), _median(floor, "p50_ms"))
            rows.append(
                (
                    f"LadybugDB, {_ladybug_case_label(ladybug, case)}: HTTP p50 vs the floor",
                    f"<= {goal:g}x",
                    _x(ratio),
                    _verdict(ratio, goal, at_least=False),
                )
            )
    return _table(["goal", "target", "measured", "verdict"], rows)


# ---------------------------------------------------------------------------------------------
# Profile


def _profile_section(conference: dict[str, Any]) -> list[str]:
    out = ["## 1. Profile query on conference-graph (Neo4j)", "", _run_line(conference), ""]
    imported = conference.get("import")
    if imported:
        out += [
            f"conference-graph imported into a fresh Neo4j by our importer: "
            f"{imported['works']:,} works in {imported['seconds']:.0f} s "
            f"({imported['works_per_second']:,.0f} works/s).",
            "",
        ]
    profile = conference["profile"]
    out += [
        "The query is `web/queries/profile.graphql` (researcher, affiliations, stats, "
        "trust, topics, collaborators, newest 10 works with authors). Ours runs under uvicorn "
        "with `RESEARCHGRAPH_DEBUG=1` (server-side database time = `extensions.dbMillis`, the "
        "summed wall time of the request's store queries, which overlap when concurrent). The "
        "floor is `bench/floor.py`: one hand-written Cypher query through the async driver that "
        "returns exactly the response's data (aggregates computed in Neo4j). The peer is "
        "`bench/peer/server.mjs`: @neo4j/graphql on Apollo Server over the same database.",
        "",
        "The peer's closest query (`bench/peer_queries.py`) takes from the generated API "
        "the researcher and the newest 10 works (sorted by year, title, id) with their "
        "authors in order and `totalCount`, and the figures the generated API cannot give "
        "(stats with h-index, topics ranked by the researcher's works, collaborators ranked by "
        "Newman strength with `minSharedWorks`, affiliations with years) from `@cypher` fields "
        "in its type definitions: custom Cypher, the floor's aggregates, one field each, as a "
        "user of the library would write them. It leaves out the trust snapshot, which only "
        "our side computes. `peer, generated API only` is what the library gives without "
        "custom Cypher: the researcher, the works count and citation sum (aggregations), "
        "its AFFILIATED_WITH institutions and the same works page. The *common subset* rows "
        "ask both sides exactly the same thing: the researcher and the newest 10 works with "
        "authors and the total. The *store call alone* is the one `GraphStore.profile_read` "
        "our server makes for the whole page (Neo4j runs it as one query): what is left "
        "between it and the full row is GraphQL and HTTP.",
        "",
        "Same answers (checked before measuring):",
        "",
    ]
    for who, checks in profile["checks"].items():
        parts = []
        for name in (
            "floor_vs_ours",
            "store_vs_ours",
            "peer_vs_ours",
            "peer_generated_vs_ours",
            "peer_subset_vs_our_subset",
        ):
            if name not in checks:
                continue
            fields = checks[name]
            bad = [k for k, ok in fields.items() if not ok]
            parts.append(
                f"{name.replace('_', ' ')}: "
                + ("same " + ", ".join(fields) if not bad else "DIFFERENT " + ", ".join(bad))
            )
        out.append(f"- {who} ({checks['works']} works): " + "; ".join(parts))
    out.append("")
    rows = []
    for case in profile["cases"]:
        rows.append(
            (
                f"{case['who']} ({case['id']})",
                case["concurrency"],
                SIDES[case["side"]],
                _fig(case["rate"]),
                _fig(case["p50_ms"]),
                _fig(case["p99_ms"]),
                _fig(case.get("db_ms")),
                ", ".join(str(n) for n in case.get("db_queries", [])) or "",
            )
        )
    out += _table(
        [
            "researcher",
            "c",
            "side",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "server DB ms (median)",
            "DB queries",
        ],
        rows,
    )
    out += ["", "Ratios (medians):", ""]
    ratio_rows = []
    for who in ("hub", "small"):
        for c in (1, 16):

            def get(side: str, key: str, who: str = who, c: int = c) -> float | None:
                return _median(_case(profile["cases"], who=who, side=side, concurrency=c), key)

            ratio_rows.append(
                (
                    who,
                    c,
                    _x(_ratio(get("ours", "p50_ms"), get("floor", "p50_ms"))),
                    _x(_ratio(get("ours", "rate"), get("peer", "rate"))),
                    _x(_ratio(get("ours", "rate"), get("peer_generated", "rate"))),
                    _x(_ratio(get("ours_subset", "rate"), get("peer_subset", "rate"))),
                    _x(_ratio(get("ours_subset", "p50_ms"), get("peer_subset", "p50_ms"))),
                )
            )
    out += _table(
        [
            "researcher",
            "c",
            "ours p50 / floor p50",
            "ours req/s / peer req/s",
            "ours req/s / peer generated-only req/s",
            "subset: ours req/s / peer req/s",
            "subset: ours p50 / peer p50",
        ],
        ratio_rows,
    )
    return [*out, "", *_cpu_table(profile["cases"])]


CPU_ROLES = ("server", "neo4j", "load client")


def _cpu_table(cases: Sequence[dict[str, Any]]) -> list[str]:
    measured = [c for c in cases if c["concurrency"] == 16 and c.get("cpu_ms_per_call")]
    if not measured:
        return []
    out = [
        "CPU milliseconds per request at c=16 (median over repetitions; each process's user "
        "plus system time from `/proc` over a run, divided by the requests it completed). "
        "Unlike requests/s this does not depend on how the 2 cores were shared, so it says "
        "what each side costs: the server's work, Neo4j's work for the Cypher the side sends, "
        "and the load client (which also runs the floor's driver):",
        "",
    ]
    rows = []
    for case in measured:
        cpu = case["cpu_ms_per_call"]
        total = sum(cpu[role]["median"] for role in CPU_ROLES if role in cpu)
        rows.append(
            (
                case["who"],
                SIDES[case["side"]],
                *(_fig(cpu[role]) if role in cpu else "-" for role in CPU_ROLES),
                f"{total:.1f}",
            )
        )
    out += _table(["researcher", "side", *(f"{r} ms" for r in CPU_ROLES), "total ms"], rows)
    return [*out, ""]


# ---------------------------------------------------------------------------------------------
# Explorer


def _explorer_section(results: dict[str, Any]) -> list[str]:
    if "conference" not in results:
        return []
    out = ["## 2. Explorer on Neo4j: over HTTP vs the raw store call and the floor", ""]
    out += [
        "`web/queries/explorer.graphql` over HTTP (uvicorn, one client) against "
        "`graphstore.explore.explore(store.expand, walk, ...)` called in the benchmark process "
        "on the same store (no GraphQL, no HTTP). The median researcher is the one at the "
        "authorship-weighted median of works per researcher (half of all authorships belong "
        "to researchers with at most that many works; the plain median is 1 work). The floor "
        "(depth 2): the same neighbourhood by one hand-written query through the async driver "
        "(`bench/floor.py`, `explore`), the subgraph's levels, weights and limit in Python, "
        "the institutions the authorships list among its hops as among the server's.",
        "",
    ]
    rows = []
    for engine, phase in (("Neo4j", "conference"),):
        data = results[phase]
        out.append(f"- {engine}: " + _run_line(data))
        for case in data["explorer"]:
            if case["via"] != "http":
                continue
            raw = _case(data["explorer"], who=case["who"], depth=case["depth"], via="raw")
            same = {"who": case["who"], "depth": case["depth"]}
            floor = _case(data["explorer"], via="floor", **same)
            rows.append(
                (
                    engine,
                    f"{case['who']} ({case['center']})",
                    f"{case['depth']} / {case['limit']}",
                    f"{case['nodes']} / {case['edges']} / {'yes' if case['truncated'] else 'no'}",
                    _fig(raw["p50_ms"] if raw else None),
                    _fig(case["p50_ms"]),
                    _x(_ratio(_median(case, "p50_ms"), _median(raw, "p50_ms"))),
                    _fig(floor["p50_ms"] if floor else None, 2),
                    _x(_ratio(_median(case, "p50_ms"), _median(floor, "p50_ms"))),
                    _fig(case.get("db_ms")),
                    ", ".join(str(n) for n in case.get("db_queries", [])),
                    f"{case.get('response_bytes', 0) / 1000:.0f} kB",
                )
            )
    out += [""]
    out += _table(
        [
            "engine",
            "centre",
            "depth / limit",
            "nodes / edges / truncated",
            "raw store call p50 ms",
            "HTTP p50 ms",
            "HTTP / raw",
            "floor p50 ms",
            "HTTP / floor",
            "server DB ms",
            "DB queries",
            "response",
        ],
        rows,
    )
    checks = [
        f"- The floor on {case['who']}, depth {case['depth']} / {case['limit']}: "
        f"{case['nodes']:,} nodes / {case['edges']:,} edges; "
        + (
            "the same subgraph as ours (nodes, edges, hops and weights)."
            if case["check"]["same"]
            else f"ours {case['check']['nodes'][0]:,} / {case['check']['edges'][0]:,}, "
            f"{case['check']['nodes_only_floor'][0]} nodes only the floor's, "
            f"{case['check']['nodes_only_ours'][0]} only ours."
        )
        for data in (results["conference"],)
        for case in data["explorer"]
        if case["via"] == "floor" and "check" in case
    ]
    if checks:
        out += ["", *checks]
    return [*out, ""]


# ---------------------------------------------------------------------------------------------
# Scale


def _scale_section(scale: dict[str, Any]) -> list[str]:
    out = ["## 3. Scale: generated graphs on Neo4j", "", _run_line(scale), ""]
    out += [
        f"Data: `researchgraph generate --works N --seed {scale['seed']}` "
        "(`researchgraph/generate.py`), each size imported by our importer (batches of "
        "10,000) into a fresh Neo4j, which is then stopped. The profile and explorer figures "
        "come after: every size's Neo4j and API server started again side by side, each "
        f"researcher and size warmed up alike ({scale['warmup_seconds']:.0f} s of one client "
        "each), then each researcher's profile measured on the sizes in turn (smallest to "
        "largest, then again), so the ratios between sizes are taken on the same minutes of "
        "the machine. Profile "
        "figures are one client (c=1); *mid* is the researcher closest to 100 works, *small* "
        "the one closest to 5, the hub the one with the most works at that size; the CPU is "
        "the API server's and Neo4j's per request (from `/proc`), which the sharing of the "
        "cores does not move as it moves wall times.",
        "",
    ]
    out += [
        "Each size's import: "
        + "; ".join(
            f"{run['size']:,} at {run['when']} (code {' -> '.join(dict.fromkeys(run['code']))})"
            for run in scale["runs"]
        )
        + ".",
        "",
    ]
    rows: list[Sequence[str]] = []
    for run in scale["runs"]:
        imported = run["import"]
        edges = sum(imported["edges"].values())
        nodes = sum(imported["nodes"].values())
        status = " (**stopped at the time budget**)" if imported["partial"] else ""
        picks = run["picks"]
        rows.append(
            (
                f"{run['size']:,}",
                f"{imported['works']:,}{status}",
                f"{nodes:,} / {edges:,}",
                f"{picks['researchers']:,}",
                f"{picks['median_works']} / {picks['weighted_median_works']} / "
                f"{picks['hub_works']}",
                f"{imported['seconds']:.0f}",
                f"{imported['works_per_second']:,.0f}",
                _mb(run["file_bytes"]),
            )
        )
    out += _table(
        [
            "works generated",
            "works imported",
            "nodes / edges",
            "researchers",
            "works per researcher: median / weighted median / max",
            "import s",
            "import works/s",
            "file (gzip)",
        ],
        rows,
    )
    out.append("")
    rows = []
    for run in scale["runs"]:
        for case in run["profile"]:
            rows.append(
                (
                    f"{run['size']:,}",
                    f"{case['who']} ({case['id']}, {run['works_of'][case['who']]} works)",
                    _fig(case["p50_ms"]),
                    _fig(case["p99_ms"]),
                    _fig(case.get("db_ms")),
                    _request_cpu(case),
                    ", ".join(str(n) for n in case.get("db_queries", [])),
                )
            )
    out += _table(
        [
            "works",
            "researcher",
            "profile p50 ms",
            "p99 ms",
            "server DB ms",
            "CPU ms per request: API server + Neo4j",
            "DB queries",
        ],
        rows,
    )
    out.append("")
    out += _query_parts(scale["runs"])
    rows = []
    for run in scale["runs"]:
        http = _case(run["explorer"], via="http")
        raw = _case(run["explorer"], via="raw")
        if http is None or raw is None:
            continue
        rows.append(
            (
                f"{run['size']:,}",
                f"{http['center']}",
                f"{http['nodes']} / {http['edges']} / {'yes' if http['truncated'] else 'no'}",
                _fig(raw["p50_ms"]),
                _fig(http["p50_ms"]),
                _x(_ratio(_median(http, "p50_ms"), _median(raw, "p50_ms"))),
            )
        )
    out += _table(
        [
            "works",
            "hub",
            "depth 2 / limit 500: nodes / edges / truncated",
            "raw p50 ms",
            "HTTP p50 ms",
            "HTTP / raw",
        ],
        rows,
    )
    out += ["", *_sizes(scale["runs"])]
    return [*out, ""]


def _query_parts(runs: Sequence[dict[str, Any]]) -> list[str]:
    """What each part of the profile query costs Neo4j, by researcher and graph size."""
    runs = [run for run in runs if "query_parts" in run]
    if not runs:
        return []
    out = [
        "The profile query part by part (`graphstore.engines.neo4j_store.profile_read_parts`: each "
        "part run alone through the driver, after the figures above): Neo4j's database hits "
        "(PROFILE; the same on every run) and Neo4j's own ms for the part (available "
        "after + consumed after, the mean of 30 runs).",
        "",
    ]
    for who in ("hub", "mid"):
        headers = ["part"] + [
            f"{run['size']:,} works: {who} ({run['works_of'][who]} works), db hits / ms"
            for run in runs
        ]
        names = list(runs[0]["query_parts"][who]["parts"])
        rows = [
            [name]
            + [
                f"{part['db_hits']:,} / {part['ms']:.1f}"
                for run in runs
                for part in [run["query_parts"][who]["parts"][name]]
            ]
            for name in names
        ]
        rows.append(
            ["all parts"]
            + [
                f"{sum(p['db_hits'] for p in parts.values()):,} / "
                f"{sum(p['ms'] for p in parts.values()):.1f}"
                for run in runs
                for parts in [run["query_parts"][who]["parts"]]
            ]
        )
        out += [*_table(headers, rows), ""]
    return out


def _request_cpu(case: dict[str, Any]) -> str:
    cpu = case.get("cpu_ms_per_call")
    if not cpu:
        return "n/a"
    server, neo4j = cpu["server"]["median"], cpu["neo4j"]["median"]
    return f"{server:.1f} + {neo4j:.1f} = {server + neo4j:.1f}"


def _sizes(runs: Sequence[dict[str, Any]]) -> list[str]:
    out = [
        "Store size on disk (Neo4j 5.26 community, record format; after a clean shutdown):",
        "",
    ]
    rows = []
    for run in runs:
        files = run["store_files"]
        imported = run["import"]
        nodes = sum(imported["nodes"].values())
        edges = sum(imported["edges"].values())
        store = sum(v for k, v in files.items() if k != "transaction logs")
        rows.append(
            (
                f"{run['size']:,}",
                _mb(files.get("nodes", 0)),
                _mb(files.get("relationships", 0)),
                _mb(files.get("properties (incl. strings, arrays)", 0)),
                _mb(files.get("indexes (schema/)", 0)),
                _mb(store),
                _mb(files.get("transaction logs", 0)),
                f"{files.get('nodes', 0) / max(nodes, 1):.0f}",
                f"{files.get('relationships', 0) / max(edges, 1):.0f}",
                f"{store / max(nodes + edges, 1):.0f}",
            )
        )
    out += _table(
        [
            "works",
            "node store",
            "relationship store",
            "property store",
            "indexes",
            "store total",
            "tx logs",
            "B/node (node store)",
            "B/edge (rel. store)",
            "B per (node+edge), all store files",
        ],
        rows,
    )
    return out


# ---------------------------------------------------------------------------------------------
# Where the time goes


def _where_time_goes(conference: dict[str, Any]) -> list[str]:
    prof = conference["pyinstrument"]
    out = [
        "## 4. Where the time goes (pyinstrument)",
        "",
        f"`researchgraph serve` (Neo4j, conference-graph) ran under `pyinstrument` while 16 "
        f"clients asked for the hub's profile for {prof['seconds']:.0f} s "
        f"({prof['requests']} requests, {prof['rate_under_profiler']:.1f}/s under the "
        f"profiler). The server process was busy for {prof['busy_seconds']:.1f} s of "
        f"{prof['total_seconds']:.1f} s sampled (the rest it waited on sockets: Neo4j and "
        "clients). Self time by layer, as a share of the busy time "
        "(`bench/results/profile-pyinstrument.json` holds the whole tree):",
        "",
    ]
    out += _table(
        ["layer", "self time s", "share of busy time"],
        ((r["layer"], f"{r['seconds']:.2f}", f"{r['share_of_busy']:.1%}") for r in prof["layers"]),
    )
    out += ["", "Top frames by self time:", ""]
    out += _table(
        ["function", "file", "layer", "self s", "share"],
        (
            (
                f"`{f['function']}`",
                f"`{f['file']}`",
                f["layer"],
                f"{f['seconds']:.2f}",
                f"{f['share_of_busy']:.1%}",
            )
            for f in prof["frames"]
        ),
    )
    return [*out, "", *_suggestions(conference), ""]


def _share(prof: dict[str, Any], *names: str) -> float:
    return float(sum(r["share_of_busy"] for r in prof["layers"] if r["layer"] in names))


def _suggestions(conference: dict[str, Any]) -> list[str]:
    prof = conference["pyinstrument"]
    graphql = _share(prof, "Strawberry", "graphql-core (under Strawberry)")
    driver = _share(prof, "Neo4j driver")
    loop = _share(prof, "asyncio event loop")
    ours = _share(
        prof, "our resolvers", "our schema types", "our store (graphstore)", "aiodataloader"
    )
    http = _share(
        prof,
        "uvicorn + h11/httptools",
        "Starlette",
        "our app (HTTP endpoint, limits, logging)",
        "logging",
        "json",
    )
    out = [
        "Measured split of the busy time: Neo4j driver (reading Bolt records into Python) "
        f"{driver:.0%}, asyncio event loop (scheduling callbacks and futures) {loop:.0%}, our "
        f"resolvers/schema/store/DataLoaders {ours:.0%}, Strawberry + graphql-core "
        f"{graphql:.0%}, HTTP serving, logging and JSON {http:.0%}; the rest is other "
        "standard library code.",
        "",
    ]
    cases = conference["profile"]["cases"]
    sides = tuple(SIDES)
    hub = {
        side: case["cpu_ms_per_call"]
        for side in sides
        if (case := _case(cases, who="hub", side=side, concurrency=16))
        and case.get("cpu_ms_per_call")
    }
    if len(hub) == len(sides) and all("neo4j" in cpu for cpu in hub.values()):

        def ms(side: str, role: str) -> float:
            value: float = hub[side][role]["median"]
            return value

        out += [
            "What it says, with the CPU table of section 1 (hub, c=16, ms per request): a "
            "profile is one Neo4j query, as the floor's is. Our store call alone costs Neo4j "
            f"{ms('ours_store', 'neo4j'):.1f} ms and its caller "
            f"{ms('ours_store', 'load client'):.1f} ms, the floor "
            f"{ms('floor', 'neo4j'):.1f} ms and {ms('floor', 'load client'):.1f} ms. Over "
            f"HTTP our server adds {ms('ours', 'server'):.1f} ms of its own (GraphQL, HTTP, "
            f"the records), and Neo4j spends {ms('ours', 'neo4j'):.1f} ms per request on the "
            "same query, sharing the cores with the server. The peer's closest query, its "
            "figures from @cypher fields, costs its server "
            f"{ms('peer', 'server'):.1f} ms and Neo4j {ms('peer', 'neo4j'):.1f} ms; its "
            f"generated API alone (no figures) {ms('peer_generated', 'server'):.1f} ms and "
            f"{ms('peer_generated', 'neo4j'):.1f} ms: the walk over the hub's 2,147 "
            "co-authorships is most of Neo4j's share. On the common subset, where both ask the "
            "same, our server "
            f"spends {ms('ours_subset', 'server'):.1f} ms to the peer's "
            f"{ms('peer_subset', 'server'):.1f} ms and Neo4j {ms('ours_subset', 'neo4j'):.1f} "
            f"ms to {ms('peer_subset', 'neo4j'):.1f} ms. Next steps, in order of payoff:",
            "",
        ]
    return [
        *out,
        "1. **Stored profile figures.** The co-authorship walk is the largest single "
        "cost in Neo4j and grows with the researcher (why the biggest hub of the 1M-works "
        "graph, with more works, is slower than the 10k graph's). Weighted "
        "`COLLABORATES_WITH` edges (design.md weighs them) were measured on the "
        "100,000-work graph: 1.9M edges written in 34 s (the graph's import took 79 s), "
        "15% off the hub's summary (bench/README.md). A profile independent of the "
        "researcher's size needs every figure stored per researcher and rewritten with each "
        "change to its works; the price is import time, already the slowest part, and the "
        "floor would read the same stored figures.",
        "2. **Fewer fields through graphql-core.** Plain fields skip graphql-core's per-field "
        "work (`schema/execution.py`): leaves are read and coerced directly, an object whose "
        "whole selection is plain is completed from a plan compiled once per request, and a "
        "page's works hold their authors (prefetched), so the works connection is one such "
        "pass. The researcher's own fields (stats, trust, topics, collaborators, works) still "
        "run resolvers through graphql-core; a compiled executor for persisted queries would "
        "remove that.",
        "3. **More server processes.** The API is stateless: with more cores, uvicorn "
        "workers (or replicas, docs/scaling.md) divide the server's share; on these 2 cores "
        "it competes with Neo4j and the load client.",
        "",
        "What is left of the server's share is spread thin: py-spy on the server under the "
        'same load (bench/README.md, "Where the server\'s CPU goes") finds no frame above '
        "10% of its own; the largest are decoding the Bolt result (the page's authors as "
        "maps) and building the frozen records, then many of 1-2% each.",
    ]


# OpenAlex at the scale docs/scaling.md plans for: works, researchers and authorships as the
# issue states them; the other edge counts scale with works as in the largest generated graph.
OPENALEX_WORKS = 250_000_000
OPENALEX_RESEARCHERS = 110_000_000
OPENALEX_AUTHORSHIPS = 1_000_000_000


def _projection(scale: dict[str, Any]) -> list[str]:
    run = max(scale["runs"], key=lambda r: r["import"]["works"])
    imported, files = run["import"], run["store_files"]
    nodes, edges = imported["nodes"], imported["edges"]
    works = imported["works"]
    n_nodes, n_edges = sum(nodes.values()), sum(edges.values())
    per_node = files.get("nodes", 0) / n_nodes
    per_edge = files.get("relationships", 0) / n_edges
    other = sum(
        v for k, v in files.items() if k not in ("nodes", "relationships", "transaction logs")
    )
    per_work_other = other / works
    factor = OPENALEX_WORKS / works
    counts_nodes = {
        "Work": OPENALEX_WORKS,
        "Researcher": OPENALEX_RESEARCHERS,
        # The topic hierarchy is fixed (OpenAlex has ~4,500 topics); the rest scales.
        **{
            k: v if k == "Topic" else int(v * factor)
            for k, v in nodes.items()
            if k not in ("Work", "Researcher")
        },
    }
    counts_edges = {
        "AUTHORED": OPENALEX_AUTHORSHIPS,
        **{
            k: v if k == "PART_OF" else int(v * factor) for k, v in edges.items() if k != "AUTHORED"
        },
    }
    total_nodes, total_edges = sum(counts_nodes.values()), sum(counts_edges.values())
    node_store = total_nodes * per_node
    rel_store = total_edges * per_edge
    other_store = OPENALEX_WORKS * per_work_other
    total = node_store + rel_store + other_store
    out = [
        "## 5. Sizing projection to OpenAlex scale (projected from the measured store)",
        "",
        f"Measured on the {works:,}-work generated graph ({n_nodes:,} nodes, {n_edges:,} "
        f"edges): node store {per_node:.1f} B/node, relationship store {per_edge:.1f} B/edge, "
        f"properties + strings + indexes {per_work_other:,.0f} B per work (titles, abstracts "
        "and ids dominate). Projected counts: works, researchers and authorships as "
        "docs/scaling.md states them; the other node and edge kinds scaled by works as in the "
        "generated graph (an assumption, labelled here).",
        "",
    ]
    out += _table(
        ["", "count (projected)", "bytes each (measured)", "size (projected)"],
        [
            ("nodes", f"{total_nodes:,}", f"{per_node:.1f}", f"{node_store / 1e9:,.0f} GB"),
            ("edges", f"{total_edges:,}", f"{per_edge:.1f}", f"{rel_store / 1e9:,.0f} GB"),
            (
                "properties, strings, indexes",
                f"{OPENALEX_WORKS:,} works",
                f"{per_work_other:,.0f}",
                f"{other_store / 1e9:,.0f} GB",
            ),
            ("store total", "", "", f"**{total / 1e9:,.0f} GB**"),
        ],
    )
    out += ["", "Edge counts behind it:", ""]
    out += _table(["edge", "count (projected)"], [(k, f"{v:,}") for k, v in counts_edges.items()])
    return [*out, ""]


# ---------------------------------------------------------------------------------------------
# The embedded engine against its floor

LADYBUG_SIDES = {
    "ours": "Research Graph over HTTP",
    "floor": "the floor",
}


def _ladybug_case_label(ladybug: dict[str, Any], case: str) -> str:
    kind, who = case.split(" ", 1)
    if kind == "profile":
        rid = ladybug["profiles"][who]
        works = ladybug["checks"]["profile"].get(who, {}).get("works")
        return f"ProfilePage, {who} ({rid}, {works} works)"
    explore = ladybug["explore"]
    return f"explore({who} {explore['center']}, depth {explore['depth']}, limit {explore['limit']})"


def _ladybug_rows(
    ladybug: dict[str, Any],
) -> list[tuple[str, dict[str, Any] | None, dict[str, Any] | None]]:
    """Each case with our side's figures and the floor's."""
    cases = ladybug["cases"]
    names = list(dict.fromkeys(c["case"] for c in cases))
    return [
        (name, _case(cases, case=name, side="ours"), _case(cases, case=name, side="floor"))
        for name in names
    ]


def _cpu(case: dict[str, Any] | None) -> str:
    if not case or not case.get("cpu_ms_per_call"):
        return "n/a"
    return f"{sum(f['median'] for f in case['cpu_ms_per_call'].values()):.1f}"


def _ladybug_section(ladybug: dict[str, Any]) -> list[str]:
    goal = ladybug.get("goal", 3.0)
    out = [
        "## 6. The embedded engine (LadybugDB): our server against the floor",
        "",
        _run_line(ladybug),
        "",
        "This section alone: `.venv/bin/python bench/run.py --only ladybug` (`--quick` for "
        "shorter repetitions).",
        "",
    ]
    imported = ladybug["import"]
    note = (
        f"conference-graph imported into LadybugDB by our importer: {imported['works']:,} works "
        f"in {imported['seconds']:.0f} s ({imported['works_per_second']:,.0f} works/s)"
    )
    if imported["partial"]:
        note += (
            "; **the import hit its time budget, so LadybugDB holds a subset** (the first "
            f"{imported['works']:,} works of the file; the hub has {ladybug['hub_works']} works "
            "there)"
        )
    out += [
        note + ".",
        "",
        "Ours: `researchgraph serve --store embedded` under uvicorn, asked "
        "`web/queries/profile.graphql` and `web/queries/explorer.graphql` over HTTP. The floor "
        "(`bench/ladybug_floor.py`): the same data from a copy of the same database file, by "
        "hand-written queries through `ladybug` in the benchmark process, each anchored on one "
        "id, one after another on one connection, with what is cheap in Python (ranking, "
        "trust, the subgraph's levels) done there; the profile's floor reads the researcher's "
        "stored figures, as the server does (`bench/extremes.py` StoredFiguresFloor: the node, "
        "the names its lists name, the works page). The explorer's floor walks the "
        "institutions the authorships list too (from the centre and from its works), as the "
        "server does. One client, sequential requests, the sides' runs in turn after a "
        "warm-up of each; CPU is the milliseconds per call of every process involved (for "
        "the floor, the benchmark's own, which runs the engine).",
        "",
    ]
    rows = []
    for case, ours, floor in _ladybug_rows(ladybug):
        ratio = _ratio(_median(ours, "p50_ms"), _median(floor, "p50_ms"))
        rows.append(
            (
                _ladybug_case_label(ladybug, case),
                _fig(ours["p50_ms"] if ours else None),
                _fig(floor["p50_ms"] if floor else None, 2),
                _x(ratio),
                f"<= {goal:g}x",
                "yes" if ratio is not None and ratio <= goal else "**no**",
                f"{_cpu(ours)} / {_cpu(floor)}",
            )
        )
    out += _table(
        [
            "case",
            "ours p50 ms",
            "floor p50 ms",
            "ours / floor",
            "goal",
            "met?",
            "CPU ms per call: ours / floor",
        ],
        rows,
    )
    out += ["", *_ladybug_checks(ladybug), ""]
    return out


def _ladybug_checks(ladybug: dict[str, Any]) -> list[str]:
    checks = ladybug["checks"]
    lines = []
    for who, found in checks["profile"].items():
        if found["same"]:
            lines.append(
                f"- ProfilePage, {who}: the floor's answer equals the server's, field by field."
            )
        else:
            lines.append(
                f"- ProfilePage, {who}: **the floor and the server differ** in "
                f"{', '.join(found['differences'])} (see results.json; either side may be wrong)."
            )
    compared = checks["explore"].get("floor")
    if compared:
        ours_nodes, floor_nodes = compared["nodes"]
        ours_edges, floor_edges = compared["edges"]
        verdict = (
            "the same subgraph (nodes, edges, hops and weights)"
            if compared["same"]
            else f"**different**: {compared['nodes_only_floor'][0]} nodes and "
            f"{compared['edges_only_floor'][0]} edges only the floor's, "
            f"{compared['nodes_only_ours'][0]} and {compared['edges_only_ours'][0]} only ours"
        )
        lines.append(
            f"- explore, {LADYBUG_SIDES['floor']}: ours {ours_nodes:,} nodes / {ours_edges:,} "
            f"edges, the floor {floor_nodes:,} / {floor_edges:,}: {verdict}."
        )
    plans = ladybug.get("plans", [])
    anchored = sum(1 for p in plans if p["anchored"])
    lines.append(
        f"- The floor's query plans (EXPLAIN): {anchored} of {len(plans)} queries look their "
        "ids up by index (a hash-index scan on the anchor or primary-key look-ups) and scan "
        "no node table except through a semi-join mask."
    )
    lines += [
        f"  - **not anchored**: `{p['query']}` (scans {', '.join(p['full_scans']) or 'none'})"
        for p in plans
        if not p["anchored"]
    ]
    return lines


def _search_section(search: dict[str, Any]) -> list[str]:
    """Section 7: search quality and latency per engine (bench/search_bench.py)."""
    out = [
        "## 7. Search: ranking quality and latency against the bare full-text query",
        "",
        *[
            f"Run of {engine['engine']}: at {engine['when']}, code at {engine['code']}, 1-min "
            f"load average {engine['loadavg'][0]:.1f} at start, {engine['loadavg'][1]:.1f} at "
            "end."
            for engine in search["engines"]
        ],
        "",
        f"Command: `{search['command']}` (imports conference-graph into each engine first "
        "unless `--keep DIR` holds the stores of an earlier run). Queries "
        f"(`bench/search_bench.py`, seed {search['seed']}): {search['titles']} work titles and "
        f"{search['names']} researcher names sampled from the data, each searched as typed "
        "(every kind, first 10), plus the "
        "hard cases of issue 25. A title or name query succeeds at rank 1 when the first "
        "result has exactly that (normalised) title or name; *strict* counts only the sampled "
        "node itself (OpenAlex holds many researchers of one name, and duplicate titles). MRR "
        "over the first 10. Latency: per query the median of "
        f"{search['repeat']} runs of our `store.search` and of the engine's bare full-text "
        "query for the same words (any word, first 10 by the engine's relevance), alternated "
        "in the same run; then p50 and p90 over the queries, and each query's own ratio "
        "(issue 25's goal: every query within 3x of its bare query).",
        "",
    ]
    rows = []
    for engine in search["engines"]:
        for group, figures in engine["quality"].items():
            rows.append(
                [
                    engine["engine"],
                    group,
                    figures["queries"],
                    f"{figures['success_at_1']:.1%}",
                    f"{figures['mrr']:.3f}",
                    "n/a"
                    if figures["strict_success_at_1"] is None
                    else f"{figures['strict_success_at_1']:.1%}",
                ]
            )
    out += _table(["engine", "queries", "n", "success@1", "MRR", "strict success@1"], rows)
    out += [""]
    rows = []
    for engine in search["engines"]:
        latency = engine["latency"]
        rows.append(
            [
                engine["engine"],
                f"{latency['ours_p50_ms']:.1f}",
                f"{latency['ours_p90_ms']:.1f}",
                f"{latency['bare_p50_ms']:.1f}",
                f"{latency['bare_p90_ms']:.1f}",
                f"{latency['ratio_of_totals']:.2f}x",
                *_worst_ratio(latency),
            ]
        )
    out += _table(
        [
            "engine",
            "search p50 ms",
            "search p90 ms",
            "bare p50 ms",
            "bare p90 ms",
            "search / bare (sum over queries)",
            "worst query's search / bare",
            "queries over 3x",
        ],
        rows,
    )
    out += ["", "Hard cases and misses (rank of the first right answer in the first 10):", ""]
    for engine in search["engines"]:
        out += [f"- {engine['engine']}: " + "; ".join(engine["notes"]) if engine["notes"] else ""]
    out += ["", "The queries with the highest search / bare ratio:", ""]
    for engine in search["engines"]:
        worst = engine["latency"].get("worst_ratios", [])
        out += [
            f"- {engine['engine']}: "
            + "; ".join(
                f"{w['query']!r} {w['ratio']:.2f}x ({w['ours_ms']:.1f} ms, bare "
                f"{w['bare_ms']:.1f} ms)"
                for w in worst
            )
            if worst
            else f"- {engine['engine']}: not measured in this run"
        ]
    return [*out, ""]


def _worst_ratio(latency: dict[str, Any]) -> list[str]:
    """The worst query's own ratio and how many queries exceed the goal (runs before
    bench/search_bench.py recorded them have neither)."""
    worst = latency.get("worst_ratios")
    if not worst:
        return ["n/a", "n/a"]
    return [f"{worst[0]['ratio']:.2f}x", str(latency["over_goal"])]


def _import_run_line(engine: str, run: dict[str, Any]) -> str:
    """The run an engine's import figures come from: its own (bench/import_bench.py --write)
    or the phase's (bench/run.py --only import, whose code is where it started and ended)."""
    code = run["code"][0] if isinstance(run["code"], list) else run["code"]
    return (
        f"Run of {engine}: `{run['command']}` at {run['when']} (code at {code}; 1-min "
        f"load average {run['loadavg'][0]:.1f} at start, {run['loadavg'][1]:.1f} at end)."
    )


def _import_section(imported: dict[str, Any]) -> list[str]:
    """The importer on each engine against decoding the file (bench/import_bench.py)."""
    out = [
        "## 9. Import: conference-graph into each engine, against decoding the file",
        "",
        *[
            _import_run_line(r["engine"], r if "command" in r else imported)
            for r in imported["engines"]
        ],
        "",
        "Each engine in a child process of its own: the file read and decoded alone "
        "(gunzip and JSON, as the importer reads it), then imported into an empty store with "
        "the default batch sizes. Neo4j's figure is its second import on the same server (the "
        "first, on a fresh JVM, is the cold one). Peak RSS is the importing process's. The "
        "decode column, the same work in every run, shows how busy the shared machine was "
        "during each.",
        "",
        "| engine | works | seconds | of which figures s | works/s | decode alone s "
        "| import / decode | peak RSS | importer CPU s | Neo4j CPU s | re-import |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in imported["engines"]:
        neo4j_cpu = r.get("neo4j_cpu_seconds")
        reimport = "n/a"
        if "reimport_seconds" in r:
            unchanged = "graph unchanged" if r["reimport_unchanged"] else "**graph changed**"
            reimport = f"{r['reimport_seconds']:.1f} s, {unchanged}"
        figures = "-"
        if "figures_seconds" in r:
            figures = f"{r['figures_seconds']:.1f} ({r['figures']:,} researchers)"
        out.append(
            f"| {r['engine']} | {r['works']:,} | {r['seconds']:.1f} | {figures} | "
            f"{r['works'] / r['seconds']:,.0f} | {r['decode_seconds']:.1f} | "
            f"{r['seconds'] / r['decode_seconds']:.1f}x | {r['rss_mb']:,.0f} MB | "
            f"{r['importer_cpu_seconds']:.1f} | "
            f"{'n/a' if neo4j_cpu is None else f'{neo4j_cpu:.1f}'} | {reimport} |"
        )
    out.append("")
    return out
