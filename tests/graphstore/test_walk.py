"""The walk's budget, as plain data: fair shares among kinds, and the hops of each view."""

from __future__ import annotations

import pytest

from graphstore.ids import NodeLabel
from graphstore.traversal import Hop
from graphstore.walk import VIEW_HOPS, View, fair_shares, view_center_hops, view_hops

R, W, T, INST = NodeLabel.RESEARCHER, NodeLabel.WORK, NodeLabel.TOPIC, NodeLabel.INSTITUTION


@pytest.mark.parametrize(
    ("demands", "room", "shares"),
    [
        # One kind that wants many cannot crowd out the others.
        ({W: 356, INST: 41}, 100, {W: 59, INST: 41}),
        ({W: 356, R: 1117, T: 55}, 99, {W: 33, R: 33, T: 33}),
        ({W: 356, R: 1117, T: 20}, 100, {W: 40, R: 40, T: 20}),
        # Enough room: everyone gets what it wants.
        ({W: 5, R: 3}, 100, {W: 5, R: 3}),
        # Less room than kinds: one each, in NodeLabel order.
        ({W: 5, R: 5, T: 5}, 2, {R: 1, W: 1, T: 0}),
        ({W: 0, R: 4}, 10, {W: 0, R: 4}),
        ({W: 7}, 0, {W: 0}),
    ],
)
def test_fair_shares(
    demands: dict[NodeLabel, int], room: int, shares: dict[NodeLabel, int]
) -> None:
    got = fair_shares(demands, room)
    assert got == shares
    assert sum(got.values()) == min(room, sum(demands.values()))
    assert all(got[kind] <= demands[kind] for kind in demands)


def test_views_walk_their_own_kind() -> None:
    assert {hop.spec.target for hop in VIEW_HOPS[View.COAUTHORS]} == {R}
    assert {hop.spec.source for hop in VIEW_HOPS[View.CITATIONS]} == {W}
    assert {hop.spec.target for hop in VIEW_HOPS[View.TOPICS]} == {T}
    # FULL walks every kind to every kind it touches, and no contracted hop.
    full = VIEW_HOPS[View.FULL]
    assert {hop.spec.target for hop in full} == {R, W, T, INST}
    assert Hop.COAUTHORS_OF_RESEARCHER not in full


def test_kinds_narrow_full_and_keep_people_meeting_through_works() -> None:
    assert view_hops(View.FULL, None) == VIEW_HOPS[View.FULL]
    assert view_hops(View.FULL, [R]) == (
        Hop.AUTHORS_OF_WORK,
        Hop.RESEARCHERS_OF_INSTITUTION,
        Hop.COAUTHORS_OF_RESEARCHER,
    )
    with_works = view_hops(View.FULL, [R, W])
    assert Hop.COAUTHORS_OF_RESEARCHER not in with_works
    assert {hop.spec.target for hop in with_works} == {R, W}


def test_an_institution_walks_to_its_works_and_authors_from_the_centre_only() -> None:
    from_center = view_center_hops(View.FULL, None)
    assert {hop.spec.source for hop in from_center} == {INST}
    assert {hop.spec.target for hop in from_center} == {R, W}
    assert not set(from_center) & set(VIEW_HOPS[View.FULL])
    assert view_center_hops(View.FULL, [R]) == (Hop.AUTHORSHIP_RESEARCHERS_OF_INSTITUTION,)
    assert all(view_center_hops(view, None) == () for view in View if view is not View.FULL)
