"""Identifier keys (graphstore.identifiers): how clients' DOIs, ORCIDs and RORs read, and how
every write path keeps the graph's keys equal to the stored values (the embedded bulk path,
its statement plan and Neo4j, through tests.graphstore.test_import's ``writer``)."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from graphstore import identifiers
from graphstore.engines.query import ReadQuery, columns
from graphstore.identifiers import ExternalId, client_reference
from graphstore.ids import InvalidIdError, NodeLabel
from graphstore.ingest.openalex import work_row
from graphstore.protocol import GraphStore
from graphstore.records import AuthorRow, AuthorshipRow, InstitutionRow, WorkRow
from tests.graphstore.test_import import read, writer

__all__ = ["writer"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10.1016/S0021-9258(19)52451-6", "10.1016/s0021-9258(19)52451-6"),
        ("https://doi.org/10.1016/S0021-9258(19)52451-6", "10.1016/s0021-9258(19)52451-6"),
        ("HTTP://DX.DOI.ORG/10.1000/ABC", "10.1000/abc"),
        ("doi:10.1000/abc", "10.1000/abc"),
        ("https://doi.org/10.1002%2Fabc", "10.1002/abc"),
        ("10.1000", None),
        ("11.1000/abc", None),
        ("W1775749144", None),
    ],
)
def test_dois_read_as_doi_compares_them(raw: str, expected: str | None) -> None:
    assert identifiers.doi(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0000-0002-5793-3042", "0000-0002-5793-3042"),
        ("https://orcid.org/0000-0002-5793-3042", "0000-0002-5793-3042"),
        ("0000-0002-1694-233x", "0000-0002-1694-233X"),  # check character X
        ("0000-0002-5793-3043", None),  # wrong check digit
        ("0000000257933042", None),
    ],
)
def test_orcids_are_checked(raw: str, expected: str | None) -> None:
    assert identifiers.orcid(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://ror.org/00971b260", "00971b260"),
        ("00971B260", "00971b260"),
        ("ror.org/02mhbdp94/", "02mhbdp94"),
        ("10971b260", None),
        ("00971b2ab", None),
        ("0i971b260", None),  # i is not in ROR's alphabet
    ],
)
def test_ror_ids_are_checked(raw: str, expected: str | None) -> None:
    assert identifiers.ror(raw) == expected


def test_title_keys_ignore_case_accents_markup_and_punctuation() -> None:
    assert (
        identifiers.title_key("<i>Planck</i> 2018 results. VI.") == "title:planck 2018 results vi"
    )
    assert identifiers.title_key("Über   Graphen—eine Übersicht") == identifiers.title_key(
        "uber graphen: eine ubersicht"
    )
    assert identifiers.title_key("Introduction") is None
    assert identifiers.title_key("Book reviews") is None


def test_client_references_are_openalex_ids_or_identifiers() -> None:
    assert client_reference("w1775749144", NodeLabel.WORK) == "W1775749144"
    assert client_reference("doi:10.1000/X", NodeLabel.WORK) == ExternalId("doi:10.1000/x")
    assert client_reference("0000-0002-5793-3042", NodeLabel.RESEARCHER) == ExternalId(
        "orcid:0000-0002-5793-3042"
    )
    assert client_reference("00971b260", NodeLabel.INSTITUTION) == ExternalId("ror:00971b260")
    with pytest.raises(InvalidIdError, match="not a valid DOI"):
        client_reference("10.1/", NodeLabel.WORK)
    with pytest.raises(InvalidIdError, match="or a ROR id"):
        client_reference("0000-0002-5793-3042", NodeLabel.INSTITUTION)
    with pytest.raises(InvalidIdError, match="OpenAlex id"):
        client_reference("10.1000/abc", NodeLabel.TOPIC)


def test_a_work_record_gives_its_counts_by_year_and_the_dois_it_names() -> None:
    row = work_row(
        {
            "id": "https://openalex.org/W1",
            "doi": "https://doi.org/10.1000/Published",
            "counts_by_year": [
                {"year": 2024, "cited_by_count": 3},
                {"year": 2023, "cited_by_count": 0},
            ],
            "primary_location": {"landing_page_url": "https://doi.org/10.1000/published"},
            "locations": [
                {"landing_page_url": "https://doi.org/10.1101/Preprint.1", "pdf_url": None},
                {"landing_page_url": "https://arxiv.org/abs/2108.04680"},
                {"pdf_url": "https://doi.org/10.1101/preprint.1"},
            ],
        }
    )
    assert row.counts_by_year == ((2024, 3), (2023, 0))
    assert row.named_dois == ("10.1101/preprint.1",)


def authored(work_id: str, *, updated: str = "2024-01-01", **fields: object) -> WorkRow:
    row = WorkRow(
        id=work_id,
        title=f"A study of {work_id} at length",
        type="article",
        year=2020,
        venue=None,
        doi=None,
        abstract=None,
        cited_by_count=4,
        updated_date=updated,
        authorships=(
            AuthorshipRow(
                "A1",
                "One",
                0,
                orcid="0000-0002-5793-3042",
                institutions=(InstitutionRow("I1", "Uni", ror="https://ror.org/00971b260"),),
            ),
        ),
    )
    return replace(row, **fields)


async def found(store: GraphStore, *raw: str) -> list[str | None]:
    keys = [
        identifiers.doi_key(r) or identifiers.orcid_key(r) or identifiers.ror_key(r) for r in raw
    ]
    return await store.identified([k for k in keys if k is not None])


IDENTIFIES_EDGES = ReadQuery("MATCH (:Identifier)-[e:IDENTIFIES]->()", columns(("count(e)", "n")))


async def test_keys_follow_the_stored_values_through_every_write(writer: GraphStore) -> None:
    store = writer
    await store.upsert_works([authored("W1", doi="10.1000/One")])
    assert await found(store, "10.1000/one", "0000-0002-5793-3042", "00971b260") == [
        "W1",
        "A1",
        "I1",
    ]
    edges = (await read(store, IDENTIFIES_EDGES))[0]["n"]
    assert edges == 4  # the DOI and the title key of W1, A1's ORCID, I1's ROR
    await store.upsert_works([authored("W1", doi="10.1000/One")])
    assert (await read(store, IDENTIFIES_EDGES))[0]["n"] == edges

    # A re-issued work with another DOI is found by that one only.
    await store.upsert_works([authored("W1", doi="10.1000/two", updated="2025-01-01")])
    assert await found(store, "10.1000/one", "10.1000/two") == [None, "W1"]

    # The researcher's and the institution's own records replace what works said.
    await store.upsert_authors([AuthorRow("A1", "One", "2024-01-01", orcid="0000-0002-1694-233X")])
    await store.upsert_institutions(
        [InstitutionRow("I1", "Uni", ror="02mhbdp94", updated_date="1")]
    )
    assert await found(store, "0000-0002-5793-3042", "0000-0002-1694-233X") == [None, "A1"]
    assert await found(store, "00971b260", "02mhbdp94") == [None, "I1"]
    # ... and a work naming the old ones does not bring them back.
    await store.upsert_works([authored("W2")])
    assert await found(store, "0000-0002-5793-3042", "00971b260") == [None, None]

    # A record giving none clears the key.
    await store.upsert_authors(
        [AuthorRow("A1", "One", "2024-02-01", stated_null=frozenset({"orcid"}))]
    )
    assert await found(store, "0000-0002-1694-233X") == [None]


async def test_works_citations_by_year_and_institutions_follow_the_record(
    writer: GraphStore,
) -> None:
    store = writer
    await store.upsert_works(
        [authored("W1", counts_by_year=((2024, 3), (2023, 1))), authored("W2", year=2021)]
    )
    (years,) = await store.counts_by_year(["A1"], NodeLabel.RESEARCHER)
    assert [(y.year, y.works, y.citations) for y in years] == [
        (2020, 1, 0),
        (2021, 1, 0),
        (2023, 0, 1),
        (2024, 0, 3),
    ]
    (stats,) = await store.work_set_stats(["I1"], NodeLabel.INSTITUTION)
    assert (stats.works, stats.citations) == (2, 8)

    # Re-issued without citations by year and without the institution.
    bare = authored("W1", updated="2025-01-01", counts_by_year=())
    bare = replace(bare, authorships=(replace(bare.authorships[0], institutions=()),))
    await store.upsert_works([bare])
    (years,) = await store.counts_by_year(["A1"], NodeLabel.RESEARCHER)
    assert [(y.year, y.works, y.citations) for y in years] == [(2020, 1, 0), (2021, 1, 0)]
    (stats,) = await store.work_set_stats(["I1"], NodeLabel.INSTITUTION)
    assert (stats.works, stats.citations) == (1, 4)
