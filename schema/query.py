"""The root query type."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphstore.records import InstitutionRecord, ResearcherRecord, TopicRecord, WorkRecord
from resolvers import accounts, auth, explorer, lookups
from resolvers import search as search_resolvers
from resolvers.context import RequestContext
from resolvers.permissions import Administrator
from schema.connections import PageInfo
from schema.enums import NodeKind, SearchOrder, WorkOrder
from schema.institution import Institution
from schema.lists import (
    ResearcherConnection,
    ResearcherFilter,
    ResearcherOrder,
    WorkFacet,
    WorkFacetKey,
    researchers_connection,
    work_facets,
    works_connection,
)
from schema.node import Node, WalkedKinds, node_labels, walk_view
from schema.researcher import Researcher
from schema.subgraph import ExploreView, Subgraph
from schema.topic import Topic
from schema.user import Claim, User
from schema.work import Work, WorkConnection, WorkFilter

Info = strawberry.Info[RequestContext, None]


def as_node(record: ResearcherRecord | WorkRecord | TopicRecord | InstitutionRecord) -> Node:
    """The GraphQL type of a stored record."""
    if isinstance(record, ResearcherRecord):
        return Researcher.from_record(record)
    if isinstance(record, WorkRecord):
        return Work.from_record(record)
    if isinstance(record, TopicRecord):
        return Topic.from_record(record)
    return Institution.from_record(record)


@strawberry.type(description="Search results, in the order asked.")
class SearchConnection:
    nodes: list[Node]
    page_info: PageInfo
    total_count: int = strawberry.field(
        description="How many nodes match any word, counted up to 1,000: 1,000 means at "
        "least that many. Pages reach only the best few hundred (see `search`)."
    )


@strawberry.type
class Query:
    @strawberry.field(description="Any node by OpenAlex id (short id or URL).")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        record = await lookups.node(info.context, str(id))
        return as_node(record) if record else None

    @strawberry.field(
        description="Researchers by name, works by title and abstract, topics and institutions "
        "by name. The text is plain words, folded the same way as the names and titles (case, "
        "Unicode NFKC, diacritics; punctuation separates words); syntax characters are "
        "searched for. The last word also matches as a prefix while it is being typed (no "
        "space after it). RELEVANCE ranks, in this order: the exact title or name; titles or "
        "names that start with the words; that hold them as a phrase; that hold every word; "
        "title and abstract together holding every word; any word. Within each, the share of "
        "the words the title or name holds and of it they cover, plus a small popularity "
        "prior (citations of a work, works count of a researcher) that breaks near-ties. "
        "Title and name matches: the 100 shortest (then most popular) of each of those "
        "stages; matches in abstracts (every word, any word) only when at most 100 match."
    )
    async def search(
        self,
        info: Info,
        query: str,
        kinds: Annotated[
            list[NodeKind] | None,
            strawberry.argument(
                description="Only nodes of these kinds; left out, every kind; an empty list "
                "is refused."
            ),
        ] = None,
        first: int = 10,
        after: str | None = None,
        order_by: SearchOrder = SearchOrder.RELEVANCE,
        year_from: Annotated[
            int | None,
            strawberry.argument(description="Only works of this year or later (0-9999)."),
        ] = None,
        year_to: Annotated[
            int | None,
            strawberry.argument(description="Only works of this year or earlier (0-9999)."),
        ] = None,
    ) -> SearchConnection:
        wanted = [k.value.lower() for k in kinds] if kinds is not None else None
        page = await search_resolvers.search(
            info.context,
            query,
            wanted,
            first,
            after,
            year_from=year_from,
            year_to=year_to,
            order=order_by.to_value(),
        )
        return SearchConnection(
            nodes=[as_node(r) for r in page.records],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            total_count=page.total,
        )

    @strawberry.field(
        description="The neighbourhood of any node at a chosen depth (1-3), at most `limit` "
        "nodes (up to 2,000), in one of the graph's views: every level is represented, each "
        "level's share of the limit split fairly among the kinds it reaches, the strongest "
        "surviving a cut (`omitted` says what was left out)."
    )
    async def explore(
        self,
        info: Info,
        center: strawberry.ID,
        depth: int = 2,
        limit: int = 200,
        kinds: WalkedKinds = None,
        view: ExploreView = ExploreView.FULL,
    ) -> Subgraph:
        record = await explorer.neighbourhood(
            info.context, str(center), depth, limit, node_labels(kinds), walk_view(view)
        )
        return Subgraph.from_record(record)

    @strawberry.field(
        name="path",
        description="A shortest connection between two nodes; null when none within maxDepth "
        "(at most 6); NOT_FOUND when either node is not in the graph.",
    )
    async def path(
        self,
        info: Info,
        from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
        to: strawberry.ID,
        max_depth: int = 4,
    ) -> Subgraph | None:
        record = await explorer.path(info.context, str(from_), str(to), max_depth)
        return Subgraph.from_record(record) if record else None

    @strawberry.field(description="A researcher by OpenAlex id (A925533110232 or its URL).")
    async def researcher(self, info: Info, id: strawberry.ID) -> Researcher | None:
        # The info carries the selection the look-ahead reads.
        record = await lookups.researcher(info.context, str(id), info)
        return Researcher.from_record(record) if record else None

    @strawberry.field(description="A work by OpenAlex id (W... or its URL).")
    async def work(self, info: Info, id: strawberry.ID) -> Work | None:
        record = await lookups.work(info.context, str(id))
        return Work.from_record(record) if record else None

    @strawberry.field(description="A topic by OpenAlex id (T..., or subfields/N, fields/N, ...).")
    async def topic(self, info: Info, id: strawberry.ID) -> Topic | None:
        record = await lookups.topic(info.context, str(id))
        return Topic.from_record(record) if record else None

    @strawberry.field(description="An institution by OpenAlex id (I... or its URL).")
    async def institution(self, info: Info, id: strawberry.ID) -> Institution | None:
        record = await lookups.institution(info.context, str(id))
        return Institution.from_record(record) if record else None

    @strawberry.field(
        description="Works across the graph, one keyset page at a time: every work, or those "
        "the filter keeps (a year range, types, a topic's, an institution's, a researcher's, a "
        "venue's works)."
    )
    async def works(
        self,
        info: Info,
        filter: WorkFilter | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
        first: int = 10,
        after: str | None = None,
    ) -> WorkConnection:
        return await works_connection(info, filter, order_by, first, after)

    @strawberry.field(
        description="Researchers across the graph, or a topic's or an institution's, ranked by "
        "their works there (or those works' citations), one keyset page at a time."
    )
    async def researchers(
        self,
        info: Info,
        filter: ResearcherFilter | None = None,
        order_by: ResearcherOrder = ResearcherOrder.MOST_WORKS,
        first: int = 10,
        after: str | None = None,
    ) -> ResearcherConnection:
        return await researchers_connection(info, filter, order_by, first, after)

    @strawberry.field(
        description="The works the filter keeps, counted by year, type, venue, topic or "
        "institution: the `first` most frequent values, most frequent first (ties: years "
        "newest first, others by label)."
    )
    async def work_facets(
        self, info: Info, by: WorkFacetKey, filter: WorkFilter | None = None, first: int = 10
    ) -> list[WorkFacet]:
        return await work_facets(info, filter, by, first)

    @strawberry.field(
        description="The signed-in user (send `Authorization: Bearer <token>`); null when "
        "anonymous, UNAUTHENTICATED when the token is not valid."
    )
    async def viewer(self, info: Info) -> User | None:
        record = await auth.viewer(info.context)
        return User.from_record(record) if record else None

    @strawberry.field(
        permission_classes=[Administrator],
        description="Claims waiting for an administrator, oldest first (administrators only).",
    )
    async def pending_claims(self, info: Info, first: int = 20) -> list[Claim]:
        return [Claim.from_record(c) for c in await accounts.pending_claims(info.context, first)]
