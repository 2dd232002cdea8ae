"""Lists of works: keyset pages in a chosen order, with their cursors and counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphstore.records import (
    AuthorshipRecord,
    InstitutionRecord,
    ResearcherRecord,
    TopicRecord,
    WorkOrder,
    WorkRecord,
)
from graphstore.traversal import Hop, Neighbour
from resolvers.context import RequestContext
from resolvers.cursors import WorkKey, decode_work_cursor, encode_work_cursor
from resolvers.errors import bad_input

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class WorkFilterSpec:
    """Filters of a works list; None means no bound."""

    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] | None = None

    def keeps(self, work: Neighbour) -> bool:
        """Whether a work passes the filter."""
        if self.year_from is not None and (work.year is None or work.year < self.year_from):
            return False
        if self.year_to is not None and (work.year is None or work.year > self.year_to):
            return False
        return self.types is None or work.work_type in self.types


@dataclass(frozen=True, slots=True)
class WorkListPage:
    """One page of a researcher's works, ready for a Relay connection."""

    works: tuple[WorkRecord, ...]
    cursors: tuple[str, ...]
    has_next_page: bool


def work_key(order: WorkOrder, work: Neighbour) -> WorkKey:
    """A work's position in an order: what its cursor holds."""
    if order is WorkOrder.NEWEST:
        sort_value = work.year if work.year is not None else 0
    elif order is WorkOrder.OLDEST:
        sort_value = work.year if work.year is not None else 9999
    else:
        sort_value = int(work.node_weight)
    return WorkKey(sort_value=sort_value, title=work.name, id=work.target)


def _rank(order: WorkOrder, key: WorkKey) -> tuple[int, str, str]:
    # NEWEST and MOST_CITED sort their value descending; every order then goes by title, id.
    value = key.sort_value if order is WorkOrder.OLDEST else -key.sort_value
    return (value, key.title, key.id)


def page_size(first: int) -> int:
    """``first`` checked against the page-size limit."""
    if first < 0 or first > MAX_PAGE_SIZE:
        raise bad_input(f"first: must be between 0 and {MAX_PAGE_SIZE}, got {first}")
    return first


def work_filter(
    year_from: int | None, year_to: int | None, types: list[str] | None
) -> WorkFilterSpec:
    """A filter from client arguments, refusing empty ranges."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise bad_input("filter: yearFrom is after yearTo")
    return WorkFilterSpec(
        year_from=year_from,
        year_to=year_to,
        types=tuple(sorted(set(types))) if types is not None else None,
    )


async def _researcher_works_in_order(
    context: RequestContext, researcher_id: str, order: WorkOrder, filter_spec: WorkFilterSpec
) -> list[tuple[WorkKey, Neighbour]]:
    # The researcher's works come from the walk's first hop, the same load the profile's
    # figures use, so a profile costs one query for its works whatever the page asks.
    works = await context.loaders.neighbours(Hop.WORKS_OF_RESEARCHER).load(researcher_id)
    keyed = [(work_key(order, w), w) for w in works if filter_spec.keeps(w)]
    keyed.sort(key=lambda pair: _rank(order, pair[0]))
    return keyed


async def researcher_works(
    context: RequestContext,
    researcher_id: str,
    *,
    first: int,
    after: str | None,
    order: WorkOrder,
    filter_spec: WorkFilterSpec,
) -> WorkListPage:
    """One page of a researcher's works after the cursor (a keyset position), in order."""
    first = page_size(first)
    keyed = await _researcher_works_in_order(context, researcher_id, order, filter_spec)
    if after:
        position = _rank(order, decode_work_cursor(after, order))
        keyed = [pair for pair in keyed if _rank(order, pair[0]) > position]
    page = keyed[:first]
    records = await context.loaders.work.load_many([w.target for _, w in page])
    kept = [(key, r) for (key, _), r in zip(page, records, strict=True) if r is not None]
    return WorkListPage(
        works=tuple(r for _, r in kept),
        cursors=tuple(encode_work_cursor(order, key) for key, _ in kept),
        has_next_page=len(keyed) > first,
    )


async def researcher_work_count(
    context: RequestContext, researcher_id: str, filter_spec: WorkFilterSpec
) -> int:
    """How many of the researcher's works pass the filter."""
    works = await context.loaders.neighbours(Hop.WORKS_OF_RESEARCHER).load(researcher_id)
    return sum(1 for w in works if filter_spec.keeps(w))


async def authorships(context: RequestContext, work_id: str) -> list[AuthorshipRecord]:
    """A work's authors in author order, with the institutions of each authorship."""
    authors = await context.loaders.neighbours(Hop.AUTHORS_OF_WORK).load(work_id)
    authors = sorted(authors, key=lambda a: (a.position if a.position is not None else 0, a.target))
    return [
        AuthorshipRecord(
            position=a.position if a.position is not None else index,
            researcher=a.record,
            institution_ids=a.institutions,
        )
        for index, a in enumerate(authors)
        if isinstance(a.record, ResearcherRecord)
    ]


async def institutions(context: RequestContext, ids: Sequence[str]) -> list[InstitutionRecord]:
    """Institutions by id, in the given order, leaving out ids the graph lacks."""
    records = await context.loaders.institution.load_many(list(ids))
    return [r for r in records if r is not None]


async def work_topics(context: RequestContext, work_id: str) -> list[tuple[TopicRecord, float]]:
    """A work's topics with their scores, highest first."""
    links = await context.loaders.neighbours(Hop.TOPICS_OF_WORK).load(work_id)
    links = sorted(links, key=lambda t: (-t.edge_weight, t.target))
    return [(t.record, t.edge_weight) for t in links if isinstance(t.record, TopicRecord)]
