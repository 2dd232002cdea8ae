"""The authorization matrix: every actor against every mutation and every private field.

Actors: anonymous; ``user`` (signed in, has sent an invitation, holds a pending claim);
``claimant`` (the approved claimant of the seed researcher); ``other`` (signed in, holds a
pending claim); ``admin``. Each row names what it covers; the test checks that the rows cover
every mutation and every field the schema guards, so a new one cannot slip in untested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.api.test_accounts import (
    CLAIM,
    INVITE,
    ORCID,
    PASSWORD,
    Actor,
    Api,
    MakeUser,
    api_fixture,
    claimed_by,
    make_user_fixture,
)
from tests.conftest import SEED_RESEARCHER

__all__ = ["api_fixture", "make_user_fixture"]  # pytest finds the fixtures by these names

ACTORS = ("anonymous", "user", "claimant", "other", "admin")
# Rows whose one success changes what the others would see put that actor last.
CLAIMANT_LAST = ("anonymous", "user", "other", "admin", "claimant")

Body = dict[str, Any]
Check = Callable[[Body, "World", str], None]


@dataclass
class World:
    """The actors and what the set-up made for the rows to act on."""

    actors: dict[str, Actor | None]
    coauthors: list[str]
    invitation: str
    pending_by_other: str
    pending_by_user: str

    def actor(self, name: str) -> Actor:
        found = self.actors[name]
        assert found is not None
        return found


def ok(check: Callable[[Body, World, str], object] = lambda data, world, name: None) -> Check:
    """No error, and the data passes ``check`` (which asserts or returns False)."""

    def expect(body: Body, world: World, name: str) -> None:
        assert "errors" not in body, body["errors"]
        assert check(body["data"], world, name) is not False, body["data"]

    return expect


def fails(code: str, at: str | None = None) -> Check:
    """One error with this code (on the field ``at`` when given, the root field otherwise)."""

    def expect(body: Body, world: World, name: str) -> None:
        errors = body.get("errors", [])
        assert [e["extensions"]["code"] for e in errors] == [code], body
        path = errors[0]["path"]
        assert path[-1] == at if at else len(path) == 1, path

    return expect


@dataclass
class Row:
    name: str
    covers: set[str]
    query: str
    expect: dict[str, Check]
    variables: Callable[[World, str], dict[str, Any]] = lambda world, name: {}
    order: tuple[str, ...] = ACTORS
    # Emails beside the asker's own that the answer to an actor may carry.
    shows: Callable[[World, str], set[str]] = lambda world, name: set()


def _everyone_but_anonymous(check: Check, anonymous: Check) -> dict[str, Check]:
    return {"anonymous": anonymous, **dict.fromkeys(ACTORS[1:], check)}


def _own(world: World, name: str) -> Actor:
    return world.actor(name)


ROWS = [
    Row(
        "sign up",
        {"Mutation.signUp", "AuthPayload.user", "User.email"},
        """mutation ($email: String!, $password: String!) {
          signUp(email: $email, password: $password, name: "New") { token user { email } }
        }""",
        {
            a: ok(lambda d, w, n: d["signUp"]["user"]["email"] == f"new-{n}@example.org")
            for a in ACTORS
        },
        lambda world, name: {"email": f"new-{name}@example.org", "password": PASSWORD},
    ),
    Row(
        "log in (as the user)",
        {"Mutation.logIn"},
        """mutation ($password: String!) {
          logIn(email: "user@example.org", password: $password) { token user { id } }
        }""",
        {a: ok(lambda d, w, n: d["logIn"]["user"]["id"] == w.actor("user").id) for a in ACTORS},
        lambda world, name: {"password": PASSWORD},
    ),
    Row(
        "viewer and its own private fields",
        {"Query.viewer", "User.email", "User.isAdmin", "User.orcid", "User.orcidVerified"},
        "{ viewer { id email isAdmin orcid orcidVerified } }",
        _everyone_but_anonymous(
            ok(
                lambda d, w, n: (
                    d["viewer"]["id"] == _own(w, n).id
                    and d["viewer"]["email"] == _own(w, n).email
                    and d["viewer"]["isAdmin"] is (n == "admin")
                )
            ),
            ok(lambda d, w, n: d == {"viewer": None}),
        ),
    ),
    Row(
        "viewer's lists: following, claims, invitations",
        {"User.following", "User.claims", "User.invitations"},
        "{ viewer { following { id } claims { id claimStatus } invitations { id } } }",
        {
            "anonymous": ok(lambda d, w, n: d == {"viewer": None}),
            "user": ok(
                lambda d, w, n: (
                    d["viewer"]["claims"] == [{"id": w.pending_by_user, "claimStatus": "PENDING"}]
                    and d["viewer"]["invitations"] == []
                )
            ),
            "claimant": ok(
                lambda d, w, n: (
                    d["viewer"]["claims"] == [{"id": SEED_RESEARCHER, "claimStatus": "CLAIMED"}]
                    and d["viewer"]["invitations"] == [{"id": w.invitation}]
                )
            ),
            "other": ok(
                lambda d, w, n: (
                    d["viewer"]["claims"] == [{"id": w.pending_by_other, "claimStatus": "PENDING"}]
                    and d["viewer"]["invitations"] == []
                )
            ),
            "admin": ok(
                lambda d, w, n: d["viewer"] == {"following": [], "claims": [], "invitations": []}
            ),
        },
    ),
    Row(
        "the viewer's sent invitations, and none of another's",
        {"User.sentInvitations", "Invitation.from", "Invitation.to"},
        """{ viewer {
          sentInvitations { id status respondedAt to { id } }
          invitations { from { id sentInvitations { id } } }
        } }""",
        {
            "anonymous": ok(lambda d, w, n: d == {"viewer": None}),
            "user": ok(
                lambda d, w, n: (
                    d["viewer"]["sentInvitations"]
                    == [
                        {
                            "id": w.invitation,
                            "status": "PENDING",
                            "respondedAt": None,
                            "to": {"id": SEED_RESEARCHER},
                        }
                    ]
                )
            ),
            # The claimant sees who invited it, not what else they sent.
            "claimant": fails("FORBIDDEN", at="sentInvitations"),
            **{
                a: ok(lambda d, w, n: d["viewer"] == {"sentInvitations": [], "invitations": []})
                for a in ("other", "admin")
            },
        },
    ),
    Row(
        "the sender's email on an invitation",
        {"Invitation.from", "User.email"},
        "{ viewer { invitations { from { id email } } } }",
        {
            "anonymous": ok(lambda d, w, n: d == {"viewer": None}),
            "user": ok(lambda d, w, n: d["viewer"]["invitations"] == []),
            "claimant": fails("FORBIDDEN", at="email"),
            "other": ok(lambda d, w, n: d["viewer"]["invitations"] == []),
            "admin": ok(lambda d, w, n: d["viewer"]["invitations"] == []),
        },
    ),
    Row(
        "follow",
        {"Mutation.followResearcher", "Researcher.viewerFollows"},
        "mutation ($id: ID!) { followResearcher(id: $id) { viewerFollows } }",
        _everyone_but_anonymous(
            ok(lambda d, w, n: d["followResearcher"]["viewerFollows"] is True),
            fails("UNAUTHENTICATED"),
        ),
        lambda world, name: {"id": SEED_RESEARCHER},
    ),
    Row(
        "viewerFollows after following",
        {"Researcher.viewerFollows", "User.following"},
        """query ($id: ID!) {
          researcher(id: $id) { viewerFollows stats { followers } }
          viewer { following { id } }
        }""",
        _everyone_but_anonymous(
            ok(
                lambda d, w, n: (
                    d["researcher"] == {"viewerFollows": True, "stats": {"followers": 4}}
                    and d["viewer"]["following"] == [{"id": SEED_RESEARCHER}]
                )
            ),
            ok(lambda d, w, n: d["researcher"]["viewerFollows"] is False),
        ),
        lambda world, name: {"id": SEED_RESEARCHER},
    ),
    Row(
        "unfollow",
        {"Mutation.unfollowResearcher", "Researcher.viewerFollows"},
        "mutation ($id: ID!) { unfollowResearcher(id: $id) { viewerFollows } }",
        _everyone_but_anonymous(
            ok(lambda d, w, n: d["unfollowResearcher"]["viewerFollows"] is False),
            fails("UNAUTHENTICATED"),
        ),
        lambda world, name: {"id": SEED_RESEARCHER},
    ),
    Row(
        "claim the claimed seed record",
        {"Mutation.claimResearcher"},
        CLAIM,
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("CONFLICT"),
            "claimant": ok(lambda d, w, n: d["claimResearcher"]["claimStatus"] == "CLAIMED"),
            "other": fails("CONFLICT"),
            "admin": fails("CONFLICT"),
        },
        lambda world, name: {"id": SEED_RESEARCHER},
    ),
    Row(
        "claim an unclaimed record (one each)",
        {"Mutation.claimResearcher"},
        CLAIM,
        _everyone_but_anonymous(
            ok(lambda d, w, n: d["claimResearcher"]["claimStatus"] == "PENDING"),
            fails("UNAUTHENTICATED"),
        ),
        lambda world, name: {"id": world.coauthors[ACTORS.index(name)]},
    ),
    Row(
        "pending claims",
        {"Query.pendingClaims", "Claim.claimant", "Claim.researcher"},
        "{ pendingClaims(first: 50) { status researcher { id } claimant { id name } } }",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),
            "claimant": fails("FORBIDDEN"),
            "other": fails("FORBIDDEN"),
            "admin": ok(
                lambda d, w, n: (
                    {c["researcher"]["id"] for c in d["pendingClaims"]}
                    >= {w.pending_by_other, w.pending_by_user}
                )
            ),
        },
    ),
    Row(
        "a pending claimant's email, to an administrator: the email, no more",
        {"Claim.claimant", "User.email"},
        "{ pendingClaims { claimant { id email isAdmin claims { id } } } }",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),
            "claimant": fails("FORBIDDEN"),
            "other": fails("FORBIDDEN"),
            "admin": lambda body, world, name: _claimants_emails_only(body, world),
        },
        # Every actor but the anonymous one holds a pending claim by now.
        shows=lambda world, name: (
            {world.actor(a).email for a in ACTORS[1:]} if name == "admin" else set()
        ),
    ),
    Row(
        "approve another's pending claim",
        {"Mutation.approveClaim"},
        "mutation ($id: ID!) { approveClaim(researcherId: $id) { claimStatus } }",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),
            "claimant": fails("FORBIDDEN"),
            "other": fails("FORBIDDEN"),  # its own claim: no self-approval
            "admin": ok(lambda d, w, n: d["approveClaim"]["claimStatus"] == "CLAIMED"),
        },
        lambda world, name: {"id": world.pending_by_other},
    ),
    Row(
        "reject a pending claim",
        {"Mutation.rejectClaim"},
        "mutation ($id: ID!) { rejectClaim(researcherId: $id) { claimStatus } }",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),  # its own claim: an administrator decides
            "claimant": fails("FORBIDDEN"),
            "other": fails("FORBIDDEN"),
            "admin": ok(lambda d, w, n: d["rejectClaim"]["claimStatus"] == "UNCLAIMED"),
        },
        lambda world, name: {"id": world.pending_by_user},
    ),
    Row(
        "verify a user's ORCID",
        {"Mutation.verifyOrcid"},
        "mutation ($u: ID!, $o: String!) { verifyOrcid(userId: $u, orcid: $o) { id name } }",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),  # not even its own
            "claimant": fails("FORBIDDEN"),
            "other": fails("FORBIDDEN"),
            "admin": ok(lambda d, w, n: d["verifyOrcid"]["id"] == w.actor("user").id),
        },
        lambda world, name: {"u": world.actor("user").id, "o": ORCID},
    ),
    Row(
        "another user's private fields, to an administrator: the ORCID it verified, no more",
        {"User.email", "User.isAdmin", "User.orcid", "User.orcidVerified"},
        """mutation ($u: ID!, $o: String!) {
          verifyOrcid(userId: $u, orcid: $o) { email isAdmin orcid orcidVerified }
        }""",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),
            "claimant": fails("FORBIDDEN"),
            "other": fails("FORBIDDEN"),
            "admin": lambda body, world, name: _orcid_only(body),
        },
        lambda world, name: {"u": world.actor("user").id, "o": ORCID},
    ),
    Row(
        "edit the seed profile",
        {"Mutation.updateResearcherProfile"},
        """mutation ($id: ID!) {
          updateResearcherProfile(id: $id, bio: "Bio.", openToCollaborate: true) { bio }
        }""",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),
            "claimant": ok(lambda d, w, n: d["updateResearcherProfile"]["bio"] == "Bio."),
            "other": fails("FORBIDDEN"),
            "admin": fails("FORBIDDEN"),
        },
        lambda world, name: {"id": SEED_RESEARCHER},
    ),
    Row(
        "invite the seed researcher",
        {"Mutation.inviteToCollaborate", "Invitation.from", "Invitation.to", "User.email"},
        """mutation ($id: ID!) {
          inviteToCollaborate(researcherId: $id, message: "Hello.") {
            status from { id email } to { id }
          }
        }""",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            # The sender reads the invitation it sent, its own email included.
            **{
                a: ok(
                    lambda d, w, n: (
                        d["inviteToCollaborate"]
                        == {
                            "status": "PENDING",
                            "from": {"id": _own(w, n).id, "email": _own(w, n).email},
                            "to": {"id": SEED_RESEARCHER},
                        }
                    )
                )
                for a in ("user", "other", "admin")
            },
            "claimant": fails("BAD_USER_INPUT"),  # its own record
        },
        lambda world, name: {"id": SEED_RESEARCHER},
    ),
    Row(
        "answer the user's invitation",
        {"Mutation.respondToInvitation"},
        "mutation ($id: ID!) { respondToInvitation(id: $id, accept: true) { status } }",
        {
            "anonymous": fails("UNAUTHENTICATED"),
            "user": fails("FORBIDDEN"),  # its sender
            "other": fails("FORBIDDEN"),
            "admin": fails("FORBIDDEN"),
            "claimant": ok(lambda d, w, n: d["respondToInvitation"]["status"] == "ACCEPTED"),
        },
        lambda world, name: {"id": world.invitation},
        order=CLAIMANT_LAST,
    ),
    Row(
        "the sender reads the answer",
        {"User.sentInvitations"},
        "{ viewer { sentInvitations(status: ACCEPTED) { id status respondedAt } } }",
        {
            "anonymous": ok(lambda d, w, n: d == {"viewer": None}),
            "user": ok(
                lambda d, w, n: (
                    [(i["id"], i["status"]) for i in d["viewer"]["sentInvitations"]]
                    == [(w.invitation, "ACCEPTED")]
                    and d["viewer"]["sentInvitations"][0]["respondedAt"] is not None
                )
            ),
            # Their invitations (the row "invite the seed researcher") are not answered.
            **{
                a: ok(lambda d, w, n: d["viewer"]["sentInvitations"] == [])
                for a in ("claimant", "other", "admin")
            },
        },
    ),
]


def _claimants_emails_only(body: Body, world: World) -> None:
    """Each claimant's email, and for anyone else's account no more than before."""
    claimants = [c["claimant"] for c in body["data"]["pendingClaims"]]
    emails = {a.id: a.email for a in world.actors.values() if a is not None}
    assert {c["id"] for c in claimants} == set(emails), claimants
    assert all(c["email"] == emails[c["id"]] for c in claimants), claimants
    admin = world.actor("admin").id
    others = [c for c in claimants if c["id"] != admin]
    assert all(c["isAdmin"] is None and c["claims"] is None for c in others), claimants
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"] * 2 * len(others)


def _orcid_only(body: Body) -> None:
    assert body["data"]["verifyOrcid"] == {
        "email": None,
        "isAdmin": None,
        "orcid": ORCID,
        "orcidVerified": True,
    }
    assert [(e["path"][-1], e["extensions"]["code"]) for e in body["errors"]] == [
        ("email", "FORBIDDEN"),
        ("isAdmin", "FORBIDDEN"),
    ]


async def _world(api: Api, make_user: MakeUser) -> World:
    actors: dict[str, Actor | None] = {"anonymous": None}
    for name in ACTORS[1:]:
        actors[name] = await make_user(name, admin=name == "admin")
    world_actors = {k: v for k, v in actors.items() if v is not None}
    admin = world_actors["admin"]
    await claimed_by(api, world_actors["claimant"], admin, SEED_RESEARCHER)
    collaborators = await api.data(
        """query ($id: ID!) {
          researcher(id: $id) { collaborators(first: 10) { researcher { id } } }
        }""",
        id=SEED_RESEARCHER,
    )
    ids = [c["researcher"]["id"] for c in collaborators["researcher"]["collaborators"]]
    pending_by_user, pending_by_other, *coauthors = ids
    await api.data(CLAIM, world_actors["user"], id=pending_by_user)
    await api.data(CLAIM, world_actors["other"], id=pending_by_other)
    sent = await api.data(INVITE, world_actors["user"], id=SEED_RESEARCHER, message="Hi.")
    return World(
        actors=actors,
        coauthors=coauthors,
        invitation=sent["inviteToCollaborate"]["id"],
        pending_by_other=pending_by_other,
        pending_by_user=pending_by_user,
    )


@dataclass
class Mismatch:
    row: str
    actor: str
    problem: str
    body: Body = field(repr=False)


async def test_the_authorization_matrix(api: Api, make_user: MakeUser) -> None:
    world = await _world(api, make_user)
    mismatches = []
    # Per answer, the emails it may carry: the asker's own, and those its row shows.
    allowed: list[set[str]] = [{asker} if asker else set() for asker, _ in api.responses]
    for row in ROWS:
        assert set(row.order) == set(ACTORS) == set(row.expect), row.name
        for name in row.order:
            actor = world.actors[name]
            body = await api(row.query, actor, **row.variables(world, name))
            allowed.append(({actor.email} if actor else set()) | row.shows(world, name))
            try:
                row.expect[name](body, world, name)
            except AssertionError as error:
                mismatches.append(Mismatch(row.name, name, str(error)[:300], body))
    assert not mismatches, "\n".join(f"{m.row} / {m.actor}: {m.problem}" for m in mismatches)

    # No answer carried a password hash, or an email beyond what its row allows.
    emails = {a.email for a in world.actors.values() if a is not None}
    for (asker, text), may_show in zip(api.responses, allowed, strict=True):
        assert "$argon2" not in text
        assert not {e for e in emails - may_show if e in text}, (asker, text)


async def test_the_matrix_covers_every_guarded_field(api: Api) -> None:
    schema = await api.data("""{ __schema { types { name fields { name } } } }""")
    fields = {
        t["name"]: {f["name"] for f in t["fields"] or []} for t in schema["__schema"]["types"]
    }
    guarded = (
        {f"Mutation.{f}" for f in fields["Mutation"]}
        | {f"User.{f}" for f in fields["User"] - {"id", "name"}}
        | {"Query.viewer", "Query.pendingClaims", "Researcher.viewerFollows"}
        | {f"Invitation.{f}" for f in {"from", "to"}}
        | {f"Claim.{f}" for f in {"claimant", "researcher"}}
    )
    covered = set().union(*(row.covers for row in ROWS))
    assert guarded - covered == set()
