"""Where the refresh of every researcher's stored figures spends its time, on LadybugDB.

    .venv/bin/python bench/figures_refresh.py [--data FILE] [--keep DIR]

Imports conference-graph into a new embedded store (or opens ``--keep``'s, importing into it
first when it has none), marks every researcher's figures stale and refreshes them as an
import's end does (``refresh_stale_figures``), timing each kind of step: the reads (the
compiled figure parts, run by LadybugDB's worker threads, rows built there), the writes (the
figures set from a CSV file and the followers counted, each chunk's commit with the
checkpoint LadybugDB makes when its write-ahead log has grown past the threshold), and the
rest, Python in the event loop (summaries and rows built from the reads). Then the same
refresh again with the automatic checkpoint off, and the close's checkpoint timed: what
leaving the checkpoints to one at the end would save.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inputs import conference_graph  # noqa: E402

from graphstore.engines.embedded_store import EmbeddedStore  # noqa: E402
from graphstore.ingest.importer import import_openalex  # noqa: E402

_MARK_ALL_STALE = "MATCH (r:Researcher) SET r.figWorks = NULL"


def _timed(seconds: dict[str, float], kind: str, call: Callable[..., Awaitable[Any]]) -> Any:
    async def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await call(*args, **kwargs)
        finally:
            seconds[kind] += time.perf_counter() - started

    return timed


async def refresh(store: EmbeddedStore) -> dict[str, float]:
    """Every researcher's figures marked stale and refreshed: seconds by kind of step."""
    await store._write([(_MARK_ALL_STALE, {})])
    seconds = {"reads": 0.0, "writes": 0.0}
    read_all, write = store._read_all, store._write
    store._read_all = _timed(seconds, "reads", read_all)  # type: ignore[method-assign]
    store._write = _timed(seconds, "writes", write)  # type: ignore[method-assign]
    started = time.perf_counter()
    try:
        researchers = await store.refresh_stale_figures()
    finally:
        store._read_all, store._write = read_all, write  # type: ignore[method-assign]
    total = time.perf_counter() - started
    return {
        "researchers": researchers,
        "seconds": total,
        **seconds,
        "python": total - seconds["reads"] - seconds["writes"],
    }


async def measure(data: Path, keep: Path | None) -> dict[str, Any]:
    """The two refreshes of conference-graph's figures and the close's checkpoint."""
    with tempfile.TemporaryDirectory(prefix="figures-refresh-") as scratch:
        path = (keep or Path(scratch)) / "figures.lbdb"
        store = EmbeddedStore(path)
        await store.apply_schema()
        if (await store.counts()).nodes.get("Work", 0) == 0:
            await import_openalex(store, [data])
        found: dict[str, Any] = {"with checkpoints": await refresh(store)}
        store._writer.execute("CALL auto_checkpoint=false")
        found["checkpoints off"] = await refresh(store)
        started = time.perf_counter()
        await store.close()
        found["close, with its checkpoint"] = time.perf_counter() - started
        found["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="works file (default: bench/inputs.py)")
    parser.add_argument("--keep", type=Path, help="folder of the store, kept between runs")
    args = parser.parse_args()
    print(f"$ {' '.join(['.venv/bin/python', *sys.argv])}; load average {os.getloadavg()[0]:.1f}")
    found = asyncio.run(measure(conference_graph(args.data), args.keep))
    for name, value in found.items():
        if isinstance(value, dict):
            parts = ", ".join(f"{k} {v:.1f} s" for k, v in value.items() if k != "researchers")
            print(f"{name}: {value['researchers']:,} researchers; {parts}")
        else:
            print(f"{name}: {value:.1f}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
