"""Profile figures: stats, topics, collaborators, affiliations and trust of a researcher.

All of them come from one walk, Researcher -AUTHORED-> Work, then from those works
<-AUTHORED- Researcher and -HAS_TOPIC-> Topic: three store queries whatever the number of
works, co-authors or topics (the DataLoaders of graphstore.traversal's hops).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from graphstore.records import (
    AffiliationRecord,
    CollaborationRecord,
    ResearcherRecord,
    ResearcherStatsRecord,
    TopicRecord,
    TopicShareRecord,
)
from graphstore.traversal import Hop, Neighbour
from resolvers.context import RequestContext
from resolvers.errors import bad_input
from resolvers.trust import Trust, trust_snapshot

MAX_LIST = 100


@dataclass(frozen=True, slots=True)
class CoAuthor:
    """What a researcher shares with one co-author."""

    id: str
    name: str
    shared_works: int
    strength: float
    record: ResearcherRecord


@dataclass(frozen=True, slots=True)
class ProfileWalk:
    """The researcher's works, co-authors and topics, as the two-hop walk found them."""

    works: tuple[Neighbour, ...]
    coauthors: tuple[CoAuthor, ...]
    topic_works: dict[str, int]
    topics: dict[str, TopicRecord]


def collaboration_order(coauthor: CoAuthor) -> tuple[float, int, str, str]:
    """Strength (Newman) descending, then shared works descending, then name, then id."""
    return (-coauthor.strength, -coauthor.shared_works, coauthor.name, coauthor.id)


async def walk(context: RequestContext, researcher_id: str) -> ProfileWalk:
    """Researcher -> works -> (co-authors, topics), through the per-request hop loaders."""
    loaders = context.loaders
    works = await loaders.neighbours(Hop.WORKS_OF_RESEARCHER).load(researcher_id)
    work_ids = [w.target for w in works]
    authors_by_work, topics_by_work = await asyncio.gather(
        loaders.neighbours(Hop.AUTHORS_OF_WORK).load_many(work_ids),
        loaders.neighbours(Hop.TOPICS_OF_WORK).load_many(work_ids),
    )
    topics = {
        t.target: t.record
        for found in topics_by_work
        for t in found
        if isinstance(t.record, TopicRecord)
    }
    return ProfileWalk(
        works=tuple(works),
        coauthors=_coauthors(researcher_id, authors_by_work),
        topic_works=_topic_work_counts(topics_by_work),
        topics=topics,
    )


def _coauthors(
    researcher_id: str, authors_by_work: Sequence[list[Neighbour]]
) -> tuple[CoAuthor, ...]:
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
    coauthors = (
        CoAuthor(
            id=i,
            name=records[i].name,
            shared_works=shared[i],
            strength=round(strength[i], 9),
            record=records[i],
        )
        for i in shared
    )
    return tuple(sorted(coauthors, key=collaboration_order))


def _topic_work_counts(topics_by_work: Sequence[list[Neighbour]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for topics in topics_by_work:
        for topic in {t.target for t in topics}:
            counts[topic] = counts.get(topic, 0) + 1
    return counts


def h_index(citations: Sequence[int]) -> int:
    """The largest h such that h works have at least h citations each."""
    ranked = sorted(citations, reverse=True)
    return sum(1 for rank, cited in enumerate(ranked, start=1) if cited >= rank)


async def stats(context: RequestContext, researcher_id: str) -> ResearcherStatsRecord:
    """The profile's figures, all derived from the graph now."""
    profile, followers = await asyncio.gather(
        walk(context, researcher_id), context.loaders.follower_count.load(researcher_id)
    )
    citations = [int(w.node_weight) for w in profile.works]
    return ResearcherStatsRecord(
        works=len(profile.works),
        followers=followers,
        topics=len(profile.topic_works),
        close_collaborators=sum(1 for c in profile.coauthors if c.shared_works >= 2),
        citations=sum(citations),
        h_index=h_index(citations),
        collaborators=len(profile.coauthors),
    )


def list_size(first: int, argument: str = "first") -> int:
    """A list length argument checked against the limit."""
    if first < 0 or first > MAX_LIST:
        raise bad_input(f"{argument}: must be between 0 and {MAX_LIST}, got {first}")
    return first


async def topics(context: RequestContext, researcher_id: str, first: int) -> list[TopicShareRecord]:
    """The researcher's topics by number of works, then name, then id."""
    first = list_size(first)
    profile = await walk(context, researcher_id)
    shares = [
        TopicShareRecord(topic=profile.topics[topic_id], works=count)
        for topic_id, count in profile.topic_works.items()
    ]
    shares.sort(key=lambda s: (-s.works, s.topic.name, s.topic.id))
    return shares[:first]


async def collaborators(
    context: RequestContext, researcher_id: str, first: int, min_shared_works: int
) -> list[CollaborationRecord]:
    """Co-authors with at least ``min_shared_works`` shared works, strongest first."""
    first = list_size(first)
    if min_shared_works < 1:
        raise bad_input("minSharedWorks: must be at least 1")
    profile = await walk(context, researcher_id)
    chosen = [c for c in profile.coauthors if c.shared_works >= min_shared_works][:first]
    return [
        CollaborationRecord(researcher=c.record, shared_works=c.shared_works, strength=c.strength)
        for c in chosen
    ]


async def affiliations(context: RequestContext, researcher_id: str) -> list[AffiliationRecord]:
    """Known institutions with years, most recent first; empty when none were imported."""
    return await context.loaders.affiliations.load(researcher_id)


async def trust(context: RequestContext, record: ResearcherRecord) -> Trust:
    """The trust snapshot of a researcher."""
    figures, known = await asyncio.gather(
        stats(context, record.id), context.loaders.affiliations.load(record.id)
    )
    return trust_snapshot(record, figures, affiliation_known=bool(known))
