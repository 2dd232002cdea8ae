"""Account actions and reads: sign up, log in, follow, claim, edit a profile, invite.

Who may call what is decided before these run (resolvers.permissions); here the input is
checked (BAD_USER_INPUT), the write goes to the store as one transaction, and the store's
refusals become client errors. After every write the request's loaders are replaced, so the
fields a mutation returns read the graph as the write left it.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from graphstore.account_records import (
    ADMIN_ROLE,
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
from graphstore.ids import NodeLabel
from graphstore.records import ResearcherRecord
from resolvers import auth
from resolvers.errors import (
    BAD_USER_INPUT,
    CONFLICT,
    FORBIDDEN,
    NOT_FOUND,
    RATE_LIMITED,
    UNAUTHENTICATED,
    ClientError,
    bad_input,
)
from resolvers.lookups import client_id

if TYPE_CHECKING:
    from resolvers.context import RequestContext

MAX_EMAIL = 254
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 pre-hashes any length; the cap only bounds the request
MAX_NAME = 200
MAX_BIO = 5000
MAX_MESSAGE = 2000
MAX_LIST = 100
MAX_USER_ID = 100
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_ORCID_URL_PREFIXES = ("https://orcid.org/", "http://orcid.org/")

T = TypeVar("T")

_REFUSALS: dict[Rejection, tuple[str, str]] = {
    Rejection.EMAIL_TAKEN: (CONFLICT, "an account with this email exists"),
    Rejection.UNKNOWN_USER: (UNAUTHENTICATED, "the account of this token no longer exists"),
    Rejection.UNKNOWN_RESEARCHER: (NOT_FOUND, "no researcher has this id"),
    Rejection.UNKNOWN_INVITATION: (NOT_FOUND, "no invitation has this id"),
    Rejection.CLAIMED_BY_OTHER: (CONFLICT, "another user has claimed this researcher record"),
    Rejection.NO_PENDING_CLAIM: (CONFLICT, "this researcher record has no pending claim"),
    Rejection.NOT_CLAIMANT: (
        FORBIDDEN,
        "only the approved claimant of this researcher record may do this",
    ),
    Rejection.NOT_INVITABLE: (
        FORBIDDEN,
        "this researcher takes no invitations: the record must be claimed and open to collaborate",
    ),
    Rejection.OWN_RECORD: (BAD_USER_INPUT, "this is your own researcher record"),
    Rejection.RATE_LIMITED: (RATE_LIMITED, "too many invitations in the last day"),
    Rejection.ALREADY_ANSWERED: (CONFLICT, "this invitation has been answered"),
}


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A new bearer token and the account it signs in."""

    token: str
    expires_at: datetime
    user: UserRecord


def now() -> datetime:
    """The time account writes are stamped with."""
    return datetime.now(UTC)


# --- input


def normalize_email(raw: str) -> str:
    """The stored form of an email (trimmed, lower case), or BAD_USER_INPUT."""
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL or not _EMAIL.fullmatch(email):
        raise bad_input("email: expected an address such as ada@example.org")
    return email


def normalize_orcid(raw: str) -> str:
    """The bare form of an ORCID iD (0000-0002-1825-0097), URL or not; checksum checked."""
    orcid = raw.strip()
    for prefix in _ORCID_URL_PREFIXES:
        if orcid.lower().startswith(prefix):
            orcid = orcid[len(prefix) :]
            break
    orcid = orcid.upper()
    if not _ORCID.fullmatch(orcid) or _orcid_check_digit(orcid) != orcid[-1]:
        raise bad_input("orcid: expected an ORCID iD such as 0000-0002-1825-0097")
    return orcid


def _orcid_check_digit(orcid: str) -> str:
    """ISO 7064 MOD 11-2 over the first 15 digits, as ORCID defines it."""
    total = 0
    for digit in orcid.replace("-", "")[:-1]:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def _clean_name(raw: str) -> str:
    name = raw.strip()
    if not name or len(name) > MAX_NAME:
        raise bad_input(f"name: 1 to {MAX_NAME} characters")
    # A name is one line of text: NUL, newlines and the other control characters are not.
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise bad_input("name: no control characters (tabs, new lines, NUL)")
    return name


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise bad_input(f"password: {MIN_PASSWORD} to {MAX_PASSWORD} characters")


def _list_size(first: int) -> int:
    if not 0 <= first <= MAX_LIST:
        raise bad_input(f"first: 0 to {MAX_LIST}")
    return first


async def new_user(
    email: str,
    password: str,
    name: str,
    *,
    admin: bool = False,
    orcid: str | None = None,
    orcid_verified: bool = False,
) -> NewUser:
    """A checked account with its password hashed: for signUp and `researchgraph users create`."""
    email = normalize_email(email)
    name = _clean_name(name)
    _check_password(password)
    if orcid_verified and orcid is None:
        raise bad_input("orcid: a verified ORCID needs the ORCID")
    return NewUser(
        id=f"u_{secrets.token_hex(12)}",
        name=name,
        email=email,
        password_hash=await auth.hash_password(password),
        roles=(ADMIN_ROLE,) if admin else (),
        orcid=normalize_orcid(orcid) if orcid is not None else None,
        orcid_verified=orcid_verified,
    )


# --- writes


async def _write(context: RequestContext, write: Awaitable[T]) -> T:
    """Await a store write; its refusal becomes a client error; later reads see the write."""
    try:
        result = await write
    except RejectedWriteError as rejected:
        code, message = _REFUSALS[rejected.reason]
        if rejected.reason is Rejection.RATE_LIMITED:
            message = (
                f"at most {context.accounts.invitations_per_day} invitations a day: try again later"
            )
        raise ClientError(message, code) from rejected
    context.forget_reads()
    return result


async def sign_up(context: RequestContext, email: str, password: str, name: str) -> SignedIn:
    """Create an account and sign it in."""
    secret = context.accounts.signing_secret()  # fail before writing when it cannot sign
    account = await new_user(email, password, name)
    user = await _write(context, context.store.create_user(account, now()))
    return _signed_in(context, user, secret)


async def log_in(context: RequestContext, email: str, password: str) -> SignedIn:
    """Sign in with email and password; one UNAUTHENTICATED answer for every wrong pair."""
    secret = context.accounts.signing_secret()
    found = None
    if len(email) <= MAX_EMAIL and len(password) <= MAX_PASSWORD:
        found = await context.store.credentials(email.strip().lower())
    matches = await auth.password_matches(found[1] if found else None, password)
    if found is None or not matches:
        raise auth.unauthenticated("wrong email or password")
    return _signed_in(context, found[0], secret)


def _signed_in(context: RequestContext, user: UserRecord, secret: str) -> SignedIn:
    issued = auth.issue_token(user.id, secret, context.accounts.token_lifetime, now())
    auth.sign_in(context, user.id)
    return SignedIn(token=issued.token, expires_at=issued.expires_at, user=user)


async def follow(context: RequestContext, raw_id: str) -> ResearcherRecord:
    """Follow a researcher (again is no error); the researcher as it now reads."""
    viewer = await auth.require_viewer(context)
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER)
    await _write(context, context.store.follow(viewer.id, researcher_id, now()))
    return await _researcher(context, researcher_id)


async def unfollow(context: RequestContext, raw_id: str) -> ResearcherRecord:
    """Stop following a researcher (not following is no error)."""
    viewer = await auth.require_viewer(context)
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER)
    await _write(context, context.store.unfollow(viewer.id, researcher_id))
    return await _researcher(context, researcher_id)


async def claim(context: RequestContext, raw_id: str) -> ResearcherRecord:
    """Claim a researcher record for the viewer: PENDING until an administrator approves."""
    viewer = await auth.require_viewer(context)
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER)
    await _write(context, context.store.claim(viewer.id, researcher_id, now()))
    return await _researcher(context, researcher_id)


async def approve_claim(context: RequestContext, raw_id: str) -> ResearcherRecord:
    """Approve the pending claim of a researcher record (CLAIMED; L3 where ORCIDs agree)."""
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER, "researcherId")
    await _write(context, context.store.approve_claim(researcher_id, now()))
    return await _researcher(context, researcher_id)


async def reject_claim(context: RequestContext, raw_id: str) -> ResearcherRecord:
    """Turn down the pending claim of a researcher record: UNCLAIMED again."""
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER, "researcherId")
    await _write(context, context.store.reject_claim(researcher_id))
    return await _researcher(context, researcher_id)


async def verify_orcid(context: RequestContext, raw_user_id: str, raw_orcid: str) -> UserRecord:
    """Record a user's ORCID as verified by an administrator."""
    orcid = normalize_orcid(raw_orcid)
    user_id = raw_user_id.strip()
    if len(user_id) > MAX_USER_ID or await context.account_loaders.user.load(user_id) is None:
        raise ClientError("no user has this id", NOT_FOUND)
    return await _write(context, context.store.set_orcid(user_id, orcid, verified=True))


async def update_profile(
    context: RequestContext, raw_id: str, bio: str | None, open_to_collaborate: bool | None
) -> ResearcherRecord:
    """Change the bio (an empty one removes it) and openness of the viewer's own record."""
    viewer = await auth.require_viewer(context)
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER)
    if bio is not None:
        bio = bio.strip()
        if len(bio) > MAX_BIO:
            raise bad_input(f"bio: at most {MAX_BIO} characters")
    edit = ProfileEdit(bio=bio, open_to_collaborate=open_to_collaborate)
    await _write(context, context.store.update_profile(viewer.id, researcher_id, edit))
    return await _researcher(context, researcher_id)


async def invite(context: RequestContext, raw_id: str, message: str) -> InvitationRecord:
    """Invite a claimed researcher who is open to collaborate; counted against a daily limit."""
    viewer = await auth.require_viewer(context)
    researcher_id = client_id(raw_id, NodeLabel.RESEARCHER, "researcherId")
    if not 1 <= len(message) <= MAX_MESSAGE or not message.strip():
        raise bad_input(f"message: 1 to {MAX_MESSAGE} characters, not only spaces")
    invitation = NewInvitation(
        id=f"inv_{secrets.token_hex(12)}",
        sender_id=viewer.id,
        researcher_id=researcher_id,
        message=message,
    )
    moment = now()
    limit = context.accounts.invitations_per_day
    write = context.store.create_invitation(invitation, moment, moment - timedelta(days=1), limit)
    return await _write(context, write)


async def respond(context: RequestContext, invitation_id: str, accept: bool) -> InvitationRecord:
    """Accept or decline an invitation to the viewer's claimed record (once)."""
    viewer = await auth.require_viewer(context)
    write = context.store.answer_invitation(viewer.id, invitation_id, accept, now())
    return await _write(context, write)


async def _researcher(context: RequestContext, researcher_id: str) -> ResearcherRecord:
    record = await context.loaders.researcher.load(researcher_id)
    if record is None:
        raise ClientError("no researcher has this id", NOT_FOUND)
    return record


# --- reads


async def viewer_follows(context: RequestContext, researcher_id: str) -> bool:
    """Whether the signed-in user follows the researcher; False when anonymous."""
    viewer = await auth.viewer(context)
    if viewer is None:
        return False
    return await context.account_loaders.follows.load((viewer.id, researcher_id))


async def user(context: RequestContext, user_id: str) -> UserRecord:
    """An account that a claim or invitation names (it exists: edges need both ends)."""
    record = await context.account_loaders.user.load(user_id)
    if record is None:
        raise ClientError("no user has this id", NOT_FOUND)
    return record


async def researcher(context: RequestContext, researcher_id: str) -> ResearcherRecord:
    """A researcher that a claim or invitation names."""
    return await _researcher(context, researcher_id)


async def following(context: RequestContext, user_id: str, first: int) -> list[ResearcherRecord]:
    """The researchers a user follows, most recently followed first."""
    ids = (await context.account_loaders.followed.load(user_id))[: _list_size(first)]
    records = await context.loaders.researcher.load_many(ids)
    return [r for r in records if r is not None]


async def claimed(context: RequestContext, user_id: str) -> list[ResearcherRecord]:
    """The researcher records a user has claimed (pending or approved), newest first."""
    claims = await context.account_loaders.claims_of_user.load(user_id)
    records = await context.loaders.researcher.load_many([c.researcher_id for c in claims])
    return [r for r in records if r is not None]


async def received_invitations(
    context: RequestContext, user_id: str, status: InvitationState | None, first: int
) -> list[InvitationRecord]:
    """Invitations to the records a user has claimed, newest first, optionally of one status."""
    size = _list_size(first)
    received = await context.account_loaders.received_invitations.load(user_id)
    return _of_status(received, status)[:size]


async def sent_invitations(
    context: RequestContext, user_id: str, status: InvitationState | None, first: int
) -> list[InvitationRecord]:
    """Invitations a user has sent, newest first, optionally of one status."""
    size = _list_size(first)
    sent = await context.account_loaders.sent_invitations.load(user_id)
    return _of_status(sent, status)[:size]


def _of_status(
    invitations: list[InvitationRecord], status: InvitationState | None
) -> list[InvitationRecord]:
    return [i for i in invitations if status is None or i.status is status]


async def pending_claims(context: RequestContext, first: int) -> list[ClaimRecord]:
    """Claims waiting for an administrator, oldest first."""
    return await context.store.pending_claims(_list_size(first))
