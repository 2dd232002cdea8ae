"""The hops a walk may take, as plain data: the allow-list the compiler turns into Cypher.

A profile page and the explorer are the same walk at different depths (graphstore.walk).
Collaborators are Researcher -AUTHORED-> Work <-AUTHORED- Researcher, a researcher's topics are
Researcher -AUTHORED-> Work -HAS_TOPIC-> Topic, and the explorer walks the same hops from any
node. Every hop is one store query for the whole frontier (``GraphStore.neighbours``), printed
from these specs by graphstore.engines.compiler, which also computes each edge's weight:
- AUTHORED: 1 / (authors - 1), a work's share in Newman's collaboration strength (1 for a
  single-author work); COAUTHOR: their sum over the works two researchers share, the strength;
- HAS_TOPIC: the topic's score for the work (a researcher's topic: the works it tags);
- CO_OCCURS: the works two topics share; AFFILIATED_WITH (authorships) and
  FROM_INSTITUTION: the authorships that name the institution (either way: from a work or
  a researcher to its institutions, or from an institution to its works and researchers);
  PART_OF, CITES and AFFILIATED_WITH (Author records): 1; VERSION_OF: the keys two versions
  share.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec

from graphstore.ids import NodeLabel
from graphstore.records import InstitutionRecord, ResearcherRecord, TopicRecord


class EdgeKind(StrEnum):
    """Edges a walk draws. The first six are relationship types of the graph (Cypher types
    come from here, never from input): FROM_INSTITUTION links a work to each institution its
    authorships list, with how many do. The others are drawn for walks that contract a path:
    AFFILIATED_WITH also stands for a researcher's authorships at an institution, COAUTHOR for
    works two researchers share, CO_OCCURS for works two topics share, VERSION_OF for two
    versions of one paper."""

    AUTHORED = "AUTHORED"
    HAS_TOPIC = "HAS_TOPIC"
    PART_OF = "PART_OF"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    CITES = "CITES"
    FROM_INSTITUTION = "FROM_INSTITUTION"
    COAUTHOR = "COAUTHOR"
    CO_OCCURS = "CO_OCCURS"
    VERSION_OF = "VERSION_OF"


class HopShape(StrEnum):
    """How a hop reaches its target: over one relationship, over two through a work (a
    contracted hop: co-authors, co-occurring topics, a researcher's topics), or through the
    institution ids an authorship (AUTHORED) lists (from an institution: the authorships of
    its works that list it), or to the other versions of a work (graphstore.versions)."""

    RELATIONSHIP = "RELATIONSHIP"
    THROUGH_WORK = "THROUGH_WORK"
    AUTHORSHIP_INSTITUTIONS = "AUTHORSHIP_INSTITUTIONS"
    VERSIONS = "VERSIONS"


class HopSpec(msgspec.Struct, frozen=True):
    """One hop: from nodes of ``source`` to nodes of ``target``, drawn as an ``edge``.

    RELATIONSHIP hops walk the relationship ``edge`` forwards or backwards; the other shapes
    say in ``shape`` which path they walk (the compiler in graphstore.engines has the
    patterns).
    """

    source: NodeLabel
    edge: EdgeKind
    target: NodeLabel
    forward: bool
    shape: HopShape = HopShape.RELATIONSHIP


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
    AUTHORSHIP_INSTITUTIONS_OF_RESEARCHER = "AUTHORSHIP_INSTITUTIONS_OF_RESEARCHER"
    INSTITUTIONS_OF_WORK = "INSTITUTIONS_OF_WORK"
    WORKS_OF_INSTITUTION = "WORKS_OF_INSTITUTION"
    AUTHORSHIP_RESEARCHERS_OF_INSTITUTION = "AUTHORSHIP_RESEARCHERS_OF_INSTITUTION"
    COAUTHORS_OF_RESEARCHER = "COAUTHORS_OF_RESEARCHER"
    TOPICS_OF_RESEARCHER = "TOPICS_OF_RESEARCHER"
    COOCCURRING_TOPICS = "COOCCURRING_TOPICS"
    VERSIONS_OF_WORK = "VERSIONS_OF_WORK"

    @property
    def spec(self) -> HopSpec:
        """Source, edge, target and direction of this hop."""
        return HOP_SPECS[self]


_RESEARCHER, _WORK = NodeLabel.RESEARCHER, NodeLabel.WORK
_TOPIC, _INSTITUTION = NodeLabel.TOPIC, NodeLabel.INSTITUTION
_THROUGH_WORK = HopShape.THROUGH_WORK
_AUTHORSHIPS = HopShape.AUTHORSHIP_INSTITUTIONS
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
    Hop.AUTHORSHIP_INSTITUTIONS_OF_RESEARCHER: HopSpec(
        _RESEARCHER, EdgeKind.AFFILIATED_WITH, _INSTITUTION, forward=True, shape=_AUTHORSHIPS
    ),
    Hop.INSTITUTIONS_OF_WORK: HopSpec(
        _WORK, EdgeKind.FROM_INSTITUTION, _INSTITUTION, forward=True, shape=_AUTHORSHIPS
    ),
    Hop.WORKS_OF_INSTITUTION: HopSpec(
        _INSTITUTION, EdgeKind.FROM_INSTITUTION, _WORK, forward=False
    ),
    Hop.AUTHORSHIP_RESEARCHERS_OF_INSTITUTION: HopSpec(
        _INSTITUTION, EdgeKind.AFFILIATED_WITH, _RESEARCHER, forward=False, shape=_AUTHORSHIPS
    ),
    Hop.COAUTHORS_OF_RESEARCHER: HopSpec(
        _RESEARCHER, EdgeKind.COAUTHOR, _RESEARCHER, forward=True, shape=_THROUGH_WORK
    ),
    Hop.TOPICS_OF_RESEARCHER: HopSpec(
        _RESEARCHER, EdgeKind.HAS_TOPIC, _TOPIC, forward=True, shape=_THROUGH_WORK
    ),
    Hop.COOCCURRING_TOPICS: HopSpec(
        _TOPIC, EdgeKind.CO_OCCURS, _TOPIC, forward=True, shape=_THROUGH_WORK
    ),
    Hop.VERSIONS_OF_WORK: HopSpec(
        _WORK, EdgeKind.VERSION_OF, _WORK, forward=True, shape=HopShape.VERSIONS
    ),
}


class Neighbour(msgspec.Struct, frozen=True):
    """A node one hop from ``source``, with the edge that leads there.

    ``node_weight`` is the node's own importance where it has one (a work's citations).
    ``record`` is the target itself when it is small (researcher, topic, institution), so the
    walk needs no second look-up; works, whose abstracts are large, load by id. ``year`` and
    ``work_type`` (target works), ``position`` and ``institutions`` (authorships) are set where
    the hop knows them; ``paths`` is how many paths a contracted hop stands for (the works two
    co-authors share, the authorships naming an institution), with ``years`` their works'.
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
    paths: int = 1
    years: tuple[int, ...] = ()
