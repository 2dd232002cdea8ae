"""Works (papers, preprints, ...) and their Relay connections."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry

from graphstore.records import AuthorshipRecord, WorkRecord
from resolvers import works as work_resolvers
from resolvers.context import RequestContext
from resolvers.works import WorkListPage
from schema.connections import PageInfo
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
    # The authors, when the work came with them (a page of a researcher's works).
    known_authors: strawberry.Private[list[Authorship] | None] = None

    @strawberry.field(
        description="Authors in author order.", metadata={PREFETCHED: "known_authors"}
    )
    async def authors(self, info: strawberry.Info[RequestContext, None]) -> list[Authorship]:
        if self.known_authors is not None:
            return self.known_authors
        records = await work_resolvers.authorships(info.context, str(self.id))
        return [Authorship.from_record(r) for r in records]

    @strawberry.field(description="Topics with OpenAlex's scores, highest first.")
    async def topics(self, info: strawberry.Info[RequestContext, None]) -> list[TopicScore]:
        pairs = await work_resolvers.work_topics(info.context, str(self.id))
        return [TopicScore(topic=Topic.from_record(t), score=score) for t, score in pairs]

    @classmethod
    def from_record(
        cls, record: WorkRecord, authors: Sequence[AuthorshipRecord] | None = None
    ) -> Work:
        """The GraphQL view of a stored work (with its authorships, when known)."""
        return cls(
            known_authors=None if authors is None else [Authorship.from_record(a) for a in authors],
            id=strawberry.ID(record.id),
            title=record.title,
            type=record.type,
            year=record.year,
            venue=record.venue,
            doi=record.doi,
            abstract=record.abstract,
            citations=record.citations,
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
        nodes = [
            Work.from_record(w, authors) for w, authors in zip(page.works, authorships, strict=True)
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
