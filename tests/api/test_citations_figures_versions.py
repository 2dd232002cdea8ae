"""Issue 24 on openalex-small (works, authors, institutions, topics), on both engines: a work's
references and citers, figures of a researcher's, a topic's and an institution's works,
OpenAlex's own author figures, look-ups by DOI, ORCID and ROR, and versions of one paper.

Expected values come from the records themselves wherever they can, besides the issue's
acceptance figures."""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import pytest

from tests.api.conftest import GraphQLClient
from tests.graphstore.test_import import OPENALEX_SMALL, key, records

SEED_RESEARCHER = "A5017898742"  # 9 works in the sample, two of them one paper
ARTICLE, PREPRINT = "W3187234764", "W3188841554"  # "3D Visualisations Should Not be ..."
CITED = "W3001118548"
CITING = "W1775749144"


@functools.cache
def works() -> dict[str, dict[str, Any]]:
    """The sample's Work records by short id (the fullest, where two folders hold one)."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(OPENALEX_SMALL.rglob("works*")):
        for record in records(path):
            kept = found.get(key(record["id"]))
            if kept is None or len(record) > len(kept):
                found[key(record["id"])] = record
    return found


def authored_by(researcher: str) -> list[dict[str, Any]]:
    return [
        w
        for w in works().values()
        if any((a["author"].get("id") or "").endswith(researcher) for a in w["authorships"])
    ]


def error_code(body: dict[str, Any]) -> str:
    code: str = body["errors"][0]["extensions"]["code"]
    return code


REFERENCES = """
query ($id: ID!, $first: Int!, $after: String) {
  work(id: $id) {
    references(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id inGraph work { id year title } }
    }
  }
}
"""

CITED_BY = """
query ($id: ID!, $first: Int!, $after: String, $order: WorkOrder!) {
  work(id: $id) {
    citedBy(first: $first, after: $after, orderBy: $order) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id year citations title }
    }
  }
}
"""


async def every_page(
    client: GraphQLClient, query: str, field: str, first: int, **variables: Any
) -> tuple[int, list[dict[str, Any]]]:
    """The total and every node of a connection, page after page."""
    nodes: list[dict[str, Any]] = []
    after = None
    while True:
        data = await client.data(query, first=first, after=after, **variables)
        page = data["work"][field] if "work" in data else data["researcher"][field]
        nodes += page["nodes"]
        assert len(page["nodes"]) <= first
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], nodes
        after = page["pageInfo"]["endCursor"]


async def test_references_list_every_work_the_record_cites(openalex_client: GraphQLClient) -> None:
    cited = [key(r) for r in works()[CITING]["referenced_works"]]
    total, nodes = await every_page(openalex_client, REFERENCES, "references", 3, id=CITING)
    assert total == len(cited) == 20
    assert sorted(n["id"] for n in nodes) == sorted(cited)
    for node in nodes:
        assert node["inGraph"] is (node["id"] in works())
        assert (node["work"] is not None) is node["inGraph"]


async def test_references_in_the_graph_come_newest_first(openalex_client: GraphQLClient) -> None:
    citing = next(
        w
        for w in works().values()
        if f"https://openalex.org/{CITED}" in w.get("referenced_works", [])
    )
    total, nodes = await every_page(
        openalex_client, REFERENCES, "references", 2, id=key(citing["id"])
    )
    assert total == len(citing["referenced_works"])
    found = {n["id"]: n for n in nodes}
    assert found[CITED]["inGraph"] is True
    assert found[CITED]["work"]["title"] == works()[CITED]["title"]
    years = [n["work"]["year"] if n["work"] and n["work"]["year"] else 0 for n in nodes]
    assert years == sorted(years, reverse=True)


@pytest.mark.parametrize("order", ["NEWEST", "OLDEST", "MOST_CITED"])
async def test_cited_by_pages_the_citing_works(openalex_client: GraphQLClient, order: str) -> None:
    citing = {
        key(w["id"])
        for w in works().values()
        if f"https://openalex.org/{CITED}" in (w.get("referenced_works") or [])
    }
    total, nodes = await every_page(openalex_client, CITED_BY, "citedBy", 2, id=CITED, order=order)
    assert total == len(citing) == 6
    assert [n["id"] for n in nodes] == sorted(citing, key=lambda w: sort_key(order, works()[w]))


def sort_key(order: str, work: dict[str, Any]) -> tuple[int, str, str]:
    """A work's place in an order, as schema's WorkOrder says: ties by title, then id."""
    year, cited = work.get("publication_year"), work["cited_by_count"]
    value = {
        "NEWEST": -(year or 0),
        "OLDEST": year if year is not None else 9999,
        "MOST_CITED": -cited,
    }[order]
    return (value, work["title"], key(work["id"]))


async def test_a_cursor_of_another_order_is_refused(openalex_client: GraphQLClient) -> None:
    data = await openalex_client.data(CITED_BY, id=CITED, first=1, order="NEWEST")
    cursor = data["work"]["citedBy"]["pageInfo"]["endCursor"]
    body = await openalex_client(CITED_BY, id=CITED, first=1, after=cursor, order="MOST_CITED")
    assert error_code(body) == "BAD_USER_INPUT"
    body = await openalex_client(REFERENCES, id=CITING, first=101)
    assert error_code(body) == "BAD_USER_INPUT"


LOOK_UPS = """
query ($work: ID!, $researcher: ID!, $institution: ID!) {
  work(id: $work) { id }
  researcher(id: $researcher) { id }
  institution(id: $institution) { id }
}
"""


@pytest.mark.parametrize(
    ("work", "researcher", "institution"),
    [
        (
            "https://doi.org/10.1016/s0021-9258(19)52451-6",
            "https://orcid.org/0000-0002-5793-3042",
            "https://ror.org/00971b260",
        ),
        ("10.1016/S0021-9258(19)52451-6", "0000-0002-5793-3042", "00971b260"),
        ("doi:10.1016/S0021-9258(19)52451-6", "orcid.org/0000-0002-5793-3042", "ror.org/00971B260"),
        ("W1775749144", "A5000655873", "I4210090411"),
    ],
)
async def test_nodes_are_found_by_doi_orcid_and_ror(
    openalex_client: GraphQLClient, work: str, researcher: str, institution: str
) -> None:
    found = await openalex_client.data(
        LOOK_UPS, work=work, researcher=researcher, institution=institution
    )
    assert found == {
        "work": {"id": "W1775749144"},
        "researcher": {"id": "A5000655873"},
        "institution": {"id": "I4210090411"},
    }


async def test_unknown_identifiers_are_null(openalex_client: GraphQLClient) -> None:
    found = await openalex_client.data(
        LOOK_UPS,
        work="10.9999/no-such-work",
        researcher="0000-0002-1825-0097",
        institution="https://ror.org/02mhbdp94",
    )
    assert found == {"work": None, "researcher": None, "institution": None}


@pytest.mark.parametrize(
    ("field", "given", "says"),
    [
        ("work", "10.1016", "not a valid DOI"),
        ("work", "https://doi.org/", "not a valid DOI"),
        ("work", "0000-0002-5793-3042", "or a DOI"),
        ("researcher", "0000-0002-5793-3043", "not a valid ORCID"),
        ("researcher", "https://orcid.org/12", "not a valid ORCID"),
        ("researcher", "10.1016/S0021-9258(19)52451-6", "or an ORCID"),
        ("researcher", "W1775749144", "not the id of a Researcher"),
        ("institution", "https://ror.org/not-a-ror", "not a valid ROR"),
        ("institution", "ror-ish", "or a ROR id"),
    ],
)
async def test_malformed_identifiers_are_refused(
    openalex_client: GraphQLClient, field: str, given: str, says: str
) -> None:
    body = await openalex_client(f"query ($id: ID!) {{ {field}(id: $id) {{ id }} }}", id=given)
    assert error_code(body) == "BAD_USER_INPUT"
    assert says in body["errors"][0]["message"]
    assert body["extensions"]["dbQueries"] == 0


FIGURES = """
query ($id: ID!) {
  researcher(id: $id) {
    stats { works citations hIndex i10Index }
    countsByYear { year works citations }
    openAlex { worksCount citedByCount hIndex i10Index }
  }
}
"""


def by_year(listed: list[dict[str, Any]]) -> dict[int, tuple[int, int]]:
    return {y["year"]: (y["works"], y["citations"]) for y in listed}


def expected_years(mine: list[dict[str, Any]]) -> dict[int, tuple[int, int]]:
    """Works published each year and citations received each year, from the records."""
    published = Counter(w["publication_year"] for w in mine if w.get("publication_year"))
    cited: Counter[int] = Counter()
    for work in mine:
        for count in work.get("counts_by_year") or []:
            cited[count["year"]] += count["cited_by_count"]
    return {y: (published[y], cited[y]) for y in published.keys() | cited.keys()}


async def test_a_researchers_figures_by_year_add_up(openalex_client: GraphQLClient) -> None:
    mine = authored_by(SEED_RESEARCHER)
    found = (await openalex_client.data(FIGURES, id=SEED_RESEARCHER))["researcher"]
    stats = found["stats"]
    assert stats["works"] == len(mine) == 9
    assert sum(y["works"] for y in found["countsByYear"]) == stats["works"]
    assert by_year(found["countsByYear"]) == expected_years(mine)
    years = [y["year"] for y in found["countsByYear"]]
    assert years == sorted(years)
    cites = [w["cited_by_count"] for w in mine]
    assert stats["citations"] == sum(cites)
    assert stats["i10Index"] == sum(1 for c in cites if c >= 10)
    assert stats["hIndex"] >= stats["i10Index"] > 0


async def test_openalex_figures_are_the_author_records(openalex_client: GraphQLClient) -> None:
    authors = {key(a["id"]): a for p in OPENALEX_SMALL.rglob("authors*") for a in records(p)}
    for researcher in ("A5000655873", SEED_RESEARCHER):
        record = authors[researcher]
        found = (await openalex_client.data(FIGURES, id=researcher))["researcher"]
        assert found["openAlex"] == {
            "worksCount": record["works_count"],
            "citedByCount": record["cited_by_count"],
            "hIndex": record["summary_stats"]["h_index"],
            "i10Index": record["summary_stats"]["i10_index"],
        }
    # Houliang Zhou's record counts 17 works; the sample holds none of them.
    found = (await openalex_client.data(FIGURES, id="A5000655873"))["researcher"]
    assert (found["stats"]["works"], found["openAlex"]["worksCount"]) == (0, 17)
    # A researcher named only on works has no Author record.
    only_named = next(
        key(a["author"]["id"])
        for w in works().values()
        for a in w["authorships"]
        if a["author"].get("id") and key(a["author"]["id"]) not in authors
    )
    assert (await openalex_client.data(FIGURES, id=only_named))["researcher"]["openAlex"] is None


NODE_FIGURES = """
query ($topic: ID!, $institution: ID!) {
  topic(id: $topic) { stats { works citations } countsByYear { year works citations } }
  institution(id: $institution) { stats { works citations } countsByYear { year works citations } }
}
"""


async def test_topic_and_institution_figures_count_their_works(
    openalex_client: GraphQLClient,
) -> None:
    topic = "T10118"
    institution = "I4210090411"
    tagged = [
        w for w in works().values() if any(t["id"].endswith(topic) for t in w.get("topics") or [])
    ]
    named = [
        w
        for w in works().values()
        if any(
            i["id"].endswith(institution)
            for a in w["authorships"]
            for i in a.get("institutions") or []
        )
    ]
    found = await openalex_client.data(NODE_FIGURES, topic=topic, institution=institution)
    for figures, mine in ((found["topic"], tagged), (found["institution"], named)):
        assert figures["stats"] == {
            "works": len(mine),
            "citations": sum(w["cited_by_count"] for w in mine),
        }
        assert by_year(figures["countsByYear"]) == expected_years(mine)
    assert found["topic"]["stats"]["works"] == 11
    assert found["institution"]["stats"]["works"] > 0


GROUPED = """
query ($id: ID!, $first: Int!, $after: String) {
  researcher(id: $id) {
    stats { works }
    works(groupVersions: true, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { id title type versions { id type } }
    }
  }
}
"""


async def test_grouped_works_list_each_paper_once(openalex_client: GraphQLClient) -> None:
    total, nodes = await every_page(openalex_client, GROUPED, "works", 3, id=SEED_RESEARCHER)
    data = await openalex_client.data(GROUPED, id=SEED_RESEARCHER, first=20)
    assert data["researcher"]["works"]["nodes"] == nodes
    assert data["researcher"]["stats"]["works"] == 9
    assert total == len(nodes) == 8
    titles = [n["title"] for n in nodes]
    assert len(titles) == len(set(titles))
    (paper,) = (n for n in nodes if n["versions"])
    assert (paper["id"], paper["type"]) == (ARTICLE, "article")
    assert paper["versions"] == [{"id": PREPRINT, "type": "preprint"}]
    assert paper["title"].startswith("3D Visualisations Should Not be Displayed Alone")
    ungrouped = await openalex_client.data(
        "query ($id: ID!) { researcher(id: $id) { works(first: 20) { totalCount } } }",
        id=SEED_RESEARCHER,
    )
    assert ungrouped["researcher"]["works"]["totalCount"] == 9


async def test_grouping_applies_the_filter_to_works_first(openalex_client: GraphQLClient) -> None:
    query = """query ($id: ID!, $types: [String!]) { researcher(id: $id) {
      works(groupVersions: true, first: 20, filter: {types: $types}) {
        totalCount nodes { id versions { id } } } } }"""
    preprints = await openalex_client.data(query, id=SEED_RESEARCHER, types=["preprint"])
    assert preprints["researcher"]["works"] == {
        "totalCount": 1,
        "nodes": [{"id": PREPRINT, "versions": []}],
    }


async def test_a_works_versions_are_the_other_versions(openalex_client: GraphQLClient) -> None:
    query = "query ($id: ID!) { work(id: $id) { versions { id } } }"
    for one, other in ((ARTICLE, PREPRINT), (PREPRINT, ARTICLE)):
        found = await openalex_client.data(query, id=one)
        assert found["work"]["versions"] == [{"id": other}]
    # Same title, no author in common: not one paper.
    alike = [
        key(w["id"])
        for w in works().values()
        if (w["title"] or "").lower() == "statistical power analysis for the behavioral sciences"
    ]
    assert len(alike) == 2
    for work in alike:
        assert (await openalex_client.data(query, id=work))["work"]["versions"] == []
