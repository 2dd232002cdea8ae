"""A page of hyper-authored works: all their authors against the first few (issue 26).

    .venv/bin/python bench/author_fanout.py [--works 10] [--authors 2000] [--first 10]
        [--engines embedded,neo4j] [--neo4j-heap 1g]

A researcher on ``--works`` works of ``--authors`` authors each (a physics collaboration's
shape), written through the store's own upsert and figures refresh; then a page of those works
(``GraphStore.work_pages``, authors by name only, as a profile page asks) with every author
against the first ``--first`` (``WorkPageRequest.author_limit``, what a page asking
``authors(first: N)`` reads). Both of the store's paths: the stored first page, read by key,
and the walk (a filter the stored page does not answer). Each figure is the median of 12 warm
runs in this process; Neo4j runs in a scratch server of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from harness import neo4j  # noqa: E402

from graphstore.engines.embedded_store import EmbeddedStore  # noqa: E402
from graphstore.engines.neo4j_store import Neo4jStore  # noqa: E402
from graphstore.protocol import GraphStore  # noqa: E402
from graphstore.records import (  # noqa: E402
    AuthorshipRow,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
    WorkRow,
)

RESEARCHER = "A1"
RUNS = 12


def collaboration_works(works: int, authors: int) -> list[WorkRow]:
    """``works`` works of ``authors`` authors each, RESEARCHER first on every one."""
    return [
        WorkRow(
            id=f"W{n}",
            title=f"Collaboration result {n}",
            type="article",
            year=2000 + n,
            venue=None,
            doi=None,
            abstract=None,
            cited_by_count=n,
            updated_date="2024-01-01",
            authorships=tuple(
                AuthorshipRow(f"A{n * 100_000 + i}" if i else RESEARCHER, f"Author {i}", i)
                for i in range(authors)
            ),
        )
        for n in range(1, works + 1)
    ]


async def measure(store: GraphStore, engine: str, args: argparse.Namespace) -> None:
    """Write the works, refresh the figures, print each page's median time and authors."""
    await store.upsert_works(collaboration_works(args.works, args.authors))
    await store.refresh_stale_figures()
    for path, given in (("stored page", WorkFilter()), ("walk", WorkFilter(year_from=0))):
        for limit in (None, args.first):
            request = WorkPageRequest(
                RESEARCHER,
                WorkOrder.NEWEST,
                given,
                None,
                args.works,
                author_names_only=True,
                author_limit=limit,
            )
            times = []
            for _ in range(RUNS + 2):
                started = time.perf_counter()
                [page] = await store.work_pages([request])
                times.append((time.perf_counter() - started) * 1000)
            read = sum(len(authors) for authors in page.authors or ())
            print(
                f"{engine}, {path}, {'all authors' if limit is None else f'first {limit}'}: "
                f"{statistics.median(times[2:]):.1f} ms, {read:,} authors read"
            )


async def main_async(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="author-fanout-") as folder:
        for engine in args.engines.split(","):
            store: GraphStore
            if engine == "embedded":
                store = EmbeddedStore(Path(folder) / "graph.lbdb")
                await store.apply_schema()
                await measure(store, engine, args)
                await store.close()
                continue
            with neo4j(Path(folder) / "neo4j", args.neo4j_heap, args.neo4j_heap) as uri:
                store = Neo4jStore(uri)
                await store.apply_schema()
                await measure(store, engine, args)
                await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=10)
    parser.add_argument("--authors", type=int, default=2000)
    parser.add_argument("--first", type=int, default=10)
    parser.add_argument("--engines", default="embedded,neo4j")
    parser.add_argument("--neo4j-heap", default="1g")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
