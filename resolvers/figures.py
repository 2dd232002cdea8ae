"""Figures of a node's works, the same for researchers, topics and institutions, and what an
OpenAlex Author record says of its author.

A node's works are a researcher's, a topic's or an institution's (GraphStore.work_set_stats
says which); the store aggregates them, once per field asked, never for a field not asked.
"""

from __future__ import annotations

from graphstore.ids import label_of
from graphstore.records import OpenAlexAuthorFigures, WorkSetStats, YearCounts
from resolvers.context import RequestContext


async def work_stats(context: RequestContext, node_id: str) -> WorkSetStats:
    """How many works the node has, and the citations they have."""
    return await context.loaders.work_set_stats(label_of(node_id)).load(node_id)


async def counts_by_year(context: RequestContext, node_id: str) -> list[YearCounts]:
    """The node's works year by year, oldest first: published, and citations received."""
    return await context.loaders.counts_by_year(label_of(node_id)).load(node_id)


async def openalex_figures(
    context: RequestContext, researcher_id: str
) -> OpenAlexAuthorFigures | None:
    """What the researcher's OpenAlex Author record says; None without one."""
    return await context.loaders.openalex_figures.load(researcher_id)
