"""The root mutation type: accounts, follows, claims, profile edits, invitations.

Each field names its permission (resolvers.permissions); the rule runs before the resolver.
"""

from __future__ import annotations

import strawberry

from resolvers import accounts
from resolvers.context import RequestContext
from resolvers.permissions import (
    Administrator,
    InvitationRecipient,
    ResearcherClaimant,
    SignedIn,
)
from schema.researcher import Researcher
from schema.user import AuthPayload, Invitation, User

Info = strawberry.Info[RequestContext, None]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Create an account (email, a password of 8 or more characters, a name) "
        "and sign in. CONFLICT when the email has an account."
    )
    async def sign_up(self, info: Info, email: str, password: str, name: str) -> AuthPayload:
        return AuthPayload.from_sign_in(await accounts.sign_up(info.context, email, password, name))

    @strawberry.mutation(description="Sign in; UNAUTHENTICATED for a wrong email or password.")
    async def log_in(self, info: Info, email: str, password: str) -> AuthPayload:
        return AuthPayload.from_sign_in(await accounts.log_in(info.context, email, password))

    @strawberry.mutation(
        permission_classes=[SignedIn], description="Follow a researcher; again is no error."
    )
    async def follow_researcher(self, info: Info, id: strawberry.ID) -> Researcher:
        return Researcher.from_record(await accounts.follow(info.context, str(id)))

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Stop following a researcher; not following is no error.",
    )
    async def unfollow_researcher(self, info: Info, id: strawberry.ID) -> Researcher:
        return Researcher.from_record(await accounts.unfollow(info.context, str(id)))

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Claim a researcher record as your own: PENDING until an administrator "
        "approves. One claimant per record: CONFLICT when someone else holds a claim.",
    )
    async def claim_researcher(self, info: Info, id: strawberry.ID) -> Researcher:
        return Researcher.from_record(await accounts.claim(info.context, str(id)))

    @strawberry.mutation(
        permission_classes=[Administrator],
        description="Approve a pending claim: CLAIMED, verification L2, or L3 when the "
        "claimant's verified ORCID is the record's.",
    )
    async def approve_claim(self, info: Info, researcher_id: strawberry.ID) -> Researcher:
        return Researcher.from_record(
            await accounts.approve_claim(info.context, str(researcher_id))
        )

    @strawberry.mutation(
        permission_classes=[Administrator],
        description="Turn down a pending claim: the record is UNCLAIMED again.",
    )
    async def reject_claim(self, info: Info, researcher_id: strawberry.ID) -> Researcher:
        return Researcher.from_record(await accounts.reject_claim(info.context, str(researcher_id)))

    @strawberry.mutation(
        permission_classes=[Administrator],
        description="Record a user's ORCID iD as verified by an administrator.",
    )
    async def verify_orcid(self, info: Info, user_id: strawberry.ID, orcid: str) -> User:
        return User.from_record(await accounts.verify_orcid(info.context, str(user_id), orcid))

    @strawberry.mutation(
        permission_classes=[ResearcherClaimant],
        description="Edit your claimed record: bio (an empty string removes it, at most 5,000 "
        "characters) and openToCollaborate; an argument left out (or null) stays as it is.",
    )
    async def update_researcher_profile(
        self,
        info: Info,
        id: strawberry.ID,
        bio: str | None = None,
        open_to_collaborate: bool | None = None,
    ) -> Researcher:
        record = await accounts.update_profile(info.context, str(id), bio, open_to_collaborate)
        return Researcher.from_record(record)

    @strawberry.mutation(
        permission_classes=[SignedIn],
        description="Invite a claimed researcher who is open to collaborate (message 1 to "
        "2,000 characters). RATE_LIMITED past the daily number of invitations per sender.",
    )
    async def invite_to_collaborate(
        self, info: Info, researcher_id: strawberry.ID, message: str
    ) -> Invitation:
        record = await accounts.invite(info.context, str(researcher_id), message)
        return Invitation.from_record(record)

    @strawberry.mutation(
        permission_classes=[InvitationRecipient],
        description="Accept or decline an invitation to your claimed record; once only.",
    )
    async def respond_to_invitation(
        self, info: Info, id: strawberry.ID, accept: bool
    ) -> Invitation:
        return Invitation.from_record(await accounts.respond(info.context, str(id), accept))
