"""Lists of works: keyset pages in a chosen order, with their cursors and counts (a
researcher's works, a work's citers and references), and a work's versions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from graphstore.protocol import HopPageRequest, WorkPage
from graphstore.records import (
    AuthorshipRecord,
    InstitutionRecord,
    ResearcherRecord,
    TopicRecord,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
    WorkRecord,
)
from graphstore.traversal import Hop, Neighbour
from graphstore.versions import preference
from resolvers.context import RequestContext
from resolvers.cursors import decode_work_cursor, encode_work_cursor
from resolvers.errors import bad_input

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class WorkListPage:
    """One page of a list of works, ready for a Relay connection."""

    works: tuple[WorkRecord, ...]
    cursors: tuple[str, ...]
    has_next_page: bool
    total: int
    # Each work's authorships, where the store brought them with the page: only those at
    # positions below authors_limit when that is set (WorkPageRequest.author_limit).
    authorships: tuple[tuple[AuthorshipRecord, ...], ...] | None = None
    authors_limit: int | None = None
    # Each entry's other versions, where the list groups them.
    versions: tuple[tuple[WorkRecord, ...], ...] | None = None


@dataclass(frozen=True, slots=True)
class ReferenceListPage:
    """One page of a work's references: the cited id and its record, None when the cited
    work is not in the graph."""

    references: tuple[tuple[str, WorkRecord | None], ...]
    cursors: tuple[str, ...]
    has_next_page: bool
    total: int


def page_size(first: int) -> int:
    """``first`` checked against the page-size limit."""
    if first < 0 or first > MAX_PAGE_SIZE:
        raise bad_input(f"first: must be between 0 and {MAX_PAGE_SIZE}, got {first}")
    return first


def author_limit(first: int | None) -> int | None:
    """A work's ``authors(first:)`` checked: the authors at positions below it."""
    if first is not None and first < 0:
        raise bad_input(f"first: must not be negative, got {first}")
    return first


class _Positioned(Protocol):
    @property
    def position(self) -> int: ...


_Authorship = TypeVar("_Authorship", bound=_Positioned)


def first_authors(authorships: Sequence[_Authorship], limit: int | None) -> list[_Authorship]:
    """The authorships at positions below ``limit`` (all when None), as a store cuts a
    page's (WorkPageRequest.author_limit)."""
    return [a for a in authorships if limit is None or a.position < limit]


def work_filter(year_from: int | None, year_to: int | None, types: list[str] | None) -> WorkFilter:
    """A filter from client arguments, refusing empty ranges."""
    if year_from is not None and year_to is not None and year_from > year_to:
        raise bad_input("filter: yearFrom is after yearTo")
    return WorkFilter(
        year_from=year_from,
        year_to=year_to,
        types=tuple(sorted(set(types))) if types is not None else None,
    )


def page_request(
    researcher_id: str,
    first: int,
    after: str | None,
    order: WorkOrder,
    filter_spec: WorkFilter,
    *,
    author_names_only: bool,
    author_limit: int | None = None,
) -> WorkPageRequest:
    """The store's request for a page, from checked client arguments, whether the
    selection reads no more of its authors than ids, names and positions
    (resolvers.lookahead.page_author_names_only) and how many of each work's authors it
    reads (page_author_limit there)."""
    return WorkPageRequest(
        researcher_id=researcher_id,
        order=order,
        filter=filter_spec,
        after=decode_work_cursor(after, order) if after else None,
        first=page_size(first),
        author_names_only=author_names_only,
        author_limit=author_limit,
    )


async def researcher_works(context: RequestContext, request: WorkPageRequest) -> WorkListPage:
    """One page of a researcher's works after the cursor (a keyset position), in order."""
    page = await context.loaders.work_page.load(request)
    found_authorships = None
    if page.authors is not None:
        # Authors read in full serve any other field asking for the same works' authors;
        # names only, or the first few, serve this page's selection alone.
        if page.authors_in_full and request.author_limit is None:
            authors = context.loaders.neighbours(Hop.AUTHORS_OF_WORK)
            for (_, work), found in zip(page.works, page.authors, strict=True):
                authors.prime(work.id, list(found))
        found_authorships = tuple(tuple(authorship_records(found)) for found in page.authors)
    return listed_works(request.order, page, found_authorships, request.author_limit)


def listed_works(
    order: WorkOrder,
    page: WorkPage,
    authorships: tuple[tuple[AuthorshipRecord, ...], ...] | None = None,
    authors_limit: int | None = None,
) -> WorkListPage:
    """A store's page of works in ``order``, with each work's cursor."""
    return WorkListPage(
        works=tuple(record for _, record in page.works),
        cursors=tuple(encode_work_cursor(order, at) for at, _ in page.works),
        has_next_page=page.has_next_page,
        total=page.total,
        authorships=authorships,
        authors_limit=authors_limit,
    )


def hop_page_request(
    source: str,
    hop: Hop,
    first: int,
    after: str | None,
    order: WorkOrder,
    filter_spec: WorkFilter,
    *,
    group_versions: bool = False,
) -> HopPageRequest:
    """The store's request for a page of the works ``hop`` reaches from ``source``, from
    checked client arguments."""
    return HopPageRequest(
        source=source,
        hop=hop,
        order=order,
        filter=filter_spec,
        after=decode_work_cursor(after, order) if after else None,
        first=page_size(first),
        group_versions=group_versions,
    )


async def hop_works(context: RequestContext, request: HopPageRequest) -> WorkListPage:
    """One page of the works a hop reaches (a work's citers, a researcher's works grouped by
    versions, ...), after the cursor, in order."""
    page: WorkPage = await context.loaders.hop_page.load(request)
    return WorkListPage(
        works=tuple(record for _, record in page.works),
        cursors=tuple(encode_work_cursor(request.order, at) for at, _ in page.works),
        has_next_page=page.has_next_page,
        total=page.total,
        versions=page.versions,
    )


async def references(
    context: RequestContext, work_id: str, first: int, after: str | None
) -> ReferenceListPage:
    """One page of a work's references, newest first (those not in the graph as works of
    no known year, titled by their ids)."""
    order = WorkOrder.NEWEST
    request = hop_page_request(work_id, Hop.REFERENCES_OF_WORK, first, after, order, WorkFilter())
    page = await context.loaders.reference_page.load(request)
    return ReferenceListPage(
        references=tuple((at.id, record) for at, record in page.references),
        cursors=tuple(encode_work_cursor(order, at) for at, _ in page.references),
        has_next_page=page.has_next_page,
        total=page.total,
    )


async def versions(context: RequestContext, work_id: str) -> list[WorkRecord]:
    """A work's other versions (graphstore.versions), the preferred first."""
    found = await context.loaders.neighbours(Hop.VERSIONS_OF_WORK).load(work_id)
    records = await context.loaders.work.load_many([v.target for v in found])
    return sorted((r for r in records if r is not None), key=preference)


async def authorships(context: RequestContext, work_id: str) -> list[AuthorshipRecord]:
    """A work's authors in author order, with the institutions of each authorship."""
    return authorship_records(await context.loaders.neighbours(Hop.AUTHORS_OF_WORK).load(work_id))


def authorship_records(authors: Sequence[Neighbour]) -> list[AuthorshipRecord]:
    """A work's AUTHORS_OF_WORK neighbours as authorships, in author order."""
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
