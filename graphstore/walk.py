"""A walk described as plain data: a centre, the hops each level may take, and a node budget.

The profile page and the explorer are one walk at different depths: a profile's figures are
the aggregates of the depth-2 walk from a researcher (compiled by graphstore.engines.compiler
from the same hops), and the explorer walks the hops of a view to depth 1-3, keeping the
strongest nodes of every level within the budget (graphstore.explore).

Views are the same graph with hops contracted:
- FULL: every hop between researchers, works, topics and institutions (``kinds`` narrows it
  to hops that reach those kinds);
- COAUTHORS: researchers only, two meeting through each work they share (COAUTHOR edges
  weighted by Newman strength); depth counts co-author steps;
- CITATIONS: works only, over CITES both ways (references and citers);
- TOPICS: topics only, two meeting through each work they both tag (CO_OCCURS edges
  weighted by the works they share).
"""

from __future__ import annotations

from collections.abc import Collection
from enum import StrEnum

import msgspec

from graphstore.ids import NodeLabel
from graphstore.traversal import Hop


class View(StrEnum):
    """Which graph a walk sees: the whole property graph, or one kind's contracted graph."""

    FULL = "FULL"
    COAUTHORS = "COAUTHORS"
    CITATIONS = "CITATIONS"
    TOPICS = "TOPICS"


VIEW_HOPS: dict[View, tuple[Hop, ...]] = {
    View.FULL: (
        Hop.WORKS_OF_RESEARCHER,
        Hop.AUTHORSHIP_INSTITUTIONS_OF_RESEARCHER,
        Hop.INSTITUTIONS_OF_RESEARCHER,
        Hop.AUTHORS_OF_WORK,
        Hop.TOPICS_OF_WORK,
        Hop.INSTITUTIONS_OF_WORK,
        Hop.REFERENCES_OF_WORK,
        Hop.CITERS_OF_WORK,
        Hop.WORKS_OF_TOPIC,
        Hop.PARENT_OF_TOPIC,
        Hop.CHILDREN_OF_TOPIC,
        Hop.RESEARCHERS_OF_INSTITUTION,
    ),
    View.COAUTHORS: (Hop.COAUTHORS_OF_RESEARCHER,),
    View.CITATIONS: (Hop.REFERENCES_OF_WORK, Hop.CITERS_OF_WORK),
    View.TOPICS: (Hop.COOCCURRING_TOPICS,),
}

# Hops a view takes from its centre only: an institution's own works and the researchers its
# works' authorships list there. From an institution reached on the way they would fan out to
# every work of every institution of the level (a hub's depth-2 walk 2-4x its time), where
# a researcher's or a work's institutions are what the walk shows.
VIEW_CENTER_HOPS: dict[View, tuple[Hop, ...]] = {
    View.FULL: (Hop.WORKS_OF_INSTITUTION, Hop.AUTHORSHIP_RESEARCHERS_OF_INSTITUTION),
    View.COAUTHORS: (),
    View.CITATIONS: (),
    View.TOPICS: (),
}

# The kind of node a contracted view walks; FULL starts anywhere.
VIEW_KIND: dict[View, NodeLabel] = {
    View.COAUTHORS: NodeLabel.RESEARCHER,
    View.CITATIONS: NodeLabel.WORK,
    View.TOPICS: NodeLabel.TOPIC,
}


class Walk(msgspec.Struct, frozen=True):
    """One walk: from ``center``, ``depth`` levels over ``hops`` (and ``center_hops`` from the
    centre), at most ``limit`` nodes (the centre included).

    Every level that has nodes is represented: a level takes at most its share of the budget
    left (the budget left divided by the levels left), shared among the kinds it reached so
    that one kind cannot crowd out the others (a kind that needs less leaves the rest to the
    others); within a kind the strongest survive. Budget no level could use goes, after the
    walk, to the strongest nodes left out, nearest levels first.
    """

    center: str
    depth: int
    limit: int
    hops: tuple[Hop, ...]
    center_hops: tuple[Hop, ...] = ()


class WalkStep(msgspec.Struct, frozen=True):
    """One hop of a walk's level, from the frontier ``ids``. ``via`` is the hop that led
    from the walk's centre to every one of them, when one did (level 2), so an engine may
    walk from the centre instead of looking the frontier up."""

    hop: Hop
    ids: tuple[str, ...]
    via: Hop | None = None


def view_center_hops(view: View, kinds: Collection[NodeLabel] | None) -> tuple[Hop, ...]:
    """The hops ``view`` takes from its centre only; with ``kinds``, those reaching one."""
    hops = VIEW_CENTER_HOPS[view]
    return hops if kinds is None else tuple(hop for hop in hops if hop.spec.target in kinds)


def view_hops(view: View, kinds: Collection[NodeLabel] | None) -> tuple[Hop, ...]:
    """The hops of ``view``; with ``kinds`` (FULL only), those that reach one of them, and,
    when works are left out, the contracted hops through works (researchers still meet
    through the works they share, topics through the works they tag)."""
    hops = VIEW_HOPS[view]
    if kinds is None:
        return hops
    kept = tuple(hop for hop in hops if hop.spec.target in kinds)
    if NodeLabel.WORK in kinds:
        return kept
    through_works = (Hop.COAUTHORS_OF_RESEARCHER, Hop.COOCCURRING_TOPICS)
    return kept + tuple(hop for hop in through_works if hop.spec.target in kinds)


def fair_shares(demands: dict[NodeLabel, int], room: int) -> dict[NodeLabel, int]:
    """How many of each kind a level keeps: ``room`` split evenly among the kinds, a kind
    that wants less than its share taking only what it wants and leaving the rest to the
    others (water-filling). Ties of the last places go to kinds in NodeLabel order."""
    shares = dict.fromkeys(demands, 0)
    wanting = sorted((kind for kind in demands if demands[kind] > 0), key=lambda k: demands[k])
    left = room
    while wanting and left > 0:
        share = left // len(wanting)
        if share == 0:
            for kind in sorted(wanting, key=list(NodeLabel).index)[:left]:
                shares[kind] += 1
            break
        satisfied = [kind for kind in wanting if demands[kind] - shares[kind] <= share]
        if not satisfied:
            for kind in wanting:
                shares[kind] += share
            left -= share * len(wanting)
            continue
        for kind in satisfied:
            left -= demands[kind] - shares[kind]
            shares[kind] = demands[kind]
            wanting.remove(kind)
    return shares
