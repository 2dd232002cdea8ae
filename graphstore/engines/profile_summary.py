"""A profile's figures from the walk's hops, aggregated in Python.

The embedded engine's way to answer ``GraphStore.profile_summaries``: LadybugDB runs the three
hop queries (works, their authors, their topics) and this module ranks and counts. Neo4j
aggregates the same walk in Cypher instead (graphstore.engines.neo4j_store), and the
conformance tests hold both to the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from graphstore.records import (
    CLOSE_COLLABORATION_WORKS,
    AffiliationRecord,
    CollaborationRecord,
    ProfileSummary,
    ResearcherRecord,
    TopicRecord,
    TopicShareRecord,
)
from graphstore.traversal import Neighbour


def h_index(citations: Sequence[float]) -> int:
    """The largest h such that h works have at least h citations each."""
    ranked = sorted(citations, reverse=True)
    return sum(1 for rank, cited in enumerate(ranked, start=1) if cited >= rank)


def collaboration_order(record: CollaborationRecord) -> tuple[float, int, str, str]:
    """Strength (Newman) descending, then shared works descending, then name, then id."""
    researcher = record.researcher
    return (-record.strength, -record.shared_works, researcher.name, researcher.id)


def summarise(
    researcher_id: str,
    works: Sequence[Neighbour],
    authors_by_work: Sequence[Sequence[Neighbour]],
    topics_by_work: Sequence[Sequence[Neighbour]],
    *,
    followers: int,
    affiliations: Sequence[AffiliationRecord],
    min_shared: int,
    top: int,
) -> ProfileSummary:
    """The summary of one researcher from its works and, aligned with them, their authors
    and topics; followers and affiliations come as found."""
    collaborations = _collaborations(researcher_id, authors_by_work)
    shares = _topic_shares(topics_by_work)
    return ProfileSummary(
        works=len(works),
        citations=int(sum(w.node_weight for w in works)),
        h_index=h_index([w.node_weight for w in works]),
        topic_count=len(shares),
        collaborator_count=len(collaborations),
        close_collaborator_count=sum(
            1 for c in collaborations if c.shared_works >= CLOSE_COLLABORATION_WORKS
        ),
        followers=followers,
        affiliations=tuple(affiliations),
        topics=tuple(shares[:top]),
        collaborators=tuple([c for c in collaborations if c.shared_works >= min_shared][:top]),
    )


def _collaborations(
    researcher_id: str, authors_by_work: Sequence[Sequence[Neighbour]]
) -> list[CollaborationRecord]:
    shared: dict[str, int] = {}
    strength: dict[str, float] = {}
    records: dict[str, ResearcherRecord] = {}
    for authors in authors_by_work:
        for author in authors:
            if author.target == researcher_id or not isinstance(author.record, ResearcherRecord):
                continue
            shared[author.target] = shared.get(author.target, 0) + 1
            strength[author.target] = strength.get(author.target, 0.0) + author.edge_weight
            records[author.target] = author.record
    found = [
        CollaborationRecord(
            researcher=records[i], shared_works=shared[i], strength=round(strength[i], 9)
        )
        for i in shared
    ]
    return sorted(found, key=collaboration_order)


def _topic_shares(topics_by_work: Sequence[Sequence[Neighbour]]) -> list[TopicShareRecord]:
    counts: dict[str, int] = {}
    records: dict[str, TopicRecord] = {}
    for topics in topics_by_work:
        for topic in topics:
            if isinstance(topic.record, TopicRecord) and topic.target not in records:
                records[topic.target] = topic.record
        for topic_id in {t.target for t in topics if t.target in records}:
            counts[topic_id] = counts.get(topic_id, 0) + 1
    shares = [TopicShareRecord(topic=records[i], works=n) for i, n in counts.items()]
    shares.sort(key=lambda s: (-s.works, s.topic.name, s.topic.id))
    return shares
