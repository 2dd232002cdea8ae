"""Neighbourhoods and paths: the explorer's walks, built on the one traversal primitive.

Both walk the graph level by level with ``GraphStore.neighbours`` (one store query per hop
kind per level), so a profile page and the explorer share every edge definition and weight.
A neighbourhood follows a ``Walk`` (graphstore.walk): its hops, its depth and its budget.

Weights of returned nodes (higher is stronger; ties are broken by id):
- work: its citation count;
- any other node: the sum of the weights of the edges that reach it from the level before:
  a researcher reached over AUTHORED at depth 2 from a researcher (or over COAUTHOR at
  depth 1) weighs exactly Newman's collaboration strength with the centre; a topic, the
  HAS_TOPIC scores (or the works shared, over CO_OCCURS); an institution, the authorships
  naming it (and 1 for an Author record's affiliation).
The centre has weight 1. The budget's rules are Walk's.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass

import msgspec

from graphstore.ids import NodeLabel, label_of
from graphstore.traversal import EdgeKind, Hop, Neighbour
from graphstore.walk import VIEW_HOPS, View, Walk, WalkStep, fair_shares

# GraphStore.expand: several hops at once from a walk's centre, each over its own frontier.
ExpandFn = Callable[[str, Sequence[WalkStep]], Awaitable[list[list[list[Neighbour]]]]]
# A frontier node, and the hop that reached it from the centre (level 1 only; else None).
_Frontier = list[tuple[str, Hop | None]]
# A neighbour the walk reached, and the hop it walked.
_Reached = tuple[Neighbour, Hop]

MAX_DEPTH = 3
MAX_LIMIT = 2000
MAX_PATH_DEPTH = 6
# A path search keeps at most this many nodes on each side: it answers or gives up, even
# between two hubs, in a bounded number of bounded queries.
PATH_FRONTIER_CAP = 20_000


class GraphNodeRecord(msgspec.Struct, frozen=True):
    id: str
    label: NodeLabel
    name: str
    hop: int
    weight: float


class GraphEdgeRecord(msgspec.Struct, frozen=True):
    source: str
    target: str
    kind: EdgeKind
    weight: float
    count: int = 1


class SubgraphRecord(msgspec.Struct, frozen=True):
    center: str
    depth: int
    nodes: tuple[GraphNodeRecord, ...]
    edges: tuple[GraphEdgeRecord, ...]
    truncated: bool
    omitted: tuple[OmittedRecord, ...] = ()


class OmittedRecord(msgspec.Struct, frozen=True):
    """How many nodes of a kind a level reached but left out for the budget."""

    hop: int
    label: NodeLabel
    count: int


# Contracted edges are symmetric: one edge a pair, whichever end the walk came from.
_SYMMETRIC = frozenset({EdgeKind.COAUTHOR, EdgeKind.CO_OCCURS})


def _node_weight(label: NodeLabel, reaching: Sequence[Neighbour]) -> float:
    if label is NodeLabel.WORK:
        return reaching[0].node_weight
    return round(sum([n.edge_weight for n in reaching]), 9)


async def explore(expand: ExpandFn, walk: Walk, center_name: str) -> SubgraphRecord:
    """The neighbourhood ``walk`` describes, at most ``walk.limit`` nodes."""
    center = walk.center
    nodes: dict[str, GraphNodeRecord] = {
        center: GraphNodeRecord(center, label_of(center), center_name, 0, 1.0)
    }
    edges: dict[tuple[str, str, EdgeKind], GraphEdgeRecord] = {}
    walked: list[_Reached] = []
    left_out: list[list[GraphNodeRecord]] = []
    frontier: _Frontier = [(center, None)]
    for level in range(1, walk.depth + 1):
        if not frontier:
            break
        hops = walk.hops + walk.center_hops if level == 1 else walk.hops
        reached = await _expand(expand, center, frontier, hops)
        walked += reached
        candidates: dict[str, list[Neighbour]] = {}
        first_hop: dict[str, Hop] = {}
        for neighbour, hop in reached:
            if neighbour.target not in nodes:
                candidates.setdefault(neighbour.target, []).append(neighbour)
                first_hop.setdefault(neighbour.target, hop)
        ranked = _ranked(level, candidates)
        room = -(-(walk.limit - len(nodes)) // (walk.depth - level + 1))
        kept, rest = _kept(ranked, room)
        nodes.update((n.id, n) for n in kept)
        left_out.append(rest)
        frontier = [(n.id, first_hop[n.id] if level == 1 else None) for n in kept]
    # Budget no level could use: the strongest left out, nearest levels first.
    omitted: list[OmittedRecord] = []
    for level, rest in enumerate(left_out, start=1):
        kept, rest = _kept(rest, walk.limit - len(nodes))
        nodes.update((n.id, n) for n in kept)
        counts: dict[NodeLabel, int] = {}
        for node in rest:
            counts[node.label] = counts.get(node.label, 0) + 1
        omitted += [OmittedRecord(level, label, n) for label, n in sorted(counts.items())]
    # Edges are made only for the walk's steps whose two ends were kept.
    for neighbour, hop in walked:
        if neighbour.source in nodes and neighbour.target in nodes:
            edge = _edge(neighbour, forward=hop.spec.forward)
            edges[(edge.source, edge.target, edge.kind)] = edge
    return SubgraphRecord(
        center=center,
        depth=walk.depth,
        nodes=tuple(sorted(nodes.values(), key=lambda n: (n.hop, -n.weight, n.id))),
        # EdgeKind is a str: it sorts as its value.
        edges=tuple(sorted(edges.values(), key=lambda e: (e.source, e.target, e.kind))),
        truncated=bool(omitted),
        omitted=tuple(omitted),
    )


def _ranked(level: int, candidates: dict[str, list[Neighbour]]) -> list[GraphNodeRecord]:
    return sorted(
        (
            GraphNodeRecord(
                node_id, found[0].label, found[0].name, level, _node_weight(found[0].label, found)
            )
            for node_id, found in candidates.items()
        ),
        key=lambda n: (-n.weight, n.id),
    )


def _kept(
    ranked: Sequence[GraphNodeRecord], room: int
) -> tuple[list[GraphNodeRecord], list[GraphNodeRecord]]:
    """The nodes a level keeps within ``room``, its fair share per kind, strongest first;
    and the rest, still strongest first."""
    demands: dict[NodeLabel, int] = {}
    for node in ranked:
        demands[node.label] = demands.get(node.label, 0) + 1
    shares = fair_shares(demands, max(room, 0))
    kept: list[GraphNodeRecord] = []
    rest: list[GraphNodeRecord] = []
    for node in ranked:
        if shares[node.label] > 0:
            shares[node.label] -= 1
            kept.append(node)
        else:
            rest.append(node)
    return kept, rest


@dataclass(slots=True)
class _Side:
    """One end of a bidirectional search: how each node was first reached."""

    frontier: list[str]
    reached_by: dict[str, tuple[str, GraphEdgeRecord, str] | None]


async def shortest_path(
    expand: ExpandFn,
    start: tuple[str, str],
    goal: tuple[str, str],
    max_depth: int,
    deadline: float | None = None,
) -> SubgraphRecord | None:
    """A shortest connection between two nodes (given as (id, name)), or None within max_depth.

    Searches from both ends at once, always growing the smaller side, so the work grows with
    the square root of what a one-sided search would touch; each side keeps at most
    PATH_FRONTIER_CAP nodes and the search gives up (None) past ``deadline`` (monotonic).
    """
    start_id, goal_id = start[0], goal[0]
    names = {start_id: start[1], goal_id: goal[1]}
    if start_id == goal_id:
        return _path_subgraph([start_id], [], names)
    sides = (
        _Side([start_id], {start_id: None}),
        _Side([goal_id], {goal_id: None}),
    )
    everything = VIEW_HOPS[View.FULL]
    for _ in range(max_depth):
        if deadline is not None and time.monotonic() > deadline:
            return None
        side_index = 0 if len(sides[0].frontier) <= len(sides[1].frontier) else 1
        side, other = sides[side_index], sides[1 - side_index]
        if not side.frontier:
            return None
        reached = await _expand(expand, start_id, [(n, None) for n in side.frontier], everything)
        next_frontier: list[str] = []
        meeting: str | None = None
        for neighbour, hop in sorted(reached, key=lambda found: (found[0].target, found[0].source)):
            node = neighbour.target
            if node in side.reached_by:
                continue
            edge = _edge(neighbour, forward=hop.spec.forward)
            side.reached_by[node] = (neighbour.source, edge, neighbour.name)
            names.setdefault(node, neighbour.name)
            next_frontier.append(node)
            if node in other.reached_by and meeting is None:
                meeting = node
        if meeting is not None:
            ids, path_edges = _join(sides[0], sides[1], meeting)
            return _path_subgraph(ids, path_edges, names)
        side.frontier = next_frontier[:PATH_FRONTIER_CAP]
    return None


def _trail(side: _Side, node: str) -> tuple[list[str], list[GraphEdgeRecord]]:
    """The nodes from a side's origin to ``node``, and the edges between them."""
    nodes = [node]
    edges: list[GraphEdgeRecord] = []
    step = side.reached_by[node]
    while step is not None:
        previous, edge, _ = step
        nodes.append(previous)
        edges.append(edge)
        step = side.reached_by[previous]
    nodes.reverse()
    edges.reverse()
    return nodes, edges


def _join(
    start_side: _Side, goal_side: _Side, meeting: str
) -> tuple[list[str], list[GraphEdgeRecord]]:
    head_nodes, head_edges = _trail(start_side, meeting)
    tail_nodes, tail_edges = _trail(goal_side, meeting)
    tail_nodes.reverse()
    tail_edges.reverse()
    return head_nodes + tail_nodes[1:], head_edges + tail_edges


def _path_subgraph(
    ids: Sequence[str], edges: Sequence[GraphEdgeRecord], names: dict[str, str]
) -> SubgraphRecord:
    nodes = tuple(
        GraphNodeRecord(node_id, label_of(node_id), names.get(node_id, node_id), hop, 1.0)
        for hop, node_id in enumerate(ids)
    )
    return SubgraphRecord(
        center=ids[0], depth=len(ids) - 1, nodes=nodes, edges=tuple(edges), truncated=False
    )


async def _expand(
    expand: ExpandFn, center: str, frontier: _Frontier, hops: Collection[Hop]
) -> list[_Reached]:
    """Every neighbour of the frontier over ``hops``, with the hop walked."""
    groups: dict[tuple[NodeLabel, Hop | None], list[str]] = {}
    for node_id, via in frontier:
        groups.setdefault((label_of(node_id), via), []).append(node_id)
    steps = [
        WalkStep(hop, tuple(ids), via)
        for (label, via), ids in groups.items()
        for hop in hops
        if hop.spec.source is label
    ]
    results = await expand(center, steps)
    reached: list[_Reached] = []
    for step, found_lists in zip(steps, results, strict=True):
        hop = step.hop
        for found in found_lists:
            reached += [(n, hop) for n in found]
    return reached


def _edge(neighbour: Neighbour, *, forward: bool) -> GraphEdgeRecord:
    """The edge a hop walked, in the relationship's own direction (a symmetric one from the
    smaller id)."""
    source, target = (
        (neighbour.source, neighbour.target) if forward else (neighbour.target, neighbour.source)
    )
    if neighbour.edge in _SYMMETRIC and target < source:
        source, target = target, source
    weight = round(neighbour.edge_weight, 9)
    return GraphEdgeRecord(source, target, neighbour.edge, weight, neighbour.paths)
