"""Accounts' plain records: users, claims of author records, collaboration invitations.

What crosses the store boundary for accounts: the records ``AccountStore``
(graphstore.protocol) takes and returns, and ``RejectedWriteError`` with its ``Rejection``,
which the resolvers turn into client errors. The Cypher behind them is
graphstore.engines.accounts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graphstore.records import ClaimState

ADMIN_ROLE = "admin"


class InvitationState(StrEnum):
    """Where a collaboration invitation stands."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"


class Rejection(StrEnum):
    """Why the graph refused an account write; the resolvers turn each into a client error."""

    EMAIL_TAKEN = "EMAIL_TAKEN"
    UNKNOWN_USER = "UNKNOWN_USER"
    UNKNOWN_RESEARCHER = "UNKNOWN_RESEARCHER"
    UNKNOWN_INVITATION = "UNKNOWN_INVITATION"
    CLAIMED_BY_OTHER = "CLAIMED_BY_OTHER"
    NO_PENDING_CLAIM = "NO_PENDING_CLAIM"
    NOT_CLAIMANT = "NOT_CLAIMANT"
    NOT_INVITABLE = "NOT_INVITABLE"
    OWN_RECORD = "OWN_RECORD"
    RATE_LIMITED = "RATE_LIMITED"
    ALREADY_ANSWERED = "ALREADY_ANSWERED"


class RejectedWriteError(Exception):
    """An account write the graph refused; its transaction was rolled back."""

    def __init__(self, reason: Rejection) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class UserRecord:
    """An account, without its password hash (see ``AccountStore.credentials``)."""

    id: str
    name: str
    email: str
    roles: tuple[str, ...]
    orcid: str | None
    orcid_verified: bool
    created_at: str

    @property
    def has_admin_role(self) -> bool:
        """Whether the graph makes the account an administrator (the deployment may name more:
        resolvers.auth.is_administrator)."""
        return ADMIN_ROLE in self.roles


@dataclass(frozen=True, slots=True)
class NewUser:
    """An account to create; the email is already normalised and the password hashed."""

    id: str
    name: str
    email: str
    password_hash: str
    roles: tuple[str, ...] = ()
    orcid: str | None = None
    orcid_verified: bool = False


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """A user's claim of a researcher record: PENDING until an administrator approves it."""

    researcher_id: str
    user_id: str
    status: ClaimState
    created_at: str
    approved_at: str | None


@dataclass(frozen=True, slots=True)
class ProfileEdit:
    """What a claimant changes on their record: None keeps a value, an empty bio removes it."""

    bio: str | None = None
    open_to_collaborate: bool | None = None


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """An invitation to write; its sender and message are already checked."""

    id: str
    sender_id: str
    researcher_id: str
    message: str


@dataclass(frozen=True, slots=True)
class InvitationRecord:
    """A collaboration invitation from a user to a (claimed) researcher."""

    id: str
    sender_id: str
    researcher_id: str
    message: str
    status: InvitationState
    created_at: str
    responded_at: str | None
