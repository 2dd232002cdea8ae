"""Keyset pages of a researcher's works, ordered and filtered in Python.

The embedded engine's way to answer ``GraphStore.work_pages`` from the walk's first hop;
Neo4j orders, filters and cuts the page in Cypher (graphstore.engines.neo4j_store) to the same
answer.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphstore.records import WorkFilter, WorkOrder, WorkPageRequest, WorkPosition
from graphstore.traversal import Neighbour


def keeps(work_filter: WorkFilter, work: Neighbour) -> bool:
    """Whether a work (a WORKS_OF_RESEARCHER neighbour) passes the filter."""
    if work_filter.year_from is not None and (
        work.year is None or work.year < work_filter.year_from
    ):
        return False
    if work_filter.year_to is not None and (work.year is None or work.year > work_filter.year_to):
        return False
    return work_filter.types is None or work.work_type in work_filter.types


def position(order: WorkOrder, work: Neighbour) -> WorkPosition:
    """Where a work stands in an order."""
    if order is WorkOrder.NEWEST:
        sort_value = work.year if work.year is not None else 0
    elif order is WorkOrder.OLDEST:
        sort_value = work.year if work.year is not None else 9999
    else:
        sort_value = int(work.node_weight)
    return WorkPosition(sort_value=sort_value, title=work.name, id=work.target)


def descending_value(order: WorkOrder, sort_value: int) -> int:
    """A sort value turned into one key that every order sorts descending: NEWEST and
    MOST_CITED as they are, OLDEST negated. It is its own inverse."""
    return -sort_value if order is WorkOrder.OLDEST else sort_value


def rank(order: WorkOrder, at: WorkPosition) -> tuple[int, str, str]:
    """Sort key of a position: NEWEST and MOST_CITED descending, OLDEST ascending, then title
    and id ascending."""
    return (-descending_value(order, at.sort_value), at.title, at.id)


def page_positions(
    request: WorkPageRequest, works: Sequence[Neighbour]
) -> tuple[list[WorkPosition], bool, int]:
    """The page's positions in order, whether more follow, and the filtered total."""
    kept = [position(request.order, w) for w in works if keeps(request.filter, w)]
    kept.sort(key=lambda at: rank(request.order, at))
    following = kept
    if request.after is not None:
        start = rank(request.order, request.after)
        following = [at for at in kept if rank(request.order, at) > start]
    return following[: request.first], len(following) > request.first, len(kept)
