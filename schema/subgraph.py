"""What graph explorers draw: a subgraph of nodes with hop and weight, and their edges."""

from __future__ import annotations

from enum import Enum

import strawberry

from graphstore.explore import SubgraphRecord
from graphstore.ids import NodeLabel
from graphstore.traversal import EdgeKind as GraphEdgeKind
from schema.enums import NodeKind


@strawberry.enum(
    description="Edges a subgraph draws: the graph's relationships, AFFILIATED_WITH also for "
    "a researcher's authorships at an institution, FROM_INSTITUTION for a work's, and the "
    "contracted edges of the views: COAUTHOR (works two researchers share) and CO_OCCURS "
    "(works two topics tag); VERSION_OF joins two versions of one paper (Work.versions)."
)
class EdgeKind(Enum):
    AUTHORED = "AUTHORED"
    HAS_TOPIC = "HAS_TOPIC"
    PART_OF = "PART_OF"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    CITES = "CITES"
    FROM_INSTITUTION = "FROM_INSTITUTION"
    COAUTHOR = "COAUTHOR"
    CO_OCCURS = "CO_OCCURS"
    VERSION_OF = "VERSION_OF"


@strawberry.enum(
    description="Which graph explore walks: FULL, every kind of node; COAUTHORS, researchers "
    "linked by shared works (edge weight: Newman strength); CITATIONS, works linked by "
    "citations both ways; TOPICS, topics linked by the works they share."
)
class ExploreView(Enum):
    FULL = "FULL"
    COAUTHORS = "COAUTHORS"
    CITATIONS = "CITATIONS"
    TOPICS = "TOPICS"


@strawberry.type(description="A node of a subgraph: its kind, label, distance and weight.")
class GraphNode:
    id: strawberry.ID
    kind: NodeKind
    label: str
    hop: int
    weight: float


@strawberry.type(description="An edge between two nodes of the same subgraph.")
class GraphEdge:
    source: strawberry.ID
    target: strawberry.ID
    kind: EdgeKind
    weight: float
    count: int = strawberry.field(
        description="How many paths the edge stands for: the works shared (COAUTHOR, "
        "CO_OCCURS), the authorships naming the institution (AFFILIATED_WITH from "
        "authorships, FROM_INSTITUTION); 1 for a relationship of the graph."
    )


@strawberry.type(description="How many nodes of a kind a level reached but left out.")
class Omitted:
    hop: int
    kind: NodeKind
    count: int


# By member: an enum's name and value are properties, a microsecond each on thousands of nodes.
_NODE_KINDS = {label: NodeKind[label.name] for label in NodeLabel}
_EDGE_KINDS = {kind: EdgeKind[kind.value] for kind in GraphEdgeKind}


@strawberry.type(description="A neighbourhood or a path, ready to draw.")
class Subgraph:
    center: strawberry.ID
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = strawberry.field(description="True when the limit cut the neighbourhood.")
    omitted: list[Omitted] = strawberry.field(
        description="What the limit left out, by hop and kind, of the nodes the walk reached."
    )

    @classmethod
    def from_record(cls, record: SubgraphRecord) -> Subgraph:
        """The GraphQL view of a computed subgraph."""
        return cls(
            center=strawberry.ID(record.center),
            depth=record.depth,
            nodes=[
                GraphNode(
                    id=strawberry.ID(n.id),
                    kind=_NODE_KINDS[n.label],
                    label=n.name,
                    hop=n.hop,
                    weight=n.weight,
                )
                for n in record.nodes
            ],
            edges=[
                GraphEdge(
                    source=strawberry.ID(e.source),
                    target=strawberry.ID(e.target),
                    kind=_EDGE_KINDS[e.kind],
                    weight=e.weight,
                    count=e.count,
                )
                for e in record.edges
            ],
            truncated=record.truncated,
            omitted=[
                Omitted(hop=o.hop, kind=_NODE_KINDS[o.label], count=o.count) for o in record.omitted
            ],
        )
