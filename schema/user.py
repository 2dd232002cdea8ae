"""Accounts as the API shows them: users, sign-in payloads, claims and invitations.

A User's ``id`` and ``name`` are public (an invitation shows who sent it); every other field
answers only the user themself and is null with a FORBIDDEN error for anyone else, but for
two: administrators read ORCIDs (they verify them), and the email of a pending claim's
claimant (they may need to reach them before approving). No type has a field for a password
or its hash.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from graphstore.account_records import ClaimRecord, InvitationRecord, InvitationState, UserRecord
from resolvers import accounts, auth
from resolvers.accounts import SignedIn
from resolvers.context import RequestContext
from resolvers.permissions import OwnAccount, OwnAccountOrAdministrator, OwnAccountOrClaimReviewer
from schema.enums import ClaimStatus
from schema.researcher import Researcher

Info = strawberry.Info[RequestContext, None]


@strawberry.enum(description="Where a collaboration invitation stands.")
class InvitationStatus(Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"

    def to_value(self) -> InvitationState:
        """The store's state for this GraphQL status."""
        return InvitationState(self.value)


@strawberry.type(
    description="An account of this service. Only `id` and `name` are public; the other "
    "fields answer the user themself (null and FORBIDDEN for anyone else), and administrators "
    "where a field says so."
)
class User:
    id: strawberry.ID
    name: str
    record: strawberry.Private[UserRecord]
    # Reached as the claimant of a pending claim: an administrator may read the email.
    claim_under_review: strawberry.Private[bool] = False

    @classmethod
    def from_record(cls, record: UserRecord, *, claim_under_review: bool = False) -> User:
        """The GraphQL view of an account (``claim_under_review``: as a pending claimant)."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            record=record,
            claim_under_review=claim_under_review,
        )

    @strawberry.field(
        permission_classes=[OwnAccountOrClaimReviewer],
        description="The sign-in email (readable by the user, and by administrators on the "
        "claimant of a pending claim).",
    )
    def email(self) -> str | None:
        return self.record.email

    @strawberry.field(
        permission_classes=[OwnAccount],
        description="Whether the user may approve claims and verify ORCIDs.",
    )
    def is_admin(self, info: Info) -> bool | None:
        return auth.is_administrator(info.context, self.record)

    @strawberry.field(
        permission_classes=[OwnAccountOrAdministrator],
        description="The user's ORCID iD (readable by the user and administrators).",
    )
    def orcid(self) -> str | None:
        return self.record.orcid

    @strawberry.field(
        permission_classes=[OwnAccountOrAdministrator],
        description="Whether an administrator verified the ORCID iD (needed for L3).",
    )
    def orcid_verified(self) -> bool | None:
        return self.record.orcid_verified

    @strawberry.field(
        permission_classes=[OwnAccount],
        description="Researchers the user follows, most recently followed first (up to 100).",
    )
    async def following(self, info: Info, first: int = 10) -> list[Researcher] | None:
        records = await accounts.following(info.context, self.record.id, first)
        return [Researcher.from_record(r) for r in records]

    @strawberry.field(
        permission_classes=[OwnAccount],
        description="Researcher records the user has claimed; each one's claimStatus says "
        "whether the claim is still PENDING or CLAIMED.",
    )
    async def claims(self, info: Info) -> list[Researcher] | None:
        records = await accounts.claimed(info.context, self.record.id)
        return [Researcher.from_record(r) for r in records]

    @strawberry.field(
        permission_classes=[OwnAccount],
        description="Invitations to the researcher records the user has claimed (approved), "
        "newest first (up to 100).",
    )
    async def invitations(
        self, info: Info, status: InvitationStatus | None = None, first: int = 20
    ) -> list[Invitation] | None:
        wanted = status.to_value() if status is not None else None
        records = await accounts.received_invitations(info.context, self.record.id, wanted, first)
        return [Invitation.from_record(r) for r in records]

    @strawberry.field(
        permission_classes=[OwnAccount],
        description="Invitations the user has sent, newest first (up to 100); their `status` "
        "and `respondedAt` give the answer once the invited researcher's claimant has answered.",
    )
    async def sent_invitations(
        self, info: Info, status: InvitationStatus | None = None, first: int = 20
    ) -> list[Invitation] | None:
        wanted = status.to_value() if status is not None else None
        records = await accounts.sent_invitations(info.context, self.record.id, wanted, first)
        return [Invitation.from_record(r) for r in records]


@strawberry.type(description="A bearer token and the account it signs in.")
class AuthPayload:
    token: str = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: str = strawberry.field(description="When the token stops working (UTC).")
    user: User

    @classmethod
    def from_sign_in(cls, signed: SignedIn) -> AuthPayload:
        """The GraphQL view of a sign-in."""
        return cls(
            token=signed.token,
            expires_at=signed.expires_at.isoformat().replace("+00:00", "Z"),
            user=User.from_record(signed.user),
        )


@strawberry.type(
    description="An invitation to collaborate; only its sender and the invited researcher's "
    "claimant ever see it."
)
class Invitation:
    id: strawberry.ID
    message: str
    status: InvitationStatus
    created_at: str
    responded_at: str | None
    record: strawberry.Private[InvitationRecord]

    @classmethod
    def from_record(cls, record: InvitationRecord) -> Invitation:
        """The GraphQL view of an invitation."""
        return cls(
            id=strawberry.ID(record.id),
            message=record.message,
            status=InvitationStatus(record.status.value),
            created_at=record.created_at,
            responded_at=record.responded_at,
            record=record,
        )

    @strawberry.field(name="from", description="Who sent it.")
    async def sender(self, info: Info) -> User:
        return User.from_record(await accounts.user(info.context, self.record.sender_id))

    @strawberry.field(description="The researcher invited.")
    async def to(self, info: Info) -> Researcher:
        return Researcher.from_record(
            await accounts.researcher(info.context, self.record.researcher_id)
        )


@strawberry.type(description="A claim of a researcher record, as administrators review it.")
class Claim:
    status: ClaimStatus
    created_at: str
    approved_at: str | None
    record: strawberry.Private[ClaimRecord]

    @classmethod
    def from_record(cls, record: ClaimRecord) -> Claim:
        """The GraphQL view of a claim."""
        return cls(
            status=ClaimStatus.of(record.status),
            created_at=record.created_at,
            approved_at=record.approved_at,
            record=record,
        )

    @strawberry.field(description="The researcher record claimed.")
    async def researcher(self, info: Info) -> Researcher:
        return Researcher.from_record(
            await accounts.researcher(info.context, self.record.researcher_id)
        )

    @strawberry.field(
        description="The user who claims it; an administrator reads their email while the "
        "claim is pending."
    )
    async def claimant(self, info: Info) -> User:
        return User.from_record(
            await accounts.user(info.context, self.record.user_id),
            claim_under_review=self.status is ClaimStatus.PENDING,
        )
