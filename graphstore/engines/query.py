"""A read query as parts: what it matches, and the columns it returns.

Queries are built from fixed fragments and printed here, never parsed back: an engine that
wants the rows in another shape (Neo4j's one row of maps, ``collected``) prints the same parts
differently, because the columns are known without reading the text.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import msgspec


class Column(NamedTuple):
    """One returned column: a Cypher expression and the name it is returned as."""

    expression: str
    name: str


def columns(*pairs: tuple[str, str] | str) -> tuple[Column, ...]:
    """Columns from ``(expression, name)`` pairs, or bare names returned as they are."""
    return tuple(Column(pair, pair) if isinstance(pair, str) else Column(*pair) for pair in pairs)


def listed(returns: tuple[Column, ...]) -> str:
    """The columns as a RETURN or WITH lists them: ``expression AS name``, or the bare name.
    For write statements too, which return the same columns as a read but are never
    collected."""
    return ", ".join(
        column.name if column.expression == column.name else f"{column.expression} AS {column.name}"
        for column in returns
    )


class ReadQuery(msgspec.Struct, frozen=True):
    """``body`` RETURN [DISTINCT] ``returns`` ``tail``: ``body`` is every clause before the
    RETURN, ``tail`` what follows its columns (ORDER BY, SKIP, LIMIT; may name the columns)."""

    body: str
    returns: tuple[Column, ...]
    tail: str = ""
    distinct: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        """The returned columns' names, in order."""
        return tuple(column.name for column in self.returns)

    def text(self) -> str:
        """The query as Cypher, rows as they come."""
        return self._printed(self._projection("RETURN"))

    def collected(self, name: str = "rows") -> str:
        """The query returning one row whose column ``name`` lists every row as a map.

        The RETURN becomes a WITH of the same columns (so DISTINCT, ORDER BY, SKIP and LIMIT
        still apply) followed by ``RETURN collect({...}) AS name``.
        """
        row = ", ".join(f"{column}: {column}" for column in self.names)
        return self._printed(self._projection("WITH"), f"RETURN collect({{{row}}}) AS {name}")

    def _printed(self, *ending: str) -> str:
        """The body (if any) and ``ending``, a line each."""
        body = self.body.strip()
        return "\n".join((body, *ending) if body else ending)

    def _projection(self, keyword: str) -> str:
        distinct = "DISTINCT " if self.distinct else ""
        return f"{keyword} {distinct}{listed(self.returns)} {self.tail}".rstrip()


class FromIds(msgspec.Struct, frozen=True):
    """A read that starts from each of a list of ids, in two forms returning the same columns:
    ``each`` takes the whole list as ``$ids``, ``one`` a single id as ``$id`` (a pattern
    anchored on it). An engine picks the form its planner serves best for the list's length."""

    each: ReadQuery
    one: ReadQuery


# A query and its parameters.
Read = tuple[ReadQuery, dict[str, Any]]
