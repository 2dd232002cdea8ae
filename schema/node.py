"""The Node interface: every graph entity, addressed by its OpenAlex id."""

from __future__ import annotations

from typing import Annotated

import strawberry

from graphstore.ids import NodeLabel
from graphstore.walk import View
from resolvers import explorer
from resolvers.context import RequestContext
from schema.enums import NodeKind
from schema.subgraph import ExploreView, Subgraph

WalkedKinds = Annotated[
    list[NodeKind] | None,
    strawberry.argument(
        description="Only these kinds of node are walked and returned (the centre always is); "
        "left out, every kind; an empty list is refused. Without WORK, researchers still meet "
        "through the works they share (COAUTHOR edges) and topics through the works they tag "
        "(CO_OCCURS). The FULL view only."
    ),
]


def node_labels(kinds: list[NodeKind] | None) -> list[NodeLabel] | None:
    """The graph labels of GraphQL node kinds."""
    return [NodeLabel[kind.name] for kind in kinds] if kinds is not None else None


def walk_view(view: ExploreView) -> View:
    """The walk's view of a GraphQL view."""
    return View[view.name]


@strawberry.interface(description="An entity of the research graph, by its OpenAlex id.")
class Node:
    id: strawberry.ID

    @strawberry.field(description="The nodes around this one, the same traversal as Query.explore.")
    async def neighbourhood(
        self,
        info: strawberry.Info[RequestContext, None],
        depth: int = 1,
        limit: int = 100,
        kinds: WalkedKinds = None,
        view: ExploreView = ExploreView.FULL,
    ) -> Subgraph:
        record = await explorer.neighbourhood(
            info.context, str(self.id), depth, limit, node_labels(kinds), walk_view(view)
        )
        return Subgraph.from_record(record)
