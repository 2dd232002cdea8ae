"""Versions of one paper (graphstore.versions) on both engines: which works the versions hop
joins, and lists grouped by paper."""

from __future__ import annotations

from msgspec.structs import replace

from graphstore.protocol import GraphStore, HopPageRequest
from graphstore.records import AuthorshipRow, WorkFilter, WorkOrder, WorkPosition, WorkRow
from graphstore.traversal import Hop

TITLE = "Deep networks for citation graphs"


def work(
    work_id: str, title: str, *authors: str, kind: str = "article", cited: int = 0, **fields: object
) -> WorkRow:
    row = WorkRow(
        id=work_id,
        title=title,
        type=kind,
        year=2020,
        venue=None,
        doi=None,
        abstract=None,
        cited_by_count=cited,
        updated_date="2024-01-01",
        authorships=tuple(AuthorshipRow(a, f"Name {a}", i) for i, a in enumerate(authors)),
    )
    return replace(row, **fields)


WORKS = [
    work("W1", TITLE, "A1", "A2", cited=10, doi="10.1000/pub"),
    # Same title as W1 (case and punctuation aside) and an author in common.
    work("W2", "Deep Networks for Citation-Graphs", "A2", "A3", kind="preprint", cited=2),
    # Same title, no author in common.
    work("W3", TITLE, "A9"),
    # W4's record names W5's DOI for one of its locations.
    work("W4", "Another thing entirely here", "A1", named_dois=("10.1101/pre2",)),
    work("W5", "A preprint with another title", "A7", kind="preprint", doi="10.1101/PRE2"),
    # OpenAlex holds W1's DOI twice.
    work("W6", "Deep networks: the journal version", "A2", cited=50, doi="10.1000/PUB"),
    # Titles too short to say anything.
    work("W7", "Introduction", "A1"),
    work("W8", "Introduction", "A1"),
    # Both name one DOI not in the graph.
    work("W10", "First of two records", "A4", named_dois=("10.5555/x",)),
    work("W11", "Second of two records", "A5", named_dois=("10.5555/x",)),
    work("W12", "Something else by the second author", "A2", cited=1),
]

EXPECTED = {
    "W1": ["W2", "W6"],
    "W2": ["W1"],
    "W3": [],
    "W4": ["W5"],
    "W5": ["W4"],
    "W6": ["W1"],
    "W7": [],
    "W8": [],
    "W10": ["W11"],
    "W11": ["W10"],
    "W12": [],
}


async def test_the_versions_hop_joins_what_the_records_say(store: GraphStore) -> None:
    await store.upsert_works(WORKS)
    ids = list(EXPECTED)
    found = await store.neighbours(ids, Hop.VERSIONS_OF_WORK)
    assert {i: sorted(n.target for n in f) for i, f in zip(ids, found, strict=True)} == EXPECTED


def grouped(first: int, after: WorkPosition | None = None, **fields: object) -> HopPageRequest:
    request = HopPageRequest(
        source="A2",
        hop=Hop.WORKS_OF_RESEARCHER,
        order=WorkOrder.MOST_CITED,
        filter=WorkFilter(),
        after=None,
        first=first,
        group_versions=True,
    )
    return replace(request, after=after, **fields)


async def test_a_grouped_list_holds_each_paper_once(store: GraphStore) -> None:
    await store.upsert_works(WORKS)
    (page,) = await store.hop_work_pages([grouped(10)])
    # A2's works: W1, W2 and W6 are one paper (W2 through W1's title, W6 through its DOI);
    # the published, most cited version stands for it.
    assert page.total == 2
    assert [w.id for _, w in page.works] == ["W6", "W12"]
    assert page.versions is not None
    assert [[v.id for v in others] for others in page.versions] == [["W1", "W2"], []]

    (first,) = await store.hop_work_pages([grouped(1)])
    assert (first.total, first.has_next_page, [w.id for _, w in first.works]) == (2, True, ["W6"])
    (second,) = await store.hop_work_pages([grouped(1, after=first.works[-1][0])])
    assert (second.has_next_page, [w.id for _, w in second.works]) == (False, ["W12"])

    # The filter keeps works first: articles only, the preprint drops out of the paper.
    kept = WorkFilter(types=("article",))
    (articles,) = await store.hop_work_pages([grouped(10, filter=kept)])
    assert [w.id for _, w in articles.works] == ["W6", "W12"]
    assert [[v.id for v in others] for others in articles.versions or ()] == [["W1"], []]


async def test_an_ungrouped_hop_page_lists_every_work(store: GraphStore) -> None:
    await store.upsert_works(WORKS)
    (page,) = await store.hop_work_pages([grouped(10, group_versions=False)])
    assert page.total == 4
    assert [w.id for _, w in page.works] == ["W6", "W1", "W2", "W12"]
    assert page.versions is None
