"""The rewrite that makes a Neo4j read return one row holding every row."""

from __future__ import annotations

import pytest

from graphstore.engines.neo4j_store import collected


def test_columns_become_one_collected_list_keeping_order_and_limits() -> None:
    query = "MATCH (n:Work) RETURN n.id AS id, count(*) AS n, rid ORDER BY id SKIP $s LIMIT $f"
    assert collected(query) == (
        "MATCH (n:Work) WITH n.id AS id, count(*) AS n, rid ORDER BY id SKIP $s LIMIT $f "
        "RETURN collect({id: id, n: n, rid: rid}) AS rows"
    )


def test_distinct_and_commas_inside_brackets_and_strings() -> None:
    query = "MATCH (n) RETURN DISTINCT coalesce(n.a, 'x, y') AS a, [n.b, n.c] AS bc"
    assert collected(query) == (
        "MATCH (n) WITH DISTINCT coalesce(n.a, 'x, y') AS a, [n.b, n.c] AS bc  "
        "RETURN collect({a: a, bc: bc}) AS rows"
    )


def test_the_last_return_is_rewritten_not_a_subquery_s() -> None:
    query = "MATCH (r) CALL (r) { MATCH (r)--(x) RETURN count(x) AS k } RETURN r.id AS id, k"
    assert collected(query).endswith("WITH r.id AS id, k  RETURN collect({id: id, k: k}) AS rows")
    assert "RETURN count(x) AS k }" in collected(query)


def test_unaliased_expressions_and_writes_are_refused() -> None:
    with pytest.raises(ValueError, match="needs an alias"):
        collected("MATCH (n) RETURN n.id")
    with pytest.raises(ValueError, match="RETURN"):
        collected("MATCH (n) SET n.x = 1")
