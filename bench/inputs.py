"""Where the benchmarks find their data: a path given on the command line or in
``RESEARCHGRAPH_CONFERENCE_GRAPH``; else the full conference-graph beside the repository when
that workplace folder is there; else the slice the tests carry (4,000 works and the hub's 356),
so a benchmark runs on a fresh clone. The scale phase generates its graphs."""

from __future__ import annotations

import logging
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "web" / "queries"
FULL_CONFERENCE_GRAPH = ROOT.parent / "shared" / "data" / "conference-graph" / "works.jsonl.gz"
CONFERENCE_SLICE = ROOT / "tests" / "data" / "conference-graph" / "works.jsonl.gz"
CONFERENCE_ENV = "RESEARCHGRAPH_CONFERENCE_GRAPH"

log = logging.getLogger("bench")


def conference_graph(given: Path | None = None) -> Path:
    """The conference-graph works file to benchmark on (see the module's docstring)."""
    named = given or (Path(os.environ[CONFERENCE_ENV]) if os.environ.get(CONFERENCE_ENV) else None)
    if named is not None:
        if not named.is_file():
            raise SystemExit(f"no conference-graph works file at {named}")
        return named
    if FULL_CONFERENCE_GRAPH.is_file():
        return FULL_CONFERENCE_GRAPH
    log.warning(
        "conference-graph not found (give --conference PATH or %s): using the tests' slice, "
        "%s; figures on it are not comparable with BENCHMARKS.md",
        CONFERENCE_ENV,
        CONFERENCE_SLICE.relative_to(ROOT),
    )
    return CONFERENCE_SLICE
