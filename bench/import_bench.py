"""Import benchmark: conference-graph into each engine, beside a naive one-write-per-record import.

    .venv/bin/python bench/import_bench.py [--engines embedded,neo4j] [--data FILE]
        [--sample 1000] [--batch-size N] [--no-search-index] [--reimport] [--neo4j-heap 4g]
    .venv/bin/python bench/run.py --only import     (both engines, into BENCHMARKS.md)

Each engine's import runs in a child process of its own, so its peak RSS is its own: the
batched import of the whole file into an empty store (on disk for LadybugDB; Neo4j from
NEO4J_URI, or a local server this script starts with ``--neo4j-heap``), then the naive
baseline in the same child. Neo4j imports the file twice, clearing it between: the first
run (on a fresh JVM when this script started the server) is reported apart as "cold"; the
table's figures are the second's.
The naive baseline is the first ``--sample`` records, one record per transaction (batch
size 1), into an empty store.
``--reimport`` times a second import of the file and checks that it changes nothing.
``--write`` merges the figures into bench/results/results.json and re-renders BENCHMARKS.md
(section 9). *of which figures s* is the refresh of the researchers' stored figures that ends
the import (ImportReport.figures_seconds).
``--no-search-index`` leaves the search index out (LadybugDB: its SQLite index is not written;
Neo4j: the full-text index is dropped), to see what the graph write alone costs.

*decode s* is reading the file alone (gunzip and JSON decoding, as the importer reads it),
timed in the same child just before its import; *import / decode* is the import's time over
it. Peak RSS is the child's (ru_maxrss) after its batched import.
The CPU columns are the importer process's CPU seconds and, when this script started Neo4j,
the Neo4j server's, over the batched import: with 2 cores, their sum against the wall time
says whether the import is bound by CPU, and which side spends it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import gzip
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import report  # noqa: E402
from harness import cpu_seconds, free_port  # noqa: E402
from inputs import FULL_CONFERENCE_GRAPH, conference_graph  # noqa: E402

from graphstore.engines.embedded_store import EmbeddedStore  # noqa: E402
from graphstore.engines.neo4j_store import Neo4jStore  # noqa: E402
from graphstore.engines.text_search import NEO4J_FULLTEXT_INDEX  # noqa: E402
from graphstore.ingest.importer import import_openalex, read_records  # noqa: E402
from graphstore.protocol import GraphStore  # noqa: E402
from researchgraph import neo4j_server  # noqa: E402

EXPECTED = {"Work": 104_368, "Researcher": 114_155, "AUTHORED": 477_787}


async def _no_index(documents: Any) -> None:
    """Stands in for the embedded search index update, to see what the graph write alone
    costs."""


def _no_search_properties(documents: Any) -> list[Any]:
    """Stands in for Neo4j's search properties, to see what the graph write alone costs."""
    return []


async def _open(engine: str, folder: Path, name: str, search_index: bool) -> GraphStore:
    store: EmbeddedStore | Neo4jStore
    if engine == "embedded":
        store = EmbeddedStore(folder / f"{name}.lbdb")
    else:
        store = Neo4jStore(os.environ["NEO4J_URI"])
        await store.apply_schema()
        await store.clear()
    await store.apply_schema()
    if not search_index:
        if isinstance(store, Neo4jStore):
            store._search_statements = _no_search_properties  # type: ignore[method-assign]
            await store._write([(f"DROP INDEX {NEO4J_FULLTEXT_INDEX} IF EXISTS", {})])
        else:
            store._index_documents = _no_index  # type: ignore[method-assign]
    return store


async def _timed_import(store: GraphStore, args: argparse.Namespace) -> dict[str, Any]:
    """Import the file into ``store``: seconds, CPU seconds on each side, what was written."""
    neo4j_cpu = cpu_seconds(args.neo4j_pid) if args.neo4j_pid else None
    own_cpu = time.process_time()
    started = time.perf_counter()
    report = await import_openalex(store, [args.data], batch_size=args.batch_size)
    timed: dict[str, Any] = {
        "seconds": time.perf_counter() - started,
        "importer_cpu_seconds": time.process_time() - own_cpu,
        "works": report.written.works,
        "authorships": report.written.authorships,
        # Of the seconds, the refresh of the researchers' stored figures that ends the import.
        "figures_seconds": report.figures_seconds,
        "figures": report.figures,
    }
    if neo4j_cpu is not None:
        timed["neo4j_cpu_seconds"] = cpu_seconds(args.neo4j_pid) - neo4j_cpu
    return timed


def _decode_seconds(path: Path) -> float:
    """Reading and decoding the file alone (gunzip and JSON, as the importer reads it): what
    an import is measured against, in the same process and minutes as the import."""
    started = time.perf_counter()
    for _ in read_records(path):
        pass
    return time.perf_counter() - started


async def _measure(args: argparse.Namespace) -> dict[str, Any]:
    """One engine, in this (child) process: decode alone, batched import, re-import, naive
    baseline."""
    result: dict[str, Any] = {"engine": args.child, "decode_seconds": _decode_seconds(args.data)}
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        folder = Path(tmp)
        store = await _open(args.child, folder, "bulk", not args.no_search_index)
        if args.child == "neo4j":
            # A fresh JVM spends the first import compiling Neo4j's own code (its JIT took
            # more CPU than the Bolt worker): that run is reported apart, as "cold", and the
            # figures are those of a server that has run before, as a deployed one has.
            cold = await _timed_import(store, args)
            result["cold_seconds"] = cold["seconds"]
            result["cold_neo4j_cpu_seconds"] = cold.get("neo4j_cpu_seconds")
            await store.clear()
        result.update(await _timed_import(store, args))
        counts = await store.counts()
        result["counts"] = {
            "Work": counts.nodes["Work"],
            "Researcher": counts.nodes["Researcher"],
            "AUTHORED": counts.edges["AUTHORED"],
        }
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if args.reimport:
            started = time.perf_counter()
            await import_openalex(store, [args.data], batch_size=args.batch_size)
            result["reimport_seconds"] = time.perf_counter() - started
            result["reimport_unchanged"] = await store.counts() == counts
        await store.close()

        sample = folder / "sample.jsonl"
        opener = gzip.open if args.data.suffix == ".gz" else open
        with opener(args.data, "rb") as source:
            sample.write_bytes(b"".join(itertools.islice(source, args.sample)))
        naive = await _open(args.child, folder, "naive", not args.no_search_index)
        started = time.perf_counter()
        naive_report = await import_openalex(naive, [sample], batch_size=1)
        result["naive_seconds"] = time.perf_counter() - started
        result["naive_works"] = naive_report.written.works
        await naive.close()
    return result


def _run_child(
    engine: str, args: argparse.Namespace, env: dict[str, str], neo4j_pid: int | None
) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--child",
        engine,
        "--data",
        str(args.data),
        "--sample",
        str(args.sample),
    ]
    if args.batch_size:
        command += ["--batch-size", str(args.batch_size)]
    if args.no_search_index:
        command.append("--no-search-index")
    if args.reimport:
        command.append("--reimport")
    if engine == "neo4j" and neo4j_pid is not None:
        command += ["--neo4j-pid", str(neo4j_pid)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{engine} benchmark failed:\n{done.stderr}")
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


def _seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _print(results: list[dict[str, Any]], full: bool) -> None:
    print(
        "| engine | works | seconds | of which figures s | works/s | decode s | import / decode "
        "| authorships/s | peak RSS | naive works/s (sample) | speed-up | importer CPU s "
        "| Neo4j CPU s |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        rate = r["works"] / r["seconds"]
        naive_rate = r["naive_works"] / r["naive_seconds"]
        print(
            f"| {r['engine']} | {r['works']:,} | {r['seconds']:.1f} | "
            f"{r['figures_seconds']:.1f} | {rate:,.0f} | "
            f"{r['decode_seconds']:.1f} | {r['seconds'] / r['decode_seconds']:.1f}x | "
            f"{r['authorships'] / r['seconds']:,.0f} | {r['rss_mb']:,.0f} MB | "
            f"{naive_rate:,.0f} ({r['naive_works']:,}) | {rate / naive_rate:.1f}x | "
            f"{r['importer_cpu_seconds']:.1f} | {_seconds(r.get('neo4j_cpu_seconds'))} |"
        )
    for r in results:
        line = f"{r['engine']}: graph {r['counts']}"
        if full:
            line += " (as expected)" if r["counts"] == EXPECTED else " (NOT AS EXPECTED)"
        if "cold_seconds" in r:
            line += (
                f"; first (cold) import {r['cold_seconds']:.1f} s "
                f"({r['works'] / r['cold_seconds']:,.0f} works/s, "
                f"Neo4j CPU {_seconds(r['cold_neo4j_cpu_seconds'])} s)"
            )
        if "reimport_seconds" in r:
            unchanged = "unchanged" if r["reimport_unchanged"] else "CHANGED"
            line += f"; re-import {r['reimport_seconds']:.1f} s, graph {unchanged}"
        print(line)


def _write(results: list[dict[str, Any]], when: str, loadavg: list[float]) -> None:
    """Merge the run's figures, by engine, into results.json ("import") and re-render
    BENCHMARKS.md."""
    code = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    path = ROOT / "bench" / "results" / "results.json"
    stored = json.loads(path.read_text())
    run = {
        "command": " ".join([".venv/bin/python", "bench/import_bench.py", *sys.argv[1:]]),
        "when": when,
        "code": code,
        "loadavg": loadavg,
    }
    # By engine: a run of one engine keeps the other's figures.
    engines = {r["engine"]: r for r in stored.get("import", {}).get("engines", [])}
    engines |= {r["engine"]: r | run for r in results}
    stored["import"] = {"engines": [engines[e] for e in ("embedded", "neo4j") if e in engines]}
    path.write_text(json.dumps(stored, indent=1))
    (ROOT / "BENCHMARKS.md").write_text(report.render(stored))


def run_engines(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Each engine's figures (``args.engines``, comma-separated), each in a child process;
    Neo4j on NEO4J_URI, or on a local server started here and stopped after."""
    results = []
    server_dir: Path | None = None
    neo4j_pid: int | None = None
    env = dict(os.environ)
    try:
        for engine in [e for e in args.engines.split(",") if e]:
            if engine == "neo4j" and "NEO4J_URI" not in env:
                server_dir = Path(tempfile.mkdtemp(prefix="import-bench-neo4j-"))
                env["NEO4J_URI"] = neo4j_server.start(server_dir, free_port(), heap=args.neo4j_heap)
                neo4j_pid = neo4j_server.status(server_dir).pid
            results.append(_run_child(engine, args, env, neo4j_pid))
    finally:
        if server_dir is not None:
            neo4j_server.stop(server_dir)
    return results


def parser() -> argparse.ArgumentParser:
    """The benchmark's options (bench/run.py's import phase takes their defaults)."""
    found = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    found.add_argument("--engines", default="embedded,neo4j")
    found.add_argument("--data", type=Path, help="works file (default: bench/datasets.py)")
    found.add_argument("--sample", type=int, default=1000, help="records in the naive run")
    found.add_argument("--batch-size", type=int, help="default: the importer's per engine")
    found.add_argument("--no-search-index", action="store_true")
    found.add_argument("--reimport", action="store_true")
    found.add_argument(
        "--neo4j-heap", default="4g", help="JVM heap of the Neo4j server this script starts"
    )
    found.add_argument("--write", action="store_true", help="merge into results.json, render")
    found.add_argument("--child", help=argparse.SUPPRESS)
    found.add_argument("--neo4j-pid", type=int, help=argparse.SUPPRESS)
    return found


def main() -> None:
    """Run the benchmark for each engine and print the table."""
    args = parser().parse_args()
    args.data = conference_graph(args.data)
    if args.child:
        print(json.dumps(asyncio.run(_measure(args))))
        return
    load_before = os.getloadavg()[0]
    when = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    results = run_engines(args)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"load average (1 min) at the start {load_before:.2f}, at the end {os.getloadavg()[0]:.2f}"
    )
    _print(results, full=args.data == FULL_CONFERENCE_GRAPH)
    if args.write:
        _write(results, when, [load_before, os.getloadavg()[0]])


if __name__ == "__main__":
    main()
