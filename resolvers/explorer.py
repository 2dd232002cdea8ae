"""The explorer's resolvers: neighbourhoods and paths, each level of a walk one call to the
store's ``expand`` (no DataLoader: a walk's levels depend on each other, and a future per
frontier node cost more than the level's queries)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from graphstore.explore import (
    MAX_DEPTH,
    MAX_LIMIT,
    MAX_PATH_DEPTH,
    SubgraphRecord,
    explore,
    shortest_path,
)
from graphstore.ids import NodeLabel, label_of
from graphstore.walk import VIEW_KIND, View, Walk, view_center_hops, view_hops
from resolvers.context import RequestContext
from resolvers.errors import NO_KINDS, NOT_FOUND, ClientError, bad_input
from resolvers.lookups import client_id

# A path search gives up after this long, well inside any request deadline.
PATH_SECONDS = 5.0


def _checked(depth: int, limit: int) -> None:
    if not 1 <= depth <= MAX_DEPTH:
        raise bad_input(f"depth: must be between 1 and {MAX_DEPTH}, got {depth}")
    if not 1 <= limit <= MAX_LIMIT:
        raise bad_input(f"limit: must be between 1 and {MAX_LIMIT}, got {limit}")


async def node_name(context: RequestContext, node_id: str) -> str | None:
    """The label a graph explorer shows for a node (name or title), None when absent."""
    label = label_of(node_id)
    loaders = context.loaders
    if label is NodeLabel.RESEARCHER:
        researcher = await loaders.researcher.load(node_id)
        return researcher.name if researcher else None
    if label is NodeLabel.WORK:
        work = await loaders.work.load(node_id)
        return work.title if work else None
    if label is NodeLabel.TOPIC:
        topic = await loaders.topic.load(node_id)
        return topic.name if topic else None
    institution = await loaders.institution.load(node_id)
    return institution.name if institution else None


async def neighbourhood(
    context: RequestContext,
    raw_center: str,
    depth: int,
    limit: int,
    kinds: Sequence[NodeLabel] | None,
    view: View = View.FULL,
) -> SubgraphRecord:
    """The neighbourhood of a node in a view of the graph, as the explorer draws it."""
    _checked(depth, limit)
    if kinds is not None and not kinds:
        raise bad_input(NO_KINDS)
    if kinds is not None and view is not View.FULL:
        raise bad_input(f"kinds: only the FULL view takes kinds; {view.value} walks one kind")
    center = client_id(raw_center, argument="center")
    walked = VIEW_KIND.get(view)
    if walked is not None and label_of(center) is not walked:
        raise bad_input(
            f"center: the {view.value} view walks {walked.value.lower()}s; {center} is not one"
        )
    name = await node_name(context, center)
    if name is None:
        raise ClientError(f"center: no node {center} in the graph", NOT_FOUND)
    walk = Walk(
        center=center,
        depth=depth,
        limit=limit,
        hops=view_hops(view, kinds),
        center_hops=view_center_hops(view, kinds),
    )
    return await explore(context.store.expand, walk, name)


async def path(
    context: RequestContext, raw_from: str, raw_to: str, max_depth: int
) -> SubgraphRecord | None:
    """A shortest connection between two nodes, or None within ``max_depth`` hops;
    NOT_FOUND when either is not in the graph."""
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise bad_input(f"maxDepth: must be between 1 and {MAX_PATH_DEPTH}, got {max_depth}")
    start = client_id(raw_from, argument="from")
    goal = client_id(raw_to, argument="to")
    start_name = await node_name(context, start)
    goal_name = await node_name(context, goal)
    # As explore's centre: a mistyped end says so rather than reading as "not connected".
    if start_name is None:
        raise ClientError(f"from: no node {start} in the graph", NOT_FOUND)
    if goal_name is None:
        raise ClientError(f"to: no node {goal} in the graph", NOT_FOUND)
    return await shortest_path(
        context.store.expand,
        (start, start_name),
        (goal, goal_name),
        max_depth,
        deadline=time.monotonic() + PATH_SECONDS,
    )
