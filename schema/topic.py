"""Topics and the levels above them (subfield, field, domain)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graphstore.lists import ResearcherScope, WorkScope
from graphstore.records import TopicRecord
from resolvers import figures, lookups
from resolvers.context import RequestContext
from schema.enums import WorkOrder
from schema.figures import COUNTS_BY_YEAR, WORKS_COUNTED, WorkStats, YearCount
from schema.lists import (
    ResearcherConnection,
    ResearcherFilter,
    ResearcherOrder,
    researchers_connection,
    works_connection,
)
from schema.node import Node

if TYPE_CHECKING:
    from schema.work import WorkConnection, WorkFilter


@strawberry.type(description="A research topic, or a level of OpenAlex's topic hierarchy.")
class Topic(Node):
    name: str
    level: str

    @classmethod
    def from_record(cls, record: TopicRecord) -> Topic:
        """The GraphQL view of a stored topic."""
        return cls(id=strawberry.ID(record.id), name=record.name, level=record.level)

    @strawberry.field(description="The level above: topic -> subfield -> field -> domain.")
    async def parent(self, info: strawberry.Info[RequestContext, None]) -> Topic | None:
        record = await lookups.topic_parent(info.context, str(self.id))
        return Topic.from_record(record) if record else None

    @strawberry.field(description="The levels directly below, by name.")
    async def children(self, info: strawberry.Info[RequestContext, None]) -> list[Topic]:
        return [
            Topic.from_record(r) for r in await lookups.topic_children(info.context, str(self.id))
        ]

    @strawberry.field(description="The levels above, nearest first, up to the domain.")
    async def ancestors(self, info: strawberry.Info[RequestContext, None]) -> list[Topic]:
        return [
            Topic.from_record(r) for r in await lookups.topic_ancestors(info.context, str(self.id))
        ]

    @strawberry.field(
        description="The works tagged with this topic or with a topic below it, one keyset "
        "page at a time."
    )
    async def works(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
        filter: Annotated[WorkFilter, strawberry.lazy("schema.work")] | None = None,
    ) -> Annotated[WorkConnection, strawberry.lazy("schema.work")]:
        own = WorkScope(topic=str(self.id))
        return await works_connection(info, filter, order_by, first, after, own)

    @strawberry.field(
        description="The authors of this topic's works, ranked by their works in it (or those "
        "works' citations)."
    )
    async def researchers(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: ResearcherOrder = ResearcherOrder.MOST_WORKS,
        filter: ResearcherFilter | None = None,
    ) -> ResearcherConnection:
        own = ResearcherScope(topic=str(self.id))
        return await researchers_connection(info, filter, order_by, first, after, own)

    @strawberry.field(
        description="What its works add up to: the works tagged with this topic or, for a "
        f"subfield, field or domain, with a topic below it. {WORKS_COUNTED}"
    )
    async def stats(self, info: strawberry.Info[RequestContext, None]) -> WorkStats:
        return WorkStats.from_record(await figures.work_stats(info.context, str(self.id)))

    @strawberry.field(description=COUNTS_BY_YEAR)
    async def counts_by_year(self, info: strawberry.Info[RequestContext, None]) -> list[YearCount]:
        years = await figures.counts_by_year(info.context, str(self.id))
        return [YearCount.from_record(y) for y in years]


@strawberry.type(description="A topic of a researcher, with how many of their works have it.")
class TopicShare:
    topic: Topic
    works: int


@strawberry.type(description="A topic of a work, with OpenAlex's score.")
class TopicScore:
    topic: Topic
    score: float
