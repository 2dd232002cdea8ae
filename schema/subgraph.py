"""What graph explorers draw: a subgraph of nodes with hop and weight, and their edges."""

from __future__ import annotations

from enum import Enum

import strawberry

from graphstore.explore import SubgraphRecord
from schema.enums import NodeKind


@strawberry.enum(description="Relationship types of the graph.")
class EdgeKind(Enum):
    AUTHORED = "AUTHORED"
    HAS_TOPIC = "HAS_TOPIC"
    PART_OF = "PART_OF"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    CITES = "CITES"


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


@strawberry.type(description="A neighbourhood or a path, ready to draw.")
class Subgraph:
    center: strawberry.ID
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = strawberry.field(description="True when the limit cut the neighbourhood.")

    @classmethod
    def from_record(cls, record: SubgraphRecord) -> Subgraph:
        """The GraphQL view of a computed subgraph."""
        return cls(
            center=strawberry.ID(record.center),
            depth=record.depth,
            nodes=[
                GraphNode(
                    id=strawberry.ID(n.id),
                    kind=NodeKind[n.label.name],
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
                    kind=EdgeKind[e.kind.value],
                    weight=e.weight,
                )
                for e in record.edges
            ],
            truncated=record.truncated,
        )
