"""The one traversal primitive: expand a frontier of nodes by one typed hop.

A profile page and the explorer are the same walk at different depths. Collaborators are
Researcher -AUTHORED-> Work <-AUTHORED- Researcher, a researcher's topics are
Researcher -AUTHORED-> Work -HAS_TOPIC-> Topic, and the explorer walks the same hops from any
node. Every hop is one store query for the whole frontier (``GraphStore.neighbours``).

Weights, the same for the profile and the explorer:
- AUTHORED: 1 / (authors - 1), a work's share in Newman's collaboration strength (1 for a
  single-author work); summed over the works two researchers share, it is their strength.
- HAS_TOPIC: the topic's score for the work. PART_OF, CITES, AFFILIATED_WITH: 1.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from graphstore.ids import NodeLabel
from graphstore.records import InstitutionRecord, ResearcherRecord, TopicRecord


class EdgeKind(StrEnum):
    """Relationship types of the graph. Cypher types come from here, never from input."""

    AUTHORED = "AUTHORED"
    HAS_TOPIC = "HAS_TOPIC"
    PART_OF = "PART_OF"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    CITES = "CITES"


class HopSpec(msgspec.Struct, frozen=True):
    """One hop: from nodes of ``source`` over ``edge`` (forwards or backwards) to ``target``."""

    source: NodeLabel
    edge: EdgeKind
    target: NodeLabel
    forward: bool


class Hop(StrEnum):
    """The allow-list of hops the graph can be walked along."""

    WORKS_OF_RESEARCHER = "WORKS_OF_RESEARCHER"
    AUTHORS_OF_WORK = "AUTHORS_OF_WORK"
    TOPICS_OF_WORK = "TOPICS_OF_WORK"
    WORKS_OF_TOPIC = "WORKS_OF_TOPIC"
    PARENT_OF_TOPIC = "PARENT_OF_TOPIC"
    CHILDREN_OF_TOPIC = "CHILDREN_OF_TOPIC"
    REFERENCES_OF_WORK = "REFERENCES_OF_WORK"
    CITERS_OF_WORK = "CITERS_OF_WORK"
    INSTITUTIONS_OF_RESEARCHER = "INSTITUTIONS_OF_RESEARCHER"
    RESEARCHERS_OF_INSTITUTION = "RESEARCHERS_OF_INSTITUTION"

    @property
    def spec(self) -> HopSpec:
        """Source, edge, target and direction of this hop."""
        return HOP_SPECS[self]


_RESEARCHER, _WORK = NodeLabel.RESEARCHER, NodeLabel.WORK
_TOPIC, _INSTITUTION = NodeLabel.TOPIC, NodeLabel.INSTITUTION
HOP_SPECS: dict[Hop, HopSpec] = {
    Hop.WORKS_OF_RESEARCHER: HopSpec(_RESEARCHER, EdgeKind.AUTHORED, _WORK, forward=True),
    Hop.AUTHORS_OF_WORK: HopSpec(_WORK, EdgeKind.AUTHORED, _RESEARCHER, forward=False),
    Hop.TOPICS_OF_WORK: HopSpec(_WORK, EdgeKind.HAS_TOPIC, _TOPIC, forward=True),
    Hop.WORKS_OF_TOPIC: HopSpec(_TOPIC, EdgeKind.HAS_TOPIC, _WORK, forward=False),
    Hop.PARENT_OF_TOPIC: HopSpec(_TOPIC, EdgeKind.PART_OF, _TOPIC, forward=True),
    Hop.CHILDREN_OF_TOPIC: HopSpec(_TOPIC, EdgeKind.PART_OF, _TOPIC, forward=False),
    Hop.REFERENCES_OF_WORK: HopSpec(_WORK, EdgeKind.CITES, _WORK, forward=True),
    Hop.CITERS_OF_WORK: HopSpec(_WORK, EdgeKind.CITES, _WORK, forward=False),
    Hop.INSTITUTIONS_OF_RESEARCHER: HopSpec(
        _RESEARCHER, EdgeKind.AFFILIATED_WITH, _INSTITUTION, forward=True
    ),
    Hop.RESEARCHERS_OF_INSTITUTION: HopSpec(
        _INSTITUTION, EdgeKind.AFFILIATED_WITH, _RESEARCHER, forward=False
    ),
}


def hops_from(label: NodeLabel) -> tuple[Hop, ...]:
    """Every hop that starts at nodes of this label."""
    return tuple(hop for hop, spec in HOP_SPECS.items() if spec.source is label)


class Neighbour(msgspec.Struct, frozen=True):
    """A node one hop from ``source``, with the edge that leads there.

    ``node_weight`` is the node's own importance where it has one (a work's citations).
    ``record`` is the target itself when it is small (researcher, topic, institution), so the
    walk needs no second look-up; works, whose abstracts are large, load by id. ``year`` and
    ``work_type`` (target works), ``position`` and ``institutions`` (authorships) are set where
    the hop knows them.
    """

    source: str
    target: str
    label: NodeLabel
    name: str
    edge: EdgeKind
    edge_weight: float
    node_weight: float
    record: ResearcherRecord | TopicRecord | InstitutionRecord | None = None
    year: int | None = None
    work_type: str | None = None
    position: int | None = None
    institutions: tuple[str, ...] = ()
