"""Accounts through the API, on both engines: sign-in, tokens, follows, claims, invitations.

The fixtures here (``api``, ``make_user``) serve the other test_accounts_* modules too, which
import them under their function names (``api_fixture``, ``make_user_fixture``).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest

from graphstore.account_records import ADMIN_ROLE, NewUser, UserRecord
from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from graphstore.records import AuthorshipRow, WorkRow
from researchgraph.app import create_app
from researchgraph.settings import Settings
from resolvers.auth import hash_password, issue_token
from tests.conftest import SEED_RESEARCHER, SEED_WORKS

# 64 bytes: long enough for HS512 too, which one bad token uses.
SECRET = "accounts-test-secret-" + "0123456789abcdef" * 3
INVITATIONS_PER_DAY = 3
PASSWORD = "correct horse battery"
ORCID = "0000-0002-1825-0097"
ORCID_RESEARCHER = "A5000000001"  # added by the fixture: one work, and an ORCID on record

MakeUser = Callable[..., Awaitable["Actor"]]


@dataclass(frozen=True, slots=True)
class Actor:
    """A user of the tests and the bearer token that signs them in."""

    user: UserRecord
    token: str

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def email(self) -> str:
        return self.user.email


class Api:
    """Posts GraphQL to the app as someone (a token), no one, or with a raw header."""

    def __init__(self, http: httpx.AsyncClient, store: GraphStore) -> None:
        self.http = http
        self.store = store
        # Every body the API sent back, with the email of who asked (None: anonymous).
        self.responses: list[tuple[str | None, str]] = []

    async def __call__(
        self,
        query: str,
        as_: Actor | None = None,
        /,
        *,
        authorization: str | None = None,
        **variables: Any,
    ) -> dict[str, Any]:
        headers = {}
        if as_ is not None:
            headers["authorization"] = f"Bearer {as_.token}"
        if authorization is not None:
            headers["authorization"] = authorization
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        self.responses.append((as_.email if as_ else None, response.text))
        body: dict[str, Any] = response.json()
        return body

    async def data(
        self, query: str, as_: Actor | None = None, /, **variables: Any
    ) -> dict[str, Any]:
        """The data of a request that must not fail."""
        body = await self(query, as_, **variables)
        assert "errors" not in body, body["errors"]
        data: dict[str, Any] = body["data"]
        return data

    async def code(self, query: str, as_: Actor | None = None, /, **variables: Any) -> str:
        """The code of the one error a request must fail with."""
        body = await self(query, as_, **variables)
        assert len(body.get("errors", [])) == 1, body
        code: str = body["errors"][0]["extensions"]["code"]
        return code


@pytest.fixture(name="api")
async def api_fixture(store: GraphStore) -> AsyncIterator[Api]:
    """The app over the store with the seed data and a researcher with an ORCID."""
    await import_openalex(store, [SEED_WORKS])
    await store.upsert_works(
        [
            WorkRow(
                id="W5000000001",
                title="Verified work",
                type="article",
                year=2024,
                venue=None,
                doi=None,
                abstract=None,
                cited_by_count=0,
                updated_date="2024-01-01",
                authorships=(
                    AuthorshipRow(ORCID_RESEARCHER, "Orcid Holder", position=0, orcid=ORCID),
                ),
            )
        ]
    )
    settings = Settings(
        debug=True,
        load_demo_data=False,
        jwt_secret=SECRET,
        invitations_per_day=INVITATIONS_PER_DAY,
    )
    transport = httpx.ASGITransport(app=create_app(settings, store=store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield Api(http, store)


_password_hash: list[str] = []


@pytest.fixture(name="make_user")
async def make_user_fixture(store: GraphStore) -> MakeUser:
    """Creates an account straight in the store (one argon2 hash for all) and a token."""
    if not _password_hash:
        _password_hash.append(await hash_password(PASSWORD))

    async def make(
        name: str, *, admin: bool = False, orcid: str | None = None, verified: bool = False
    ) -> Actor:
        user = await store.create_user(
            NewUser(
                id=f"u_{name}",
                name=name.capitalize(),
                email=f"{name}@example.org",
                password_hash=_password_hash[0],
                roles=(ADMIN_ROLE,) if admin else (),
                orcid=orcid,
                orcid_verified=verified,
            ),
            datetime.now(UTC),
        )
        return Actor(user, token_for(user.id))

    return make


def token_for(
    user_id: str, *, secret: str = SECRET, lifetime: timedelta = timedelta(hours=1)
) -> str:
    return issue_token(user_id, secret, lifetime, datetime.now(UTC)).token


SIGN_UP = """
mutation ($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) { token expiresAt user { id name email } }
}
"""
LOG_IN = """
mutation ($email: String!, $password: String!) {
  logIn(email: $email, password: $password) { token user { id email isAdmin } }
}
"""
VIEWER = "{ viewer { id name email isAdmin orcid orcidVerified } }"
PROFILE = """
query ($id: ID!) {
  researcher(id: $id) {
    claimStatus bio openToCollaborate viewerFollows stats { followers }
    trust { score band label verification }
  }
}
"""
FOLLOW = "mutation ($id: ID!) { followResearcher(id: $id) { viewerFollows stats { followers } } }"
UNFOLLOW = """
mutation ($id: ID!) { unfollowResearcher(id: $id) { viewerFollows stats { followers } } }
"""
CLAIM = "mutation ($id: ID!) { claimResearcher(id: $id) { id claimStatus } }"
APPROVE = """
mutation ($id: ID!) { approveClaim(researcherId: $id) { claimStatus trust { verification } } }
"""
REJECT = "mutation ($id: ID!) { rejectClaim(researcherId: $id) { claimStatus } }"
VERIFY_ORCID = """
mutation ($user: ID!, $orcid: String!) { verifyOrcid(userId: $user, orcid: $orcid) { id name } }
"""
UPDATE_PROFILE = """
mutation ($id: ID!, $bio: String, $open: Boolean) {
  updateResearcherProfile(id: $id, bio: $bio, openToCollaborate: $open) {
    bio openToCollaborate trust { score }
  }
}
"""
INVITE = """
mutation ($id: ID!, $message: String!) {
  inviteToCollaborate(researcherId: $id, message: $message) {
    id message status createdAt respondedAt from { id name } to { id }
  }
}
"""
RESPOND = """
mutation ($id: ID!, $accept: Boolean!) {
  respondToInvitation(id: $id, accept: $accept) { id status respondedAt }
}
"""
INVITATIONS = "{ viewer { invitations { id message status from { id name } to { id } } } }"
SENT_INVITATIONS = "{ viewer { sentInvitations { id status respondedAt to { id } } } }"


async def claimed_by(api: Api, actor: Actor, admin: Actor, researcher: str) -> None:
    """Make ``actor`` the approved claimant of ``researcher``."""
    await api.data(CLAIM, actor, id=researcher)
    await api.data(APPROVE, admin, id=researcher)


# --- signing in


async def test_sign_up_log_in_and_viewer(api: Api) -> None:
    assert await api.data(VIEWER) == {"viewer": None}
    signed = (await api.data(SIGN_UP, email=" Ada@Example.org ", password=PASSWORD, name=" Ada "))[
        "signUp"
    ]
    assert signed["user"]["email"] == "ada@example.org"
    assert signed["user"]["name"] == "Ada"
    expires = datetime.fromisoformat(signed["expiresAt"])
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(days=1)
    claims = jwt.decode(signed["token"], SECRET, algorithms=["HS256"])
    assert claims["sub"] == signed["user"]["id"]
    assert claims["exp"] - claims["iat"] == 86_400

    ada_id = signed["user"]["id"]
    viewer = (await api(VIEWER, authorization=f"Bearer {signed['token']}"))["data"]["viewer"]
    assert viewer == {
        "id": ada_id,
        "name": "Ada",
        "email": "ada@example.org",
        "isAdmin": False,
        "orcid": None,
        "orcidVerified": False,
    }
    logged = (await api.data(LOG_IN, email="ADA@example.org", password=PASSWORD))["logIn"]
    assert logged["user"] == {"id": ada_id, "email": "ada@example.org", "isAdmin": False}
    again = await api(VIEWER, authorization=f"Bearer {logged['token']}")
    assert again["data"]["viewer"]["id"] == ada_id

    assert await api.code(LOG_IN, email="ada@example.org", password="wrong password") == (
        "UNAUTHENTICATED"
    )
    assert await api.code(LOG_IN, email="nobody@example.org", password=PASSWORD) == (
        "UNAUTHENTICATED"
    )
    assert await api.code(SIGN_UP, email="ada@example.org", password=PASSWORD, name="Again") == (
        "CONFLICT"
    )


@pytest.mark.parametrize(
    ("email", "password", "name"),
    [
        ("not-an-email", PASSWORD, "Ada"),
        ("ada@example.org", "short", "Ada"),
        ("ada@example.org", PASSWORD, "   "),
        ("ada@example.org", "x" * 1025, "Ada"),
        ("a" * 250 + "@example.org", PASSWORD, "Ada"),
        ("ada@example.org", PASSWORD, "Ada\x00Lovelace"),
        ("ada@example.org", PASSWORD, "Ada\nLovelace"),
    ],
)
async def test_sign_up_checks_its_input(api: Api, email: str, password: str, name: str) -> None:
    before = await api.store.counts()
    assert await api.code(SIGN_UP, email=email, password=password, name=name) == "BAD_USER_INPUT"
    assert await api.store.counts() == before


def _segment(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def _bad_tokens(user_id: str) -> dict[str, str]:
    now = int(datetime.now(UTC).timestamp())
    good = token_for(user_id)
    header, _, signature = good.split(".")
    claims = {"sub": user_id, "iss": "researchgraph", "iat": now, "exp": now + 3600}
    return {
        "tampered": f"{header}.{_segment({**claims, 'sub': 'u_someone_else'})}.{signature}",
        "expired": issue_token(
            user_id, SECRET, timedelta(minutes=1), datetime.now(UTC) - timedelta(hours=1)
        ).token,
        "other key": token_for(user_id, secret="another-secret-" + "x" * 40),
        "alg none": f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}.",
        "other algorithm": jwt.encode(claims, SECRET, algorithm="HS512"),
        "no expiry": jwt.encode({k: v for k, v in claims.items() if k != "exp"}, SECRET),
        "other issuer": jwt.encode({**claims, "iss": "elsewhere"}, SECRET),
        "unknown user": token_for("u_never_created"),
        "garbage": "not.a.token",
    }


async def test_bad_tokens_are_unauthenticated(api: Api, make_user: MakeUser) -> None:
    ada = await make_user("ada")
    assert (await api.data(VIEWER, ada))["viewer"]["id"] == ada.id
    for name, token in _bad_tokens(ada.id).items():
        for query, variables in ((VIEWER, {}), (FOLLOW, {"id": SEED_RESEARCHER})):
            body = await api(query, authorization=f"Bearer {token}", **variables)
            codes = [e["extensions"]["code"] for e in body.get("errors", [])]
            assert codes == ["UNAUTHENTICATED"], (name, body)
    for header in ("Basic YWRhOnNlY3JldA==", "Bearer", f"Token {ada.token}"):
        assert (await api(VIEWER, authorization=header))["errors"][0]["extensions"]["code"] == (
            "UNAUTHENTICATED"
        )
    # Public fields still answer next to the refused ones.
    body = await api(
        "query ($id: ID!) { researcher(id: $id) { name } viewer { id } }",
        authorization="Bearer not.a.token",
        id=SEED_RESEARCHER,
    )
    assert body["data"] == {"researcher": {"name": "Ekin D. Cubuk"}, "viewer": None}
    # Also beside a field of the researcher's own that depends on who is asking.
    body = await api(PROFILE, authorization="Bearer not.a.token", id=SEED_RESEARCHER)
    researcher = body["data"]["researcher"]
    assert (researcher["claimStatus"], researcher["stats"], researcher["trust"]["score"]) == (
        "UNCLAIMED",
        {"followers": 0},
        21,
    )
    assert researcher["viewerFollows"] is None
    assert [(e["path"], e["extensions"]["code"]) for e in body["errors"]] == [
        (["researcher", "viewerFollows"], "UNAUTHENTICATED")
    ]
    assert await api.store.follower_counts([SEED_RESEARCHER]) == [0]


# --- follows


async def test_follow_the_seed_researcher_then_unfollow_twice(api: Api) -> None:
    signed = await api.data(SIGN_UP, email="f@example.org", password=PASSWORD, name="F")
    header = f"Bearer {signed['signUp']['token']}"

    followed = await api(FOLLOW, authorization=header, id=SEED_RESEARCHER)
    assert followed["data"]["followResearcher"] == {
        "viewerFollows": True,
        "stats": {"followers": 1},
    }
    profile = (await api(PROFILE, authorization=header, id=SEED_RESEARCHER))["data"]
    assert profile["researcher"]["stats"] == {"followers": 1}
    assert profile["researcher"]["viewerFollows"] is True
    anonymous = (await api.data(PROFILE, id=SEED_RESEARCHER))["researcher"]
    assert (anonymous["viewerFollows"], anonymous["stats"]["followers"]) == (False, 1)

    for _ in range(2):
        body = await api(UNFOLLOW, authorization=header, id=SEED_RESEARCHER)
        assert "errors" not in body, body
        assert body["data"]["unfollowResearcher"] == {
            "viewerFollows": False,
            "stats": {"followers": 0},
        }
    profile = (await api(PROFILE, authorization=header, id=SEED_RESEARCHER))["data"]
    assert profile["researcher"]["stats"] == {"followers": 0}
    assert profile["researcher"]["viewerFollows"] is False


async def test_follow_twice_and_both_in_one_request(api: Api, make_user: MakeUser) -> None:
    ada, bob = await make_user("ada"), await make_user("bob")
    for actor in (ada, ada, bob):
        await api.data(FOLLOW, actor, id=SEED_RESEARCHER)
    assert (await api.data(PROFILE, ada, id=SEED_RESEARCHER))["researcher"]["stats"] == {
        "followers": 2
    }
    # Each mutation's answer reads the graph as that write left it, not a cached earlier read.
    both = await api.data(
        """mutation ($id: ID!) {
          off: unfollowResearcher(id: $id) { viewerFollows stats { followers } }
          on: followResearcher(id: $id) { viewerFollows stats { followers } }
        }""",
        ada,
        id=SEED_RESEARCHER,
    )
    assert both == {
        "off": {"viewerFollows": False, "stats": {"followers": 1}},
        "on": {"viewerFollows": True, "stats": {"followers": 2}},
    }
    following = await api.data("{ viewer { following { id } } }", ada)
    assert following == {"viewer": {"following": [{"id": SEED_RESEARCHER}]}}
    assert await api.code(FOLLOW, ada, id="A1") == "NOT_FOUND"
    assert await api.code(FOLLOW, ada, id="W1") == "BAD_USER_INPUT"


async def test_viewer_follows_is_one_query_for_many_researchers(
    api: Api, make_user: MakeUser
) -> None:
    ada = await make_user("ada")
    query = """query ($id: ID!) { researcher(id: $id) {
        collaborators(first: 10) { researcher { id %s } } } }"""
    without = await api(query % "", ada, id=SEED_RESEARCHER)
    with_follows = await api(query % "viewerFollows", ada, id=SEED_RESEARCHER)
    assert len(with_follows["data"]["researcher"]["collaborators"]) == 10
    # The viewer's account and one batch of follows, whatever the number of researchers.
    assert with_follows["extensions"]["dbQueries"] == without["extensions"]["dbQueries"] + 2


# --- claims


async def test_claim_approve_and_trust(api: Api, make_user: MakeUser) -> None:
    ada, admin = await make_user("ada"), await make_user("root", admin=True)
    before = (await api.data(PROFILE, id=SEED_RESEARCHER))["researcher"]["trust"]
    assert before == {
        "score": 21,
        "band": "EMERGING",
        "label": "Trust 21 - Emerging",
        "verification": "L1",
    }
    claimed = await api.data(CLAIM, ada, id=SEED_RESEARCHER)
    assert claimed == {"claimResearcher": {"id": SEED_RESEARCHER, "claimStatus": "PENDING"}}
    pending = await api.data(
        "{ pendingClaims { status researcher { id } claimant { id name } } }", admin
    )
    assert pending == {
        "pendingClaims": [
            {
                "status": "PENDING",
                "researcher": {"id": SEED_RESEARCHER},
                "claimant": {"id": ada.id, "name": "Ada"},
            }
        ]
    }
    approved = await api.data(APPROVE, admin, id=SEED_RESEARCHER)
    assert approved == {"approveClaim": {"claimStatus": "CLAIMED", "trust": {"verification": "L2"}}}
    after = (await api.data(PROFILE, id=SEED_RESEARCHER))["researcher"]
    # L2 adds 10 points over L1, and a claimed record 5.
    assert after["claimStatus"] == "CLAIMED"
    assert after["trust"] == {
        "score": 36,
        "band": "EMERGING",
        "label": "Trust 36 - Emerging",
        "verification": "L2",
    }
    assert (await api.data("{ viewer { claims { id claimStatus } } }", ada)) == {
        "viewer": {"claims": [{"id": SEED_RESEARCHER, "claimStatus": "CLAIMED"}]}
    }
    assert await api.code(APPROVE, admin, id=SEED_RESEARCHER) == "CONFLICT"
    assert await api.code(REJECT, admin, id=SEED_RESEARCHER) == "CONFLICT"
    assert await api.code(APPROVE, admin, id="A1") == "NOT_FOUND"


async def test_verified_orcid_makes_l3(api: Api, make_user: MakeUser) -> None:
    ada, bob = await make_user("ada"), await make_user("bob", orcid=ORCID, verified=True)
    admin = await make_user("root", admin=True)
    # Ada's ORCID is verified by an administrator after her claim is approved.
    await claimed_by(api, ada, admin, ORCID_RESEARCHER)
    trust = "query ($id: ID!) { researcher(id: $id) { trust { score verification } } }"
    l2 = (await api.data(trust, id=ORCID_RESEARCHER))["researcher"]["trust"]
    assert l2["verification"] == "L2"
    verified = await api.data(VERIFY_ORCID, admin, user=ada.id, orcid=f"https://orcid.org/{ORCID}")
    assert verified == {"verifyOrcid": {"id": ada.id, "name": "Ada"}}
    l3 = (await api.data(trust, id=ORCID_RESEARCHER))["researcher"]["trust"]
    assert l3 == {"score": l2["score"] + 5, "verification": "L3"}
    assert (await api.data("{ viewer { orcid orcidVerified } }", ada))["viewer"] == {
        "orcid": ORCID,
        "orcidVerified": True,
    }
    # Bob's verified ORCID is not the seed record's (it has none): his approval makes L2.
    await claimed_by(api, bob, admin, SEED_RESEARCHER)
    seed = (await api.data(trust, id=SEED_RESEARCHER))["researcher"]["trust"]
    assert seed["verification"] == "L2"  # the seed record has no ORCID to match
    assert await api.code(VERIFY_ORCID, admin, user=ada.id, orcid="0000-0002-1825-0098") == (
        "BAD_USER_INPUT"
    )
    assert await api.code(VERIFY_ORCID, admin, user="u_nobody", orcid=ORCID) == "NOT_FOUND"


async def test_claim_of_a_verified_user_with_the_records_orcid_is_l3(
    api: Api, make_user: MakeUser
) -> None:
    bob = await make_user("bob", orcid=ORCID, verified=True)
    admin = await make_user("root", admin=True)
    await api.data(CLAIM, bob, id=ORCID_RESEARCHER)
    approved = await api.data(APPROVE, admin, id=ORCID_RESEARCHER)
    assert approved["approveClaim"]["trust"] == {"verification": "L3"}


async def test_reject_claim_frees_the_record(api: Api, make_user: MakeUser) -> None:
    ada, bob = await make_user("ada"), await make_user("bob")
    admin = await make_user("root", admin=True)
    await api.data(CLAIM, ada, id=SEED_RESEARCHER)
    assert await api.code(CLAIM, bob, id=SEED_RESEARCHER) == "CONFLICT"
    assert (await api.data(REJECT, admin, id=SEED_RESEARCHER)) == {
        "rejectClaim": {"claimStatus": "UNCLAIMED"}
    }
    assert (await api.data(CLAIM, bob, id=SEED_RESEARCHER))["claimResearcher"][
        "claimStatus"
    ] == "PENDING"


async def test_twenty_concurrent_claims_make_one_pending_claim(
    api: Api, make_user: MakeUser
) -> None:
    users = [await make_user(f"claimant{n}") for n in range(20)]
    bodies = await asyncio.gather(*(api(CLAIM, user, id=SEED_RESEARCHER) for user in users))
    won = [b for b in bodies if "errors" not in b]
    lost = [b for b in bodies if "errors" in b]
    assert len(won) == 1, bodies
    assert won[0]["data"]["claimResearcher"]["claimStatus"] == "PENDING"
    assert {b["errors"][0]["extensions"]["code"] for b in lost} == {"CONFLICT"}
    pending = await api.store.pending_claims(100)
    assert [c.researcher_id for c in pending] == [SEED_RESEARCHER]
    winner = next(u for u, b in zip(users, bodies, strict=True) if "errors" not in b)
    assert pending[0].user_id == winner.id


# --- profile edits


async def test_only_the_approved_claimant_edits_the_profile(api: Api, make_user: MakeUser) -> None:
    ada, bob = await make_user("ada"), await make_user("bob")
    admin = await make_user("root", admin=True)
    await api.data(CLAIM, ada, id=SEED_RESEARCHER)
    bio = "Machine learning and physics."
    assert await api.code(UPDATE_PROFILE, ada, id=SEED_RESEARCHER, bio=bio) == "FORBIDDEN"
    await api.data(APPROVE, admin, id=SEED_RESEARCHER)
    for someone in (bob, admin):
        assert await api.code(UPDATE_PROFILE, someone, id=SEED_RESEARCHER, bio=bio) == "FORBIDDEN"
    assert await api.code(UPDATE_PROFILE, id=SEED_RESEARCHER, bio=bio) == "UNAUTHENTICATED"
    assert await api.code(UPDATE_PROFILE, ada, id="A1", bio=bio) == "NOT_FOUND"
    assert await api.code(UPDATE_PROFILE, ada, id=SEED_RESEARCHER, bio="b" * 5001) == (
        "BAD_USER_INPUT"
    )

    edited = await api.data(UPDATE_PROFILE, ada, id=SEED_RESEARCHER, bio=bio, open=False)
    # The bio adds 5 trust points (36 for a claimed seed record, 41 with a bio).
    assert edited == {
        "updateResearcherProfile": {"bio": bio, "openToCollaborate": False, "trust": {"score": 41}}
    }
    kept = await api.data(UPDATE_PROFILE, ada, id=SEED_RESEARCHER, open=True)
    assert kept["updateResearcherProfile"]["bio"] == bio
    removed = await api.data(UPDATE_PROFILE, ada, id=SEED_RESEARCHER, bio="")
    assert removed["updateResearcherProfile"]["bio"] is None
    assert removed["updateResearcherProfile"]["openToCollaborate"] is True


# --- invitations


async def test_invitations_rules_listing_and_answers(api: Api, make_user: MakeUser) -> None:
    ada, bob, cy = await make_user("ada"), await make_user("bob"), await make_user("cy")
    admin = await make_user("root", admin=True)
    hello = "Would you like to work on robustness together?"
    assert await api.code(INVITE, id=SEED_RESEARCHER, message=hello) == "UNAUTHENTICATED"
    assert await api.code(INVITE, bob, id=SEED_RESEARCHER, message=hello) == "FORBIDDEN"
    await api.data(CLAIM, ada, id=SEED_RESEARCHER)
    assert await api.code(INVITE, bob, id=SEED_RESEARCHER, message=hello) == "FORBIDDEN"
    await api.data(APPROVE, admin, id=SEED_RESEARCHER)
    for message in ("", "   ", "m" * 2001):
        assert await api.code(INVITE, bob, id=SEED_RESEARCHER, message=message) == (
            "BAD_USER_INPUT"
        )
    assert await api.code(INVITE, ada, id=SEED_RESEARCHER, message=hello) == "BAD_USER_INPUT"
    assert await api.code(INVITE, bob, id="A1", message=hello) == "NOT_FOUND"

    sent = (await api.data(INVITE, bob, id=SEED_RESEARCHER, message="m" * 2000))[
        "inviteToCollaborate"
    ]
    assert sent["status"] == "PENDING"
    assert sent["from"] == {"id": bob.id, "name": "Bob"}
    assert sent["to"] == {"id": SEED_RESEARCHER}
    assert sent["respondedAt"] is None
    second = (await api.data(INVITE, cy, id=SEED_RESEARCHER, message=hello))["inviteToCollaborate"]

    listed = (await api.data(INVITATIONS, ada))["viewer"]["invitations"]
    assert [i["id"] for i in listed] == [second["id"], sent["id"]]
    assert listed[0]["from"] == {"id": cy.id, "name": "Cy"}
    for someone in (bob, cy, admin):
        assert (await api.data(INVITATIONS, someone))["viewer"]["invitations"] == []

    for someone in (bob, cy, admin):
        assert await api.code(RESPOND, someone, id=sent["id"], accept=True) == "FORBIDDEN"
    assert await api.code(RESPOND, id=sent["id"], accept=True) == "UNAUTHENTICATED"
    assert await api.code(RESPOND, ada, id="inv_unknown", accept=True) == "NOT_FOUND"
    answered = (await api.data(RESPOND, ada, id=sent["id"], accept=True))["respondToInvitation"]
    assert answered["status"] == "ACCEPTED"
    assert answered["respondedAt"] is not None
    assert await api.code(RESPOND, ada, id=sent["id"], accept=False) == "CONFLICT"
    declined = await api.data(RESPOND, ada, id=second["id"], accept=False)
    assert declined["respondToInvitation"]["status"] == "DECLINED"
    accepted = await api.data("{ viewer { invitations(status: ACCEPTED) { id } } }", ada)
    assert accepted == {"viewer": {"invitations": [{"id": sent["id"]}]}}

    # Each sender lists what they sent, with the answer.
    for sender, invitation, status in ((bob, sent, "ACCEPTED"), (cy, second, "DECLINED")):
        listed = (await api.data(SENT_INVITATIONS, sender))["viewer"]["sentInvitations"]
        assert [(i["id"], i["status"], i["to"]) for i in listed] == [
            (invitation["id"], status, {"id": SEED_RESEARCHER})
        ]
        assert listed[0]["respondedAt"] is not None
    assert (await api.data(SENT_INVITATIONS, ada))["viewer"]["sentInvitations"] == []
    pending = "{ viewer { sentInvitations(status: PENDING) { id } } }"
    assert await api.data(pending, bob) == {"viewer": {"sentInvitations": []}}
    too_many = "{ viewer { sentInvitations(first: 101) { id } } }"
    assert await api.code(too_many, bob) == "BAD_USER_INPUT"

    # Not open to collaborate: no invitations.
    await api.data(UPDATE_PROFILE, ada, id=SEED_RESEARCHER, open=False)
    assert await api.code(INVITE, cy, id=SEED_RESEARCHER, message=hello) == "FORBIDDEN"


async def test_invitations_per_sender_per_day(api: Api, make_user: MakeUser) -> None:
    ada, bob, cy = await make_user("ada"), await make_user("bob"), await make_user("cy")
    admin = await make_user("root", admin=True)
    await claimed_by(api, ada, admin, SEED_RESEARCHER)
    for n in range(INVITATIONS_PER_DAY):
        await api.data(INVITE, bob, id=SEED_RESEARCHER, message=f"hello {n}")
    before = await api.store.counts()
    body = await api(INVITE, bob, id=SEED_RESEARCHER, message="one too many")
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert f"at most {INVITATIONS_PER_DAY} invitations a day" in body["errors"][0]["message"]
    assert body["data"] is None
    assert await api.store.counts() == before
    # The limit is per sender.
    await api.data(INVITE, cy, id=SEED_RESEARCHER, message="hello")


# --- what responses never carry


async def test_no_response_carries_a_hash_or_another_users_email(
    api: Api, make_user: MakeUser
) -> None:
    ada, bob = await make_user("ada"), await make_user("bob")
    admin = await make_user("root", admin=True)
    await claimed_by(api, ada, admin, SEED_RESEARCHER)
    sent = (await api.data(INVITE, bob, id=SEED_RESEARCHER, message="hi"))["inviteToCollaborate"]
    # Ada reads the invitation's sender: his name, never his email.
    body = await api("{ viewer { invitations { from { id name email } } } }", ada)
    assert body["data"]["viewer"]["invitations"] == [
        {"from": {"id": bob.id, "name": "Bob", "email": None}}
    ]
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    # The administrator reads whom an ORCID was verified for, not their email.
    verified = await api(
        "mutation ($u: ID!, $o: String!) { verifyOrcid(userId: $u, orcid: $o) { email } }",
        admin,
        u=bob.id,
        o=ORCID,
    )
    assert [e["extensions"]["code"] for e in verified["errors"]] == ["FORBIDDEN"]
    await api.data(RESPOND, ada, id=sent["id"], accept=True)

    emails = {ada.email, bob.email, admin.email}
    for asker, text in api.responses:
        assert "$argon2" not in text
        assert "passwordHash" not in text
        for email in emails - {asker}:
            assert email not in text, (asker, text)


async def test_an_administrator_reads_a_pending_claimants_email_only_there(
    api: Api, make_user: MakeUser
) -> None:
    bob, cy = await make_user("bob"), await make_user("cy")
    admin = await make_user("root", admin=True)
    await api.data(CLAIM, bob, id=ORCID_RESEARCHER)
    claimant = "{ pendingClaims { researcher { id } claimant { name email } } }"
    assert await api.data(claimant, admin) == {
        "pendingClaims": [
            {
                "researcher": {"id": ORCID_RESEARCHER},
                "claimant": {"name": "Bob", "email": bob.email},
            }
        ]
    }
    assert await api.code(claimant, cy) == "FORBIDDEN"
    # Elsewhere Bob's email stays his, pending claim or not.
    verify = "mutation ($u: ID!, $o: String!) { verifyOrcid(userId: $u, orcid: $o) { email } }"
    assert await api.code(verify, admin, u=bob.id, o=ORCID) == "FORBIDDEN"
    await api.data(APPROVE, admin, id=ORCID_RESEARCHER)
    assert await api.data(claimant, admin) == {"pendingClaims": []}
    assert await api.code(verify, admin, u=bob.id, o=ORCID) == "FORBIDDEN"


async def test_administrators_named_by_email_at_start(api: Api, make_user: MakeUser) -> None:
    """RESEARCHGRAPH_ADMIN_EMAILS: the accounts with those emails are administrators, those
    there at start and those made later, for as long as the service runs with the list."""
    ops, ada = await make_user("ops"), await make_user("ada")
    listed = Settings.from_env(
        {"RESEARCHGRAPH_ADMIN_EMAILS": " OPS@example.org, Boss@Example.org ,"}
    )
    assert listed.admin_emails == {"ops@example.org", "boss@example.org"}
    settings = Settings(load_demo_data=False, jwt_secret=SECRET, admin_emails=listed.admin_emails)
    transport = httpx.ASGITransport(app=create_app(settings, store=api.store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        served = Api(http, api.store)
        signed_up = await served.data(
            SIGN_UP, email="boss@example.org", password=PASSWORD, name="Boss"
        )
        boss_id = signed_up["signUp"]["user"]["id"]
        (boss_record,) = await api.store.users([boss_id])
        assert boss_record is not None
        boss = Actor(boss_record, token_for(boss_id))
        for admin in (ops, boss):
            assert (await served.data(VIEWER, admin))["viewer"]["isAdmin"] is True
        assert (await served.data(VIEWER, ada))["viewer"]["isAdmin"] is False
        assert await served.code("{ pendingClaims { status } }", ada) == "FORBIDDEN"
        await served.data(CLAIM, ada, id=SEED_RESEARCHER)
        pending = await served.data("{ pendingClaims { claimant { email } } }", boss)
        assert pending == {"pendingClaims": [{"claimant": {"email": ada.email}}]}
        approved = await served.data(APPROVE, ops, id=SEED_RESEARCHER)
        assert approved["approveClaim"]["claimStatus"] == "CLAIMED"
    # The graph holds no role for them: a service started without the list has no such
    # administrators.
    assert not any(
        u is not None and u.has_admin_role for u in await api.store.users([ops.id, boss_id])
    )
    assert (await api.data(VIEWER, boss))["viewer"]["isAdmin"] is False


async def test_schema_has_no_password_field(api: Api) -> None:
    types = await api.data("{ __schema { types { name fields { name } } } }")
    names = {f["name"].lower() for t in types["__schema"]["types"] for f in (t["fields"] or [])}
    assert not {n for n in names if "password" in n or "hash" in n}


async def test_failed_mutations_leave_nothing_behind(api: Api, make_user: MakeUser) -> None:
    ada, bob = await make_user("ada"), await make_user("bob")
    admin = await make_user("root", admin=True)
    await claimed_by(api, ada, admin, SEED_RESEARCHER)
    store = api.store

    async def snapshot() -> tuple[object, ...]:
        return (
            await store.counts(),
            await store.researchers([SEED_RESEARCHER, ORCID_RESEARCHER]),
            await store.claims_of_researchers([SEED_RESEARCHER, ORCID_RESEARCHER]),
            await store.users([ada.id, bob.id]),
            await store.received_invitations([ada.id]),
        )

    before = await snapshot()
    failures: list[tuple[str, Actor | None, dict[str, Any], str]] = [
        (CLAIM, bob, {"id": SEED_RESEARCHER}, "CONFLICT"),
        (APPROVE, admin, {"id": ORCID_RESEARCHER}, "CONFLICT"),
        (UPDATE_PROFILE, bob, {"id": SEED_RESEARCHER, "bio": "x"}, "FORBIDDEN"),
        (INVITE, ada, {"id": SEED_RESEARCHER, "message": "me"}, "BAD_USER_INPUT"),
        (INVITE, bob, {"id": ORCID_RESEARCHER, "message": "hi"}, "FORBIDDEN"),
        (SIGN_UP, None, {"email": ada.email, "password": PASSWORD, "name": "A"}, "CONFLICT"),
        (RESPOND, ada, {"id": "inv_missing", "accept": True}, "NOT_FOUND"),
    ]
    for query, actor, variables, code in failures:
        assert await api.code(query, actor, **variables) == code
    assert await snapshot() == before


async def test_an_expired_token_says_so(api: Api, make_user: MakeUser) -> None:
    ada = await make_user("ada")
    expired = token_for(ada.id, lifetime=timedelta(seconds=-1))
    body = await api(VIEWER, authorization=f"Bearer {expired}")
    assert body["errors"][0]["message"] == "the token has expired: log in again"
