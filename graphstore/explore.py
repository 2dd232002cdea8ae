"""Neighbourhoods and paths: the explorer's walks, built on the one traversal primitive.

Both walk the graph level by level with ``GraphStore.neighbours`` (one store query per hop
kind per level), so a profile page and the explorer share every edge definition and weight.

Weights of returned nodes (higher is stronger; ties are broken by id):
- researcher: the sum of the AUTHORED weights that reach it, 1 / (authors - 1) per work, so at
  depth 2 from a researcher it is exactly Newman's collaboration strength with the centre;
- topic: the sum of the HAS_TOPIC scores that reach it;
- work: its citation count;
- institution: the number of edges that reach it.
The centre has weight 1. When the limit cuts a level, the strongest candidates survive.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass

from graphstore.ids import NodeLabel, label_of
from graphstore.traversal import EdgeKind, Hop, Neighbour, hops_from

NeighbourFn = Callable[[Sequence[str], Hop], Awaitable[list[list[Neighbour]]]]

MAX_DEPTH = 3
MAX_LIMIT = 2000
MAX_PATH_DEPTH = 6
# A path search keeps at most this many nodes on each side: it answers or gives up, even
# between two hubs, in a bounded number of bounded queries.
PATH_FRONTIER_CAP = 20_000


@dataclass(frozen=True, slots=True)
class GraphNodeRecord:
    id: str
    label: NodeLabel
    name: str
    hop: int
    weight: float


@dataclass(frozen=True, slots=True)
class GraphEdgeRecord:
    source: str
    target: str
    kind: EdgeKind
    weight: float


@dataclass(frozen=True, slots=True)
class SubgraphRecord:
    center: str
    depth: int
    nodes: tuple[GraphNodeRecord, ...]
    edges: tuple[GraphEdgeRecord, ...]
    truncated: bool


def _node_weight(label: NodeLabel, reaching: Sequence[Neighbour]) -> float:
    if label is NodeLabel.WORK:
        return reaching[0].node_weight
    if label is NodeLabel.INSTITUTION:
        return float(len(reaching))
    return round(sum(n.edge_weight for n in reaching), 9)


async def explore(
    neighbours: NeighbourFn,
    center: str,
    center_name: str,
    depth: int,
    limit: int,
    kinds: Collection[NodeLabel] | None = None,
) -> SubgraphRecord:
    """The neighbourhood of ``center`` up to ``depth`` hops, at most ``limit`` nodes.

    ``kinds`` limits the kinds of node visited and returned (the centre is always there).
    """
    allowed = set(kinds) if kinds else set(NodeLabel)
    nodes: dict[str, GraphNodeRecord] = {
        center: GraphNodeRecord(center, label_of(center), center_name, 0, 1.0)
    }
    edges: dict[tuple[str, str, EdgeKind], GraphEdgeRecord] = {}
    frontier = [center]
    truncated = False
    for level in range(1, depth + 1):
        if not frontier:
            break
        reached = await _expand(neighbours, frontier, allowed)
        candidates: dict[str, list[Neighbour]] = {}
        for neighbour, _ in reached:
            if neighbour.target not in nodes:
                candidates.setdefault(neighbour.target, []).append(neighbour)
        ranked = sorted(
            (
                GraphNodeRecord(
                    node_id,
                    found[0].label,
                    found[0].name,
                    level,
                    _node_weight(found[0].label, found),
                )
                for node_id, found in candidates.items()
            ),
            key=lambda n: (-n.weight, n.id),
        )
        room = limit - len(nodes)
        kept = ranked[:room]
        nodes.update((n.id, n) for n in kept)
        for _, edge in reached:
            if edge.source in nodes and edge.target in nodes:
                edges[(edge.source, edge.target, edge.kind)] = edge
        if len(ranked) > room:
            truncated = True
            break
        frontier = [n.id for n in kept]
    return SubgraphRecord(
        center=center,
        depth=depth,
        nodes=tuple(sorted(nodes.values(), key=lambda n: (n.hop, -n.weight, n.id))),
        edges=tuple(sorted(edges.values(), key=lambda e: (e.source, e.target, e.kind.value))),
        truncated=truncated,
    )


@dataclass(slots=True)
class _Side:
    """One end of a bidirectional search: how each node was first reached."""

    frontier: list[str]
    reached_by: dict[str, tuple[str, GraphEdgeRecord, str] | None]


async def shortest_path(
    neighbours: NeighbourFn,
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
    everything = set(NodeLabel)
    for _ in range(max_depth):
        if deadline is not None and time.monotonic() > deadline:
            return None
        side_index = 0 if len(sides[0].frontier) <= len(sides[1].frontier) else 1
        side, other = sides[side_index], sides[1 - side_index]
        if not side.frontier:
            return None
        reached = await _expand(neighbours, side.frontier, everything)
        next_frontier: list[str] = []
        meeting: str | None = None
        for neighbour, edge in sorted(reached, key=lambda pair: (pair[0].target, pair[0].source)):
            node = neighbour.target
            if node in side.reached_by:
                continue
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
    neighbours: NeighbourFn, frontier: Sequence[str], allowed: set[NodeLabel]
) -> list[tuple[Neighbour, GraphEdgeRecord]]:
    """Every neighbour of the frontier over the hops to allowed kinds, with its edge."""
    by_label: dict[NodeLabel, list[str]] = {}
    for node_id in frontier:
        by_label.setdefault(label_of(node_id), []).append(node_id)
    hops = [
        (hop, ids)
        for label, ids in by_label.items()
        for hop in hops_from(label)
        if hop.spec.target in allowed
    ]
    results = await asyncio.gather(*(neighbours(ids, hop) for hop, ids in hops))
    reached: list[tuple[Neighbour, GraphEdgeRecord]] = []
    for (hop, _), found_lists in zip(hops, results, strict=True):
        for found in found_lists:
            reached.extend((n, _edge(n, forward=hop.spec.forward)) for n in found)
    return reached


def _edge(neighbour: Neighbour, *, forward: bool) -> GraphEdgeRecord:
    """The edge a hop walked, in the relationship's own direction."""
    source, target = (
        (neighbour.source, neighbour.target) if forward else (neighbour.target, neighbour.source)
    )
    return GraphEdgeRecord(source, target, neighbour.edge, round(neighbour.edge_weight, 9))
