"""Conformance: account writes and reads (graphstore.engines.accounts) answer alike on both
engines."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from graphstore.account_records import (
    ADMIN_ROLE,
    InvitationState,
    NewInvitation,
    NewUser,
    ProfileEdit,
    RejectedWriteError,
    Rejection,
)
from graphstore.engines.accounts import timestamp
from graphstore.protocol import GraphStore
from graphstore.records import AuthorshipRow, ClaimState, WorkRow

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def _work(work_id: str, *authors: tuple[str, str | None]) -> WorkRow:
    return WorkRow(
        id=work_id,
        title=f"Title of {work_id}",
        type="article",
        year=2024,
        venue=None,
        doi=None,
        abstract=None,
        cited_by_count=0,
        updated_date="2024-01-01",
        authorships=tuple(
            AuthorshipRow(researcher_id=a, name=f"Name {a}", position=i, orcid=orcid)
            for i, (a, orcid) in enumerate(authors)
        ),
    )


@pytest.fixture
async def graph(store: GraphStore) -> GraphStore:
    """Two researchers (A1 with an ORCID) and three users, the third an administrator."""
    await store.upsert_works([_work("W1", ("A1", "0000-0002-1825-0097"), ("A2", None))])
    for n, roles in ((1, ()), (2, ()), (3, (ADMIN_ROLE,))):
        await store.create_user(
            NewUser(
                id=f"u{n}", name=f"User {n}", email=f"u{n}@x.org", password_hash="h", roles=roles
            ),
            NOW,
        )
    return store


async def _rejected(write: object) -> Rejection:
    assert asyncio.iscoroutine(write)
    with pytest.raises(RejectedWriteError) as caught:
        await write
    return caught.value.reason


async def test_users_and_credentials(graph: GraphStore) -> None:
    users = await graph.users(["u3", "nobody", "u1"])
    assert [u.id if u else None for u in users] == ["u3", None, "u1"]
    assert users[0] is not None
    assert users[0].has_admin_role
    assert users[2] is not None
    assert not users[2].has_admin_role
    assert users[2].created_at == timestamp(NOW)
    found = await graph.credentials("u2@x.org")
    assert found is not None
    assert found[0].id == "u2"
    assert found[1] == "h"
    assert await graph.credentials("U2@x.org") is None
    duplicate = NewUser(id="u9", name="Dup", email="u1@x.org", password_hash="h")
    assert await _rejected(graph.create_user(duplicate, NOW)) is Rejection.EMAIL_TAKEN
    assert (await graph.users(["u9"])) == [None]


async def test_follow_is_idempotent_and_counted(graph: GraphStore) -> None:
    for _ in range(2):
        await graph.follow("u1", "A1", NOW)
    await graph.follow("u1", "A2", NOW + timedelta(seconds=1))
    await graph.follow("u2", "A1", NOW)
    assert await graph.follower_counts(["A1", "A2"]) == [2, 1]
    assert await graph.follows("u1", ["A2", "A1", "A9"]) == [True, True, False]
    assert await graph.followed(["u1", "u3"]) == [["A2", "A1"], []]
    for _ in range(2):
        await graph.unfollow("u1", "A1")
    assert await graph.follower_counts(["A1"]) == [1]
    assert await _rejected(graph.follow("u1", "A9", NOW)) is Rejection.UNKNOWN_RESEARCHER
    assert await _rejected(graph.follow("ghost", "A1", NOW)) is Rejection.UNKNOWN_USER


async def test_concurrent_follows_by_one_user_make_one_edge(graph: GraphStore) -> None:
    await asyncio.gather(*(graph.follow("u1", "A1", NOW) for _ in range(10)))
    assert await graph.follower_counts(["A1"]) == [1]


async def test_claim_approve_and_verification(graph: GraphStore) -> None:
    claim = await graph.claim("u1", "A1", NOW)
    assert (claim.user_id, claim.status) == ("u1", ClaimState.PENDING)
    assert await graph.claim("u1", "A1", NOW) == claim  # claiming again changes nothing
    assert await _rejected(graph.claim("u2", "A1", NOW)) is Rejection.CLAIMED_BY_OTHER
    record = (await graph.researchers(["A1"]))[0]
    assert record is not None
    assert record.claim_status is ClaimState.PENDING
    assert await graph.pending_claims(10) == [claim]

    await graph.set_orcid("u1", "0000-0002-1825-0097", verified=True)
    approved = await graph.approve_claim("A1", NOW)
    assert (approved.status, approved.approved_at) == (ClaimState.CLAIMED, timestamp(NOW))
    record = (await graph.researchers(["A1"]))[0]
    assert record is not None
    assert (record.claim_status, record.orcid_verified) == (ClaimState.CLAIMED, True)
    assert await graph.pending_claims(10) == []
    assert await _rejected(graph.approve_claim("A1", NOW)) is Rejection.NO_PENDING_CLAIM
    assert await _rejected(graph.reject_claim("A1")) is Rejection.NO_PENDING_CLAIM

    # Another ORCID on the claimant: the record's ORCID is no longer verified by it.
    await graph.set_orcid("u1", "0000-0001-5109-3700", verified=True)
    record = (await graph.researchers(["A1"]))[0]
    assert record is not None
    assert not record.orcid_verified
    assert [c.researcher_id for c in (await graph.claims_of_users(["u1"]))[0]] == ["A1"]
    assert await _rejected(graph.set_orcid("ghost", "x", verified=True)) is Rejection.UNKNOWN_USER


async def test_rejected_claim_frees_the_record(graph: GraphStore) -> None:
    await graph.claim("u1", "A2", NOW)
    await graph.reject_claim("A2")
    assert await graph.claims_of_researchers(["A2"]) == [None]
    record = (await graph.researchers(["A2"]))[0]
    assert record is not None
    assert record.claim_status is ClaimState.UNCLAIMED
    assert (await graph.claim("u2", "A2", NOW)).user_id == "u2"
    assert await _rejected(graph.claim("u1", "A9", NOW)) is Rejection.UNKNOWN_RESEARCHER
    assert await _rejected(graph.approve_claim("A9", NOW)) is Rejection.UNKNOWN_RESEARCHER


async def test_one_claimant_when_many_claim_at_once(graph: GraphStore) -> None:
    users = [f"c{n}" for n in range(20)]
    for uid in users:
        await graph.create_user(
            NewUser(id=uid, name=uid, email=f"{uid}@x.org", password_hash="h"), NOW
        )
    results = await asyncio.gather(
        *(graph.claim(uid, "A2", NOW) for uid in users), return_exceptions=True
    )
    winners = [r for r in results if not isinstance(r, BaseException)]
    losers = [r for r in results if isinstance(r, BaseException)]
    assert len(winners) == 1, results
    assert all(
        isinstance(e, RejectedWriteError) and e.reason is Rejection.CLAIMED_BY_OTHER for e in losers
    ), losers
    assert (await graph.claims_of_researchers(["A2"]))[0] == winners[0]
    assert await graph.pending_claims(100) == winners


async def test_profile_edits_need_the_approved_claim(graph: GraphStore) -> None:
    edit = ProfileEdit(bio="Physics and learning.", open_to_collaborate=False)
    assert await _rejected(graph.update_profile("u1", "A1", edit)) is Rejection.NOT_CLAIMANT
    await graph.claim("u1", "A1", NOW)
    assert await _rejected(graph.update_profile("u1", "A1", edit)) is Rejection.NOT_CLAIMANT
    await graph.approve_claim("A1", NOW)
    assert await _rejected(graph.update_profile("u2", "A1", edit)) is Rejection.NOT_CLAIMANT
    assert await _rejected(graph.update_profile("u1", "A9", edit)) is Rejection.UNKNOWN_RESEARCHER
    await graph.update_profile("u1", "A1", edit)
    record = (await graph.researchers(["A1"]))[0]
    assert record is not None
    assert (record.bio, record.open_to_collaborate) == ("Physics and learning.", False)
    await graph.update_profile("u1", "A1", ProfileEdit(bio=""))
    record = (await graph.researchers(["A1"]))[0]
    assert record is not None
    assert (record.bio, record.open_to_collaborate) == (None, False)


async def test_invitations_rules_limit_and_answers(graph: GraphStore) -> None:
    def invitation(n: int, sender: str = "u2") -> NewInvitation:
        return NewInvitation(id=f"inv{n}", sender_id=sender, researcher_id="A1", message=f"m{n}")

    since = NOW - timedelta(days=1)
    unclaimed = graph.create_invitation(invitation(0), NOW, since, 2)
    assert await _rejected(unclaimed) is Rejection.NOT_INVITABLE
    await graph.claim("u1", "A1", NOW)
    pending = graph.create_invitation(invitation(0), NOW, since, 2)
    assert await _rejected(pending) is Rejection.NOT_INVITABLE
    await graph.approve_claim("A1", NOW)
    own = graph.create_invitation(invitation(0, sender="u1"), NOW, since, 2)
    assert await _rejected(own) is Rejection.OWN_RECORD
    missing = NewInvitation(id="inv9", sender_id="u2", researcher_id="A9", message="m")
    assert await _rejected(graph.create_invitation(missing, NOW, since, 2)) is (
        Rejection.UNKNOWN_RESEARCHER
    )

    first = await graph.create_invitation(invitation(1), NOW, since, 2)
    assert (first.sender_id, first.researcher_id, first.status) == (
        "u2",
        "A1",
        InvitationState.PENDING,
    )
    later = NOW + timedelta(minutes=1)
    await graph.create_invitation(invitation(2), later, since, 2)
    limited = graph.create_invitation(invitation(3), later, since, 2)
    assert await _rejected(limited) is Rejection.RATE_LIMITED
    assert await graph.invitations(["inv3", "inv1"]) == [None, first]
    # A day on, the first two no longer count.
    next_day = NOW + timedelta(days=1, minutes=2)
    await graph.create_invitation(invitation(3), next_day, next_day - timedelta(days=1), 2)

    received = await graph.received_invitations(["u1", "u2"])
    assert [i.id for i in received[0]] == ["inv3", "inv2", "inv1"]
    assert received[1] == []

    wrong_user = graph.answer_invitation("u2", "inv1", True, NOW)
    assert await _rejected(wrong_user) is Rejection.NOT_CLAIMANT
    answered = await graph.answer_invitation("u1", "inv1", True, later)
    assert (answered.status, answered.responded_at) == (InvitationState.ACCEPTED, timestamp(later))
    again = graph.answer_invitation("u1", "inv1", False, later)
    assert await _rejected(again) is Rejection.ALREADY_ANSWERED
    declined = await graph.answer_invitation("u1", "inv2", False, later)
    assert declined.status is InvitationState.DECLINED
    unknown = graph.answer_invitation("u1", "nope", True, later)
    assert await _rejected(unknown) is Rejection.UNKNOWN_INVITATION

    # The sender's list: the same invitations, newest first, each with its answer.
    sent = await graph.sent_invitations(["u2", "u1", "u2"])
    assert sent[0] == sent[2] == await graph.invitations(["inv3", "inv2", "inv1"])
    assert [(i.status, i.responded_at) for i in sent[0]] == [
        (InvitationState.PENDING, None),
        (InvitationState.DECLINED, timestamp(later)),
        (InvitationState.ACCEPTED, timestamp(later)),
    ]
    assert sent[1] == []


async def test_concurrent_invitations_stop_at_the_limit(graph: GraphStore) -> None:
    await graph.claim("u1", "A1", NOW)
    await graph.approve_claim("A1", NOW)
    since = NOW - timedelta(days=1)
    results = await asyncio.gather(
        *(
            graph.create_invitation(
                NewInvitation(id=f"inv{n}", sender_id="u2", researcher_id="A1", message="m"),
                NOW,
                since,
                3,
            )
            for n in range(10)
        ),
        return_exceptions=True,
    )
    sent = [r for r in results if not isinstance(r, BaseException)]
    assert len(sent) == 3, results
    assert len((await graph.received_invitations(["u1"]))[0]) == 3


async def test_a_rejected_write_leaves_nothing(graph: GraphStore) -> None:
    before = await graph.counts()
    await _rejected(graph.claim("ghost", "A1", NOW))  # the claim's first writes roll back
    assert await graph.counts() == before
    record = (await graph.researchers(["A1"]))[0]
    assert record is not None
    assert record.claim_status is ClaimState.UNCLAIMED
