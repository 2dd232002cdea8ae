"""The bulk first load of a local Neo4j server: ``researchgraph import openalex --bulk``.

Four phases, each timed: read and map every record (``graphstore.ingest.bulk``, on every
core), lay the graph out and write it as CSV files (``graphstore.engines.neo4j_bulk``),
``neo4j-admin database import full`` into the stopped server's database
(``neo4j_server.import_full``), then start the server and finish the database
(``neo4j_bulk.after_bulk_load``: schema, indexes, Author records, researchers' figures).
Only an empty database is loaded: one holding any node is refused before anything is
written.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphstore.engines.neo4j_bulk import (
    ARRAY_DELIMITER,
    after_bulk_load,
    bulk_graph,
    write_import_files,
)
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.ingest.bulk import read_whole_input
from graphstore.ingest.importer import ImportReport, Progress
from researchgraph import neo4j_server

__all__ = ["BulkLoadError", "BulkLoadReport", "bulk_load"]


class BulkLoadError(Exception):
    """The bulk load cannot run: the message says why (nothing was written)."""


@dataclass(slots=True)
class BulkLoadReport:
    """What a bulk load did: the import's report, the server's URI, seconds by phase."""

    report: ImportReport
    uri: str | None = None
    phases: dict[str, float] = field(default_factory=dict)

    def summary_lines(self) -> list[str]:
        """The import's summary, then each phase's time and the works rate."""
        works = self.report.written.works
        total = sum(self.phases.values())
        lines = self.report.summary_lines()
        lines += [f"{name}: {s:.1f} s" for name, s in self.phases.items()]
        if total > 0:
            lines.append(f"bulk load: {works} works in {total:.1f} s, {works / total:,.0f} works/s")
        if self.uri is not None:
            lines.append(f"Neo4j serves the graph at {self.uri}")
        return lines


async def bulk_load(
    paths: Sequence[Path],
    data_dir: Path,
    *,
    port: int = 7687,
    workers: int | None = None,
    max_errors: int,
    heap: str = "1g",
    pagecache: str = "512m",
    progress: Progress | None = None,
    output: Callable[[str], None] | None = None,
    report_problem: Callable[[str], None] | None = None,
    phase_done: Callable[[str], None] | None = None,
) -> BulkLoadReport:
    """Load ``paths`` into the empty database of ``data_dir``'s local Neo4j server and leave
    the server running (on the port it had, else ``port``). Raises BulkLoadError when that
    database holds anything. ``output`` gets the lines of each phase's progress,
    ``phase_done`` each phase's name as it ends (after its time is taken)."""
    say = output or (lambda _: None)
    was_running = neo4j_server.status(data_dir).running
    restart_port = await asyncio.to_thread(_stop_if_empty, data_dir, port, heap, pagecache)
    with _no_cycle_collection():
        result = await _load(
            paths,
            data_dir,
            restart_port,
            workers=workers,
            max_errors=max_errors,
            heap=heap,
            pagecache=pagecache,
            progress=progress,
            say=say,
            report_problem=report_problem,
            phase_done=phase_done,
        )
    if result.uri is None and was_running:
        # Stopped early (too many bad records): the empty database serves again, as it did.
        result.uri = await asyncio.to_thread(
            neo4j_server.start, data_dir, restart_port, heap=heap, pagecache=pagecache
        )
    return result


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector off while the whole input is in memory: millions of rows that live
    until the end made every full collection walk them all, for nothing. Reference counting
    still frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


async def _load(
    paths: Sequence[Path],
    data_dir: Path,
    port: int,
    *,
    workers: int | None,
    max_errors: int,
    heap: str,
    pagecache: str,
    progress: Progress | None,
    say: Callable[[str], None],
    report_problem: Callable[[str], None] | None,
    phase_done: Callable[[str], None] | None,
) -> BulkLoadReport:
    result = BulkLoadReport(report=ImportReport())
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        result.phases[name] = now - clock
        clock = now
        if phase_done is not None:
            phase_done(name)

    whole = await asyncio.to_thread(
        read_whole_input,
        paths,
        workers=workers,
        max_errors=max_errors,
        progress=progress,
        report_problem=report_problem,
    )
    result.report = whole.report
    phase("read and map")
    if whole.report.aborted:
        return result
    say("bulk load: laying out the graph and writing the CSV files")
    graph = await asyncio.to_thread(bulk_graph, whole.institutions, whole.topics, whole.works)
    # Beside the database: the files are as big as the input, and on the same disk.
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="bulk-csv-", dir=data_dir))
    try:
        files = await asyncio.to_thread(write_import_files, graph, folder)
        written = graph.summary
        # The rows are in the files now: let them go before neo4j-admin and the server need
        # the memory (they hold about 12 KB a work: 12 GB for a million).
        del graph
        whole.works.clear()
        phase("lay out and write CSV")
        multiline = [str(f.path) for f in files if f.multiline]
        arguments = [
            *(f.argument() for f in files),
            f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
            "--overwrite-destination=true",
            *([f"--threads={workers}"] if workers else []),
        ]
        if multiline:
            arguments += [
                "--multiline-fields-format=v2",
                f"--multiline-fields={','.join(multiline)}",
            ]
        await asyncio.to_thread(neo4j_server.import_full, data_dir, arguments, output=say)
        phase("neo4j-admin import")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    say("bulk load: starting Neo4j")
    result.uri = await asyncio.to_thread(
        neo4j_server.start, data_dir, port, heap=heap, pagecache=pagecache
    )
    phase("start Neo4j")
    say("bulk load: schema, indexes, Author records, researchers' figures")
    store = Neo4jStore(result.uri)
    try:
        authors = await after_bulk_load(
            store,
            whole.authors,
            done=phase,
            figures_progress=lambda n, total: say(
                f"bulk load: figures of {n:,} of {total:,} researchers written"
            ),
        )
    finally:
        await store.close()
    result.report.written = written + authors
    result.report.seconds = sum(result.phases.values())
    return result


def _stop_if_empty(data_dir: Path, port: int, heap: str, pagecache: str) -> int:
    """Make sure the server's database is empty and the server stopped; the port to start it
    on again. A database never started has nothing to check."""
    status = neo4j_server.status(data_dir)
    if not status.running and not neo4j_server.has_database(data_dir):
        return port
    uri = status.uri or neo4j_server.start(data_dir, port, heap=heap, pagecache=pagecache)
    try:
        empty = neo4j_server.is_empty(uri)
    finally:
        if not status.running:
            neo4j_server.stop(data_dir)
    if not empty:
        raise BulkLoadError(
            f"the Neo4j database of {data_dir} is not empty: a bulk load only fills an empty "
            "database (import into it without --bulk, or give another --data-dir)"
        )
    neo4j_server.stop(data_dir)
    return int(uri.rsplit(":", 1)[1])
