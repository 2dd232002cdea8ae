"""LadybugDB query shapes side by side: the facts graphstore/engines/compiler.py is built on.

    .venv/bin/python bench/ladybug_shapes.py                  # imports conference-graph first
    .venv/bin/python bench/ladybug_shapes.py --db PATH/graph.lbdb

Each row is the median of repeated runs on one connection, warm, in this process: the
frontier joined to a pattern against the frontier looked up first and against a walk from the
centre; a short frontier's list form against one query anchored on each id; a LIMIT given as
a parameter against a printed one; a connection's threads and query timeout; a join order
hint over an empty relationship table; a refresh's summary of many researchers, one query per
part over the list (Anchoring.EACH) against the parts anchored on each researcher; a stored
list's nodes looked up by keys read from the node's property against keys given as a
parameter after reading the node (figures.STORED_ROWS, LISTED_BY_ID, LISTED_WORKS_AUTHOR_NAMES),
with the authors in full (LISTED_WORKS) and against the authors read anchored on each work;
a look-up by an empty list against a short one. The
queries are the compiler's own where it has them, so a row measures what the server runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ladybug

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inputs import conference_graph  # noqa: E402

from graphstore.engines.compiler import (  # noqa: E402
    EACH_FROM,
    LISTED_WORKS,
    LISTED_WORKS_AUTHOR_NAMES,
    Anchoring,
    hop_query,
    hop_reads,
    researcher_works_page,
    summary_parameters,
    summary_parts,
)
from graphstore.engines.cypher import WORK_COLUMNS  # noqa: E402
from graphstore.engines.figures import LISTED_BY_ID, STORED_ROWS  # noqa: E402
from graphstore.engines.query import ReadQuery  # noqa: E402
from graphstore.engines.writes import Dialect  # noqa: E402
from graphstore.ids import NodeLabel  # noqa: E402
from graphstore.records import WorkFilter, WorkOrder  # noqa: E402
from graphstore.traversal import Hop  # noqa: E402

HUB = "A989782488510"  # 356 works
SMALL = "A989136682205"  # 5 works
LADYBUG = Dialect.LADYBUG


def median_ms(run: Callable[[], Any], repeat: int = 30) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[3:])


def query(connection: Any, text: str, params: dict[str, Any]) -> Callable[[], Any]:
    return lambda: connection.execute(text, params).get_all()


def rows(db: Any) -> list[tuple[str, float]]:
    one = ladybug.Connection(db)
    one.set_max_threads_for_exec(1)
    works_of_hub = hop_query(Hop.WORKS_OF_RESEARCHER, LADYBUG)
    target = works_of_hub.names.index("target")
    hub_works = [r[target] for r in one.execute(works_of_hub.text(), {"ids": [HUB]}).get_all()]
    assert len(hub_works) == 356, "the hub's works are not in this graph"
    joined = (
        "UNWIND $ids AS sid MATCH (s:Researcher {id: sid})-[e:AUTHORED]->(t:Work) "
        "RETURN sid, t.id, t.title"
    )
    authors = Hop.AUTHORS_OF_WORK
    citers = Hop.CITERS_OF_WORK
    via = Hop.WORKS_OF_RESEARCHER
    centre = {"ids": hub_works, "center": HUB}
    found = [
        (
            "works of the hub: frontier joined to the pattern",
            median_ms(query(one, joined, {"ids": [HUB]}), 5),
        ),
        (
            "works of the hub: frontier looked up, then OPTIONAL MATCH",
            median_ms(query(one, hop_query(via, LADYBUG).text(), {"ids": [HUB]})),
        ),
        (
            "authors of the hub's 356 works: frontier looked up",
            median_ms(
                query(one, hop_query(authors, LADYBUG, brief=True).text(), {"ids": hub_works})
            ),
        ),
        (
            "authors of the hub's 356 works: walked from the hub",
            median_ms(query(one, hop_query(authors, LADYBUG, via, brief=True).text(), centre)),
        ),
        (
            "citers of the hub's 356 works (empty CITES): frontier looked up",
            median_ms(
                query(one, hop_query(citers, LADYBUG, brief=True).text(), {"ids": hub_works})
            ),
        ),
        (
            "citers of the hub's 356 works (empty CITES): walked from the hub",
            median_ms(query(one, hop_query(citers, LADYBUG, via, brief=True).text(), centre)),
        ),
    ]
    works_of = hop_reads(via, LADYBUG)
    found += [
        (
            "a 5-work researcher's works: the list form, one id",
            median_ms(query(one, works_of.each.text(), {"ids": [SMALL]})),
        ),
        (
            "a 5-work researcher's works: anchored on the id",
            median_ms(query(one, works_of.one.text(), {"id": SMALL})),
        ),
    ]
    authors_of = hop_reads(authors, LADYBUG)
    for n in (1, 5, 10, 50):
        frontier = hub_works[:n]

        def each_anchored(frontier: list[str] = frontier) -> None:
            for work in frontier:
                one.execute(authors_of.one.text(), {"id": work}).get_all()

        found += [
            (
                f"authors of {n} works: the list form",
                median_ms(query(one, authors_of.each.text(), {"ids": frontier})),
            ),
            (f"authors of {n} works: anchored on each", median_ms(each_anchored)),
        ]
    page = researcher_works_page(WorkOrder.NEWEST, WorkFilter(), False, 10)
    hub_page = page.text()
    found += [
        (
            "the hub's works, all 356 (the page was cut from them in Python)",
            median_ms(query(one, works_of.one.text(), {"id": HUB})),
        ),
        (
            "the hub's first page of 10 with authors, ordered and cut in the query",
            median_ms(query(one, hub_page, {"researcher": HUB})),
        ),
        (
            "the same page, its authors by OPTIONAL MATCH",
            median_ms(
                query(
                    one,
                    hub_page.replace("\nMATCH (w)", "\nOPTIONAL MATCH (w)"),
                    {"researcher": HUB},
                )
            ),
        ),
    ]
    parts = [p for group in summary_parts(LADYBUG, 10).values() for p in group]
    values = summary_parameters(2, 10)
    listing = next(p for p in parts if p.listing == "collaborators")
    printed = listing.query.text()
    as_parameter = printed.replace("LIMIT 10", "LIMIT $top")
    params = {"id": SMALL} | {n: values[n] for n in listing.params}
    found += [
        (
            "small researcher's collaborators list, LIMIT printed",
            median_ms(query(one, printed, params)),
        ),
        (
            "small researcher's collaborators list, LIMIT as a parameter",
            median_ms(query(one, as_parameter, params | {"top": 10})),
        ),
    ]

    def summary_on(connection: Any) -> Callable[[], None]:
        def run() -> None:
            for part in parts:
                connection.execute(
                    part.query.text(), {"id": SMALL} | {n: values[n] for n in part.params}
                ).get_all()

        return run

    every_thread = ladybug.Connection(db)
    timed = ladybug.Connection(db)
    timed.set_max_threads_for_exec(1)
    timed.set_query_timeout(10_000)
    found += [
        (
            f"small researcher's summary ({len(parts)} queries), one thread a query",
            median_ms(summary_on(one)),
        ),
        (
            f"small researcher's summary ({len(parts)} queries), every thread",
            median_ms(summary_on(every_thread)),
        ),
        (
            f"small researcher's summary ({len(parts)} queries), one thread, a timeout armed",
            median_ms(summary_on(timed)),
        ),
    ]
    records = next(p for p in parts if p.names == ("fromRecords",)).query.text()
    unhinted = records.replace("\nHINT (r JOIN e) JOIN t", "")
    found += [
        (
            "Author-record affiliations (empty AFFILIATED_WITH), join order hint",
            median_ms(query(one, records, {"id": SMALL})),
        ),
        (
            "Author-record affiliations (empty AFFILIATED_WITH), no hint",
            median_ms(query(one, unhinted, {"id": SMALL})),
        ),
    ]
    found += _stored_lists(one)
    found += _summaries_of_many(one)
    return found


def _stored_lists(connection: Any) -> list[tuple[str, float]]:
    """A profile's stored lists and first page for the small researcher and the hub: the
    nodes looked up by keys read from the list property in the same query (a join to
    LadybugDB's planner) against the node's row read first and its keys given as a
    parameter; the page's authors joined to its works against read anchored on each work;
    a look-up by an empty list against one by a short list."""
    from_property = {
        "collaborators": (
            "MATCH (r:Researcher {id: $id})\n"
            "WITH coalesce(r.figCollaboratorIds, []) AS keys, r.figCollaboratorShared AS shared\n"
            "UNWIND range(1, size(keys)) AS i\n"
            "WITH i AS at, keys[i] AS key, shared[i] AS shared WHERE shared >= 1\n"
            "MATCH (t:Researcher {id: key}) RETURN t.id, t.name, at, shared ORDER BY at LIMIT 10"
        ),
        "first page": (
            "MATCH (r:Researcher {id: $id})\n"
            "WITH coalesce(r.figPageIds, []) AS keys\n"
            "UNWIND range(1, size(keys)) AS i\n"
            "WITH i, keys[i] AS key MATCH (w:Work {id: key})\n"
            "OPTIONAL MATCH (w)<-[e:AUTHORED]-(t:Researcher)\n"
            "RETURN w.id, w.title, t.id, t.name, e.position ORDER BY i, e.position"
        ),
    }
    by_parameter = {
        "collaborators": LISTED_BY_ID[NodeLabel.RESEARCHER].each.text(),
        "first page": LISTED_WORKS_AUTHOR_NAMES.text(),
    }
    row = STORED_ROWS.one.text()
    topics = LISTED_BY_ID[NodeLabel.TOPIC].each.text()
    # The same columns as LISTED_WORKS_AUTHOR_NAMES, from two queries.
    works_by_key = ReadQuery("UNWIND $ids AS key\nMATCH (w:Work {id: key})", WORK_COLUMNS).text()
    authors = hop_query(Hop.AUTHORS_OF_WORK, LADYBUG, single=True)
    names = ("source", "target", "name", "weight", "position")
    authors_of_one = ReadQuery(
        authors.body, tuple(c for c in authors.returns if c.name in names)
    ).text()
    found = []
    for researcher, label in ((SMALL, "small researcher"), (HUB, "hub")):
        (stored,) = connection.execute(row, {"id": researcher, "minShared": 1}).get_all()
        names = STORED_ROWS.one.names
        page = stored[names.index("pageIds")][:11]
        keys = {"collaborators": stored[names.index("collaboratorsKeys")][:10], "first page": page}
        found.append(
            (
                f"{label}'s stored figures' row",
                median_ms(query(connection, row, {"id": researcher, "minShared": 1})),
            )
        )
        for name, text in from_property.items():
            found += [
                (
                    f"{label}'s stored {name}: keys read from the property",
                    median_ms(query(connection, text, {"id": researcher})),
                ),
                (
                    f"{label}'s stored {name}: keys given as a parameter",
                    median_ms(query(connection, by_parameter[name], {"ids": keys[name]})),
                ),
            ]

        found.append(
            (
                f"{label}'s stored first page: keys given as a parameter, authors in full",
                median_ms(query(connection, LISTED_WORKS.text(), {"ids": page})),
            )
        )

        def anchored_authors(page: list[str] = page) -> None:
            connection.execute(works_by_key, {"ids": page}).get_all()
            for work in page[:10]:
                connection.execute(authors_of_one, {"id": work}).get_all()

        found.append(
            (
                f"{label}'s stored first page: works by key, then authors anchored on each",
                median_ms(anchored_authors),
            )
        )
    hub_topics = connection.execute(row, {"id": HUB, "minShared": 1}).get_all()[0]
    found += [
        ("topics looked up by an empty list", median_ms(query(connection, topics, {"ids": []}))),
        (
            "topics looked up by a list of 2",
            median_ms(
                query(connection, topics, {"ids": hub_topics[names.index("topicsKeys")][:2]})
            ),
        ),
    ]
    return found


def _summaries_of_many(connection: Any) -> list[tuple[str, float]]:
    """The summary of n researchers (the first n by id, a refresh's chunk): each part over
    the list against the parts anchored on each, per researcher."""
    wide = [p for group in summary_parts(LADYBUG, 100).values() for p in group]
    each = [p for group in summary_parts(LADYBUG, 100, Anchoring.EACH).values() for p in group]
    values = summary_parameters(1, 100)
    rows = connection.execute("MATCH (r:Researcher) RETURN r.id ORDER BY r.id LIMIT 20000")
    ids = [row[0] for row in rows.get_all()]

    def anchored(chosen: list[str] = ids[:200]) -> None:
        for researcher in chosen:
            for part in wide:
                params = {"id": researcher} | {k: values[k] for k in part.params}
                connection.execute(part.query.text(), params).get_all()

    found = [("summary anchored on each researcher, per researcher", median_ms(anchored, 5) / 200)]
    for n in (EACH_FROM, 2_000, 20_000):

        def over_list(chosen: list[str] = ids[:n]) -> None:
            for part in each:
                params = {"ids": chosen} | {k: values[k] for k in part.params}
                connection.execute(part.query.text(), params).get_all()

        per_researcher = median_ms(over_list, 5) / n
        found.append((f"summary of {n} researchers over the list, per researcher", per_researcher))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a LadybugDB file with conference-graph")
    parser.add_argument("--conference", type=Path, help="works file (default: bench/inputs.py)")
    args = parser.parse_args()
    path = args.db
    if path is None:
        import asyncio

        from graphstore.engines.embedded_store import EmbeddedStore
        from graphstore.ingest.importer import import_openalex

        path = Path(tempfile.mkdtemp(prefix="ladybug-shapes-")) / "graph.lbdb"

        async def load() -> None:
            store = EmbeddedStore(path)
            await store.apply_schema()
            await import_openalex(store, [conference_graph(args.conference)])
            await store.close()

        asyncio.run(load())
    db = ladybug.Database(str(path), read_only=True)
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    print("| shape | median ms |\n|---|---|")
    for name, ms in rows(db):
        print(f"| {name} | {ms:.2f} |")


if __name__ == "__main__":
    main()
