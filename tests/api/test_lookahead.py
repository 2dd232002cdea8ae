"""Look-ahead (resolvers.lookahead): `researcher(id)` reads what its selection will need in one
store call, and answers exactly as the field-by-field path does. `node(id)` does not look
ahead, so the same selection through it is the reference, on both engines."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from graphql import FieldNode, FragmentDefinitionNode, OperationDefinitionNode, parse
from strawberry.types.nodes import convert_selections

from graphstore.protocol import GraphStore
from graphstore.records import AuthorRow
from resolvers.lookahead import page_author_limit, page_author_names_only
from tests.api.conftest import GraphQLClient
from tests.conftest import (
    SEED_CO_AUTHOR,
    SEED_CO_AUTHOR_NAME,
    SEED_NEWEST_WORK,
    SEED_RESEARCHER,
)

PROFILE_SELECTION = """
id name
affiliations { institution { id } years }
stats { works followers topics closeCollaborators citations hIndex }
trust { score band verification }
topics(first: 6) { works topic { id name } }
collaborators(first: 10, minSharedWorks: 2) { sharedWorks strength researcher { id } }
works(first: 3) {
  totalCount pageInfo { hasNextPage endCursor }
  nodes { id title year authors { position researcher { id name } } }
}
"""

# (variable definitions, selection, fragments, variables)
CASES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "profile page": ("", PROFILE_SELECTION, "", {}),
    "arguments from variables": (
        "$first: Int!, $order: WorkOrder, $filter: WorkFilter, $shared: Int!",
        """works(first: $first, orderBy: $order, filter: $filter) {
             totalCount nodes { id year } }
           collaborators(first: $first, minSharedWorks: $shared) { sharedWorks }""",
        "",
        {"first": 2, "order": "MOST_CITED", "filter": {"yearFrom": 2020}, "shared": 1},
    ),
    "fragments": (
        "",
        "...Figures ... on Researcher { works(orderBy: OLDEST) { nodes { id } } }",
        "fragment Figures on Researcher { stats { works hIndex } topics(first: 2) { works } }",
        {},
    ),
    "skip and include": (
        "$yes: Boolean!, $no: Boolean!",
        """stats @skip(if: $yes) { works }
           trust @include(if: $yes) { score }
           works(first: 1) @include(if: $no) { totalCount }
           topics(first: 1) @skip(if: $no) { works }""",
        "",
        {"yes": True, "no": False},
    ),
    "two summaries and two pages": (
        "",
        """topics(first: 20) { works }
           collaborators(first: 3, minSharedWorks: 1) { sharedWorks researcher { id } }
           newest: works(first: 2) { nodes { id } }
           cited: works(first: 2, orderBy: MOST_CITED, filter: {types: ["preprint"]}) {
             totalCount nodes { id } }""",
        "",
        {},
    ),
    # A list grouping versions is not the profile's page: it loads apart, beside the page.
    "grouped versions beside a page": (
        "",
        """stats { works i10Index }
           grouped: works(groupVersions: true, first: 2) {
             totalCount nodes { id versions { id } authors { researcher { name } } } }
           works(first: 2) { totalCount nodes { id } }""",
        "",
        {},
    ),
    # Each field checks its own arguments; the look-ahead leaves such a field to do so.
    "refused: minSharedWorks": (
        "",
        "stats { works } collaborators(minSharedWorks: 0) { sharedWorks }",
        "",
        {},
    ),
    # A page's authors are read with names only when that is all the selection asks of them.
    "page authors in full": (
        "",
        """works(first: 3) { nodes { id authors {
             position institutions { id }
             researcher { id name orcid bio openToCollaborate claimStatus trust { score } }
           } } }""",
        "",
        {},
    ),
    "page authors by name and in full": (
        "",
        """names: works(first: 3) { edges { node { authors { researcher { id name } } } } }
           full: works(first: 3) { nodes { ...Authors } }""",
        "fragment Authors on Work { authors { researcher { ... on Researcher { orcid } } } }",
        {},
    ),
    # A page's first authors: only those are read, for the largest first asked.
    "page first authors": (
        "$n: Int!",
        """works(first: 3) { nodes { id authorCount
             one: authors(first: 1) { position researcher { id name } }
             some: authors(first: $n) { position institutions { id } }
           } }""",
        "",
        {"n": 2},
    ),
    "page first authors and all": (
        "",
        """works(first: 3) { nodes { id
             authors(first: 1) { position }
             all: authors { position researcher { id } }
           } }""",
        "",
        {},
    ),
    "refused: cursor": ("", 'stats { works } works(after: "not-a-cursor") { totalCount }', "", {}),
    "refused: year range": (
        "",
        "stats { works } works(filter: {yearFrom: 2022, yearTo: 2019}) { totalCount }",
        "",
        {},
    ),
}


def _documents(variables: str, selection: str, fragments: str) -> tuple[str, str]:
    definitions = f"$id: ID!{', ' + variables if variables else ''}"
    ahead = f"query ({definitions}) {{ researcher(id: $id) {{ {selection} }} }} {fragments}"
    reference = (
        f"query ({definitions}) {{ researcher: node(id: $id) {{ ... on Researcher {{ {selection} "
        f"}} }} }} {fragments}"
    )
    return ahead, reference


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    errors = sorted(
        (str(e["path"]), e["message"], e.get("extensions", {}).get("code"))
        for e in body.get("errors", [])
    )
    return {"data": body["data"], "errors": errors}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("researcher", [SEED_RESEARCHER, "A404404404"])
async def test_look_ahead_answers_as_the_fields_do(
    client: GraphQLClient, case: str, researcher: str
) -> None:
    variables, selection, fragments, values = CASES[case]
    ahead, reference = _documents(variables, selection, fragments)
    found = await client(ahead, id=researcher, **values)
    expected = await client(reference, id=researcher, **values)
    assert _comparable(found) == _comparable(expected)
    if researcher != SEED_RESEARCHER:
        assert found["data"]["researcher"] is None
    elif case.startswith("refused"):
        # The field reports its error; it is non-null, so the researcher is null.
        assert len(found["errors"]) == 1
    else:
        assert found["data"]["researcher"] is not None
        assert found["extensions"]["dbQueries"] <= expected["extensions"]["dbQueries"]


async def test_a_cursor_from_a_variable_pages_alike(client: GraphQLClient) -> None:
    query = """query ($id: ID!, $after: String) { researcher(id: $id) {
      works(first: 3, after: $after) { pageInfo { endCursor } nodes { id } } } }"""
    first = await client.data(query, id=SEED_RESEARCHER)
    cursor = first["researcher"]["works"]["pageInfo"]["endCursor"]
    ahead, reference = _documents(
        "$after: String", "works(first: 3, after: $after) { nodes { id } }", ""
    )
    found = await client.data(ahead, id=SEED_RESEARCHER, after=cursor)
    expected = await client.data(reference, id=SEED_RESEARCHER, after=cursor)
    assert found == expected
    assert len(found["researcher"]["works"]["nodes"]) == 3


async def test_a_profile_page_is_one_neo4j_query(client: GraphQLClient, store: GraphStore) -> None:
    ahead, reference = _documents("", PROFILE_SELECTION, "")
    found = await client(ahead, id=SEED_RESEARCHER)
    expected = await client(reference, id=SEED_RESEARCHER)
    # The field-by-field path reads the researcher, then its summary and its page.
    assert expected["extensions"]["dbQueries"] >= 3
    if store.engine == "neo4j":
        # Neo4j answers the three as subqueries of one query; LadybugDB runs them in turn.
        assert found["extensions"]["dbQueries"] == 1


CO_AUTHOR_ORCID = "0000-0002-1825-0097"


@pytest.mark.parametrize(
    ("selection", "names_only"),
    [
        ("nodes { id authors { position researcher { id name __typename } } }", True),
        ("edges { node { authors { researcher { id } } } } totalCount", True),
        ("nodes { id title }", True),
        ("nodes { authors { researcher { orcid } } }", False),
        ("nodes { authors { institutions { id } } }", False),
        ("nodes { authors { researcher { trust { score } } } }", False),
        ("edges { node { ...A } }", False),
        ("nodes { ... on Work { authors { researcher { ... on Researcher { bio } } } } }", False),
        # Skipped or not, a field counts: the answer only errs towards reading in full.
        ("nodes { authors { researcher { id bio @skip(if: true) } } }", False),
    ],
)
def test_page_authors_are_read_by_name_only_when_nothing_else_is_asked(
    selection: str, names_only: bool
) -> None:
    assert page_author_names_only(_selected(selection)) is names_only


@pytest.mark.parametrize(
    ("selection", "limit"),
    [
        ("nodes { id title }", 0),
        ("nodes { authors(first: 3) { position } }", 3),
        ("nodes { a: authors(first: 3) { position } b: authors(first: 5) { position } }", 5),
        ("edges { node { authors(first: 2) { position } } } nodes { id }", 2),
        ("nodes { authors(first: 3) { position } all: authors { position } }", None),
        ("nodes { authors(first: -1) { position } }", None),
        ("edges { node { ...A } }", None),
        # Skipped or not, a field counts, as for names only.
        ("nodes { authors(first: 9) @skip(if: true) { position } }", 9),
    ],
)
def test_page_authors_are_read_up_to_the_largest_first_asked(
    selection: str, limit: int | None
) -> None:
    assert page_author_limit(_selected(selection)) == limit


def _selected(selection: str) -> list[Any]:
    """Strawberry's selections of the works field under ``researcher`` in a document
    selecting ``selection`` on it, as Info.selected_fields gives them."""
    document = parse(
        f"{{ researcher(id: 1) {{ works {{ {selection} }} }} }} "
        "fragment A on Work { authors { institutions { name } } }"
    )
    operation, fragment = document.definitions
    assert isinstance(operation, OperationDefinitionNode)
    [researcher] = operation.selection_set.selections
    assert isinstance(researcher, FieldNode)
    assert researcher.selection_set is not None
    [works] = researcher.selection_set.selections
    assert isinstance(works, FieldNode)
    assert isinstance(fragment, FragmentDefinitionNode)
    # Strawberry's selections of the works field, as Info.selected_fields gives them: they
    # read only the document's fragments and the variables from graphql-core's info.
    document_info = SimpleNamespace(fragments={"A": fragment}, variable_values={})
    return convert_selections(document_info, [works])  # type: ignore[arg-type]


async def test_a_page_by_name_and_whole_authors_answer_in_one_request(
    client: GraphQLClient, store: GraphStore
) -> None:
    await store.upsert_authors(
        [AuthorRow(id=SEED_CO_AUTHOR, name=SEED_CO_AUTHOR_NAME, orcid=CO_AUTHOR_ORCID)]
    )
    work_alone = """query ($work: ID!) {
      work(id: $work) { authors { researcher { id orcid } } } }"""
    expected = await client.data(work_alone, work=SEED_NEWEST_WORK)
    assert {"id": SEED_CO_AUTHOR, "orcid": CO_AUTHOR_ORCID} in [
        a["researcher"] for a in expected["work"]["authors"]
    ]
    # The page's authors by name, and the same work's authors in full, in one request.
    both = """query ($id: ID!, $work: ID!) {
      researcher(id: $id) { works(first: 3) { nodes { id authors { researcher { id name } } } } }
      work(id: $work) { authors { researcher { id orcid } } } }"""
    found = await client.data(both, id=SEED_RESEARCHER, work=SEED_NEWEST_WORK)
    assert found["work"] == expected["work"]
    [newest] = [w for w in found["researcher"]["works"]["nodes"] if w["id"] == SEED_NEWEST_WORK]
    assert {"id": SEED_CO_AUTHOR, "name": SEED_CO_AUTHOR_NAME} in [
        a["researcher"] for a in newest["authors"]
    ]
    # And a page whose selection asks for more reads its authors in full.
    full = """query ($id: ID!) { researcher(id: $id) {
      works(first: 3) { nodes { id authors { researcher { id orcid } } } } } }"""
    page = await client.data(full, id=SEED_RESEARCHER)
    [newest] = [w for w in page["researcher"]["works"]["nodes"] if w["id"] == SEED_NEWEST_WORK]
    assert newest["authors"] == expected["work"]["authors"]


async def test_first_authors_are_those_a_work_lists_first(client: GraphQLClient) -> None:
    """authors(first:) gives the authors at the first positions and authorCount how many
    there are, on a profile's page (read ahead, cut by the store) as on a work alone."""
    page = await client.data(
        """query ($id: ID!) { researcher(id: $id) { works(first: 5) { nodes {
             id authorCount authors(first: 2) { position researcher { id } } } } } }""",
        id=SEED_RESEARCHER,
    )
    nodes = page["researcher"]["works"]["nodes"]
    assert any(node["authorCount"] > 2 for node in nodes)
    alone = """query ($work: ID!) { work(id: $work) { authorCount
      authors { position researcher { id } }
      first: authors(first: 2) { position researcher { id } } } }"""
    for node in nodes:
        work = (await client.data(alone, work=node["id"]))["work"]
        assert node["authorCount"] == work["authorCount"] == len(work["authors"])
        assert node["authors"] == work["first"] == work["authors"][:2]


async def test_a_negative_first_author_count_is_refused(client: GraphQLClient) -> None:
    body = await client(
        "query ($work: ID!) { work(id: $work) { authors(first: -1) { position } } }",
        work=SEED_NEWEST_WORK,
    )
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert "first" in error["message"]
