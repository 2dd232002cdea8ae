"""Profile figures: stats, topics, collaborators, affiliations and trust of a researcher.

All of them come from one store summary of the walk Researcher -AUTHORED-> Work, then from
those works <-AUTHORED- Researcher and -HAS_TOPIC-> Topic (GraphStore.profile_summaries),
loaded once per request whatever the number of works, co-authors or topics.
"""

from __future__ import annotations

from graphstore.records import (
    CLOSE_COLLABORATION_WORKS,
    AffiliationRecord,
    CollaborationRecord,
    ProfileSummary,
    ResearcherRecord,
    ResearcherStatsRecord,
    SummaryOptions,
    TopicShareRecord,
)
from resolvers.context import RequestContext
from resolvers.errors import bad_input
from resolvers.loaders import PROFILE_LIST_LIMIT, summary_options
from resolvers.trust import Trust, trust_snapshot

# Stats, trust, affiliations, topics and the profile page's collaborators (minSharedWorks: 2)
# share one summary, so one load.
FIGURES = summary_options(CLOSE_COLLABORATION_WORKS, 0)


async def _summary(
    context: RequestContext, researcher_id: str, options: SummaryOptions = FIGURES
) -> ProfileSummary:
    return await context.loaders.profile_summary(options).load(researcher_id)


async def stats(context: RequestContext, researcher_id: str) -> ResearcherStatsRecord:
    """The profile's figures, all derived from the graph now."""
    summary = await _summary(context, researcher_id)
    return ResearcherStatsRecord(
        works=summary.works,
        followers=summary.followers,
        topics=summary.topic_count,
        close_collaborators=summary.close_collaborator_count,
        citations=summary.citations,
        h_index=summary.h_index,
        collaborators=summary.collaborator_count,
        i10_index=summary.i10_index,
    )


def list_size(first: int, argument: str = "first") -> int:
    """A list length argument checked against the limit."""
    if first < 0 or first > PROFILE_LIST_LIMIT:
        raise bad_input(f"{argument}: must be between 0 and {PROFILE_LIST_LIMIT}, got {first}")
    return first


def topics_summary(first: int) -> SummaryOptions:
    """The summary a topics list of ``first`` reads (checked)."""
    return summary_options(CLOSE_COLLABORATION_WORKS, list_size(first))


def collaborators_summary(first: int, min_shared_works: int) -> SummaryOptions:
    """The summary a collaborators list reads (its arguments checked)."""
    first = list_size(first)
    if min_shared_works < 1:
        raise bad_input("minSharedWorks: must be at least 1")
    return summary_options(min_shared_works, first)


async def topics(context: RequestContext, researcher_id: str, first: int) -> list[TopicShareRecord]:
    """The researcher's topics by number of works, then name, then id."""
    summary = await _summary(context, researcher_id, topics_summary(first))
    return list(summary.topics[:first])


async def collaborators(
    context: RequestContext, researcher_id: str, first: int, min_shared_works: int
) -> list[CollaborationRecord]:
    """Co-authors with at least ``min_shared_works`` shared works, strongest first."""
    options = collaborators_summary(first, min_shared_works)
    summary = await _summary(context, researcher_id, options)
    return list(summary.collaborators[:first])


async def affiliations(context: RequestContext, researcher_id: str) -> list[AffiliationRecord]:
    """Known institutions with years, most recent first; empty when none were imported."""
    return list((await _summary(context, researcher_id)).affiliations)


async def trust(context: RequestContext, record: ResearcherRecord) -> Trust:
    """The trust snapshot of a researcher."""
    figures = await stats(context, record.id)
    known = (await _summary(context, record.id)).affiliations
    return trust_snapshot(record, figures, affiliation_known=bool(known))
