"""The explorer floors' shared half: from what the hand-written queries fetched around a
researcher (``Neighbourhood``) to each level's edges (``levels``), to the subgraph an
``explore`` response holds (``assemble``), and the comparison with our server's response.

The hops from a researcher to depth 2: Researcher -AUTHORED-> Work, -AFFILIATED_WITH->
Institution and -> Institution through its authorships' institutions (AFFILIATED_WITH too);
from a work its authors (<-AUTHORED-), topics (-HAS_TOPIC->), references and citers (CITES
both ways) and the institutions its authorships list (FROM_INSTITUTION); from an
institution its researchers (<-AFFILIATED_WITH-). (PART_OF, from a topic, is a third hop.)

The rules are the API's (schema.graphql, ``Query.explore``; graphstore/walk.py), written
again here from their description: level by level from the centre, a level's new nodes
ranked by weight (ties by id) and kept within the level's share of ``limit`` (the centre
counts), fairly among kinds (``assemble``); the edges kept are those found whose two ends are
kept. Weights: a work its citations, any other node the sum of the weights of the edges that
reach it (an authorship 1 / (authors - 1), so at depth 2 a researcher's is Newman's strength
with the centre; a topic's HAS_TOPIC scores; an institution's, the authorships naming it).
An edge's weight: an authorship's share as above, HAS_TOPIC its score, an authorship
institution the authorships that list it, every other kind 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

# The institutions an authorship lists (AUTHORED.institutions) as edges of the walk: from the
# researcher (beside AFFILIATED_WITH, which is where the profile's affiliations come from too)
# and from the work (the API's FROM_INSTITUTION), each weighing the authorships that list it.
VIA_AUTHORSHIP_RESEARCHER = "AFFILIATED_WITH"
VIA_AUTHORSHIP_WORK = "FROM_INSTITUTION"


# A node one hop from a source and the edge walked: (source, target, target kind, target name,
# edge kind, edge weight, target's own weight (a work's citations), whether the edge points from
# source to target). Plain tuples: the hub's walk makes some 2,500 of them.
Reached = tuple[str, str, str, str, str, float, float, bool]


def authorship_weight(author_count: int | None) -> float:
    """An authorship's share in its co-authors' collaboration strength."""
    authors = int(author_count or 1)
    return 1.0 / (authors - 1) if authors > 1 else 1.0


# Kinds in the API's order: the last places of a level's fair shares go in this order.
KINDS = ("RESEARCHER", "WORK", "TOPIC", "INSTITUTION")


def fair_shares(demands: dict[str, int], room: int) -> dict[str, int]:
    """``room`` split evenly among the kinds a level reached, a kind that wants less than its
    share leaving the rest to the others; the last places one each, in KINDS order."""
    shares = dict.fromkeys(demands, 0)
    left = max(room, 0)
    wanting = [kind for kind in demands if demands[kind] > 0]
    while wanting and left:
        share = left // len(wanting)
        if share == 0:
            for kind in sorted(wanting, key=KINDS.index)[:left]:
                shares[kind] += 1
            break
        for kind in list(wanting):
            given = min(share, demands[kind] - shares[kind])
            shares[kind] += given
            left -= given
            if shares[kind] == demands[kind]:
                wanting.remove(kind)
    return shares


Node = tuple[str, str, str, int, float]  # id, kind, name, hop, weight


def _kept(ranked: Sequence[Node], room: int) -> tuple[list[Node], list[Node]]:
    demands: dict[str, int] = {}
    for node in ranked:
        demands[node[1]] = demands.get(node[1], 0) + 1
    shares = fair_shares(demands, room)
    kept, rest = [], []
    for node in ranked:
        if shares[node[1]] > 0:
            shares[node[1]] -= 1
            kept.append(node)
        else:
            rest.append(node)
    return kept, rest


def assemble(
    center: str,
    center_name: str,
    limit: int,
    depth: int,
    levels: Iterable[Sequence[Reached]],
) -> dict[str, Any]:
    """The subgraph from each level's reached edges (``levels``, in order), by the API's
    budget: a level keeps at most the budget left divided by the levels left, split fairly
    among the kinds it reached, the strongest of each kind first; only the nodes a level kept
    are walked from at the next; budget no level used goes to the strongest left out,
    nearest levels first."""
    nodes: dict[str, Node] = {center: (center, "RESEARCHER", center_name, 0, 1.0)}
    frontier = {center}
    found_edges: list[tuple[tuple[str, str, str], float]] = []
    left_out: list[list[Node]] = []
    for level, reached in enumerate(levels, start=1):
        if not frontier:
            break
        # target -> [kind, name, summed edge weight, own weight]
        candidates: dict[str, list[Any]] = {}
        for source, target, kind, name, edge, edge_weight, node_weight, forward in reached:
            if source not in frontier:
                continue
            key = (source, target, edge) if forward else (target, source, edge)
            found_edges.append((key, edge_weight))
            if target in nodes:
                continue
            found = candidates.get(target)
            if found is None:
                candidates[target] = [kind, name, edge_weight, node_weight]
            else:
                found[2] += edge_weight
        ranked = sorted(
            (
                (node_id, kind, name, level, own if kind == "WORK" else round(summed, 9))
                for node_id, (kind, name, summed, own) in candidates.items()
            ),
            key=lambda node: (-node[4], node[0]),
        )
        room = -(-(limit - len(nodes)) // (depth - level + 1))
        kept, rest = _kept(ranked, room)
        nodes.update((node[0], node) for node in kept)
        left_out.append(rest)
        frontier = {node[0] for node in kept}
    truncated = False
    for rest in left_out:
        kept, still_out = _kept(rest, limit - len(nodes))
        nodes.update((node[0], node) for node in kept)
        truncated = truncated or bool(still_out)
    edges = {key: weight for key, weight in found_edges if key[0] in nodes and key[1] in nodes}
    return {
        "center": center,
        "nodes": sorted(nodes.values(), key=lambda n: (n[3], -n[4], n[0])),
        "edges": sorted([(s, t, k, round(w, 9)) for (s, t, k), w in edges.items()]),
        "truncated": truncated,
    }


@dataclass(slots=True)
class Neighbourhood:
    """What an explorer floor fetched around a researcher; works by id.

    ``works``: (id, title, citations, author count, the institutions the centre's authorship
    lists). ``affiliated``: the centre's AFFILIATED_WITH institutions (id, name).
    ``institution_names``: every institution the authorships list that is in the graph.
    ``authors`` (depth 2): every authorship of the works, the centre's included, as four
    aligned lists: work ids, author ids, author names, and the institutions each lists.
    ``topics``: (work, topic, name, score); ``references`` and
    ``citers``: (work, other work, its title, its citations). ``institution_researchers``:
    (institution, researcher, name) of the level-1 institutions (``level_one_institutions``).
    """

    name: str
    works: list[tuple[str, str | None, int | None, int | None, list[str] | None]]
    affiliated: list[tuple[str, str | None]]
    institution_names: dict[str, str | None] = field(default_factory=dict)
    authors: list[list[Any]] = field(default_factory=lambda: [[], [], [], []])
    topics: list[tuple[str, str, str | None, float | None]] = field(default_factory=list)
    references: list[tuple[str, str, str | None, int | None]] = field(default_factory=list)
    citers: list[tuple[str, str, str | None, int | None]] = field(default_factory=list)
    institution_researchers: list[tuple[str, str, str | None]] = field(default_factory=list)


def listed_institutions(found: Neighbourhood, *, works_too: bool) -> set[str]:
    """The institutions the centre's authorships list and, with ``works_too``, those every
    authorship of its works lists (what ``institution_names`` must name)."""
    listed = {iid for *_, ids in found.works for iid in ids or ()}
    if works_too:
        listed.update(iid for ids in found.authors[3] for iid in ids or ())
    return listed


def level_one_institutions(found: Neighbourhood) -> list[str]:
    """The institutions one hop from the centre: AFFILIATED_WITH and those its authorships
    list that are in the graph (``institution_names`` filled)."""
    level_one = dict.fromkeys(iid for iid, _ in found.affiliated)
    level_one.update(
        (iid, None)
        for iid in sorted(listed_institutions(found, works_too=False))
        if iid in found.institution_names
    )
    return list(level_one)


def levels(center: str, found: Neighbourhood, depth: int) -> Iterator[list[Reached]]:
    """The walk's levels from what was fetched: depth 1, then depth 2 (see the module)."""
    weights = {wid: authorship_weight(n) for wid, _, _, n, _ in found.works}
    names = found.institution_names
    affiliated = dict(found.affiliated)
    first: list[Reached] = [
        (center, wid, "WORK", title or wid, "AUTHORED", weights[wid], float(c or 0), True)
        for wid, title, c, _, _ in found.works
    ]
    first += [
        (center, iid, "INSTITUTION", iname or iid, "AFFILIATED_WITH", 1.0, 0.0, True)
        for iid, iname in found.affiliated
    ]
    authorships = Counter(iid for *_, ids in found.works for iid in ids or ())
    first += [
        (
            center,
            iid,
            "INSTITUTION",
            names[iid] or iid,
            VIA_AUTHORSHIP_RESEARCHER,
            float(authorships[iid]),
            0.0,
            True,
        )
        for iid in sorted(authorships)
        if iid in names and iid not in affiliated
    ]
    yield first
    if depth < 2:
        return
    work_ids, author_ids, author_names, listed = found.authors
    second: list[Reached] = [
        (wid, tid, "RESEARCHER", tname or tid, "AUTHORED", weights[wid], 0.0, False)
        for wid, tid, tname in zip(work_ids, author_ids, author_names, strict=True)
    ]
    pairs = Counter(
        (wid, iid) for wid, ids in zip(work_ids, listed, strict=True) for iid in ids or ()
    )
    second += [
        (wid, iid, "INSTITUTION", names[iid] or iid, VIA_AUTHORSHIP_WORK, float(n), 0.0, True)
        for (wid, iid), n in sorted(pairs.items())
        if iid in names
    ]
    second += [
        (wid, tid, "TOPIC", tname or tid, "HAS_TOPIC", float(score or 0.0), 0.0, True)
        for wid, tid, tname, score in found.topics
    ]
    for rows, forward in ((found.references, True), (found.citers, False)):
        second += [
            (wid, vid, "WORK", title or vid, "CITES", 1.0, float(c or 0), forward)
            for wid, vid, title, c in rows
        ]
    second += [
        (iid, tid, "RESEARCHER", tname or tid, "AFFILIATED_WITH", 1.0, 0.0, False)
        for iid, tid, tname in found.institution_researchers
    ]
    yield second


def server_subgraph(body: dict[str, Any]) -> dict[str, Any]:
    """Our server's ``explore`` response (web/queries/explorer.graphql) in the floor's shape."""
    found = body["data"]["explore"]
    return {
        "center": found["center"],
        "nodes": [(n["id"], n["kind"], n["label"], n["hop"], n["weight"]) for n in found["nodes"]],
        "edges": [(e["source"], e["target"], e["kind"], e["weight"]) for e in found["edges"]],
        "truncated": found["truncated"],
    }


def compare(ours: dict[str, Any], floor: dict[str, Any]) -> dict[str, Any]:
    """Where two subgraphs differ: nodes and edges on one side only (a few of each), and
    nodes whose kind, label, hop or weight differ (weights to 6 decimals)."""
    our_nodes = {n[0]: n for n in ours["nodes"]}
    floor_nodes = {n[0]: n for n in floor["nodes"]}
    our_edges = {e[:3]: e[3] for e in ours["edges"]}
    floor_edges = {e[:3]: e[3] for e in floor["edges"]}

    def shown(node: tuple[Any, ...]) -> tuple[Any, ...]:
        return (*node[:4], round(node[4], 6))

    differing = [
        (shown(our_nodes[i]), shown(floor_nodes[i]))
        for i in sorted(our_nodes.keys() & floor_nodes.keys())
        if shown(our_nodes[i]) != shown(floor_nodes[i])
    ]
    edge_weights = [
        (key, our_edges[key], floor_edges[key])
        for key in sorted(our_edges.keys() & floor_edges.keys())
        if round(our_edges[key], 6) != round(floor_edges[key], 6)
    ]
    only_ours = sorted(our_nodes.keys() - floor_nodes.keys())
    only_floor = sorted(floor_nodes.keys() - our_nodes.keys())
    edges_only_ours = sorted(our_edges.keys() - floor_edges.keys())
    edges_only_floor = sorted(floor_edges.keys() - our_edges.keys())
    same = not (
        only_ours
        or only_floor
        or edges_only_ours
        or edges_only_floor
        or differing
        or edge_weights
        or ours["truncated"] != floor["truncated"]
    )
    return {
        "same": same,
        "nodes": [len(ours["nodes"]), len(floor["nodes"])],
        "edges": [len(ours["edges"]), len(floor["edges"])],
        "truncated": [ours["truncated"], floor["truncated"]],
        "nodes_only_ours": [len(only_ours), only_ours[:5]],
        "nodes_only_floor": [len(only_floor), only_floor[:5]],
        "edges_only_ours": [len(edges_only_ours), [list(e) for e in edges_only_ours[:5]]],
        "edges_only_floor": [len(edges_only_floor), [list(e) for e in edges_only_floor[:5]]],
        "nodes_differing": [len(differing), [list(map(list, d)) for d in differing[:5]]],
        "edge_weights_differing": [len(edge_weights), [list(e) for e in edge_weights[:5]]],
    }
