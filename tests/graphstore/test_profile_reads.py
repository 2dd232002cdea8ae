"""Conformance: profile summaries and work pages against a brute-force oracle on the rows.

Each engine aggregates its own way (Neo4j in Cypher, LadybugDB in Python over hop queries);
both must give what a plain reading of the imported rows gives.
"""

from __future__ import annotations

import os
import random
from collections import Counter, defaultdict
from collections.abc import Callable

import neo4j
import pytest

from graphstore.engines.neo4j_store import Neo4jStore, profile_read_parts
from graphstore.ids import NodeLabel
from graphstore.protocol import GraphStore, ProfileRead
from graphstore.records import (
    AuthorshipRow,
    InstitutionRow,
    SummaryOptions,
    TopicLevelRow,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
    WorkPosition,
    WorkRow,
    WorkTopicRow,
)

TOPICS = [TopicLevelRow(f"T{i}", f"Topic {'ABCAB'[i]}", "topic") for i in range(5)]
# The levels above: T0-T2 in subfields/1, T3-T4 in subfields/2, both in fields/1.
FIELD = TopicLevelRow("fields/1", "Field", "field")
SUBFIELDS = [TopicLevelRow(f"subfields/{i}", f"Subfield {i}", "subfield") for i in (1, 2)]
ANCESTORS = {t.id: (SUBFIELDS[int(t.id[1:]) // 3], FIELD) for t in TOPICS}
TYPES = ("article", "proceedings", "preprint")


def graph(seed: int) -> list[WorkRow]:
    """60 works over 12 researchers: shared authorships, ties in year, title and citations."""
    rng = random.Random(seed)
    rows = []
    for n in range(60):
        authors = rng.sample(range(12), rng.randint(1, 5))
        rows.append(
            WorkRow(
                id=f"W{n + 1}",
                title=rng.choice(["Alpha", "Beta", "Gamma", f"Work {n}", ""]),
                type=rng.choice(TYPES),
                year=rng.choice([None, 2019, 2020, 2021, 2022]),
                venue=None,
                doi=None,
                abstract=None,
                cited_by_count=rng.choice([0, 1, 2, 5, 9, 10, 14]),
                updated_date="2024-01-01",
                authorships=tuple(
                    AuthorshipRow(
                        f"A{a}",
                        f"Name {a % 7}",
                        position,
                        institutions=(InstitutionRow(f"I{a % 3}", f"Uni {a % 3}"),),
                    )
                    for position, a in enumerate(authors)
                ),
                topics=tuple(
                    WorkTopicRow(t, 0.5, ANCESTORS[t.id])
                    for t in rng.sample(TOPICS, rng.randint(0, 2))
                ),
                counts_by_year=tuple(
                    (year, rng.randint(0, 4))
                    for year in sorted(rng.sample(range(2019, 2025), rng.randint(0, 3)))
                ),
            )
        )
    return rows


def expected_summary(
    rows: list[WorkRow], researcher: str, min_shared: int, top: int
) -> dict[str, object]:
    mine = [w for w in rows if any(a.researcher_id == researcher for a in w.authorships)]
    shared: dict[str, int] = defaultdict(int)
    strength: dict[str, float] = defaultdict(float)
    names = {}
    topic_works: dict[str, int] = defaultdict(int)
    for w in mine:
        for a in w.authorships:
            if a.researcher_id != researcher:
                shared[a.researcher_id] += 1
                authors = len(w.authorships)
                strength[a.researcher_id] += 1 / (authors - 1) if authors > 1 else 1.0
                names[a.researcher_id] = a.name
        for t in {t.topic for t in w.topics}:
            topic_works[t.id] += 1
    ranked = sorted(shared, key=lambda c: (-round(strength[c], 9), -shared[c], names[c], c))
    cites = sorted((w.cited_by_count for w in mine), reverse=True)
    topic_names = {t.id: t.name for t in TOPICS}
    return {
        "works": len(mine),
        "citations": sum(cites),
        "h_index": sum(1 for rank, c in enumerate(cites, start=1) if c >= rank),
        "i10_index": sum(1 for c in cites if c >= 10),
        "topic_count": len(topic_works),
        "collaborator_count": len(shared),
        "close_collaborator_count": sum(1 for c in shared if shared[c] >= 2),
        "topics": sorted(topic_works, key=lambda t: (-topic_works[t], topic_names[t], t))[:top],
        "collaborators": [
            (c, shared[c], round(strength[c], 9)) for c in ranked if shared[c] >= min_shared
        ][:top],
    }


@pytest.mark.parametrize("min_shared", [1, 2, 3])
async def test_profile_summaries_match_the_rows(store: GraphStore, min_shared: int) -> None:
    rows = graph(seed=7)
    await store.upsert_works(rows)
    researchers = [f"A{i}" for i in range(12)] + ["A404"]
    summaries = await store.profile_summaries(researchers, min_shared=min_shared, top=4)
    for researcher, summary in zip(researchers, summaries, strict=True):
        found = {
            "works": summary.works,
            "citations": summary.citations,
            "h_index": summary.h_index,
            "i10_index": summary.i10_index,
            "topic_count": summary.topic_count,
            "collaborator_count": summary.collaborator_count,
            "close_collaborator_count": summary.close_collaborator_count,
            "topics": [s.topic.id for s in summary.topics],
            "collaborators": [
                (c.researcher.id, c.shared_works, c.strength) for c in summary.collaborators
            ],
        }
        assert found == expected_summary(rows, researcher, min_shared, top=4), researcher
        years = {a.institution.id: a.years for a in summary.affiliations}
        assert set(years) <= {"I0", "I1", "I2"}
        assert summary.followers == 0


# The works of a node of each kind, read plainly from the rows: a researcher's, those it
# authored; a topic's, those tagged with it or a topic below it; an institution's, those with
# an authorship listing it.
WORKS_OF: dict[NodeLabel, Callable[[WorkRow, str], bool]] = {
    NodeLabel.RESEARCHER: lambda w, node: any(a.researcher_id == node for a in w.authorships),
    NodeLabel.TOPIC: lambda w, node: any(
        node in (t.topic.id, *(level.id for level in t.ancestors)) for t in w.topics
    ),
    NodeLabel.INSTITUTION: lambda w, node: any(
        i.id == node for a in w.authorships for i in a.institutions
    ),
}


@pytest.mark.parametrize(
    ("label", "nodes"),
    [
        (NodeLabel.RESEARCHER, [f"A{i}" for i in range(12)] + ["A404"]),
        (NodeLabel.TOPIC, [t.id for t in TOPICS] + ["subfields/1", "fields/1", "T404"]),
        (NodeLabel.INSTITUTION, ["I0", "I1", "I2", "I404"]),
    ],
)
async def test_work_set_figures_match_the_rows(
    store: GraphStore, label: NodeLabel, nodes: list[str]
) -> None:
    rows = graph(seed=13)
    await store.upsert_works(rows)
    stats = await store.work_set_stats(nodes, label)
    by_year = await store.counts_by_year(nodes, label)
    for node, found, years in zip(nodes, stats, by_year, strict=True):
        mine = [w for w in rows if WORKS_OF[label](w, node)]
        assert (found.works, found.citations) == (len(mine), sum(w.cited_by_count for w in mine))
        published = Counter(w.year for w in mine if w.year is not None)
        cited: Counter[int] = Counter()
        for w in mine:
            for year, count in w.counts_by_year:
                cited[year] += count
        expected = [(y, published[y], cited[y]) for y in sorted(published.keys() | cited.keys())]
        assert [(y.year, y.works, y.citations) for y in years] == expected, node
    assert stats[0].works > 0
    assert any(y.citations for y in by_year[0])


def expected_pages(
    rows: list[WorkRow], researcher: str, order: WorkOrder, work_filter: WorkFilter
) -> list[str]:
    def keeps(w: WorkRow) -> bool:
        if work_filter.year_from is not None and (w.year is None or w.year < work_filter.year_from):
            return False
        if work_filter.year_to is not None and (w.year is None or w.year > work_filter.year_to):
            return False
        return work_filter.types is None or w.type in work_filter.types

    def key(w: WorkRow) -> tuple[int, str, str]:
        title = w.title or w.id
        if order is WorkOrder.NEWEST:
            return (-(w.year or 0), title, w.id)
        if order is WorkOrder.OLDEST:
            return (w.year if w.year is not None else 9999, title, w.id)
        return (-w.cited_by_count, title, w.id)

    mine = [w for w in rows if any(a.researcher_id == researcher for a in w.authorships)]
    return [w.id for w in sorted(filter(keeps, mine), key=key)]


FILTERS = [
    WorkFilter(),
    WorkFilter(year_from=2020, year_to=2021),
    WorkFilter(types=("article", "preprint")),
    WorkFilter(year_from=2030),
]


@pytest.mark.parametrize("order", list(WorkOrder))
async def test_work_pages_walk_the_whole_list_in_order(store: GraphStore, order: WorkOrder) -> None:
    rows = graph(seed=11)
    await store.upsert_works(rows)
    for researcher in ("A0", "A5", "A404"):
        for work_filter in FILTERS:
            expected = expected_pages(rows, researcher, order, work_filter)
            seen: list[str] = []
            after: WorkPosition | None = None
            while True:
                request = WorkPageRequest(researcher, order, work_filter, after, first=3)
                [page] = await store.work_pages([request])
                assert page.total == len(expected)
                seen += [work.id for _, work in page.works]
                if not page.has_next_page:
                    break
                after = page.works[-1][0]
            assert seen == expected, (researcher, work_filter)


async def test_work_pages_answer_many_requests_in_one_call(store: GraphStore) -> None:
    rows = graph(seed=3)
    await store.upsert_works(rows)
    # Pages of different sizes: each request gets its own, however large the others are.
    requests = [
        WorkPageRequest(f"A{i}", order, WorkFilter(), None, first=1 + i % 3)
        for i in range(6)
        for order in WorkOrder
    ]
    pages = await store.work_pages(requests)
    for request, page in zip(requests, pages, strict=True):
        expected = expected_pages(rows, request.researcher_id, request.order, WorkFilter())
        assert [w.id for _, w in page.works] == expected[: request.first]
        assert page.has_next_page == (len(expected) > request.first)
        assert page.total == len(expected)


@pytest.mark.parametrize("with_summary", [True, False])
@pytest.mark.parametrize("with_pages", [True, False])
async def test_profile_read_answers_as_the_three_reads_do(
    store: GraphStore, with_summary: bool, with_pages: bool
) -> None:
    await store.upsert_works(graph(seed=5))
    ids = ("A3", "A404", "A0")
    summary = SummaryOptions(min_shared=2, top=3) if with_summary else None
    pages = (
        (
            WorkPageRequest("A3", WorkOrder.NEWEST, WorkFilter(), None, first=2),
            WorkPageRequest("A0", WorkOrder.MOST_CITED, WorkFilter(types=("article",)), None, 3),
            WorkPageRequest("A404", WorkOrder.OLDEST, WorkFilter(), None, first=2),
        )
        if with_pages
        else ()
    )
    result = await store.profile_read(ProfileRead(ids, summary, pages))
    assert result.researchers == await store.researchers(ids)
    assert result.researchers[1] is None
    assert result.summaries == (
        await store.profile_summaries(ids, min_shared=2, top=3) if with_summary else None
    )
    assert result.pages == (await store.work_pages(pages) if with_pages else [])
    # Not vacuous: the researchers found have works, figures and co-authors.
    if with_summary:
        assert result.summaries is not None
        assert result.summaries[0].works > 0
        assert result.summaries[0].collaborators
    if with_pages:
        assert [bool(page.works) for page in result.pages] == [True, True, False]


async def test_profile_read_of_researchers_that_do_not_exist(store: GraphStore) -> None:
    await store.upsert_works(graph(seed=5))
    page = WorkPageRequest("A404", WorkOrder.NEWEST, WorkFilter(), None, first=2)
    result = await store.profile_read(
        ProfileRead(("A404", "A405"), SummaryOptions(min_shared=1, top=3), (page,))
    )
    assert (result.researchers, result.summaries, result.pages) == ([None, None], None, [])


@pytest.mark.neo4j
async def test_neo4j_profile_read_parts_each_run_alone(neo4j_uri: str) -> None:
    """The parts bench/run.py measures one by one: every one of the profile read's."""
    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    store = Neo4jStore(neo4j_uri, user, password)
    try:
        await store.apply_schema()
        await store.clear()
        await store.upsert_works(graph(seed=5))
        page = WorkPageRequest("A3", WorkOrder.NEWEST, WorkFilter(), None, first=2)
        parts = profile_read_parts(ProfileRead(("A3",), SummaryOptions(2, 3), (page,)))
        assert list(parts) == [
            "researcher",
            "works, citations, h-index, i10-index",
            "topics",
            "collaborators",
            "followers",
            "affiliations from authorships",
            "affiliations from author records",
            "works page",
        ]
        auth = (user, password or "") if user else None
        async with neo4j.AsyncGraphDatabase.driver(neo4j_uri, auth=auth) as driver:
            for query, params in parts.values():
                records, _, _ = await driver.execute_query(query.text(), params)
                assert len(records) == 1
        assert profile_read_parts(ProfileRead(("A3",), None, ())).keys() == {"researcher"}
    finally:
        await store.close()
