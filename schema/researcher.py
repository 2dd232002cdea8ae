"""Researchers: the public author records a profile page is built from."""

from __future__ import annotations

import strawberry

from graphstore.records import ResearcherRecord, WorkFilterSpec
from resolvers import works as work_resolvers
from resolvers.context import RequestContext
from schema.enums import ClaimStatus, WorkOrder
from schema.node import Node
from schema.work import WorkConnection, WorkFilter


@strawberry.type(description="The figures of a researcher profile.")
class ResearcherStats:
    researcher_id: strawberry.Private[str]

    @strawberry.field(description="Works authored, in this graph.")
    async def works(self, info: strawberry.Info[RequestContext, None]) -> int:
        return await work_resolvers.researcher_work_count(
            info.context, self.researcher_id, WorkFilterSpec()
        )


@strawberry.type(description="A researcher: an OpenAlex author record, claimable by a person.")
class Researcher(Node):
    name: str
    orcid: str | None
    bio: str | None
    open_to_collaborate: bool
    claim_status: ClaimStatus

    @classmethod
    def from_record(cls, record: ResearcherRecord) -> Researcher:
        """The GraphQL view of a stored researcher."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            orcid=record.orcid,
            bio=record.bio,
            open_to_collaborate=record.open_to_collaborate,
            claim_status=ClaimStatus(record.claim_status.value),
        )

    @strawberry.field(description="Profile figures, derived from the graph.")
    def stats(self) -> ResearcherStats:
        return ResearcherStats(researcher_id=str(self.id))

    @strawberry.field(description="The researcher's works, one keyset page at a time.")
    async def works(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
        filter: WorkFilter | None = None,
    ) -> WorkConnection:
        given = filter or WorkFilter()
        filter_spec = work_resolvers.work_filter(given.year_from, given.year_to, given.types)
        page = await work_resolvers.researcher_works(
            info.context,
            str(self.id),
            first=first,
            after=after,
            order=order_by.to_value(),
            filter_spec=filter_spec,
        )
        return WorkConnection.from_page(page, str(self.id), filter_spec)
