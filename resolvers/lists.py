"""The analysts' lists: works and researchers across the graph, or a topic's or an
institution's, and the works counted by year, type, venue, topic or institution.

The sets they hold are graphstore.lists'. The client's filter is checked here before any list
is read: ids must be of the right kind and in the graph (else BAD_USER_INPUT, naming the
field), years must make a range, pages stay within the page-size limit.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from graphstore.ids import NodeLabel
from graphstore.lists import (
    FacetCount,
    FacetKey,
    ListedResearcher,
    ResearcherListRequest,
    ResearcherOrder,
    ResearcherScope,
    WorkFacetRequest,
    WorkListRequest,
    WorkScope,
)
from graphstore.records import TopicShareRecord, WorkFilter, WorkOrder
from resolvers.context import RequestContext
from resolvers.cursors import (
    decode_researcher_cursor,
    decode_work_cursor,
    encode_researcher_cursor,
)
from resolvers.errors import bad_input
from resolvers.lookups import client_id
from resolvers.works import WorkListPage, listed_works, page_size


@dataclass(frozen=True, slots=True)
class ScopeIds:
    """The nodes a filter names, as the client gave them (None: not named)."""

    topic: str | None = None
    institution: str | None = None
    researcher: str | None = None

    def named(self) -> bool:
        """Whether the filter names any node."""
        return any(raw is not None for raw in (self.topic, self.institution, self.researcher))


@dataclass(frozen=True, slots=True)
class ResearcherListPage:
    """One page of a researchers list, ready for a Relay connection."""

    researchers: tuple[ListedResearcher, ...]
    cursors: tuple[str, ...]
    has_next_page: bool
    total: int


# The scopes of the lists across the whole graph.
EVERY_WORK = WorkScope()
EVERY_RESEARCHER = ResearcherScope()

_KINDS = {
    "topic": NodeLabel.TOPIC,
    "institution": NodeLabel.INSTITUTION,
    "researcher": NodeLabel.RESEARCHER,
}


async def _checked_ids(context: RequestContext, given: ScopeIds, own: WorkScope) -> dict[str, str]:
    """The short ids of the nodes ``given`` names, each of its kind and in the graph; a list's
    own node (a topic's works: the topic) may be named again, not another of its kind."""
    found: dict[str, str] = {}
    for field, kind in _KINDS.items():
        raw = getattr(given, field)
        if raw is None:
            continue
        node_id = client_id(raw, kind, argument=f"filter.{field}")
        owned = getattr(own, field)
        if owned is not None and owned != node_id:
            raise bad_input(f"filter.{field}: this list holds the works of {owned} only")
        found[field] = node_id
    known = await asyncio.gather(
        *(_in_graph(context, field, node_id) for field, node_id in found.items())
    )
    for (field, node_id), present in zip(found.items(), known, strict=True):
        if not present:
            raise bad_input(f"filter.{field}: no {field} {node_id} in the graph")
    return found


async def _in_graph(context: RequestContext, field: str, node_id: str) -> bool:
    loaders = context.loaders
    if field == "topic":
        return await loaders.topic.load(node_id) is not None
    if field == "institution":
        return await loaders.institution.load(node_id) is not None
    return await loaders.researcher.load(node_id) is not None


async def work_scope(
    context: RequestContext, given: ScopeIds, venue: str | None, own: WorkScope = EVERY_WORK
) -> WorkScope:
    """The works a list's filter names, checked, within the list's ``own`` (a topic's works:
    its topic)."""
    found = await _checked_ids(context, given, own)
    return WorkScope(
        topic=found.get("topic", own.topic),
        institution=found.get("institution", own.institution),
        researcher=found.get("researcher", own.researcher),
        venue=venue if venue is not None else own.venue,
    )


async def works(
    context: RequestContext,
    scope: WorkScope,
    work_filter: WorkFilter,
    order: WorkOrder,
    first: int,
    after: str | None,
) -> WorkListPage:
    """One page of the works of ``scope`` passing ``work_filter``, after the cursor."""
    request = WorkListRequest(
        scope=scope,
        filter=work_filter,
        order=order,
        after=decode_work_cursor(after, order) if after else None,
        first=page_size(first),
    )
    return listed_works(order, await context.loaders.work_list.load(request))


async def work_facets(
    context: RequestContext, scope: WorkScope, work_filter: WorkFilter, by: FacetKey, first: int
) -> list[FacetCount]:
    """The ``first`` most frequent values of ``by`` among the list's works."""
    request = WorkFacetRequest(scope=scope, filter=work_filter, by=by, first=page_size(first))
    return await context.loaders.work_facets.load(request)


async def researcher_scope(
    context: RequestContext,
    given: ScopeIds,
    min_works: int | None,
    own: ResearcherScope = EVERY_RESEARCHER,
) -> ResearcherScope:
    """The researchers a list's filter names, checked, within the list's ``own`` scope."""
    if given.researcher is not None:
        raise bad_input("filter.researcher: a researchers list is filtered by topic or institution")
    if min_works is not None and min_works < 0:
        raise bad_input(f"filter.minWorks: must be 0 or more, got {min_works}")
    found = await _checked_ids(
        context, given, WorkScope(topic=own.topic, institution=own.institution)
    )
    return ResearcherScope(
        topic=found.get("topic", own.topic),
        institution=found.get("institution", own.institution),
        min_works=min_works if min_works is not None else own.min_works,
    )


async def researchers(
    context: RequestContext,
    scope: ResearcherScope,
    order: ResearcherOrder,
    first: int,
    after: str | None,
) -> ResearcherListPage:
    """One page of a researchers list, after the cursor."""
    request = ResearcherListRequest(
        scope=scope,
        order=order,
        after=decode_researcher_cursor(after, order) if after else None,
        first=page_size(first),
    )
    page = await context.loaders.researcher_list.load(request)
    return ResearcherListPage(
        researchers=page.researchers,
        cursors=tuple(encode_researcher_cursor(order, r.position) for r in page.researchers),
        has_next_page=page.has_next_page,
        total=page.total,
    )


async def institution_topics(
    context: RequestContext, institution_id: str, first: int
) -> list[TopicShareRecord]:
    """The topics of an institution's works, by how many of them each tags (the TOPIC facet
    of its works)."""
    counts = await work_facets(
        context, WorkScope(institution=institution_id), WorkFilter(), FacetKey.TOPIC, first
    )
    topics = await context.loaders.topic.load_many([count.value for count in counts])
    return [
        TopicShareRecord(topic=topic, works=count.count)
        for count, topic in zip(counts, topics, strict=True)
        if topic is not None
    ]
