"""ReadQuery: a read query built as parts and printed, as rows (LadybugDB) or as Neo4j's one
collected row, never parsed back."""

from __future__ import annotations

import pytest

from graphstore.engines import neo4j_store
from graphstore.engines.compiler import hop_query
from graphstore.engines.cypher_store import CypherStore
from graphstore.engines.query import Column, ReadQuery, columns, listed
from graphstore.engines.writes import Dialect
from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from graphstore.traversal import Hop
from tests.conftest import SEED_WORKS

QUERY = ReadQuery(
    """
MATCH (w:Work)<-[:AUTHORED]-(r:Researcher)
WHERE w.year IS NOT NULL
""",
    columns(("w.id", "id"), ("coalesce(w.title, 'x, y')", "title"), "r"),
    tail="ORDER BY id SKIP $skip LIMIT $first",
    distinct=True,
)


def test_columns_are_aliased_pairs_or_bare_names() -> None:
    assert columns(("w.id", "id"), "r") == (Column("w.id", "id"), Column("r", "r"))
    assert QUERY.names == ("id", "title", "r")
    assert listed(QUERY.returns) == "w.id AS id, coalesce(w.title, 'x, y') AS title, r"


def test_text_returns_the_rows_as_they_come() -> None:
    assert QUERY.text() == (
        "MATCH (w:Work)<-[:AUTHORED]-(r:Researcher)\n"
        "WHERE w.year IS NOT NULL\n"
        "RETURN DISTINCT w.id AS id, coalesce(w.title, 'x, y') AS title, r "
        "ORDER BY id SKIP $skip LIMIT $first"
    )


def test_collected_keeps_distinct_order_skip_and_limit_in_a_with() -> None:
    assert QUERY.collected() == (
        "MATCH (w:Work)<-[:AUTHORED]-(r:Researcher)\n"
        "WHERE w.year IS NOT NULL\n"
        "WITH DISTINCT w.id AS id, coalesce(w.title, 'x, y') AS title, r "
        "ORDER BY id SKIP $skip LIMIT $first\n"
        "RETURN collect({id: id, title: title, r: r}) AS rows"
    )
    assert QUERY.collected("works").endswith(
        "RETURN collect({id: id, title: title, r: r}) AS works"
    )


def test_a_query_without_body_or_tail() -> None:
    ping = ReadQuery("", columns(("1", "ok")))
    assert ping.text() == "RETURN 1 AS ok"
    assert ping.collected() == "WITH 1 AS ok\nRETURN collect({ok: ok}) AS rows"


def test_equal_queries_hash_alike_so_the_neo4j_print_is_cached() -> None:
    again = ReadQuery(QUERY.body, QUERY.returns, QUERY.tail, QUERY.distinct)
    assert again == QUERY
    assert hash(again) == hash(QUERY)
    # An equal query, built anew, finds the printed text.
    hop = Hop.AUTHORS_OF_WORK
    built = hop_query(hop, Dialect.NEO4J)
    first = neo4j_store._collected(built)
    hits = neo4j_store._collected.cache_info().hits
    assert neo4j_store._collected(ReadQuery(built.body, built.returns, built.tail)) is first
    assert neo4j_store._collected.cache_info().hits == hits + 1


@pytest.mark.parametrize("hop", list(Hop))
def test_every_hop_query_collects_its_columns(hop: Hop) -> None:
    query = hop_query(hop, Dialect.NEO4J)
    assert query.names[:3] == ("source", "target", "name")
    row = ", ".join(f"{name}: {name}" for name in query.names)
    assert query.collected().endswith(f"\nRETURN collect({{{row}}}) AS rows")
    assert query.text().endswith(f"RETURN {listed(query.returns)}")


async def test_an_ordered_and_limited_read_keeps_its_order_on_each_engine(
    store: GraphStore,
) -> None:
    """Through the engine's own ``_read``: LadybugDB runs the text, Neo4j the collected
    form, whose WITH must keep the ORDER BY, SKIP, LIMIT and DISTINCT."""
    assert isinstance(store, CypherStore)
    await import_openalex(store, [SEED_WORKS])
    every = await store._read(
        ReadQuery(
            "MATCH (w:Work) WHERE w.year IS NOT NULL", columns(("w.id", "id"), ("w.year", "year"))
        ),
        {},
    )
    assert len(every) >= 6
    newest_first = sorted(every, key=lambda row: (-row["year"], row["id"]))

    ordered = ReadQuery(
        "MATCH (w:Work) WHERE w.year IS NOT NULL",
        columns(("w.id", "id"), ("w.year", "year")),
        tail="ORDER BY year DESC, id SKIP $skip LIMIT $first",
    )
    assert await store._read(ordered, {"skip": 0, "first": 4}) == newest_first[:4]
    assert await store._read(ordered, {"skip": 2, "first": 3}) == newest_first[2:5]

    years = ReadQuery(
        "MATCH (w:Work) WHERE w.year IS NOT NULL",
        columns(("w.year", "year")),
        tail="ORDER BY year LIMIT $first",
        distinct=True,
    )
    distinct_years = sorted({row["year"] for row in every})
    assert await store._read(years, {"first": 3}) == [{"year": y} for y in distinct_years[:3]]

    # counts() reads a fixed query per label: one row each, on either engine.
    works = await store._read(ReadQuery("MATCH (w:Work)", columns(("w.id", "id"))), {})
    assert (await store.counts()).nodes["Work"] == len(works) >= len(every)
