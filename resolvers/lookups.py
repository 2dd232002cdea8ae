"""Look-ups by id: validate the client's id, then load through the request's DataLoaders."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from graphstore.identifiers import ExternalId, client_reference
from graphstore.ids import InvalidIdError, NodeLabel, label_of, normalize_id
from graphstore.records import InstitutionRecord, ResearcherRecord, TopicRecord, WorkRecord
from graphstore.traversal import Hop
from resolvers.context import RequestContext
from resolvers.errors import bad_input
from resolvers.lookahead import profile_plan


def client_id(raw: str, expected: NodeLabel | None = None, argument: str = "id") -> str:
    """The short id of a client-given id, or a BAD_USER_INPUT error naming the argument."""
    try:
        return normalize_id(raw, expected)
    except InvalidIdError as error:
        raise bad_input(f"{argument}: {error}") from error


async def node_id(context: RequestContext, raw: str, expected: NodeLabel) -> str | None:
    """The id of the node a client names by OpenAlex id, or for a work by DOI, for a
    researcher by ORCID, for an institution by ROR (looked up: None when no node has it);
    a BAD_USER_INPUT error for anything else."""
    try:
        named = client_reference(raw, expected)
    except InvalidIdError as error:
        raise bad_input(f"id: {error}") from error
    if isinstance(named, ExternalId):
        return await context.loaders.identified.load(named.key)
    return named


async def researcher(
    context: RequestContext, raw_id: str, info: Info[Any, Any] | None = None
) -> ResearcherRecord | None:
    """The researcher with this id (or ORCID), None when the graph has none.

    With the field's ``info``, what its selection will load comes in the same store call
    (resolvers.lookahead).
    """
    researcher_id = await node_id(context, raw_id, NodeLabel.RESEARCHER)
    if researcher_id is None:
        return None
    plan = profile_plan(info, researcher_id) if info is not None else None
    if plan is None or (plan.summary is None and not plan.pages):
        return await context.loaders.researcher.load(researcher_id)
    return await context.loaders.profile.load(plan)


async def work(context: RequestContext, raw_id: str) -> WorkRecord | None:
    """The work with this id (or DOI), None when the graph has none."""
    work_id = await node_id(context, raw_id, NodeLabel.WORK)
    return await context.loaders.work.load(work_id) if work_id else None


async def topic(context: RequestContext, raw_id: str) -> TopicRecord | None:
    """The topic (or hierarchy level) with this id, None when the graph has none."""
    return await context.loaders.topic.load(client_id(raw_id, NodeLabel.TOPIC))


async def institution(context: RequestContext, raw_id: str) -> InstitutionRecord | None:
    """The institution with this id (or ROR), None when the graph has none."""
    institution_id = await node_id(context, raw_id, NodeLabel.INSTITUTION)
    return await context.loaders.institution.load(institution_id) if institution_id else None


async def topic_parent(context: RequestContext, topic_id: str) -> TopicRecord | None:
    """The hierarchy level above a topic."""
    parents = await context.loaders.neighbours(Hop.PARENT_OF_TOPIC).load(topic_id)
    if not parents:
        return None
    return await context.loaders.topic.load(min(p.target for p in parents))


async def topic_ancestors(context: RequestContext, topic_id: str) -> list[TopicRecord]:
    """The levels above a topic, nearest first, up to its domain (topic -> subfield -> field
    -> domain): one parent look-up a level."""
    chain: list[TopicRecord] = []
    seen = {topic_id}
    parent = await topic_parent(context, topic_id)
    # The hierarchy is a tree of four levels; a cycle in bad data ends the chain.
    while parent is not None and parent.id not in seen:
        chain.append(parent)
        seen.add(parent.id)
        parent = await topic_parent(context, parent.id)
    return chain


async def topic_children(context: RequestContext, topic_id: str) -> list[TopicRecord]:
    """The hierarchy levels directly below a topic, by name."""
    children = await context.loaders.neighbours(Hop.CHILDREN_OF_TOPIC).load(topic_id)
    records = await context.loaders.topic.load_many([c.target for c in children])
    return sorted((r for r in records if r is not None), key=lambda r: (r.name, r.id))


async def node(
    context: RequestContext, raw_id: str
) -> ResearcherRecord | WorkRecord | TopicRecord | InstitutionRecord | None:
    """Any node by id, typed by the id's prefix."""
    short = client_id(raw_id)
    label = label_of(short)
    if label is NodeLabel.RESEARCHER:
        return await context.loaders.researcher.load(short)
    if label is NodeLabel.WORK:
        return await context.loaders.work.load(short)
    if label is NodeLabel.TOPIC:
        return await context.loaders.topic.load(short)
    return await context.loaders.institution.load(short)
