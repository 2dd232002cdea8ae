"""Lists of works: keyset pages in a chosen order, with their cursors and counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graphstore.records import (
    AuthorshipRecord,
    InstitutionRecord,
    TopicRecord,
    WorkFilterSpec,
    WorkKey,
    WorkOrder,
    WorkPageSpec,
    WorkRecord,
)
from graphstore.traversal import Hop
from resolvers.context import RequestContext
from resolvers.cursors import decode_work_cursor, encode_work_cursor
from resolvers.errors import bad_input

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class WorkListPage:
    """One page of a researcher's works, ready for a Relay connection."""

    works: tuple[WorkRecord, ...]
    cursors: tuple[str, ...]
    has_next_page: bool


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


async def researcher_works(
    context: RequestContext,
    researcher_id: str,
    *,
    first: int,
    after: str | None,
    order: WorkOrder,
    filter_spec: WorkFilterSpec,
) -> WorkListPage:
    """One page of a researcher's works after the cursor, in the given order."""
    key: WorkKey | None = decode_work_cursor(after, order) if after else None
    spec = WorkPageSpec(first=page_size(first), order=order, filter=filter_spec, after=key)
    page = await context.loaders.researcher_works(spec).load(researcher_id)
    records = await context.loaders.work.load_many([k.id for k in page.keys])
    works = tuple(r for r in records if r is not None)
    cursors = tuple(
        encode_work_cursor(order, k) for k, r in zip(page.keys, records, strict=True) if r
    )
    return WorkListPage(works=works, cursors=cursors, has_next_page=page.has_next_page)


async def researcher_work_count(
    context: RequestContext, researcher_id: str, filter_spec: WorkFilterSpec
) -> int:
    """How many of the researcher's works pass the filter."""
    return await context.loaders.researcher_work_count(filter_spec).load(researcher_id)


async def authorships(context: RequestContext, work_id: str) -> list[AuthorshipRecord]:
    """A work's authors in author order, with the institutions of each authorship."""
    authors = await context.loaders.neighbours(Hop.AUTHORS_OF_WORK).load(work_id)
    authors = sorted(authors, key=lambda a: (a.position if a.position is not None else 0, a.target))
    records = await context.loaders.researcher.load_many([a.target for a in authors])
    return [
        AuthorshipRecord(
            position=a.position if a.position is not None else index,
            researcher=record,
            institution_ids=a.institutions,
        )
        for index, (a, record) in enumerate(zip(authors, records, strict=True))
        if record is not None
    ]


async def institutions(context: RequestContext, ids: Sequence[str]) -> list[InstitutionRecord]:
    """Institutions by id, in the given order, leaving out ids the graph lacks."""
    records = await context.loaders.institution.load_many(list(ids))
    return [r for r in records if r is not None]


async def work_topics(context: RequestContext, work_id: str) -> list[tuple[TopicRecord, float]]:
    """A work's topics with their scores, highest first."""
    links = await context.loaders.neighbours(Hop.TOPICS_OF_WORK).load(work_id)
    links = sorted(links, key=lambda t: (-t.edge_weight, t.target))
    records = await context.loaders.topic.load_many([t.target for t in links])
    return [(r, t.edge_weight) for t, r in zip(links, records, strict=True) if r is not None]
