"""The root query type."""

from __future__ import annotations

import strawberry

from resolvers import lookups
from resolvers.context import RequestContext
from schema.researcher import Researcher
from schema.work import Work


@strawberry.type
class Query:
    @strawberry.field(description="A researcher by OpenAlex id (A925533110232 or its URL).")
    async def researcher(
        self, info: strawberry.Info[RequestContext, None], id: strawberry.ID
    ) -> Researcher | None:
        record = await lookups.researcher(info.context, str(id))
        return Researcher.from_record(record) if record else None

    @strawberry.field(description="A work by OpenAlex id (W... or its URL).")
    async def work(
        self, info: strawberry.Info[RequestContext, None], id: strawberry.ID
    ) -> Work | None:
        record = await lookups.work(info.context, str(id))
        return Work.from_record(record) if record else None
