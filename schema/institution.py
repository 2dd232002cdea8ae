"""Institutions: universities, companies and labs researchers are affiliated with."""

from __future__ import annotations

import strawberry

from graphstore.records import InstitutionRecord
from resolvers import figures
from resolvers.context import RequestContext
from schema.figures import COUNTS_BY_YEAR, WORKS_COUNTED, WorkStats, YearCount
from schema.node import Node


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
