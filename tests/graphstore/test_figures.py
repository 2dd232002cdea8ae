"""Conformance: stored per-researcher figures (graphstore.engines.figures) answer as the walk
does, on both engines, are marked stale by the writes that change them and written again by a
refresh (reads walk meanwhile), and stay bounded around hubs and hyper-authored works."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, datetime

import msgspec
import pytest

from graphstore.account_records import NewUser
from graphstore.engines import figures
from graphstore.engines.compiler import EACH_FROM
from graphstore.engines.cypher_store import CypherStore
from graphstore.engines.embedded_store import LOADED_FIGURES_FROM
from graphstore.engines.query import ReadQuery, columns
from graphstore.explore import explore
from graphstore.ids import NodeLabel
from graphstore.protocol import GraphStore, ProfileRead, StoreMemoryError, WorkPage
from graphstore.records import (
    AuthorshipRow,
    ProfileSummary,
    SummaryOptions,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
    WorkRow,
)
from graphstore.walk import VIEW_HOPS, View, Walk
from tests.graphstore.test_profile_reads import expected_pages, graph

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
HUB = "H"


def _work(work_id: str, authors: list[str], cited: int = 1, year: int = 2020) -> WorkRow:
    return WorkRow(
        id=work_id,
        title=f"Title {work_id}",
        type="article",
        year=year,
        venue=None,
        doi=None,
        abstract=None,
        cited_by_count=cited,
        updated_date="2024-01-01",
        authorships=tuple(
            AuthorshipRow(a, f"Name {a}", position) for position, a in enumerate(authors)
        ),
    )


def hub_graph(seed: int) -> list[WorkRow]:
    """A hub on 150 works with co-authors from a pool of 260: more collaborators than a
    stored list holds, some sharing one work with it, some several."""
    rng = random.Random(seed)
    return [
        _work(
            f"HW{n}",
            [HUB, *(f"C{c}" for c in rng.sample(range(260), rng.randint(1, 3)))],
            cited=rng.randint(0, 30),
            year=rng.choice([2018, 2020, 2022]),
        )
        for n in range(150)
    ]


def _store(store: GraphStore) -> CypherStore:
    assert isinstance(store, CypherStore)
    return store


async def _stored(store: GraphStore, ids: list[str], options: SummaryOptions) -> list[object]:
    return list(await _store(store)._stored_summaries(ids, options))


async def test_stored_figures_answer_as_the_walk(store: GraphStore) -> None:
    hub_works = hub_graph(seed=3)
    await store.upsert_works(graph(seed=7) + hub_works)
    await store.refresh_stale_figures()
    ids = [HUB, "A0", "A5", hub_works[0].authorships[1].researcher_id, "A404"]
    for min_shared, top in ((1, 10), (2, 10), (2, 100), (1, 100), (3, 5)):
        options = SummaryOptions(min_shared=min_shared, top=top)
        stored = await _store(store)._stored_summaries(ids, options)
        if min_shared <= 2:
            assert [figures.answers(row, options) for row in stored[:-1]] == [True] * 4
        found = await store.profile_summaries(ids, min_shared=min_shared, top=top)
        walked = await _store(store)._live_summaries(ids, min_shared=min_shared, top=top)
        assert found == walked
    (hub,) = await store.profile_summaries([HUB], min_shared=1, top=100)
    assert hub.collaborator_count > figures.STORED_LIST_SIZE


async def test_figures_of_ids_a_csv_list_cannot_hold_are_written_too(store: GraphStore) -> None:
    """A refresh of many researchers (LadybugDB sets their figures from a CSV file) with
    co-authors whose ids a CSV list cell would split or unquote: every figure as walked."""
    odd = ["C,1", "C]2", "C 3", "C'4", 'C"5']
    works = [
        *hub_graph(seed=6),
        _work("HX1", [HUB, *odd[:2]]),
        _work("HX2", [odd[2], HUB, odd[3]]),
        _work("HX3", [odd[4], HUB]),
    ]
    await store.upsert_works(works)
    ids = list(dict.fromkeys(a.researcher_id for w in works for a in w.authorships))
    assert len(ids) >= LOADED_FIGURES_FROM
    assert await store.refresh_stale_figures() == len(ids)
    options = SummaryOptions(min_shared=1, top=100)
    stored = await _stored(store, ids, options)
    assert all(figures.answers(row, options) for row in stored)  # type: ignore[arg-type]
    walked = await _store(store)._live_summaries(ids, min_shared=1, top=100)
    assert await store.profile_summaries(ids, min_shared=1, top=100) == walked
    found = await store.profile_summaries(odd, min_shared=1, top=100)
    assert [sorted(c.researcher.id for c in s.collaborators) for s in found] == [
        [odd[1], HUB],
        [odd[0], HUB],
        [odd[3], HUB],
        [odd[2], HUB],
        [HUB],
    ]
    years = await _store(store)._live_counts_by_year(ids, NodeLabel.RESEARCHER)
    assert await store.counts_by_year(ids, NodeLabel.RESEARCHER) == years


def _refuse_summaries_of_more_than(
    store: CypherStore, most: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's summary read refuses more than ``most`` researchers at once, as a
    database refuses a read needing more memory than it gives a transaction (Neo4j's
    transaction memory limit refused a chunk of a 1M-work graph's refresh)."""
    summaries = store._live_summaries

    async def refusing(ids: Sequence[str], *, min_shared: int, top: int) -> list[ProfileSummary]:
        if len(ids) > most:
            raise StoreMemoryError(f"{len(ids)} researchers at once")
        return await summaries(ids, min_shared=min_shared, top=top)

    monkeypatch.setattr(store, "_live_summaries", refusing)


async def test_a_chunk_too_big_for_the_database_is_refreshed_in_halves(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    works = hub_graph(seed=8)
    await store.upsert_works(works)
    ids = list(dict.fromkeys(a.researcher_id for w in works for a in w.authorships))
    _refuse_summaries_of_more_than(_store(store), 40, monkeypatch)
    assert await store.refresh_stale_figures() == len(ids)
    monkeypatch.undo()
    options = SummaryOptions(min_shared=1, top=100)
    assert all(figures.answers(row, options) for row in await _stored(store, ids, options))  # type: ignore[arg-type]
    walked = await _store(store)._live_summaries(ids, min_shared=1, top=100)
    assert await store.profile_summaries(ids, min_shared=1, top=100) == walked


async def test_a_researcher_too_big_for_the_database_keeps_no_figures_and_is_named(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    works = hub_graph(seed=8)
    await store.upsert_works(works)
    ids = [HUB, works[0].authorships[1].researcher_id, works[1].authorships[1].researcher_id]
    live = _store(store)
    summaries = live._live_summaries

    async def refusing_the_hub(
        ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        if HUB in ids:
            raise StoreMemoryError("the hub's co-authorships")
        return await summaries(ids, min_shared=min_shared, top=top)

    monkeypatch.setattr(live, "_live_summaries", refusing_the_hub)
    assert await store.refresh_researcher_figures(ids) == 2
    monkeypatch.undo()
    options = SummaryOptions(min_shared=1, top=100)
    stored = await _stored(store, ids, options)
    assert [figures.answers(row, options) for row in stored] == [False, True, True]  # type: ignore[arg-type]
    assert f"the figures of researcher {HUB} are not written: the hub's" in caplog.text


async def test_counts_by_year_are_stored(store: GraphStore) -> None:
    await store.upsert_works(hub_graph(seed=3))
    await store.refresh_stale_figures()
    stored = await store.counts_by_year([HUB, "C7", "A404"], NodeLabel.RESEARCHER)
    walked = await _store(store)._live_counts_by_year([HUB, "C7", "A404"], NodeLabel.RESEARCHER)
    assert stored == walked
    assert sum(y.works for y in stored[0]) == 150


async def test_a_reimport_changes_nothing(store: GraphStore) -> None:
    rows = graph(seed=5)
    await store.upsert_works(rows)
    assert await store.refresh_stale_figures() > 0
    options = SummaryOptions(min_shared=1, top=100)
    ids = [f"A{i}" for i in range(12)]
    before = await _stored(store, ids, options)
    await store.upsert_works(rows)
    await store.refresh_stale_figures()
    assert await _stored(store, ids, options) == before


async def test_writes_mark_the_figures_they_change_stale(store: GraphStore) -> None:
    options = SummaryOptions(min_shared=1, top=10)
    await store.upsert_works([_work("W1", ["A1", "A2"], cited=12), _work("W2", ["A1"])])
    assert await store.refresh_stale_figures() == 2
    # A newer record of W1 without A2: A2's figures lose W1, A1's lose A2.
    newer = msgspec.structs.replace(_work("W1", ["A1", "A3"], cited=12), updated_date="2025-01-01")
    await store.upsert_works([newer])
    for refreshed in (False, True):
        stored = await _stored(store, ["A1", "A2", "A3"], options)
        assert [figures.answers(row, options) for row in stored] == [refreshed] * 3  # type: ignore[arg-type]
        a1, a2 = await store.profile_summaries(["A1", "A2"], min_shared=1, top=10)
        assert (a2.works, a2.collaborator_count, a2.i10_index) == (0, 0, 0)
        assert [c.researcher.id for c in a1.collaborators] == ["A3"]
        if not refreshed:
            assert await store.refresh_stale_figures() == 3
    # Follows change the stored followers in their own transaction.
    await store.create_user(NewUser(id="u1", name="U", email="u1@x.org", password_hash="h"), NOW)
    await store.follow("u1", "A1", NOW)
    (a1,) = await store.profile_summaries(["A1"], min_shared=1, top=10)
    assert a1.followers == 1
    await store.unfollow("u1", "A1")
    (a1,) = await store.profile_summaries(["A1"], min_shared=1, top=10)
    assert a1.followers == 0


async def test_a_long_list_is_summarised_over_each_as_one_by_one(store: GraphStore) -> None:
    """A refresh of many researchers reads each part over the whole list (LadybugDB's
    Anchoring.EACH): the same figures as reading them one researcher at a time."""
    await store.upsert_works(graph(seed=9) + hub_graph(seed=4))
    ids = [HUB, *(f"C{c}" for c in range(260)), *(f"A{i}" for i in range(12)), "A404"]
    assert len(ids) >= EACH_FROM
    live = _store(store)
    each = await live._live_summaries(ids, min_shared=1, top=100)
    assert each == [(await live._live_summaries([i], min_shared=1, top=100))[0] for i in ids]
    years = await live._live_counts_by_year(ids, NodeLabel.RESEARCHER)
    assert years == [(await live._live_counts_by_year([i], NodeLabel.RESEARCHER))[0] for i in ids]
    close = await live._live_collaborators(ids, min_shared=2, top=100)
    assert close == [(await live._live_collaborators([i], min_shared=2, top=100))[0] for i in ids]
    assert any(close)
    assert any(summary.topics for summary in each)


def _first_page(researcher: str, first: int) -> WorkPageRequest:
    return WorkPageRequest(researcher, WorkOrder.NEWEST, WorkFilter(), None, first)


async def _walked_page(
    store: GraphStore, researcher: str, first: int, author_limit: int | None = None
) -> WorkPage:
    """The first page read from the walk: the same request with a filter every work of
    these graphs passes, which the stored page does not answer."""
    every = WorkFilter(year_from=0)
    request = WorkPageRequest(
        researcher, WorkOrder.NEWEST, every, None, first, author_limit=author_limit
    )
    assert not figures.answers_page(request)
    [page] = await store.work_pages([request])
    return page


async def _stored_page(store: GraphStore, researcher: str) -> list[str] | None:
    """The ids a researcher's stored first page holds (None: never written, or stale)."""
    query = ReadQuery("MATCH (r:Researcher {id: $id})", columns((figures.STORED_PAGE, "page")))
    (row,) = await _store(store)._read(query, {"id": researcher})
    page: list[str] | None = row["page"]
    return page


async def test_the_stored_first_page_answers_as_the_walk(store: GraphStore) -> None:
    rows = hub_graph(seed=5)
    # Ties in year broken by title, a missing title sorting as the id.
    rows += [_work("HX1", [HUB, "C1"], year=2022), _work("HX0", [HUB], year=2022)]
    rows[-1] = msgspec.structs.replace(rows[-1], title="")
    await store.upsert_works(rows)
    newest = expected_pages(rows, HUB, WorkOrder.NEWEST, WorkFilter())
    for refreshed in (False, True):
        if refreshed:
            assert await store.refresh_stale_figures() > 0
        stored = await _stored_page(store, HUB)
        assert stored == (newest[: figures.STORED_PAGE_SIZE + 1] if refreshed else None)
        for researcher in (HUB, "C1", "C404"):
            expected = expected_pages(rows, researcher, WorkOrder.NEWEST, WorkFilter())
            for first in (1, 10, figures.STORED_PAGE_SIZE):
                request = _first_page(researcher, first)
                assert figures.answers_page(request)
                [page] = await store.work_pages([request])
                assert [w.id for _, w in page.works] == expected[:first]
                assert page == await _walked_page(store, researcher, first)
                names_only = msgspec.structs.replace(request, author_names_only=True)
                [named] = await store.work_pages([names_only])
                assert named.works == page.works
                assert _author_names(named) == _author_names(page)
                assert named.authors_in_full is False or named.authors == page.authors
                for limit in (0, 1, 2):
                    assert page.authors is not None
                    first_authors = tuple(
                        tuple(a for a in authors if a.position is not None and a.position < limit)
                        for authors in page.authors
                    )
                    limited = msgspec.structs.replace(request, author_limit=limit)
                    [cut] = await store.work_pages([limited])
                    assert (cut.works, cut.authors) == (page.works, first_authors)
                    walked = await _walked_page(store, researcher, first, limit)
                    assert (walked.works, walked.authors) == (page.works, first_authors)
                read = await store.profile_read(ProfileRead((researcher,), None, (request,)))
                # The profile reads no works of a researcher that is not there.
                assert read.pages == ([page] if expected else [])
    assert not figures.answers_page(_first_page(HUB, figures.STORED_PAGE_SIZE + 1))


def _author_names(page: WorkPage) -> list[list[tuple[str, str, int | None]]]:
    assert page.authors is not None
    return [[(a.target, a.name, a.position) for a in authors] for authors in page.authors]


async def test_the_stored_first_page_follows_the_writes(store: GraphStore) -> None:
    await store.upsert_works([*hub_graph(seed=5), _work("HNEW", [HUB, "C1"], year=2024)])
    await store.refresh_stale_figures()
    [page] = await store.work_pages([_first_page(HUB, 3)])
    assert page.works[0][1].id == "HNEW"
    assert (await _stored_page(store, "C1") or [])[0] == "HNEW"
    # A newer record of it, older and without C1: off C1's first page, down the hub's; the
    # stored pages are stale until the refresh, and the pages walk meanwhile.
    older = msgspec.structs.replace(_work("HNEW", [HUB], year=2000), updated_date="2025-01-01")
    await store.upsert_works([older])
    for refreshed in (False, True):
        assert (await _stored_page(store, "C1") is None) is not refreshed
        [hub, c1] = await store.work_pages([_first_page(HUB, 3), _first_page("C1", 3)])
        assert "HNEW" not in {w.id for _, w in hub.works + c1.works}
        assert hub == await _walked_page(store, HUB, 3)
        assert c1 == await _walked_page(store, "C1", 3)
        if not refreshed:
            await store.refresh_stale_figures()
    assert "HNEW" not in (await _stored_page(store, "C1") or [])


async def test_a_first_page_never_stored_is_walked(store: GraphStore) -> None:
    await store.upsert_works(hub_graph(seed=5))
    await store.refresh_stale_figures()
    stored = await store.work_pages([_first_page(HUB, 10)])
    # As a graph written before the page was among the figures.
    await _store(store)._write(
        [("MATCH (r:Researcher {id: $id}) SET r.figPageIds = null", {"id": HUB})]
    )
    assert await _stored_page(store, HUB) is None
    assert await store.work_pages([_first_page(HUB, 10)]) == stored
    result = await store.profile_read(ProfileRead((HUB,), None, (_first_page(HUB, 10),)))
    assert result.pages == stored


async def test_first_pages_over_each_as_one_by_one(store: GraphStore) -> None:
    """A refresh of many researchers reads their first pages over the whole list
    (LadybugDB's Anchoring.EACH): the same pages as one researcher at a time."""
    await store.upsert_works(graph(seed=9) + hub_graph(seed=4))
    ids = [HUB, *(f"C{c}" for c in range(260)), *(f"A{i}" for i in range(12)), "A404"]
    assert len(ids) >= EACH_FROM
    live = _store(store)
    each = await live._live_first_pages(ids)
    assert each == [(await live._live_first_pages([i]))[0] for i in ids]
    assert len(each[0]) == figures.STORED_PAGE_SIZE + 1


async def test_a_hyper_authored_work_imports_whole_and_counts_little(store: GraphStore) -> None:
    authors = [f"A9{i:04}" for i in range(1000)]
    await store.upsert_works(
        [
            _work("W9BIG", authors),
            _work("W9SMALL", ["A90000", "A90001"]),
            _work("W9SOLO", ["A90000"]),
        ]
    )
    assert (await store.counts()).edges["AUTHORED"] == 1000 + 2 + 1
    (p0,) = await store.profile_summaries(["A90000"], min_shared=1, top=5)
    assert p0.collaborator_count == 999
    assert len(p0.collaborators) == 5
    top = p0.collaborators[0]
    assert (top.researcher.id, top.shared_works) == ("A90001", 2)
    assert top.strength == round(1 + 1 / 999, 9)
    assert p0.collaborators[1].strength == round(1 / 999, 9)
    # The explorer keeps its budget around it.
    walk = Walk(center="A90000", depth=2, limit=60, hops=VIEW_HOPS[View.FULL])
    found = await explore(store.expand, walk, "A90000")
    assert len(found.nodes) <= 60
    assert {n.hop for n in found.nodes} == {0, 1, 2}
    assert found.truncated
