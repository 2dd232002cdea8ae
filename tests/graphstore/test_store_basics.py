"""Conformance: writes and reads that every engine must answer alike."""

from __future__ import annotations

from msgspec.structs import replace

from graphstore.engines.embedded_store import COPY_MIN_WORKS
from graphstore.ids import NodeLabel
from graphstore.protocol import GraphStore, SearchRequest
from graphstore.records import (
    AuthorshipRow,
    InstitutionRow,
    ResearcherRecord,
    TopicLevelRow,
    WorkRow,
    WorkTopicRow,
)
from graphstore.traversal import Hop

TOPIC = WorkTopicRow(
    topic=TopicLevelRow("T1", "Robustness", "topic"),
    score=0.9,
    ancestors=(TopicLevelRow("subfields/1707", "Vision", "subfield"),),
)


def work(work_id: str, year: int | None, *authors: str, updated: str = "2024-01-01") -> WorkRow:
    return WorkRow(
        id=work_id,
        title=f"Title of {work_id}",
        type="article",
        year=year,
        venue="Venue",
        doi=None,
        abstract=None,
        cited_by_count=int(work_id[1:]),
        updated_date=updated,
        authorships=tuple(
            AuthorshipRow(
                researcher_id=a,
                name=f"Name {a}",
                position=i,
                institutions=(InstitutionRow("I1", "Uni"),) if i == 0 else (),
            )
            for i, a in enumerate(authors)
        ),
        topics=(TOPIC,),
        references=("W1",) if work_id != "W1" else (),
    )


async def test_upsert_then_read_back(store: GraphStore) -> None:
    summary = await store.upsert_works([work("W1", 2020, "A1", "A2"), work("W2", 2021, "A1")])
    assert (summary.works, summary.authorships) == (2, 3)
    researchers = await store.researchers(["A2", "A9", "A1"])
    assert [r.name if r else None for r in researchers] == ["Name A2", None, "Name A1"]
    works = await store.works(["W2", "W1"])
    assert [(w.id, w.year, w.citations) if w else None for w in works] == [
        ("W2", 2021, 2),
        ("W1", 2020, 1),
    ]
    counts = await store.counts()
    assert counts.nodes["Work"] == 2
    assert counts.nodes["Researcher"] == 2
    assert counts.nodes["Topic"] == 2
    assert counts.nodes["Institution"] == 1
    assert counts.edges["AUTHORED"] == 3
    assert counts.edges["PART_OF"] == 1
    assert counts.edges["CITES"] == 1


async def test_upsert_is_idempotent(store: GraphStore) -> None:
    rows = [work("W1", 2020, "A1", "A2"), work("W2", 2021, "A1")]
    await store.upsert_works(rows)
    first = await store.counts()
    await store.upsert_works(rows)
    assert await store.counts() == first


async def test_newer_record_replaces_authorships_older_is_ignored(store: GraphStore) -> None:
    await store.upsert_works([work("W1", 2020, "A1", "A2", updated="2024-01-01")])
    await store.upsert_works([work("W1", 2020, "A1", updated="2025-01-01")])
    assert (await store.counts()).edges["AUTHORED"] == 1
    older = replace(work("W1", 1999, "A1", "A2", "A3", updated="2023-01-01"))
    summary = await store.upsert_works([older])
    assert summary.skipped_older == 1
    assert (await store.counts()).edges["AUTHORED"] == 1
    stored = (await store.works(["W1"]))[0]
    assert stored is not None
    assert stored.year == 2020


async def test_neighbours_walk_each_hop_from_a_frontier(store: GraphStore) -> None:
    await store.upsert_works([work("W1", 2020, "A1", "A2", "A3"), work("W2", 2021, "A1")])
    works_of = await store.neighbours(["A1", "A2", "A404"], Hop.WORKS_OF_RESEARCHER)
    assert [sorted(n.target for n in found) for found in works_of] == [["W1", "W2"], ["W1"], []]
    w2 = next(n for n in works_of[0] if n.target == "W2")
    assert (w2.year, w2.work_type, w2.node_weight, w2.edge_weight) == (2021, "article", 2.0, 1.0)
    (authors,) = await store.neighbours(["W1"], Hop.AUTHORS_OF_WORK)
    authors = sorted(authors, key=lambda n: n.position or 0)
    assert [(a.target, a.position) for a in authors] == [("A1", 0), ("A2", 1), ("A3", 2)]
    assert all(a.edge_weight == 0.5 for a in authors)  # Newman: 1 / (3 authors - 1)
    assert isinstance(authors[0].record, ResearcherRecord)
    assert authors[0].record.name == "Name A1"
    assert authors[0].institutions == ("I1",)
    (topics,) = await store.neighbours(["W1"], Hop.TOPICS_OF_WORK)
    assert [(t.target, t.edge_weight, t.label) for t in topics] == [("T1", 0.9, NodeLabel.TOPIC)]
    (parents,) = await store.neighbours(["T1"], Hop.PARENT_OF_TOPIC)
    assert [p.target for p in parents] == ["subfields/1707"]
    (citers,) = await store.neighbours(["W1"], Hop.CITERS_OF_WORK)
    assert [c.target for c in citers] == ["W2"]


async def test_authorship_institutions_are_kept_whatever_their_ids(store: GraphStore) -> None:
    """Institution ids with a comma, bracket, quote or space read back as written, in a
    batch of their own or in bulk (LadybugDB copies a big batch's authorships, each one's
    institutions as a CSV list cell)."""
    odd = ("I,1", "I]2", "I 3", "I'4", 'I"5')
    institutions = tuple(InstitutionRow(i, f"Uni {i}") for i in odd)

    def odd_work(work_id: str) -> WorkRow:
        row = work(work_id, 2020, "A1", "A2")
        first, second = row.authorships
        return replace(
            row,
            authorships=(
                replace(first, institutions=institutions[:3]),
                replace(second, institutions=institutions[3:]),
            ),
        )

    await store.upsert_works([odd_work("W1")])
    fillers = [work(f"W{n}", 2021, "A3") for n in range(10, 10 + COPY_MIN_WORKS)]
    await store.upsert_works([odd_work("W2"), *fillers])
    for work_id in ("W1", "W2"):
        (authors,) = await store.neighbours([work_id], Hop.AUTHORS_OF_WORK)
        by_position = sorted(authors, key=lambda n: n.position or 0)
        assert [a.institutions for a in by_position] == [odd[:3], odd[3:]]
        (listed,) = await store.neighbours([work_id], Hop.INSTITUTIONS_OF_WORK)
        assert sorted(i.target for i in listed) == sorted(odd)


async def test_affiliations_come_from_authorships_with_years(store: GraphStore) -> None:
    await store.upsert_works(
        [work("W1", 2020, "A1"), work("W2", 2022, "A1"), work("W3", 2021, "A2")]
    )
    a1, a2 = await store.affiliations(["A1", "A2"])
    assert [(a.institution.id, a.institution.name, a.years) for a in a1] == [
        ("I1", "Uni", (2020, 2022))
    ]
    assert [a.years for a in a2] == [(2021,)]


async def test_a_researcher_is_searched_by_the_name_it_keeps(store: GraphStore) -> None:
    """A later work naming a researcher another way changes neither its name nor the name
    search finds it by (SearchDocument.fills_in), in a batch of its own or in bulk."""
    for batch in (
        [_named("W1", "A1", "Khoa D Doan"), _named("W3", "A2", "Khoa D Doan Nguyen")],
        [_named("W2", "A1", "Khoa Doan")],
        [_named(f"W{n}", "A1", "K Doan") for n in range(10, 10 + 120)],
    ):
        await store.upsert_works(batch)
    (kept,) = await store.researchers(["A1"])
    assert kept is not None
    assert kept.name == "Khoa D Doan"
    hits, _ = await store.search(SearchRequest("Khoa D Doan", kinds=["researcher"], first=5))
    assert [hit.id for hit in hits] == ["A1", "A2"]


async def test_an_institution_is_searched_by_the_name_it_keeps(store: GraphStore) -> None:
    for work_id, name in (("W1", "Uni One"), ("W2", "University One")):
        await store.upsert_works([_named(work_id, "A1", "A", (InstitutionRow("I9", name),))])
    hits, _ = await store.search(SearchRequest("Uni One", kinds=["institution"], first=5))
    assert [hit.id for hit in hits] == ["I9"]
    hits, _ = await store.search(SearchRequest("University", kinds=["institution"], first=5))
    assert hits == []


def _named(
    work_id: str, researcher: str, name: str, institutions: tuple[InstitutionRow, ...] = ()
) -> WorkRow:
    authorship = AuthorshipRow(
        researcher_id=researcher, name=name, position=0, institutions=institutions
    )
    return replace(work(work_id, 2020), authorships=(authorship,))
