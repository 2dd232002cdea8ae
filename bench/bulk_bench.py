"""Bulk-load benchmark: conference-graph into an empty Neo4j with ``researchgraph.bulk_load``.

    .venv/bin/python bench/bulk_bench.py [--data FILE] [--workers N]
    .venv/bin/python bench/run.py --only bulk        (the same, into BENCHMARKS.md)

Times each phase of the load (read and map; lay out and write the CSV files; neo4j-admin
import; start Neo4j; schema and indexes; empty lists; Author records) with the CPU seconds
spent in it by this process, its finished children (the mapping workers, neo4j-admin) and
the Neo4j server: on a shared 2-core machine the wall time says how long it took, the CPU
seconds what it costs, which a busy machine does not inflate. Then checks the graph's
counts against conference-graph's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import cpu_seconds, free_port  # noqa: E402
from inputs import conference_graph  # noqa: E402

from graphstore.engines.neo4j_store import Neo4jStore  # noqa: E402
from researchgraph import neo4j_server  # noqa: E402
from researchgraph.bulk_load import bulk_load  # noqa: E402

EXPECTED = {"Work": 104_368, "Researcher": 114_155, "AUTHORED": 477_787}
# The load's last phase (neo4j_bulk.after_bulk_load).
FIGURES_PHASE = "researchers' figures"


def _cpu(data_dir: Path) -> float:
    """CPU seconds so far of this process, its finished children and the Neo4j server."""
    times = os.times()
    own = times.user + times.system + times.children_user + times.children_system
    server = neo4j_server.status(data_dir).pid
    return own + (cpu_seconds(server) if server is not None else 0.0)


async def measure(data: Path, workers: int | None = None) -> dict[str, Any]:
    """Bulk-load ``data`` into a new local Neo4j; the phases' wall and CPU seconds."""
    with tempfile.TemporaryDirectory(prefix="bulk-bench-") as folder:
        data_dir = Path(folder)
        marks: list[tuple[str, float]] = []

        def phase_done(name: str) -> None:
            marks.append((name, _cpu(data_dir)))

        started_cpu = _cpu(data_dir)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        try:
            result = await bulk_load(
                [data],
                data_dir,
                port=free_port(),
                workers=workers,
                max_errors=0,
                heap="2g",
                pagecache="1g",
                phase_done=phase_done,
            )
            wall = time.perf_counter() - started
            assert result.uri is not None
            store = Neo4jStore(result.uri)
            try:
                counts = await store.counts()
            finally:
                await store.close()
        finally:
            neo4j_server.stop(data_dir)
    works = result.report.written.works
    cpu_before = started_cpu
    phases: dict[str, dict[str, float]] = {}
    for name, cpu in marks:
        phases[name] = {"seconds": result.phases[name], "cpu_seconds": cpu - cpu_before}
        cpu_before = cpu
    found = {**counts.nodes, **counts.edges}
    return {
        "data": str(data),
        "works": works,
        "researchers": counts.nodes.get("Researcher", 0),
        "edges": sum(counts.edges.values()),
        "seconds": wall,
        "works_per_second": works / wall,
        "phases": phases,
        "counts_ok": all(found.get(k) == v for k, v in EXPECTED.items())
        if works == EXPECTED["Work"]
        else None,
        "loadavg": [load_before, os.getloadavg()[0]],
        "cores": os.cpu_count(),
        # This process holds the whole input's rows (ru_maxrss is in KiB on Linux).
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def section(bulk: dict[str, Any]) -> list[str]:
    """BENCHMARKS.md's section of a bulk-load run."""
    lines = [
        "## 10. Bulk first load into Neo4j",
        "",
        f"`{bulk.get('command', 'bench/bulk_bench.py')}` ({bulk.get('when', 'now')}; load average "
        f"{bulk['loadavg'][0]:.1f} before, {bulk['loadavg'][1]:.1f} after): "
        f"{bulk['works']:,} works in {bulk['seconds']:.1f} s, "
        f"**{bulk['works_per_second']:,.0f} works/s** end to end "
        f"(counts as expected: {bulk['counts_ok']}).",
        "",
        "| phase | seconds | CPU seconds | works/s of the phase |",
        "|---|---:|---:|---:|",
    ]
    for name, figures in bulk["phases"].items():
        seconds = figures["seconds"]
        rate = f"{bulk['works'] / seconds:,.0f}" if seconds >= 0.1 else "-"
        lines.append(f"| {name} | {seconds:.1f} | {figures['cpu_seconds']:.1f} | {rate} |")
    lines += ["", f"Peak RSS of the loading process: {bulk['peak_rss_mb']:,.0f} MB.", ""]
    if bulk.get("sizes"):
        lines += [
            "Generated graphs (`researchgraph generate --works N --seed 1`, as the scale "
            "phase's), each bulk-loaded alike into a new Neo4j, after conference-graph and "
            "in order of size (the peak RSS is the process's so far: a size's own where it "
            "grew):",
            "",
            "| works | researchers | edges | seconds | works/s | of which figures s "
            "| CPU s a work (figures apart) | CPU s a researcher (figures) "
            "| peak RSS so far |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for run in bulk["sizes"]:
            figures = run["phases"][FIGURES_PHASE]
            graph_cpu = sum(p["cpu_seconds"] for p in run["phases"].values())
            graph_cpu -= figures["cpu_seconds"]
            lines.append(
                f"| {run['works']:,} | {run['researchers']:,} | {run['edges']:,} | "
                f"{run['seconds']:.1f} | {run['works_per_second']:,.0f} | "
                f"{figures['seconds']:.1f} | {graph_cpu / run['works'] * 1000:.2f} ms | "
                f"{figures['cpu_seconds'] / run['researchers'] * 1000:.2f} ms | "
                f"{run['peak_rss_mb']:,.0f} MB |"
            )
        lines.append("")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="works file (default: bench/inputs.py)")
    parser.add_argument("--workers", type=int, help="mapping processes (default: cores)")
    args = parser.parse_args()
    found = asyncio.run(measure(conference_graph(args.data), args.workers))
    print(json.dumps(found, indent=1))
    print("\n".join(section(found)))


if __name__ == "__main__":
    main()
