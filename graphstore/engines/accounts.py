"""Accounts in the graph: users, follows, claims of author records, collaboration invitations.

``AccountStore`` (graphstore.protocol) is the protocol the resolvers use, over the records of
graphstore.account_records; ``AccountCypher`` implements it once for both engines over two
engine primitives, ``_read`` and ``_transact``.

Every write is one checked transaction (``Step``): a step's rows are checked as they come, and
a failed check raises ``RejectedWriteError`` inside the transaction, so a rejected write leaves
nothing behind. Rules that concurrent writers could race past are decided after a lock:

- one claimant per researcher: the claim first writes the researcher node (on Neo4j an exclusive
  lock held to commit; LadybugDB has one writer anyway), then counts the claims; the loser of a
  race counts two and is rolled back. On Neo4j a relationship uniqueness constraint on
  ``CLAIMED.researcherId`` says the same, and a violation surfaces as ``ConflictingWriteError``.
- invitations per sender per day: the invitation first writes the sender's
  ``lastInvitationAt`` (the lock), then counts the sender's invitations of the last day.
- one account per email: Neo4j's ``user_email`` constraint; LadybugDB's single writer makes the
  check-then-create of the transaction atomic.

Timestamps are stored as fixed-width UTC ISO 8601 text, so they order and compare as strings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from graphstore.account_records import (
    ClaimRecord,
    InvitationRecord,
    InvitationState,
    NewInvitation,
    NewUser,
    ProfileEdit,
    RejectedWriteError,
    Rejection,
    UserRecord,
)
from graphstore.engines.figures import WRITE_FOLLOWERS
from graphstore.engines.query import ReadQuery, columns, listed
from graphstore.engines.writes import Row
from graphstore.records import ClaimState


class ConflictingWriteError(Exception):
    """A write broke a uniqueness guarantee (a constraint or a primary key) and was rolled back."""


@dataclass(frozen=True, slots=True)
class Step:
    """One statement of a checked transaction, and the check its rows must pass.

    ``check`` raises RejectedWriteError to roll the whole transaction back.
    """

    query: str
    params: dict[str, Any]
    check: Callable[[list[Row]], None] | None = None


def timestamp(moment: datetime) -> str:
    """Fixed-width UTC ISO 8601 text (``2024-05-01T12:00:00.000000Z``): sorts as it reads."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- Cypher. Values are always parameters; the only text chosen at run time is a fixed
# fragment (the optional properties of a new user, the properties a profile edit sets).
# Reads are ReadQuery (run through ``_read``); the statements of a checked transaction
# (``Step``) are text.

_USER_COLUMNS = columns(
    ("u.id", "id"),
    ("u.name", "name"),
    ("u.email", "email"),
    ("u.roles", "roles"),
    ("u.orcid", "orcid"),
    ("u.orcidVerified", "orcidVerified"),
    ("u.createdAt", "createdAt"),
)

USERS_BY_ID = ReadQuery(
    """
UNWIND $ids AS uid
MATCH (u:User {id: uid})
""",
    _USER_COLUMNS,
)

USER_BY_EMAIL = ReadQuery(
    """
MATCH (u:User {email: $email})
""",
    (*_USER_COLUMNS, *columns(("u.passwordHash", "passwordHash"))),
)

USER_WITH_EMAIL_EXISTS = "MATCH (u:User {email: $email}) RETURN u.id AS id"

_NEW_USER_PROPERTIES = (
    "id: $id, name: $name, email: $email, passwordHash: $passwordHash, roles: $roles, "
    "orcidVerified: $orcidVerified, createdAt: $at"
)
CREATE_USER = f"CREATE (u:User {{{_NEW_USER_PROPERTIES}}}) RETURN u.id AS id"
CREATE_USER_WITH_ORCID = (
    f"CREATE (u:User {{{_NEW_USER_PROPERTIES}, orcid: $orcid}}) RETURN u.id AS id"
)

SET_ORCID = """
MATCH (u:User {id: $uid})
SET u.orcid = $orcid, u.orcidVerified = $verified
RETURN u.id AS id
"""

# L3 needs the claimant's verified ORCID to be the record's own: recomputed wherever either
# side changes (approval, ORCID verification).
_RECORD_ORCID_VERIFIED = (
    "r.orcidVerified = coalesce(u.orcidVerified, false) AND coalesce(u.orcid = r.orcid, false)"
)

SYNC_CLAIMED_ORCIDS = f"""
MATCH (u:User {{id: $uid}})-[c:CLAIMED]->(r:Researcher)
WHERE c.status = 'CLAIMED'
SET {_RECORD_ORCID_VERIFIED}
"""

FOLLOWS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (:User {id: $uid})-[:FOLLOWS]->(r:Researcher {id: rid})
""",
    columns("rid"),
    distinct=True,
)

FOLLOWED = ReadQuery(
    """
UNWIND $ids AS uid
MATCH (:User {id: uid})-[f:FOLLOWS]->(r:Researcher)
""",
    columns("uid", ("r.id", "rid"), ("f.at", "at")),
)

RESEARCHER_EXISTS = "MATCH (r:Researcher {id: $rid}) RETURN r.id AS id"
USER_EXISTS = "MATCH (u:User {id: $uid}) RETURN u.id AS id"

# MERGE between two bound nodes: Neo4j locks both before it looks, so concurrent follows by
# one user still make one edge.
FOLLOW = """
MATCH (u:User {id: $uid})
MATCH (r:Researcher {id: $rid})
MERGE (u)-[f:FOLLOWS]->(r)
ON CREATE SET f.at = $at
"""

UNFOLLOW = """
MATCH (:User {id: $uid})-[f:FOLLOWS]->(:Researcher {id: $rid})
DELETE f
"""

_CLAIM_COLUMNS = columns(
    ("r.id", "rid"),
    ("u.id", "uid"),
    ("c.status", "status"),
    ("c.at", "at"),
    ("c.approvedAt", "approvedAt"),
)

CLAIMS_OF_RESEARCHERS = ReadQuery(
    """
UNWIND $ids AS rid
MATCH (u:User)-[c:CLAIMED]->(r:Researcher {id: rid})
""",
    _CLAIM_COLUMNS,
)

CLAIMS_OF_USERS = ReadQuery(
    """
UNWIND $ids AS uid
MATCH (u:User {id: uid})-[c:CLAIMED]->(r:Researcher)
""",
    _CLAIM_COLUMNS,
)

PENDING_CLAIMS = ReadQuery(
    """
MATCH (u:User)-[c:CLAIMED]->(r:Researcher)
WHERE c.status = 'PENDING'
""",
    _CLAIM_COLUMNS,
    tail="ORDER BY at, rid LIMIT $first",
)

CLAIM_COUNT = """
MATCH (r:Researcher {id: $rid})
RETURN COUNT { MATCH (r)<-[:CLAIMED]-(:User) } AS claims
"""

# Writing the researcher first takes Neo4j's exclusive lock on it until commit, so the count
# that follows the CREATE sees every claim committed before this one.
LOCK_FOR_CLAIM = """
MATCH (r:Researcher {id: $rid})
SET r.claimStatus = 'PENDING', r.orcidVerified = false
RETURN r.id AS id
"""

CREATE_CLAIM = """
MATCH (u:User {id: $uid})
MATCH (r:Researcher {id: $rid})
CREATE (u)-[:CLAIMED {status: 'PENDING', at: $at, researcherId: $rid}]->(r)
RETURN u.id AS id
"""

CLAIM_STATUS = """
MATCH (r:Researcher {id: $rid})
OPTIONAL MATCH (r)<-[c:CLAIMED]-(:User)
RETURN c.status AS status
"""

APPROVE_CLAIM = f"""
MATCH (u:User)-[c:CLAIMED]->(r:Researcher {{id: $rid}})
WHERE c.status = 'PENDING'
SET c.status = 'CLAIMED', c.approvedAt = $at, r.claimStatus = 'CLAIMED', {_RECORD_ORCID_VERIFIED}
RETURN {listed(_CLAIM_COLUMNS)}
"""

REJECT_CLAIM = """
MATCH (:User)-[c:CLAIMED]->(r:Researcher {id: $rid})
WHERE c.status = 'PENDING'
SET r.claimStatus = 'UNCLAIMED', r.orcidVerified = false
DELETE c
RETURN r.id AS id
"""

_PROFILE_EDIT = """
MATCH (:User {id: $uid})-[c:CLAIMED]->(r:Researcher {id: $rid})
WHERE c.status = 'CLAIMED'
"""
_SET_BIO = "r.bio = $bio"
_REMOVE_BIO = "r.bio = NULL"
_SET_OPEN = "r.openToCollaborate = $open"

_INVITATION_COLUMNS = columns(
    ("i.id", "id"),
    ("s.id", "senderId"),
    ("r.id", "researcherId"),
    ("i.message", "message"),
    ("i.status", "status"),
    ("i.createdAt", "createdAt"),
    ("i.respondedAt", "respondedAt"),
)

INVITATIONS_BY_ID = ReadQuery(
    """
UNWIND $ids AS iid
MATCH (s:User)-[:SENT]->(i:Invitation {id: iid})-[:INVITES]->(r:Researcher)
""",
    _INVITATION_COLUMNS,
)

RECEIVED_INVITATIONS = ReadQuery(
    """
UNWIND $ids AS uid
MATCH (:User {id: uid})-[c:CLAIMED]->(r:Researcher)<-[:INVITES]-(i:Invitation)<-[:SENT]-(s:User)
WHERE c.status = 'CLAIMED'
""",
    (*columns("uid"), *_INVITATION_COLUMNS),
)

# Anchored on one sender: LadybugDB plans `UNWIND $ids ... MATCH (s:User {id: uid})-...` as
# scans of the invitation and researcher tables, this as primary-key look-ups.
SENT_INVITATIONS = ReadQuery(
    """
MATCH (s:User {id: $uid})-[:SENT]->(i:Invitation)-[:INVITES]->(r:Researcher)
""",
    _INVITATION_COLUMNS,
)

# The sender's node is written first: on Neo4j the lock that makes the daily count exact.
LOCK_SENDER = """
MATCH (u:User {id: $uid})
SET u.lastInvitationAt = $at
RETURN u.id AS id
"""

INVITEE = """
MATCH (r:Researcher {id: $rid})
OPTIONAL MATCH (r)<-[c:CLAIMED]-(holder:User)
RETURN c.status AS status, holder.id AS holder, r.openToCollaborate AS open
"""

INVITATIONS_SENT_SINCE = """
MATCH (:User {id: $uid})-[:SENT]->(i:Invitation)
WHERE i.createdAt > $since
RETURN count(i) AS n
"""

CREATE_INVITATION = """
MATCH (u:User {id: $uid})
MATCH (r:Researcher {id: $rid})
CREATE (u)-[:SENT]->(:Invitation {id: $id, message: $message, status: 'PENDING', createdAt: $at})
       -[:INVITES]->(r)
"""

INVITATION_FOR_ANSWER = """
MATCH (i:Invitation {id: $iid})-[:INVITES]->(r:Researcher)
OPTIONAL MATCH (r)<-[c:CLAIMED]-(:User {id: $uid})
RETURN i.status AS status, c.status AS claim
"""

ANSWER_INVITATION = """
MATCH (i:Invitation {id: $iid})
WHERE i.status = 'PENDING'
SET i.status = $status, i.respondedAt = $at
RETURN i.id AS id
"""


def _require_rows(reason: Rejection) -> Callable[[list[Row]], None]:
    def check(rows: list[Row]) -> None:
        if not rows:
            raise RejectedWriteError(reason)

    return check


def _forbid_rows(reason: Rejection) -> Callable[[list[Row]], None]:
    def check(rows: list[Row]) -> None:
        if rows:
            raise RejectedWriteError(reason)

    return check


class AccountCypher(ABC):
    """AccountStore in the Cypher both engines accept, over the engine's two primitives."""

    @abstractmethod
    async def _read(self, query: ReadQuery, params: dict[str, Any]) -> list[Row]:
        """Run a read query and return its rows as dicts."""

    @abstractmethod
    async def _transact(self, steps: Sequence[Step]) -> list[list[Row]]:
        """Run the steps in one write transaction and return each step's rows.

        A check that raises rolls the transaction back and the error propagates; a broken
        uniqueness guarantee raises ConflictingWriteError.
        """

    # --- users

    async def users(self, ids: Sequence[str]) -> list[UserRecord | None]:
        rows = await self._read(USERS_BY_ID, {"ids": list(ids)})
        found = {row["id"]: _user(row) for row in rows}
        return [found.get(i) for i in ids]

    async def credentials(self, email: str) -> tuple[UserRecord, str] | None:
        rows = await self._read(USER_BY_EMAIL, {"email": email})
        if not rows:
            return None
        return _user(rows[0]), rows[0]["passwordHash"]

    async def create_user(self, user: NewUser, now: datetime) -> UserRecord:
        params: dict[str, Any] = {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "passwordHash": user.password_hash,
            "roles": list(user.roles),
            "orcidVerified": user.orcid_verified,
            "at": timestamp(now),
        }
        create = CREATE_USER
        if user.orcid is not None:
            create, params["orcid"] = CREATE_USER_WITH_ORCID, user.orcid
        try:
            await self._transact(
                [
                    Step(
                        USER_WITH_EMAIL_EXISTS,
                        {"email": user.email},
                        _forbid_rows(Rejection.EMAIL_TAKEN),
                    ),
                    Step(create, params),
                ]
            )
        except ConflictingWriteError as error:
            # Neo4j's user_email constraint stopped a concurrent sign-up with the same email.
            raise RejectedWriteError(Rejection.EMAIL_TAKEN) from error
        return await self._one_user(user.id)

    async def set_orcid(self, user_id: str, orcid: str, verified: bool) -> UserRecord:
        params = {"uid": user_id, "orcid": orcid, "verified": verified}
        await self._transact(
            [
                Step(SET_ORCID, params, _require_rows(Rejection.UNKNOWN_USER)),
                Step(SYNC_CLAIMED_ORCIDS, {"uid": user_id}),
            ]
        )
        return await self._one_user(user_id)

    async def _one_user(self, user_id: str) -> UserRecord:
        found = (await self.users([user_id]))[0]
        if found is None:
            raise RejectedWriteError(Rejection.UNKNOWN_USER)
        return found

    # --- follows

    async def follows(self, user_id: str, researcher_ids: Sequence[str]) -> list[bool]:
        rows = await self._read(FOLLOWS, {"uid": user_id, "ids": list(researcher_ids)})
        followed = {row["rid"] for row in rows}
        return [rid in followed for rid in researcher_ids]

    async def followed(self, user_ids: Sequence[str]) -> list[list[str]]:
        rows = await self._read(FOLLOWED, {"ids": list(user_ids)})
        rows.sort(key=lambda row: (row["at"] or "", row["rid"]), reverse=True)
        found: dict[str, list[str]] = {uid: [] for uid in user_ids}
        for row in rows:
            found[row["uid"]].append(row["rid"])
        return [found[uid] for uid in user_ids]

    async def follow(self, user_id: str, researcher_id: str, now: datetime) -> None:
        params = {"uid": user_id, "rid": researcher_id, "at": timestamp(now)}
        await self._transact(
            [
                *self._actor_and_researcher(params),
                Step(FOLLOW, params),
                Step(WRITE_FOLLOWERS, {"rid": researcher_id}),
            ],
        )

    async def unfollow(self, user_id: str, researcher_id: str) -> None:
        params = {"uid": user_id, "rid": researcher_id}
        await self._transact(
            [
                *self._actor_and_researcher(params),
                Step(UNFOLLOW, params),
                Step(WRITE_FOLLOWERS, {"rid": researcher_id}),
            ]
        )

    @staticmethod
    def _actor_and_researcher(params: dict[str, Any]) -> list[Step]:
        """Checks that the acting user and the researcher exist (in this order)."""
        return [
            Step(USER_EXISTS, params, _require_rows(Rejection.UNKNOWN_USER)),
            Step(RESEARCHER_EXISTS, params, _require_rows(Rejection.UNKNOWN_RESEARCHER)),
        ]

    # --- claims

    async def claims_of_researchers(self, ids: Sequence[str]) -> list[ClaimRecord | None]:
        rows = await self._read(CLAIMS_OF_RESEARCHERS, {"ids": list(ids)})
        found = {row["rid"]: _claim(row) for row in rows}
        return [found.get(i) for i in ids]

    async def claims_of_users(self, ids: Sequence[str]) -> list[list[ClaimRecord]]:
        rows = await self._read(CLAIMS_OF_USERS, {"ids": list(ids)})
        found: dict[str, list[ClaimRecord]] = {i: [] for i in ids}
        for row in rows:
            found[row["uid"]].append(_claim(row))
        for claims in found.values():
            claims.sort(key=lambda c: (c.created_at, c.researcher_id), reverse=True)
        return [found[i] for i in ids]

    async def pending_claims(self, first: int) -> list[ClaimRecord]:
        rows = await self._read(PENDING_CLAIMS, {"first": first})
        return [_claim(row) for row in rows]

    async def claim(self, user_id: str, researcher_id: str, now: datetime) -> ClaimRecord:
        params = {"uid": user_id, "rid": researcher_id, "at": timestamp(now)}

        def unclaimed(rows: list[Row]) -> None:
            if not rows:
                raise RejectedWriteError(Rejection.UNKNOWN_RESEARCHER)
            if rows[0]["claims"]:
                raise RejectedWriteError(Rejection.CLAIMED_BY_OTHER)

        def only_claim(rows: list[Row]) -> None:
            if rows[0]["claims"] != 1:
                raise RejectedWriteError(Rejection.CLAIMED_BY_OTHER)

        try:
            await self._transact(
                [
                    Step(CLAIM_COUNT, params, unclaimed),
                    Step(LOCK_FOR_CLAIM, params),
                    Step(CREATE_CLAIM, params, _require_rows(Rejection.UNKNOWN_USER)),
                    Step(CLAIM_COUNT, params, only_claim),
                ]
            )
        except ConflictingWriteError:
            pass  # Neo4j's constraint stopped a concurrent claim: the holder decides below.
        except RejectedWriteError as rejected:
            if rejected.reason is not Rejection.CLAIMED_BY_OTHER:
                raise
        # Whether this write won, or the user already held the claim, the claim now there says.
        held = (await self.claims_of_researchers([researcher_id]))[0]
        if held is None or held.user_id != user_id:
            raise RejectedWriteError(Rejection.CLAIMED_BY_OTHER)
        return held

    async def approve_claim(self, researcher_id: str, now: datetime) -> ClaimRecord:
        params = {"rid": researcher_id, "at": timestamp(now)}
        results = await self._transact(
            [
                Step(CLAIM_STATUS, params, _pending_claim),
                Step(APPROVE_CLAIM, params, _require_rows(Rejection.NO_PENDING_CLAIM)),
            ]
        )
        return _claim(results[1][0])

    async def reject_claim(self, researcher_id: str) -> None:
        params = {"rid": researcher_id}
        await self._transact(
            [
                Step(CLAIM_STATUS, params, _pending_claim),
                Step(REJECT_CLAIM, params, _require_rows(Rejection.NO_PENDING_CLAIM)),
            ]
        )

    async def update_profile(self, user_id: str, researcher_id: str, edit: ProfileEdit) -> None:
        params: dict[str, Any] = {"uid": user_id, "rid": researcher_id}
        assignments = []
        if edit.bio is not None:
            if edit.bio:
                assignments.append(_SET_BIO)
                params["bio"] = edit.bio
            else:
                assignments.append(_REMOVE_BIO)
        if edit.open_to_collaborate is not None:
            assignments.append(_SET_OPEN)
            params["open"] = edit.open_to_collaborate
        query = _PROFILE_EDIT
        if assignments:
            query += "SET " + ", ".join(assignments) + "\n"
        query += "RETURN r.id AS id"
        await self._transact(
            [
                Step(RESEARCHER_EXISTS, params, _require_rows(Rejection.UNKNOWN_RESEARCHER)),
                Step(query, params, _require_rows(Rejection.NOT_CLAIMANT)),
            ]
        )

    # --- invitations

    async def invitations(self, ids: Sequence[str]) -> list[InvitationRecord | None]:
        rows = await self._read(INVITATIONS_BY_ID, {"ids": list(ids)})
        found = {row["id"]: _invitation(row) for row in rows}
        return [found.get(i) for i in ids]

    async def received_invitations(self, user_ids: Sequence[str]) -> list[list[InvitationRecord]]:
        rows = await self._read(RECEIVED_INVITATIONS, {"ids": list(user_ids)})
        found: dict[str, list[InvitationRecord]] = {uid: [] for uid in user_ids}
        for row in rows:
            found[row["uid"]].append(_invitation(row))
        return [_newest_first(found[uid]) for uid in user_ids]

    async def sent_invitations(self, user_ids: Sequence[str]) -> list[list[InvitationRecord]]:
        # One anchored query per sender; a request asks for one, its viewer's (User's lists
        # are the user's own).
        sent = {
            uid: _newest_first(
                [_invitation(row) for row in await self._read(SENT_INVITATIONS, {"uid": uid})]
            )
            for uid in dict.fromkeys(user_ids)
        }
        return [sent[uid] for uid in user_ids]

    async def create_invitation(
        self, invitation: NewInvitation, now: datetime, since: datetime, limit: int
    ) -> InvitationRecord:
        params = {
            "uid": invitation.sender_id,
            "rid": invitation.researcher_id,
            "id": invitation.id,
            "message": invitation.message,
            "at": timestamp(now),
            "since": timestamp(since),
        }

        def invitable(rows: list[Row]) -> None:
            if not rows:
                raise RejectedWriteError(Rejection.UNKNOWN_RESEARCHER)
            row = rows[0]
            if row["status"] != ClaimState.CLAIMED.value or row["open"] is False:
                raise RejectedWriteError(Rejection.NOT_INVITABLE)
            if row["holder"] == invitation.sender_id:
                raise RejectedWriteError(Rejection.OWN_RECORD)

        def under_limit(rows: list[Row]) -> None:
            if int(rows[0]["n"]) >= limit:
                raise RejectedWriteError(Rejection.RATE_LIMITED)

        await self._transact(
            [
                Step(LOCK_SENDER, params, _require_rows(Rejection.UNKNOWN_USER)),
                Step(INVITEE, params, invitable),
                Step(INVITATIONS_SENT_SINCE, params, under_limit),
                Step(CREATE_INVITATION, params),
            ]
        )
        return await self._one_invitation(invitation.id)

    async def answer_invitation(
        self, user_id: str, invitation_id: str, accept: bool, now: datetime
    ) -> InvitationRecord:
        status = InvitationState.ACCEPTED if accept else InvitationState.DECLINED
        params = {"uid": user_id, "iid": invitation_id, "status": status.value}

        def answerable(rows: list[Row]) -> None:
            if not rows:
                raise RejectedWriteError(Rejection.UNKNOWN_INVITATION)
            if rows[0]["claim"] != ClaimState.CLAIMED.value:
                raise RejectedWriteError(Rejection.NOT_CLAIMANT)
            if rows[0]["status"] != InvitationState.PENDING.value:
                raise RejectedWriteError(Rejection.ALREADY_ANSWERED)

        await self._transact(
            [
                Step(INVITATION_FOR_ANSWER, params, answerable),
                Step(
                    ANSWER_INVITATION,
                    {**params, "at": timestamp(now)},
                    _require_rows(Rejection.ALREADY_ANSWERED),
                ),
            ]
        )
        return await self._one_invitation(invitation_id)

    async def _one_invitation(self, invitation_id: str) -> InvitationRecord:
        found = (await self.invitations([invitation_id]))[0]
        if found is None:
            raise RejectedWriteError(Rejection.UNKNOWN_INVITATION)
        return found


def _newest_first(invitations: list[InvitationRecord]) -> list[InvitationRecord]:
    return sorted(invitations, key=lambda i: (i.created_at, i.id), reverse=True)


def _pending_claim(rows: list[Row]) -> None:
    if not rows:
        raise RejectedWriteError(Rejection.UNKNOWN_RESEARCHER)
    if rows[0]["status"] != ClaimState.PENDING.value:
        raise RejectedWriteError(Rejection.NO_PENDING_CLAIM)


def _user(row: Row) -> UserRecord:
    return UserRecord(
        id=row["id"],
        name=row["name"] or "",
        email=row["email"] or "",
        roles=tuple(row["roles"] or ()),
        orcid=row["orcid"],
        orcid_verified=bool(row["orcidVerified"]),
        created_at=row["createdAt"] or "",
    )


def _claim(row: Row) -> ClaimRecord:
    return ClaimRecord(
        researcher_id=row["rid"],
        user_id=row["uid"],
        status=ClaimState(row["status"]),
        created_at=row["at"] or "",
        approved_at=row["approvedAt"],
    )


def _invitation(row: Row) -> InvitationRecord:
    return InvitationRecord(
        id=row["id"],
        sender_id=row["senderId"],
        researcher_id=row["researcherId"],
        message=row["message"],
        status=InvitationState(row["status"]),
        created_at=row["createdAt"],
        responded_at=row["respondedAt"],
    )
