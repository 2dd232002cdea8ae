"""Conformance: writes and reads that every engine must answer alike."""

from __future__ import annotations

from dataclasses import replace

from graphstore.protocol import GraphStore
from graphstore.records import (
    AuthorshipRow,
    InstitutionRow,
    TopicLevelRow,
    WorkFilterSpec,
    WorkKey,
    WorkOrder,
    WorkPageSpec,
    WorkRow,
    WorkTopicRow,
)

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


async def test_researcher_works_pages_in_order_with_keyset(store: GraphStore) -> None:
    await store.upsert_works(
        [work(f"W{i}", 2000 + i % 3, "A1") for i in range(1, 8)] + [work("W9", None, "A2")]
    )
    seen: list[str] = []
    after: WorkKey | None = None
    while True:
        (page,) = await store.researcher_works(["A1"], WorkPageSpec(first=3, after=after))
        seen.extend(k.id for k in page.keys)
        if not page.has_next_page:
            break
        after = page.keys[-1]
    # NEWEST: year descending, then title; titles here sort like ids.
    assert seen == ["W2", "W5", "W1", "W4", "W7", "W3", "W6"]
    pages = await store.researcher_works(
        ["A2", "A1", "A404"], WorkPageSpec(first=2, order=WorkOrder.MOST_CITED)
    )
    assert [[k.id for k in p.keys] for p in pages] == [["W9"], ["W7", "W6"], []]
    assert [p.has_next_page for p in pages] == [False, True, False]


async def test_work_counts_apply_filters(store: GraphStore) -> None:
    await store.upsert_works([work(f"W{i}", 2000 + i, "A1") for i in range(1, 6)])
    assert await store.researcher_work_counts(["A1", "A2"], WorkFilterSpec()) == [5, 0]
    assert await store.researcher_work_counts(
        ["A1"], WorkFilterSpec(year_from=2002, year_to=2004)
    ) == [3]
    assert await store.researcher_work_counts(["A1"], WorkFilterSpec(types=("preprint",))) == [0]
