"""Institutions: universities, companies and labs researchers are affiliated with."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graphstore.lists import ResearcherScope, WorkScope
from graphstore.records import InstitutionRecord
from resolvers import figures, lists
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
from schema.topic import Topic, TopicShare

if TYPE_CHECKING:
    from schema.work import WorkConnection, WorkFilter


@strawberry.type(description="An institution.")
class Institution(Node):
    name: str
    country: str | None
    type: str | None
    ror: str | None

    @classmethod
    def from_record(cls, record: InstitutionRecord) -> Institution:
        """The GraphQL view of a stored institution."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            country=record.country,
            type=record.type,
            ror=record.ror,
        )

    @strawberry.field(
        description="Its researchers: those whose authorships list it (by their works here) "
        "and those whose Author record lists it, with the years known."
    )
    async def researchers(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: ResearcherOrder = ResearcherOrder.MOST_WORKS,
        filter: ResearcherFilter | None = None,
    ) -> ResearcherConnection:
        own = ResearcherScope(institution=str(self.id))
        return await researchers_connection(info, filter, order_by, first, after, own)

    @strawberry.field(
        description="The works one of whose authorships lists it, one keyset page at a time."
    )
    async def works(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
        filter: Annotated[WorkFilter, strawberry.lazy("schema.work")] | None = None,
    ) -> Annotated[WorkConnection, strawberry.lazy("schema.work")]:
        own = WorkScope(institution=str(self.id))
        return await works_connection(info, filter, order_by, first, after, own)

    @strawberry.field(description="The topics of its works, by how many of them each tags.")
    async def topics(
        self, info: strawberry.Info[RequestContext, None], first: int = 10
    ) -> list[TopicShare]:
        shares = await lists.institution_topics(info.context, str(self.id), first)
        return [TopicShare(topic=Topic.from_record(s.topic), works=s.works) for s in shares]

    @strawberry.field(
        description="What its works add up to: the works with an authorship naming this "
        f"institution. {WORKS_COUNTED}"
    )
    async def stats(self, info: strawberry.Info[RequestContext, None]) -> WorkStats:
        return WorkStats.from_record(await figures.work_stats(info.context, str(self.id)))

    @strawberry.field(description=COUNTS_BY_YEAR)
    async def counts_by_year(self, info: strawberry.Info[RequestContext, None]) -> list[YearCount]:
        years = await figures.counts_by_year(info.context, str(self.id))
        return [YearCount.from_record(y) for y in years]


@strawberry.type(description="An institution a researcher is known at, with the years.")
class Affiliation:
    institution: Institution
    years: list[int]
