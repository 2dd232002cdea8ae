"""Figures of a node's works, the same for researchers, topics and institutions, and what an
OpenAlex Author record says of its author.

A node's works are the works one hop reaches from it (graphstore.traversal.WORK_SETS); the
store aggregates them (compiler.work_set_query), once per field asked, never for a field not
asked.
"""

from __future__ import annotations

from graphstore.ids import label_of
from graphstore.records import OpenAlexAuthorFigures, WorkSetStats, YearCounts
from graphstore.traversal import WORK_SETS
from resolvers.context import RequestContext


async def work_stats(context: RequestContext, node_id: str) -> WorkSetStats:
    """How many works the node has, and the citations they have."""
    return await context.loaders.work_set_stats(WORK_SETS[label_of(node_id)]).load(node_id)


async def counts_by_year(context: RequestContext, node_id: str) -> list[YearCounts]:
    """The node's works year by year, oldest first: published, and citations received."""
    return await context.loaders.counts_by_year(WORK_SETS[label_of(node_id)]).load(node_id)


async def openalex_figures(
    context: RequestContext, researcher_id: str
) -> OpenAlexAuthorFigures | None:
    """What the researcher's OpenAlex Author record says; None without one."""
    return await context.loaders.openalex_figures.load(researcher_id)
