"""The researcher page, /researchers/{id}, as a person uses it in chromium.

What the page shows is checked against what the API answers for the same researcher (asked here
with a query of the test's own, not the page's); the seed's acceptance figures are asserted as
the issue states them. The follow and claim flows run on a co-author of the seed, so the seed's
figures stay those of the demo data for every other test of the session.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
import pytest

from tests.browser.conftest import ADMIN_EMAIL, ARTIFACTS, RunScenario
from tests.conftest import SEED_RESEARCHER

pytestmark = pytest.mark.browser

# The seed page's sections, in its order (the last, by year, is the addition).
SECTIONS = [
    "Researcher profile",
    "Trust snapshot",
    "Actions",
    "Identity and collaboration",
    "Direct collaboration",
    "Research graph",
    "Published work",
    "By year",
]
LOCKED = "Claim this author entity first to unlock direct invitations."
PHONE_WIDTH = 375
LEGIBLE_PX = 11
PAGING_SIZE = 3

SIGN_UP = """
mutation($email: String!, $password: String!, $name: String!) {
  signUp(email: $email, password: $password, name: $name) { token }
}
"""
PASSWORD = "page flows password"
RESEARCHER_QUERY = """
query($id: ID!) {
  researcher(id: $id) {
    name bio claimStatus viewerFollows openToCollaborate
    affiliations { institution { name } }
    stats { works followers topics closeCollaborators }
    trust { label verification }
    topics(first: 3) { topic { name } }
    collaborators(first: 2, minSharedWorks: 2) { researcher { id } }
    countsByYear { year works citations }
    works(first: 100) { totalCount nodes { id title type year venue abstract } }
    neighbourhood(depth: 2, limit: 24) { nodes { id kind } }
  }
}
"""


def _api(service: str, query: str, token: str | None = None, **variables: Any) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = httpx.post(
        f"{service}/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def _researcher(service: str, researcher_id: str, token: str | None = None) -> dict[str, Any]:
    researcher: dict[str, Any] = _api(service, RESEARCHER_QUERY, token, id=researcher_id)[
        "researcher"
    ]
    return researcher


def _sign_up(service: str, name: str, email: str | None = None) -> tuple[str, str]:
    """A new account's email and token."""
    email = email or f"profile-{uuid.uuid4().hex[:12]}@example.org"
    data = _api(service, SIGN_UP, email=email, password=PASSWORD, name=name)
    token: str = data["signUp"]["token"]
    return email, token


def _clean(seen: dict[str, Any]) -> None:
    assert seen["blocked"] == []
    assert seen["pageErrors"] == []
    assert seen["consoleErrors"] == []


def test_seed_page_shows_the_acceptance_figures_as_the_api_gives_them(
    run_profile_scenario: RunScenario, service: str
) -> None:
    result = run_profile_scenario("profile", SEED_RESEARCHER)
    _clean(result)
    api = _researcher(service, SEED_RESEARCHER)
    page = result["seen"]

    # One GraphQL request renders the whole page.
    assert result["status"] == 200
    assert result["operations"] == ["ResearcherPage"]
    assert [section["eyebrow"] for section in page["sections"]] == SECTIONS

    # The acceptance figures, and that they are the API's.
    assert page["name"] == api["name"] == "Ekin D. Cubuk"
    assert page["title"].startswith("Ekin D. Cubuk")
    assert page["badges"] == ["Trust 21 - Emerging", "Verification L1", "Unclaimed author"]
    assert page["badges"][:2] == [
        api["trust"]["label"],
        f"Verification {api['trust']['verification']}",
    ]
    assert api["claimStatus"] == "UNCLAIMED"
    assert page["counts"] == {"works": 8, "followers": 0, "topics": 6, "close collaborators": 4}
    stats = api["stats"]
    assert page["counts"] == {
        "works": stats["works"],
        "followers": stats["followers"],
        "topics": stats["topics"],
        "close collaborators": stats["closeCollaborators"],
    }
    assert page["follow"] == {"label": "Follow researcher", "count": 0, "pressed": "false"}
    assert page["claimButton"] == "Log in to claim"
    assert page["signedInAs"] is None
    assert page["collaboration"] == LOCKED
    assert not page["inviteForm"]

    # Identity: no bio and no affiliation imported, so a line from its top topics.
    assert api["bio"] is None
    assert api["affiliations"] == []
    assert page["chips"] == ["Researcher", "Affiliation not imported", "Open to collaborate"]
    for share in api["topics"]:
        assert share["topic"]["name"] in page["description"]

    # The eight works, newest first, each with type, year, venue, title and abstract.
    works = api["works"]["nodes"]
    assert len(works) == api["works"]["totalCount"] == 8
    assert page["worksTitle"] == "8 published item(s)"
    assert [work["title"] for work in page["works"]] == [work["title"] for work in works]
    assert [work["id"] for work in page["works"]] == [work["id"] for work in works]
    years = [work["year"] for work in works]
    assert years == sorted(years, reverse=True)
    for shown, work in zip(page["works"], works, strict=True):
        assert shown["meta"] == [work["type"], str(work["year"]), work["venue"]]
        assert shown["abstract"] == work["abstract"]
    assert not page["moreWorks"]

    # The graph slice: the API's neighbourhood, every node a link, no label over another.
    drawn = {node["id"]: node["kind"] for node in page["slice"]["nodes"]}
    assert drawn == {node["id"]: node["kind"] for node in api["neighbourhood"]["nodes"]}
    assert page["slice"]["lines"] > 0
    assert set(page["slice"]["legend"]) >= {"Researcher", "Work", "Topic"}
    assert result["labels"]["labels"] > 0
    assert result["labels"]["smallestPx"] >= LEGIBLE_PX
    assert result["labels"]["overlaps"] == []
    assert page["explorerLink"] == f"/explorer?center={SEED_RESEARCHER}&depth=2"

    # Works and citations by year, every year from the first to the last.
    counted = {row["year"]: [row["works"], row["citations"]] for row in api["countsByYear"]}
    first, last = min(counted), max(counted)
    assert [row[0] for row in page["years"]] == list(range(first, last + 1))
    for year, works_count, citations in page["years"]:
        assert [works_count, citations] == counted.get(year, [0, 0])
    assert [chart["bars"] for chart in page["charts"]] == [last - first + 1] * 2

    assert (ARTIFACTS / "profile.png").stat().st_size > 0


def test_the_page_fits_a_phone(run_profile_scenario: RunScenario) -> None:
    result = run_profile_scenario("phone", SEED_RESEARCHER)
    _clean(result)
    page = result["seen"]
    assert page["viewportWidth"] == PHONE_WIDTH
    assert page["pageWidth"] <= PHONE_WIDTH
    assert [section["eyebrow"] for section in page["sections"]] == SECTIONS
    assert result["labels"]["labels"] > 0
    assert result["labels"]["smallestPx"] >= LEGIBLE_PX
    assert result["labels"]["overlaps"] == []
    assert (ARTIFACTS / "profile-phone.png").stat().st_size > 0


def test_keyboard_and_landmarks(run_profile_scenario: RunScenario, service: str) -> None:
    result = run_profile_scenario("keyboard", SEED_RESEARCHER)
    _clean(result)
    landmarks = result["landmarks"]
    assert landmarks["lang"] == "en"
    assert (landmarks["banner"], landmarks["main"]) == (1, 1)
    assert landmarks["navigation"] == ["Site"]
    assert len(landmarks["regions"]) == len(SECTIONS)
    assert all(landmarks["regions"])
    assert landmarks["unlabelledControls"] == 0
    assert landmarks["unnamedDrawings"] == 0
    levels = [int(tag[1]) for tag in landmarks["headings"]]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels))

    # The skip link comes first and lands in the profile; from there the actions, the explorer
    # and the works are all reached with Tab, each with a visible focus ring.
    assert result["first"]["text"] == "Skip to the profile"
    assert result["hash"] == "#main"
    order = [stop["id"] or stop["text"] for stop in result["tabs"]]
    assert order.index("follow") < order.index("claim-button") < order.index("open-explorer")
    first_work = _researcher(service, SEED_RESEARCHER)["works"]["nodes"][0]["title"]
    assert first_work[:80] in order
    # Past the last stop the focus leaves the page (body) before it wraps round.
    assert all(stop["outline"] != "none" for stop in result["tabs"] if stop["tag"] != "body")

    # Enter on "Log in to claim" opens the sign-in dialog on its first field; Escape closes it
    # and gives the focus back to the button.
    assert result["inDialog"]["id"] == "email"
    assert result["inDialog"]["inDialog"]
    assert "claim" in result["why"]
    assert result["afterEscape"]["id"] == "claim-button"


def test_works_are_paged_with_the_cursor(run_profile_scenario: RunScenario, service: str) -> None:
    result = run_profile_scenario("paging", SEED_RESEARCHER, str(PAGING_SIZE))
    _clean(result)
    ids = [work["id"] for work in _researcher(service, SEED_RESEARCHER)["works"]["nodes"]]
    expected = [ids[start : start + PAGING_SIZE] for start in range(0, len(ids), PAGING_SIZE)]
    assert result["pages"] == expected
    assert result["operations"] == ["ResearcherPage"] + ["MoreWorks"] * (len(expected) - 1)
    assert not result["seen"]["moreWorks"]


def test_follow_and_claim_through_the_page(run_profile_scenario: RunScenario, service: str) -> None:
    email, token = _sign_up(service, "Page Tester")
    collaborator = _researcher(service, SEED_RESEARCHER)["collaborators"][0]["researcher"]["id"]
    before = _researcher(service, collaborator, token)
    assert before["claimStatus"] == "UNCLAIMED"
    assert before["viewerFollows"] is False

    result = run_profile_scenario("flows", collaborator, email, PASSWORD)
    _clean(result)
    followers = before["stats"]["followers"]

    anonymous = result["anonymous"]
    assert anonymous["claimButton"] == "Log in to claim"
    assert anonymous["follow"] == {
        "label": "Follow researcher",
        "count": followers,
        "pressed": "false",
    }

    signed_in = result["signedIn"]
    assert signed_in["signedInAs"] == "Signed in as Page Tester"
    assert signed_in["claimButton"] == "Claim this author record"

    followed = result["followed"]
    assert followed["follow"] == {"label": "Following", "count": followers + 1, "pressed": "true"}
    assert followed["counts"]["followers"] == followers + 1

    claimed = result["claimed"]
    assert claimed["badges"][2] == "Claim pending"
    assert claimed["claimButton"] is None
    assert "pending" in claimed["claimNote"]
    assert claimed["collaboration"] == LOCKED

    # The API agrees, and the reloaded page (one request) shows what it says.
    after = _researcher(service, collaborator, token)
    assert after["viewerFollows"] is True
    assert after["claimStatus"] == "PENDING"
    assert after["stats"]["followers"] == followers + 1
    assert result["operations"] == ["ResearcherPage"]
    assert result["reloaded"]["follow"] == followed["follow"]
    assert result["reloaded"]["badges"] == claimed["badges"]
    assert result["reloaded"]["claimNote"] == claimed["claimNote"]


def test_invite_a_claimed_researcher_through_the_page_after_signing_up(
    run_profile_scenario: RunScenario, service: str
) -> None:
    # The seed's second close collaborator, claimed by an account and approved by an admin.
    researcher = _researcher(service, SEED_RESEARCHER)["collaborators"][1]["researcher"]["id"]
    _, claimant = _sign_up(service, "Claimant")
    _, admin = _sign_up(service, "Admin", ADMIN_EMAIL)
    claim = "mutation($id: ID!) { claimResearcher(id: $id) { claimStatus } }"
    approve = "mutation($id: ID!) { approveClaim(researcherId: $id) { claimStatus } }"
    assert _api(service, claim, claimant, id=researcher)["claimResearcher"]["claimStatus"] == (
        "PENDING"
    )
    assert _api(service, approve, admin, id=researcher)["approveClaim"]["claimStatus"] == "CLAIMED"
    # The inviter makes their account in the page's log-in dialog.
    inviter_email = f"inviter-{uuid.uuid4().hex[:12]}@example.org"

    result = run_profile_scenario("invite", researcher, inviter_email, PASSWORD, "Inviter")
    _clean(result)
    anonymous = result["anonymous"]
    assert anonymous["badges"][2] == "Claimed author"
    assert anonymous["inviteForm"]
    assert anonymous["collaboration"] is None
    assert anonymous["claimButton"] is None
    assert "invitation" in result["why"]
    assert result["note"].startswith("Invitation sent")
    assert result["message"] == ""
    assert result["signedInAs"] == "Signed in as Inviter"

    # The claimant finds it among the invitations to their record.
    received = "{ viewer { invitations { message status from { name } to { id } } } }"
    invitations = _api(service, received, claimant)["viewer"]["invitations"]
    assert invitations == [
        {
            "message": "Shall we write about augmentation together?",
            "status": "PENDING",
            "from": {"name": "Inviter"},
            "to": {"id": researcher},
        }
    ]


@pytest.mark.parametrize(
    ("path", "status", "says"),
    [
        ("/researchers/A1", 404, "No researcher with the id A1 is in this graph."),
        ("/researchers/W921788629796", 400, "W921788629796 is not the id of a Researcher"),
        ("/researchers/not-an-id", 400, "expected an OpenAlex id such as A925533110232"),
        ("/researchers/%3Cb%3Ebold", 400, "“&lt;b&gt;bold”"),
    ],
)
def test_no_page_for_a_missing_or_malformed_id(
    service: str, path: str, status: int, says: str
) -> None:
    response = httpx.get(f"{service}{path}")
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert says in response.text
    assert "<b>" not in response.text


def test_an_id_written_another_way_redirects_to_the_page(service: str) -> None:
    response = httpx.get(f"{service}/researchers/{SEED_RESEARCHER.lower()}")
    assert response.status_code == 308
    assert response.headers["location"].endswith(f"/researchers/{SEED_RESEARCHER}")
