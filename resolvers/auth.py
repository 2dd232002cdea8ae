"""Who is asking: bearer tokens, password hashes, and the signed-in viewer of a request.

Tokens are JWTs signed with HS256 and the deployment's secret, carrying ``sub`` (the user id),
``iss``, ``iat`` and ``exp``. Verification accepts HS256 only and requires every one of those
claims, so a tampered or expired token, one signed with another key, and one with ``alg: none``
are all refused. A token says who the user is, never what they may do: roles are read from the
graph on each request, so a change of role takes effect at once. Administrators are the
accounts with the admin role, and those whose email the deployment lists
(RESEARCHGRAPH_ADMIN_EMAILS, ``AccountSettings.admin_emails``).

Credentials are looked at lazily, the first time a resolver needs the viewer. A request without
an Authorization header is anonymous; one whose header or token is bad gets UNAUTHENTICATED
from every field that depends on who is asking (``viewer``, ``viewerFollows``, mutations,
private fields), so a client learns to drop its token instead of silently reading as anonymous.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's low-memory profile), in
a worker thread so hashing does not stall the event loop.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from graphstore.account_records import ClaimRecord, InvitationRecord, UserRecord
from graphstore.protocol import GraphStore
from resolvers.errors import UNAUTHENTICATED, ClientError
from resolvers.loaders import BatchLoader, LoaderGroup

if TYPE_CHECKING:
    from resolvers.context import RequestContext

JWT_ALGORITHM = "HS256"
JWT_ISSUER = "researchgraph"
_REQUIRED_CLAIMS = ["sub", "iss", "iat", "exp"]

_hasher = PasswordHasher()


def _no_signing_secret() -> str:
    raise RuntimeError("no token signing secret is configured")


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """A deployment's account rules, as researchgraph.settings reads them.

    ``signing_secret`` is called only when a token is issued or checked: the embedded
    default creates its secret file on first use. ``admin_emails`` (normalised) make their
    accounts administrators, also those created later.
    """

    signing_secret: Callable[[], str] = _no_signing_secret
    token_lifetime: timedelta = timedelta(days=1)
    invitations_per_day: int = 20
    admin_emails: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A bearer token and the moment it stops being accepted."""

    token: str
    expires_at: datetime


def issue_token(user_id: str, secret: str, lifetime: timedelta, now: datetime) -> IssuedToken:
    """A signed token naming the user, valid for ``lifetime`` from ``now``."""
    expires_at = now + lifetime
    claims = {
        "sub": user_id,
        "iss": JWT_ISSUER,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return IssuedToken(jwt.encode(claims, secret, algorithm=JWT_ALGORITHM), expires_at)


def token_subject(token: str, secret: str) -> str:
    """The user id a valid token names; an UNAUTHENTICATED ClientError for any other token."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            issuer=JWT_ISSUER,
            options={"require": _REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as error:
        raise unauthenticated("the token has expired: log in again") from error
    except jwt.InvalidTokenError as error:
        raise unauthenticated("the token is not valid") from error
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject:
        raise unauthenticated("the token is not valid")
    return subject


def unauthenticated(message: str) -> ClientError:
    """The request has no credentials, or credentials that cannot be accepted."""
    return ClientError(message, UNAUTHENTICATED)


async def hash_password(password: str) -> str:
    """An argon2id hash of the password (salted; the parameters are in the hash)."""
    return await asyncio.to_thread(_hasher.hash, password)


async def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password is the one hashed.

    With no hash (no account with that email) a stand-in hash is checked all the same, so an
    unknown email takes as long to refuse as a wrong password.
    """

    def verify() -> bool:
        try:
            _hasher.verify(password_hash or _stand_in_hash(), password)
        except (VerificationError, InvalidHashError):
            return False
        return password_hash is not None

    return await asyncio.to_thread(verify)


@functools.cache
def _stand_in_hash() -> str:
    return _hasher.hash("no account has this password")


@dataclass(slots=True)
class Session:
    """Who is asking, worked out from the Authorization header on first use, then kept."""

    checked: bool = False
    user_id: str | None = None
    problem: str | None = None


class AccountLoaders:
    """Per-request loaders of account data: users, follows, claims, invitations."""

    def __init__(
        self, store: GraphStore, on_batch: Callable[[str, int], None] | None = None
    ) -> None:
        async def follows(keys: Sequence[tuple[str, str]]) -> list[bool]:
            # Keys are (user, researcher); in practice one user, the viewer, per request.
            by_user: dict[str, list[str]] = {}
            for user_id, researcher_id in keys:
                by_user.setdefault(user_id, []).append(researcher_id)
            answers: dict[tuple[str, str], bool] = {}
            for user_id, researcher_ids in by_user.items():
                found = await store.follows(user_id, researcher_ids)
                answers.update(
                    ((user_id, rid), yes) for rid, yes in zip(researcher_ids, found, strict=True)
                )
            return [answers[key] for key in keys]

        self._group = group = LoaderGroup(on_batch)
        self.user: BatchLoader[str, UserRecord | None] = group.make("user", store.users)
        self.follows: BatchLoader[tuple[str, str], bool] = group.make("follows", follows)
        self.followed: BatchLoader[str, list[str]] = group.make("followed", store.followed)
        self.claim_of_researcher: BatchLoader[str, ClaimRecord | None] = group.make(
            "claim_of_researcher", store.claims_of_researchers
        )
        self.claims_of_user: BatchLoader[str, list[ClaimRecord]] = group.make(
            "claims_of_user", store.claims_of_users
        )
        self.invitation: BatchLoader[str, InvitationRecord | None] = group.make(
            "invitation", store.invitations
        )
        self.received_invitations: BatchLoader[str, list[InvitationRecord]] = group.make(
            "received_invitations", store.received_invitations
        )
        self.sent_invitations: BatchLoader[str, list[InvitationRecord]] = group.make(
            "sent_invitations", store.sent_invitations
        )

    def clear(self) -> None:
        """Forget every cached value (see LoaderGroup.clear)."""
        self._group.clear()


async def viewer(context: RequestContext) -> UserRecord | None:
    """The signed-in user; None when anonymous; UNAUTHENTICATED when credentials are bad."""
    session = context.session
    if not session.checked:
        session.checked = True
        try:
            session.user_id = _user_id(context.authorization, context.accounts)
        except ClientError as error:
            session.problem = error.message
    if session.problem is not None:
        raise unauthenticated(session.problem)
    if session.user_id is None:
        return None
    user = await context.account_loaders.user.load(session.user_id)
    if user is None:
        raise unauthenticated("the account of this token no longer exists")
    return user


def is_administrator(context: RequestContext, user: UserRecord) -> bool:
    """Whether the user may approve claims and verify ORCIDs: the admin role in the graph, or
    an email the deployment lists (normalised, as stored)."""
    return user.has_admin_role or user.email in context.accounts.admin_emails


async def require_viewer(context: RequestContext) -> UserRecord:
    """The signed-in user, or UNAUTHENTICATED."""
    user = await viewer(context)
    if user is None:
        raise unauthenticated("sign in first: send Authorization: Bearer <token>")
    return user


def sign_in(context: RequestContext, user_id: str) -> None:
    """Act as this user for the rest of the request (after signUp or logIn)."""
    context.session.checked = True
    context.session.user_id = user_id
    context.session.problem = None


def _user_id(authorization: str | None, accounts: AccountSettings) -> str | None:
    if authorization is None or not authorization.strip():
        return None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthenticated("expected the header Authorization: Bearer <token>")
    return token_subject(token.strip(), accounts.signing_secret())
