"""Works (papers, preprints, ...) and their Relay connections."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry

from graphstore.records import AuthorshipRecord, WorkRecord
from graphstore.records import WorkFilter as WorkFilterSpec
from graphstore.traversal import Hop
from resolvers import works as work_resolvers
from resolvers.context import RequestContext
from resolvers.works import ReferenceListPage, WorkListPage
from schema.connections import PageInfo
from schema.enums import WorkOrder
from schema.execution import PREFETCHED
from schema.institution import Institution
from schema.node import Node
from schema.topic import Topic, TopicScore

if TYPE_CHECKING:
    from schema.researcher import Researcher


@functools.cache
def _researcher_type() -> type[Researcher]:
    # Researcher and Work refer to each other, so Researcher is imported at first use; once,
    # as an import statement costs a microsecond each time and a hub's page has 68 authors.
    from schema.researcher import Researcher

    return Researcher


@strawberry.type(description="One author of a work, in author order, with their institutions.")
class Authorship:
    position: int
    researcher: Annotated[Researcher, strawberry.lazy("schema.researcher")]
    institution_ids: strawberry.Private[tuple[str, ...]]

    @classmethod
    def from_record(cls, record: AuthorshipRecord) -> Authorship:
        """The GraphQL view of an authorship."""
        return cls(
            position=record.position,
            researcher=_researcher_type().from_record(record.researcher),
            institution_ids=record.institution_ids,
        )

    @strawberry.field(description="Institutions listed for this author on this work.")
    async def institutions(self, info: strawberry.Info[RequestContext, None]) -> list[Institution]:
        records = await work_resolvers.institutions(info.context, self.institution_ids)
        return [Institution.from_record(r) for r in records]


@strawberry.type(description="A scholarly work.")
class Work(Node):
    title: str
    type: str
    year: int | None
    venue: str | None
    doi: str | None
    abstract: str | None
    citations: int
    author_count: int = strawberry.field(
        description="How many authors it has: its record's authorships, which authors lists."
    )
    # The authors, when the work came with them (a page of a researcher's works): all of
    # them, or only those at positions below first_authors_limit.
    known_authors: strawberry.Private[list[Authorship] | None] = None
    known_first_authors: strawberry.Private[list[Authorship] | None] = None
    first_authors_limit: strawberry.Private[int] = 0
    # The other versions, when the work stands for its paper in a list grouping versions.
    known_versions: strawberry.Private[list[Work] | None] = None

    @strawberry.field(
        description="Authors in author order; with first, those at the first that many "
        "positions (a work may have thousands: authorCount says how many).",
        metadata={PREFETCHED: "known_authors"},
    )
    async def authors(
        self, info: strawberry.Info[RequestContext, None], first: int | None = None
    ) -> list[Authorship]:
        limit = work_resolvers.author_limit(first)
        known = self.known_authors
        if known is None and limit is not None and limit <= self.first_authors_limit:
            known = self.known_first_authors
        if known is not None:
            return work_resolvers.first_authors(known, limit)
        records = await work_resolvers.authorships(info.context, str(self.id))
        return [Authorship.from_record(r) for r in work_resolvers.first_authors(records, limit)]

    @strawberry.field(description="Topics with OpenAlex's scores, highest first.")
    async def topics(self, info: strawberry.Info[RequestContext, None]) -> list[TopicScore]:
        pairs = await work_resolvers.work_topics(info.context, str(self.id))
        return [TopicScore(topic=Topic.from_record(t), score=score) for t, score in pairs]

    @strawberry.field(
        description="The works it cites, as many as its record lists: newest first, works of "
        "no known year last, by title; one not in the graph (inGraph false) counts as of no "
        "known year, its id as its title."
    )
    async def references(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
    ) -> ReferenceConnection:
        page = await work_resolvers.references(info.context, str(self.id), first, after)
        return ReferenceConnection.from_page(page)

    @strawberry.field(description="The works in the graph that cite it.")
    async def cited_by(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
    ) -> WorkConnection:
        request = work_resolvers.hop_page_request(
            str(self.id), Hop.CITERS_OF_WORK, first, after, order_by.to_value(), WorkFilterSpec()
        )
        return WorkConnection.from_page(await work_resolvers.hop_works(info.context, request))

    @strawberry.field(
        description="Other versions of this paper in the graph (a preprint and its article): "
        "works sharing its DOI or one its record names for a location, or its title and an "
        "author; the published and most cited first.",
        metadata={PREFETCHED: "known_versions"},
    )
    async def versions(self, info: strawberry.Info[RequestContext, None]) -> list[Work]:
        if self.known_versions is not None:
            return self.known_versions
        return [
            Work.from_record(r) for r in await work_resolvers.versions(info.context, str(self.id))
        ]

    @classmethod
    def from_record(
        cls,
        record: WorkRecord,
        authors: Sequence[AuthorshipRecord] | None = None,
        versions: Sequence[WorkRecord] | None = None,
        authors_limit: int | None = None,
    ) -> Work:
        """The GraphQL view of a stored work (with its authorships, all of them or those at
        positions below ``authors_limit``, and its other versions, when known)."""
        known = None if authors is None else [Authorship.from_record(a) for a in authors]
        cut = authors_limit is not None
        return cls(
            known_authors=None if cut else known,
            known_first_authors=known if cut else None,
            first_authors_limit=authors_limit or 0,
            known_versions=None if versions is None else [Work.from_record(v) for v in versions],
            id=strawberry.ID(record.id),
            title=record.title,
            type=record.type,
            year=record.year,
            venue=record.venue,
            doi=record.doi,
            abstract=record.abstract,
            citations=record.citations,
            author_count=record.author_count,
        )


@strawberry.type
class WorkEdge:
    cursor: str
    node: Work


@strawberry.input(
    description="Which works to keep: every condition given holds. The same filter for every "
    "list of works (a researcher's, a topic's, an institution's, all works)."
)
class WorkFilter:
    year_from: int | None = None
    year_to: int | None = None
    types: list[str] | None = None
    topic: strawberry.ID | None = strawberry.field(
        default=None,
        description="Works tagged with this topic or with a topic below it (a subfield's, "
        "field's or domain's works are its topics').",
    )
    institution: strawberry.ID | None = strawberry.field(
        default=None, description="Works one of whose authorships lists this institution."
    )
    researcher: strawberry.ID | None = strawberry.field(
        default=None, description="Works this researcher authored."
    )
    venue: str | None = strawberry.field(
        default=None, description="Works whose venue is exactly this name."
    )


@strawberry.type(description="A page of works.")
class WorkConnection:
    nodes: list[Work]
    edges: list[WorkEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="How many works the whole list holds, filter applied."
    )

    @classmethod
    def from_page(cls, page: WorkListPage) -> WorkConnection:
        """The connection of one page of an owner's works."""
        authorships = page.authorships or (None,) * len(page.works)
        versions = page.versions or (None,) * len(page.works)
        nodes = [
            Work.from_record(w, authors, others, page.authors_limit)
            for w, authors, others in zip(page.works, authorships, versions, strict=True)
        ]
        return cls(
            nodes=nodes,
            edges=[WorkEdge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=page.total,
        )


GroupVersions = Annotated[
    bool,
    strawberry.argument(
        description="One entry per paper: versions of one paper (Work.versions) joined, the "
        "published and most cited standing for it at its place in the order, the others under "
        "its `versions`; totalCount counts papers. The filter applies to works first."
    ),
]


@strawberry.type(
    description="A work another cites: its OpenAlex id, and the work when it is in the graph."
)
class Reference:
    id: strawberry.ID
    in_graph: bool = strawberry.field(description="Whether the cited work is in the graph.")
    work: Work | None = strawberry.field(description="The cited work; null when not in the graph.")


@strawberry.type
class ReferenceEdge:
    cursor: str
    node: Reference


@strawberry.type(description="A page of a work's references.")
class ReferenceConnection:
    nodes: list[Reference]
    edges: list[ReferenceEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="How many works its record cites, in the graph or not."
    )

    @classmethod
    def from_page(cls, page: ReferenceListPage) -> ReferenceConnection:
        """The connection of one page of a work's references."""
        nodes = [
            Reference(
                id=strawberry.ID(cited),
                in_graph=record is not None,
                work=Work.from_record(record) if record is not None else None,
            )
            for cited, record in page.references
        ]
        return cls(
            nodes=nodes,
            edges=[
                ReferenceEdge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)
            ],
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            total_count=page.total,
        )
