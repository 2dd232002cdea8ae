"""Lists across the graph for analysts: lists of works and researchers, and works counted by
year, type, venue, topic or institution (facets).

The root fields (``works``, ``researchers``, ``workFacets``), a topic's and an institution's
works and researchers, and a researcher's works filtered by another set are all built here,
over the one WorkFilter, so every list of works reads its filter the same way.
"""

from __future__ import annotations

import functools
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graphstore.lists import FacetKey, ResearcherScope, WorkScope
from graphstore.lists import ResearcherOrder as ResearcherOrderValue
from graphstore.records import WorkFilter as WorkFilterValue
from resolvers import lists
from resolvers import works as work_resolvers
from resolvers.context import RequestContext
from resolvers.lists import EVERY_RESEARCHER, EVERY_WORK, ResearcherListPage, ScopeIds
from schema.connections import PageInfo
from schema.enums import WorkOrder

if TYPE_CHECKING:
    from schema.researcher import Researcher
    from schema.work import WorkConnection, WorkFilter

Info = strawberry.Info[RequestContext, None]


@functools.cache
def _researcher_type() -> type[Researcher]:
    # Researcher and Work (whose module imports the topics' and institutions', which list
    # researchers and works) refer to each other: imported at first use.
    from schema.researcher import Researcher

    return Researcher


@functools.cache
def _work_connection_type() -> type[WorkConnection]:
    from schema.work import WorkConnection

    return WorkConnection


@strawberry.enum(
    description="What works are counted by: publication year, type, venue, topic (the topics "
    "that tag them) or institution (the institutions their authorships list)."
)
class WorkFacetKey(Enum):
    YEAR = "YEAR"
    TYPE = "TYPE"
    VENUE = "VENUE"
    TOPIC = "TOPIC"
    INSTITUTION = "INSTITUTION"


@strawberry.type(
    description="A value works share (a year, type, venue, topic or institution id) and how "
    "many of the list's works have it; works with no value (no year, no venue) count under none."
)
class WorkFacet:
    value: str
    label: str = strawberry.field(description="The topic's or institution's name, else the value.")
    count: int


@strawberry.enum(
    description="Orders of a researchers list: by their works in the list's scope or those "
    "works' citations, most first; ties by name, then id."
)
class ResearcherOrder(Enum):
    MOST_WORKS = "MOST_WORKS"
    MOST_CITED = "MOST_CITED"


@strawberry.input(
    description="Which researchers to list: the authors of a topic's works (its own and those "
    "below it), an institution's members (their authorships there, and the researchers whose "
    "Author record lists it, also with no works there), or everyone; each with their works "
    "there."
)
class ResearcherFilter:
    topic: strawberry.ID | None = None
    institution: strawberry.ID | None = None
    min_works: int | None = strawberry.field(
        default=None, description="At least this many works in the list's scope."
    )


@strawberry.type(description="A researcher of a list, with their figures in the list's scope.")
class ResearcherEdge:
    cursor: str
    node: Annotated[Researcher, strawberry.lazy("schema.researcher")]
    works: int = strawberry.field(description="Their works in the list's scope.")
    citations: int = strawberry.field(description="The citations of those works.")
    years: list[int] = strawberry.field(
        description="The years of those works, and of the Author record's affiliation."
    )


@strawberry.type(description="A page of researchers.")
class ResearcherConnection:
    nodes: list[Annotated[Researcher, strawberry.lazy("schema.researcher")]]
    edges: list[ResearcherEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="How many researchers the whole list holds.")

    @classmethod
    def from_page(cls, page: ResearcherListPage) -> ResearcherConnection:
        """The connection of one page of a researchers list."""
        researcher = _researcher_type()
        nodes = [researcher.from_record(r.researcher) for r in page.researchers]
        return cls(
            nodes=nodes,
            edges=[
                ResearcherEdge(
                    cursor=cursor,
                    node=node,
                    works=listed.works,
                    citations=listed.citations,
                    years=list(listed.years),
                )
                for cursor, node, listed in zip(page.cursors, nodes, page.researchers, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=page.total,
        )


def names_a_set(given: WorkFilter | None) -> bool:
    """Whether a filter names a topic, institution, researcher or venue (not only years and
    types)."""
    return given is not None and (_scope_ids(given).named() or given.venue is not None)


def _scope_ids(given: WorkFilter | None) -> ScopeIds:
    if given is None:
        return ScopeIds()
    return ScopeIds(
        topic=None if given.topic is None else str(given.topic),
        institution=None if given.institution is None else str(given.institution),
        researcher=None if given.researcher is None else str(given.researcher),
    )


async def _work_list(
    info: Info, given: WorkFilter | None, own: WorkScope
) -> tuple[WorkScope, WorkFilterValue]:
    """The scope and filter of a works list, checked."""
    if given is None:
        return own, WorkFilterValue()
    work_filter = work_resolvers.work_filter(given.year_from, given.year_to, given.types)
    scope = await lists.work_scope(info.context, _scope_ids(given), given.venue, own)
    return scope, work_filter


async def works_connection(
    info: Info,
    given: WorkFilter | None,
    order_by: WorkOrder,
    first: int,
    after: str | None,
    own: WorkScope = EVERY_WORK,
) -> WorkConnection:
    """A page of the works ``given`` keeps among ``own`` (a topic's, say; every work)."""
    scope, work_filter = await _work_list(info, given, own)
    page = await lists.works(info.context, scope, work_filter, order_by.to_value(), first, after)
    return _work_connection_type().from_page(page)


async def work_facets(
    info: Info, given: WorkFilter | None, by: WorkFacetKey, first: int
) -> list[WorkFacet]:
    """The most frequent values of ``by`` among the works ``given`` keeps."""
    scope, work_filter = await _work_list(info, given, EVERY_WORK)
    counts = await lists.work_facets(info.context, scope, work_filter, FacetKey(by.value), first)
    return [WorkFacet(value=c.value, label=c.label, count=c.count) for c in counts]


async def researchers_connection(
    info: Info,
    given: ResearcherFilter | None,
    order_by: ResearcherOrder,
    first: int,
    after: str | None,
    own: ResearcherScope = EVERY_RESEARCHER,
) -> ResearcherConnection:
    """A page of the researchers ``given`` keeps within ``own`` (a topic's, say; everyone)."""
    ids = ScopeIds()
    min_works = None
    if given is not None:
        ids = ScopeIds(
            topic=None if given.topic is None else str(given.topic),
            institution=None if given.institution is None else str(given.institution),
        )
        min_works = given.min_works
    scope = await lists.researcher_scope(info.context, ids, min_works, own)
    order = ResearcherOrderValue(order_by.value)
    page = await lists.researchers(info.context, scope, order, first, after)
    return ResearcherConnection.from_page(page)
