"""The OpenAlex import on both engines: real files in, the expected graph out.

Conference-graph slices keep these fast. The write-path tests run on the embedded bulk path
(COPY), the embedded statement plan (which batch takes which depends on its size) and Neo4j.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from graphstore.engines import figures
from graphstore.engines.cypher_store import CypherStore
from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.engines.query import ReadQuery, columns
from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from graphstore.records import AuthorshipRow, InstitutionRow, WorkRow
from graphstore.traversal import Hop
from tests.conftest import TEST_DATA

# The first 4,000 conference-graph works, then the rest of its largest hub's.
CONFERENCE_GRAPH = TEST_DATA / "conference-graph" / "works.jsonl.gz"
OPENALEX_SMALL = TEST_DATA / "openalex-small"


@pytest.fixture(
    params=[
        pytest.param("bulk", id="embedded-bulk"),
        pytest.param("plan", id="embedded-plan"),
        pytest.param("neo4j", id="neo4j", marks=pytest.mark.neo4j),
    ]
)
async def writer(request: pytest.FixtureRequest) -> AsyncIterator[GraphStore]:
    """An empty store per write path: the embedded bulk path (COPY) for every batch, the
    embedded statement plan for every batch, and Neo4j (whose only path is the plan)."""
    opened: EmbeddedStore | Neo4jStore
    if request.param == "neo4j":
        uri: str = request.getfixturevalue("neo4j_uri")
        opened = Neo4jStore(uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"))
        await opened.apply_schema()
        await opened.clear()
    else:
        opened = EmbeddedStore(IN_MEMORY)
        opened.copy_min_works = 1 if request.param == "bulk" else 10**9
        await opened.apply_schema()
    try:
        yield opened
    finally:
        await opened.close()


def conference_slice(folder: Path, count: int, start: int = 0) -> Path:
    """The conference-graph records start..start+count as a JSON Lines file."""
    target = folder / f"conference-{start}-{count}.jsonl"
    with gzip.open(CONFERENCE_GRAPH, "rb") as source:
        lines = list(itertools.islice(source, start, start + count))
    assert len(lines) == count, f"the test data holds only {start + len(lines)} works"
    target.write_bytes(b"".join(lines))
    return target


def records(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON records of a JSON Lines or JSON array file, gzipped or not."""
    data = path.read_bytes()
    text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8")
    if text.lstrip().startswith("["):
        yield from json.loads(text)
    else:
        yield from (json.loads(line) for line in text.splitlines() if line.strip())


def key(raw: str) -> str:
    return raw.rsplit("/", 1)[-1]


async def read(store: GraphStore, query: ReadQuery, **params: Any) -> list[dict[str, Any]]:
    """A raw read, for properties the GraphStore protocol does not expose."""
    assert isinstance(store, CypherStore)
    return await store._read(query, params)


async def test_conference_slice_imports_and_reimport_changes_nothing(
    writer: GraphStore, tmp_path: Path
) -> None:
    store = writer
    data = conference_slice(tmp_path, 800)
    works = list(records(data))
    authors = {key(a["author"]["id"]) for w in works for a in w["authorships"]}
    authorships = sum(len(w["authorships"]) for w in works)

    report = await import_openalex(store, [data], batch_size=300)
    counts = await store.counts()
    assert report.skipped == 0
    assert counts.nodes["Work"] == len(works) == report.written.works
    assert counts.nodes["Researcher"] == len(authors)
    assert counts.edges["AUTHORED"] == authorships == report.written.authorships
    assert report.nodes_added == sum(counts.nodes.values())
    # The run ends with every researcher's figures written, once each, whatever the batches.
    assert report.figures == len(authors)
    assert await read(store, figures.STALE_COUNT) == [{"n": 0}]
    stored = await read(store, figures.STORED_YEARS.each, ids=sorted(authors))
    assert sum(row["works"] for row in stored) == authorships

    again = await import_openalex(store, [data], batch_size=500)
    assert await store.counts() == counts
    assert (again.nodes_added, again.edges_added) == (0, 0)
    assert await read(store, figures.STORED_YEARS.each, ids=sorted(authors)) == stored


def work(work_id: str, *authors: str, updated: str, refs: tuple[str, ...] = ()) -> WorkRow:
    return WorkRow(
        id=work_id,
        title=f"Title of {work_id}",
        type="article",
        year=None,
        venue=None,
        doi=None,
        abstract=None,
        cited_by_count=0,
        updated_date=updated,
        authorships=tuple(
            AuthorshipRow(researcher_id=a, name=f"Name {a}", position=i)
            for i, a in enumerate(authors)
        ),
        references=refs,
    )


async def test_reissued_work_replaces_its_edges_and_keeps_its_citers(writer: GraphStore) -> None:
    store = writer
    others = [work(f"W{i}", "A9", updated="2024-01-01", refs=("W1",)) for i in range(10, 20)]
    await store.upsert_works([work("W1", "A1", "A2", updated="2024-01-01"), *others])
    assert (await store.counts()).edges["CITES"] == 10

    summary = await store.upsert_works([work("W1", "A3", updated="2025-01-01")])
    assert summary.works == 1
    (authors,) = await store.neighbours(["W1"], Hop.AUTHORS_OF_WORK)
    assert [n.target for n in authors] == ["A3"]
    counts = await store.counts()
    assert counts.edges["CITES"] == 10  # the citations of W1 outlive its re-issue
    assert counts.nodes["Researcher"] == 4  # researchers stay, their authorship goes

    older = await store.upsert_works([work("W1", "A1", updated="2023-06-01")])
    assert (older.works, older.skipped_older) == (0, 1)
    (authors,) = await store.neighbours(["W1"], Hop.AUTHORS_OF_WORK)
    assert [n.target for n in authors] == ["A3"]


async def test_works_link_the_institutions_their_authorships_list(
    writer: GraphStore, tmp_path: Path
) -> None:
    store = writer
    data = conference_slice(tmp_path, 300)
    listed: dict[tuple[str, str], int] = {}
    for record in records(data):
        for authorship in record["authorships"]:
            for institution in {key(i["id"]) for i in authorship["institutions"]}:
                pair = (key(record["id"]), institution)
                listed[pair] = listed.get(pair, 0) + 1
    await import_openalex(store, [data], batch_size=120)
    assert (await store.counts()).edges["FROM_INSTITUTION"] == len(listed)
    institutions = sorted({i for _, i in listed})
    found = await store.neighbours(institutions, Hop.WORKS_OF_INSTITUTION)
    assert {
        (n.target, institution): int(n.edge_weight)
        for institution, works in zip(institutions, found, strict=True)
        for n in works
    } == listed

    # A re-issued work lists the institutions of its new authorships only.
    (first, institution) = next(iter(listed))
    row = replace(
        work(first, "A1", updated="2999-01-01"),
        authorships=(
            AuthorshipRow(
                researcher_id="A1",
                name="Name A1",
                position=0,
                institutions=(InstitutionRow(id=institution, name="kept"),),
            ),
        ),
    )
    await store.upsert_works([row])
    (works,) = await store.neighbours([institution], Hop.WORKS_OF_INSTITUTION)
    assert {(n.target, n.edge_weight) for n in works if n.target == first} == {(first, 1.0)}
    others = sum(1 for (w, _) in listed if w == first) - 1
    assert (await store.counts()).edges["FROM_INSTITUTION"] == len(listed) - others


async def test_references_to_absent_works_link_when_they_arrive(writer: GraphStore) -> None:
    store = writer
    first = await store.upsert_works(
        [
            work("W1", "A1", updated="2024-01-01", refs=("W2", "W3")),
            work("W4", "A1", updated="2024-01-01", refs=("W2", "W1")),
        ]
    )
    assert (first.citations, first.pending_references) == (1, 3)
    assert (await store.counts()).edges["CITES"] == 1

    arrived = await store.upsert_works([work("W2", "A2", updated="2024-01-01")])
    assert arrived.linked_references == 2
    (citers,) = await store.neighbours(["W2"], Hop.CITERS_OF_WORK)
    assert sorted(n.target for n in citers) == ["W1", "W4"]

    # W1 re-issued without its reference to W3: when W3 arrives, nothing waits for it.
    await store.upsert_works([work("W1", "A1", updated="2025-01-01", refs=("W2",))])
    late = await store.upsert_works([work("W3", "A3", updated="2024-01-01")])
    assert late.linked_references == 0
    assert (await store.counts()).edges["CITES"] == 3


async def test_batch_with_new_and_known_nodes(writer: GraphStore) -> None:
    """A batch mixing new works, known researchers and a work citing one in the batch."""
    store = writer
    await store.upsert_works([work("W1", "A1", updated="2024-01-01")])
    batch = [work(f"W{i}", "A1", f"A{i}", updated="2024-01-01", refs=("W1", "W2")) for i in (2, 3)]
    batch.append(replace(batch[0], updated_date="2024-02-01", title="newer in the same batch"))
    summary = await store.upsert_works(batch)
    assert (summary.works, summary.skipped_older, summary.citations) == (2, 1, 4)
    (w2,) = await store.works(["W2"])
    assert w2 is not None
    assert w2.title == "newer in the same batch"
    counts = await store.counts()
    assert (counts.nodes["Researcher"], counts.edges["AUTHORED"]) == (3, 5)


def expected_ids(folder: Path) -> dict[str, set[str]]:
    """Distinct work, researcher and institution ids in the files, computed from raw JSON:
    records of each entity plus the authors and institutions that records link to (of
    authorships, affiliations and last known institutions; not lineages or associates)."""
    ids: dict[str, set[str]] = {"W": set(), "A": set(), "I": set()}
    latest: dict[str, dict[str, Any]] = {}  # a record seen twice: its newest version counts
    for path in sorted(folder.rglob("*.json*")):
        for record in records(path):
            kept = latest.get(record["id"])
            if kept is None or (record.get("updated_date") or "") >= (
                kept.get("updated_date") or ""
            ):
                latest[record["id"]] = record
    for record in latest.values():
        record_id = key(record["id"])
        if record_id[0] in ids:
            ids[record_id[0]].add(record_id)
        for authorship in record.get("authorships") or []:
            # An authorship naming no author links nothing, its institutions included.
            if authorship["author"].get("id"):
                ids["A"].add(key(authorship["author"]["id"]))
                ids["I"].update(key(i["id"]) for i in authorship.get("institutions") or [])
        for affiliation in record.get("affiliations") or []:
            ids["I"].add(key(affiliation["institution"]["id"]))
        ids["I"].update(key(i["id"]) for i in record.get("last_known_institutions") or [])
    return ids


async def test_openalex_small_imports_every_record(store: GraphStore) -> None:
    report = await import_openalex(store, [OPENALEX_SMALL])
    assert report.skipped == 0, report.problems
    expected = expected_ids(OPENALEX_SMALL)
    counts = await store.counts()
    assert counts.nodes["Work"] == len(expected["W"])
    assert counts.nodes["Researcher"] == len(expected["A"])
    assert counts.nodes["Institution"] == len(expected["I"])
    assert report.records["work"] == 361  # two works are in both folders
    assert report.records["source"] == 54  # recognised, not in the graph model

    await import_openalex(store, [OPENALEX_SMALL])
    assert await store.counts() == counts


async def test_openalex_small_records_field_by_field(store: GraphStore) -> None:
    await import_openalex(store, [OPENALEX_SMALL])

    # A Work: abstract rebuilt from its inverted index, authors in order, topic hierarchy.
    (oa,) = await store.works(["W2741809807"])
    assert oa is not None
    assert oa.abstract is not None
    assert oa.abstract.startswith(
        "Despite growing interest in Open Access (OA) to scholarly literature, there is an "
        "unmet need for large-scale, up-to-date, and reproducible studies"
    )
    assert (oa.year, oa.doi, oa.type, oa.venue) == (2018, "10.7717/peerj.4375", "article", "PeerJ")
    (authors,) = await store.neighbours(["W2741809807"], Hop.AUTHORS_OF_WORK)
    in_order = sorted(authors, key=lambda n: n.position or 0)
    assert [(n.position, n.name) for n in in_order[:3]] == [
        (0, "Heather Piwowar"),
        (1, "Jason Priem"),
        (2, "Vincent Larivière"),
    ]
    assert len(in_order) == 9
    assert in_order[-1].name == "Stefanie Haustein"
    assert in_order[2].institutions == ("I70931966", "I159129438")
    (topics,) = await store.neighbours(["W2741809807"], Hop.TOPICS_OF_WORK)
    assert "T10102" in {n.target for n in topics}
    chain = ["T10102"]
    while True:
        (parents,) = await store.neighbours([chain[-1]], Hop.PARENT_OF_TOPIC)
        if not parents:
            break
        chain.append(parents[0].target)
    assert chain == ["T10102", "subfields/1804", "fields/18", "domains/2"]
    levels = await store.topics(chain)
    assert [(t.name, t.level) for t in levels if t] == [
        ("scientometrics and bibliometrics research", "topic"),
        ("Statistics, Probability and Uncertainty", "subfield"),
        ("Decision Sciences", "field"),
        ("Social Sciences", "domain"),
    ]

    # An Author record enriches its researcher.
    (author,) = await read(
        store,
        ReadQuery(
            "MATCH (r:Researcher {id: $id})",
            columns(
                ("r.name", "name"),
                ("r.orcid", "orcid"),
                ("r.worksCount", "works"),
                ("r.citedByCount", "cited"),
                ("r.hIndex", "h"),
                ("r.i10Index", "i10"),
                ("r.nameAlternatives", "alternatives"),
                ("r.lastKnownInstitutions", "lastKnown"),
            ),
        ),
        id="A5000655873",
    )
    assert author == {
        "name": "Houliang Zhou",
        "orcid": "0000-0002-5793-3042",
        "works": 17,
        "cited": 116,
        "h": 6,
        "i10": 3,
        "alternatives": ["Houliang Zhou", "Deep Learning", "Machine Learning"],
        "lastKnown": ["I4750791"],
    }
    (affiliations,) = await store.affiliations(["A5000655873"])
    years = {a.institution.id: a.years for a in affiliations}
    assert years["I186143895"] == (2022, 2023, 2024)
    assert years["I4750791"] == (2025,)

    # An Institution record.
    (institution,) = await store.institutions(["I102179633"])
    assert institution is not None
    assert (institution.name, institution.ror, institution.country, institution.type) == (
        "New School",
        "https://ror.org/02tvcev59",
        "US",
        "education",
    )


def jsonl(path: Path, *lines: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


async def test_a_newer_record_clears_what_it_gives_as_null_and_keeps_what_it_leaves_out(
    writer: GraphStore, tmp_path: Path
) -> None:
    store = writer
    author = {
        "id": "https://openalex.org/A1",
        "display_name": "Ada",
        "orcid": "https://orcid.org/0000-0001-2345-6789",
        "works_count": 7,
        "summary_stats": {"h_index": 3, "i10_index": 1},
        "display_name_alternatives": ["A. L."],
        "updated_date": "2024-01-01",
    }
    institution = {
        "id": "https://openalex.org/I1",
        "display_name": "Uni",
        "ror": "https://ror.org/01",
        "country_code": "GB",
        "type": "education",
        "updated_date": "2024-01-01",
    }
    await import_openalex(store, [jsonl(tmp_path / "old.jsonl", author, institution)])
    newer_author = {
        "id": "A1",
        "display_name": "Ada",
        "orcid": None,
        "summary_stats": {"h_index": None},
        "display_name_alternatives": None,
        "updated_date": "2024-06-01",
    }
    newer_institution = {
        "id": "I1",
        "display_name": "Uni",
        "ror": None,
        "updated_date": "2024-06-01",
    }
    report = await import_openalex(
        store, [jsonl(tmp_path / "new.jsonl", newer_author, newer_institution)]
    )
    assert report.skipped == 0
    (researcher,) = await read(
        store,
        ReadQuery(
            "MATCH (r:Researcher {id: 'A1'})",
            columns(
                ("r.orcid", "orcid"),
                ("r.worksCount", "works"),
                ("r.hIndex", "h"),
                ("r.i10Index", "i10"),
                ("r.nameAlternatives", "alternatives"),
            ),
        ),
    )
    # Given as null: cleared; left out (works_count, i10_index): kept.
    assert researcher == {"orcid": None, "works": 7, "h": None, "i10": 1, "alternatives": []}
    (stored,) = await read(
        store,
        ReadQuery(
            "MATCH (i:Institution {id: 'I1'})",
            columns(("i.ror", "ror"), ("i.country", "country"), ("i.type", "type")),
        ),
    )
    assert stored == {"ror": None, "country": "GB", "type": "education"}


async def test_a_newer_topic_record_moves_the_topic_to_its_new_parent(
    writer: GraphStore, tmp_path: Path
) -> None:
    store = writer

    def topic(subfield: int, updated: str) -> dict[str, Any]:
        return {
            "id": "https://openalex.org/T11",
            "display_name": "Topic",
            "subfield": {"id": f"https://openalex.org/subfields/{subfield}", "display_name": "S"},
            "field": {"id": 17, "display_name": "F"},
            "domain": {"id": 3, "display_name": "D"},
            "updated_date": updated,
        }

    await import_openalex(store, [jsonl(tmp_path / "old.jsonl", topic(1707, "2024-01-01"))])
    await import_openalex(store, [jsonl(tmp_path / "new.jsonl", topic(1702, "2024-06-01"))])
    parents_of_t11 = ReadQuery(
        "MATCH (:Topic {id: 'T11'})-[:PART_OF]->(p:Topic)", columns(("p.id", "id"))
    )
    parents = await read(store, parents_of_t11)
    assert parents == [{"id": "subfields/1702"}]
    # An older record does not move it back.
    await import_openalex(store, [jsonl(tmp_path / "older.jsonl", topic(1707, "2023-01-01"))])
    assert await read(store, parents_of_t11) == [{"id": "subfields/1702"}]


async def test_values_the_store_cannot_hold_are_bad_records_not_failed_batches(
    writer: GraphStore, tmp_path: Path
) -> None:
    store = writer
    good = [
        {"id": f"https://openalex.org/W{n}", "title": f"Work {n}", "updated_date": "2024-01-01"}
        for n in range(1, 6)
    ]
    bad: list[dict[str, Any]] = [
        {"id": "W90", "cited_by_count": 2**63},
        {"id": "W91", "publication_year": 2**63},
        {"id": "W92", "topics": [{"id": "T1", "score": "high"}]},
        {"id": "W1234567890123456", "title": "an id too long for the API to look up"},
        {"id": "W93", "title": 5},
    ]
    path = jsonl(tmp_path / "mixed.jsonl", *good[:3], *bad, *good[3:])
    report = await import_openalex(store, [path], batch_size=100)
    assert report.written.works == len(good)
    assert (await store.counts()).nodes["Work"] == len(good)
    assert report.skipped == len(bad)
    assert [p.split(": ", 1)[1] for p in report.problems] == [
        "cited_by_count is larger than a stored integer can be",
        "publication_year is larger than a stored integer can be",
        "a topic's score is not a number",
        "unrecognised OpenAlex id 'W1234567890123456'",
        "title is not a string but int",
    ]


def _naming_work(institution: dict[str, Any], work_id: str = "W1") -> dict[str, Any]:
    return {
        "id": work_id,
        "title": "A work",
        "updated_date": "2024-01-01",
        "authorships": [
            {
                "author": {"id": "A1", "display_name": "Ada"},
                "author_position": "first",
                "institutions": [institution],
            }
        ],
    }


def _naming_author(institution: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "A2",
        "display_name": "Bo",
        "updated_date": "2024-01-01",
        "last_known_institutions": [institution],
    }


UNI = {"id": "I1", "display_name": "Uni", "type": "education", "country_code": "GB"}
UNI_LTD = {"id": "I1", "display_name": "Uni Ltd", "type": "company", "country_code": "GB"}
UNI_UNTYPED = {"id": "I1", "display_name": "Uni"}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        pytest.param((_naming_work(UNI), _naming_author(UNI_LTD)), ("Uni", "education"), id="work"),
        pytest.param(
            (_naming_author(UNI_LTD), _naming_work(UNI)), ("Uni Ltd", "company"), id="author"
        ),
        # Field by field: what the first mention lacks, a later one fills in.
        pytest.param(
            (_naming_work(UNI_UNTYPED), _naming_author(UNI_LTD)), ("Uni", "company"), id="untyped"
        ),
        pytest.param(
            (_naming_work(UNI_UNTYPED), _naming_work(UNI_LTD, "W2")),
            ("Uni", "company"),
            id="untyped-two-works",
        ),
    ],
)
async def test_an_institution_named_twice_keeps_its_first_values_whatever_the_batch_size(
    writer: GraphStore,
    tmp_path: Path,
    records: tuple[dict[str, Any], ...],
    expected: tuple[str, str],
) -> None:
    """Named on a work and on an Author record with different values: the first mention in
    the file fills the institution in, one record a transaction or all in one (the store
    writes a batch's works before its authors)."""
    path = jsonl(tmp_path / "both.jsonl", *records)
    for batch_size in (1, 100):
        assert isinstance(writer, EmbeddedStore | Neo4jStore)
        await writer.clear()
        report = await import_openalex(writer, [path], batch_size=batch_size)
        assert report.skipped == 0
        (stored,) = await read(
            writer,
            ReadQuery(
                "MATCH (i:Institution {id: 'I1'})", columns(("i.name", "name"), ("i.type", "type"))
            ),
        )
        assert (stored["name"], stored["type"]) == expected, batch_size


async def test_a_researcher_named_on_two_works_keeps_the_orcid_the_second_gives(
    writer: GraphStore, tmp_path: Path
) -> None:
    """Field by field, whatever the batch size: the first work names the author without an
    ORCID, the second with one."""
    works = [
        {
            "id": work_id,
            "title": "A work",
            "updated_date": "2024-01-01",
            "authorships": [
                {
                    "author": {"id": "A1", "display_name": "Ada", "orcid": orcid},
                    "author_position": "first",
                }
            ],
        }
        for work_id, orcid in (("W1", None), ("W2", "https://orcid.org/0000-0002-1825-0097"))
    ]
    path = jsonl(tmp_path / "works.jsonl", *works)
    for batch_size in (1, 100):
        assert isinstance(writer, EmbeddedStore | Neo4jStore)
        await writer.clear()
        await import_openalex(writer, [path], batch_size=batch_size)
        (researcher,) = await writer.researchers(["A1"])
        assert researcher is not None
        assert (researcher.name, researcher.orcid) == ("Ada", "0000-0002-1825-0097"), batch_size
