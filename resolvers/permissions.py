"""Who may do what: every authorization rule of the API, as Strawberry permission classes.

- ``SignedIn``: any signed-in user; otherwise UNAUTHENTICATED.
- ``Administrator``: an administrator (``auth.is_administrator``); UNAUTHENTICATED, or
  FORBIDDEN.
- ``OwnAccount``: on a User's private fields, that user and only them; FORBIDDEN.
- ``OwnAccountOrAdministrator``: on a User's ORCID fields, that user or an administrator
  (who verifies ORCIDs and reads what it verified); FORBIDDEN.
- ``OwnAccountOrClaimReviewer``: on a User's email, that user, or an administrator reading the
  claimant of a pending claim (``pendingClaims { claimant }``), who may need to reach them
  before approving; FORBIDDEN.
- ``ResearcherClaimant``: the approved claimant of the researcher in the ``id`` argument;
  UNAUTHENTICATED, NOT_FOUND (no such researcher), or FORBIDDEN.
- ``InvitationRecipient``: the approved claimant of the researcher that invitation ``id``
  invites; UNAUTHENTICATED, NOT_FOUND (no such invitation), or FORBIDDEN.

A permission decides from what the request reads (through the loaders) before the resolver
runs. What a concurrent write could change between that read and the write (a claim, an
invitation's status) the store checks again inside the write's transaction.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from strawberry import Info
from strawberry.permission import BasePermission

from graphstore.account_records import UserRecord
from graphstore.ids import NodeLabel
from graphstore.records import ClaimState
from resolvers import auth
from resolvers.context import RequestContext
from resolvers.errors import FORBIDDEN, NOT_FOUND, ClientError
from resolvers.lookups import client_id


class _Rule(BasePermission):
    """A permission whose refusal is a ClientError with FORBIDDEN (or the rule's own error)."""

    message = "not allowed"

    async def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        context = info.context
        assert isinstance(context, RequestContext)
        return await self.allows(source, context, kwargs)

    @abstractmethod
    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        """Whether the request may resolve the field; may raise a ClientError of its own."""

    def on_unauthorized(self) -> None:
        raise ClientError(self.message, FORBIDDEN)


class SignedIn(_Rule):
    """Any signed-in user."""

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        await auth.require_viewer(context)
        return True


class Administrator(_Rule):
    """An administrator."""

    message = "only an administrator may do this"

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        return auth.is_administrator(context, await auth.require_viewer(context))


class OwnAccount(_Rule):
    """The user whose account a User object shows (its ``record``)."""

    message = "only the user themself may read this"

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        record = getattr(source, "record", None)
        viewer = await auth.viewer(context)
        return isinstance(record, UserRecord) and viewer is not None and viewer.id == record.id


class OwnAccountOrAdministrator(OwnAccount):
    """The user whose account a User object shows, or an administrator."""

    message = "only the user themself or an administrator may read this"

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        if await super().allows(source, context, arguments):
            return True
        viewer = await auth.viewer(context)
        return viewer is not None and auth.is_administrator(context, viewer)


class OwnAccountOrClaimReviewer(OwnAccount):
    """The user whose account a User object shows, or an administrator when the object is
    the claimant of a pending claim (its ``claim_under_review``)."""

    message = "only the user themself, or an administrator reviewing their claim, may read this"

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        if await super().allows(source, context, arguments):
            return True
        if not getattr(source, "claim_under_review", False):
            return False
        viewer = await auth.viewer(context)
        return viewer is not None and auth.is_administrator(context, viewer)


class ResearcherClaimant(_Rule):
    """The approved claimant of the researcher named by the ``id`` argument."""

    message = "only the approved claimant of this researcher record may do this"

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        viewer = await auth.require_viewer(context)
        researcher_id = client_id(str(arguments["id"]), NodeLabel.RESEARCHER)
        return await _holds_claim(context, viewer, researcher_id)


class InvitationRecipient(_Rule):
    """The approved claimant of the researcher that the invitation ``id`` invites."""

    message = "only the invited researcher's claimant may answer this invitation"

    async def allows(self, source: Any, context: RequestContext, arguments: dict[str, Any]) -> bool:
        viewer = await auth.require_viewer(context)
        invitation = await context.account_loaders.invitation.load(str(arguments["id"]))
        if invitation is None:
            raise ClientError("no invitation has this id", NOT_FOUND)
        return await _holds_claim(context, viewer, invitation.researcher_id)


async def _holds_claim(context: RequestContext, viewer: UserRecord, researcher_id: str) -> bool:
    if await context.loaders.researcher.load(researcher_id) is None:
        raise ClientError("no researcher has this id", NOT_FOUND)
    held = await context.account_loaders.claim_of_researcher.load(researcher_id)
    return held is not None and held.user_id == viewer.id and held.status is ClaimState.CLAIMED
