"""Search gives the same answers on both engines: one suite over the same imported graph
(the conference-graph slice and the seed researcher's works), odd input included."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest

from graphstore.engines.embedded_store import IN_MEMORY, EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.engines.text_search import (
    CANDIDATES,
    COUNT_BOUND,
    SearchCandidate,
    SearchPlan,
    Stage,
)
from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore, SearchHit, SearchOrder, SearchRequest
from tests.conftest import SEED_WORKS
from tests.graphstore.test_import import CONFERENCE_GRAPH

pytestmark = pytest.mark.neo4j

HUB = "A989782488510"  # "Yang Liu", 356 works: the largest hub of the slice
AUTOAUGMENT_EVOLUTIONARY = "Evolutionary Approach for AutoAugment Using the Thermodynamical"

ODD_INPUT = [
    "A1' OR 1=1 //",
    "rob\u0301u\u0308st",
    "robust",
    'title:"data" AND (augment*)^9 -x ~2 [a TO z] {b} \\ / ? !',
    "NEAR(data augmentation) NOT learning",
    "data\x00augmentation",
    "🙂 learning 🙂",
    "🙂",
    "\uff21\uff35\uff27\uff2d\uff25\uff2e\uff34\uff21\uff34\uff29\uff2f\uff2e",  # full-width
    "\uff2d\u00fcller MU\u0308LLER",
    "ﬁne-tuning",  # a ligature
    "的 学习 数据",
    "हिन्दी",
    "O'Brien's",
    "x" * 1000,
    ("graph neural network " * 60)[:1000],
    " ".join(f"w{n}" for n in range(200)),
    "",
    "   ",
    '"',
    "*",
    "-",
    "a",
    "de",
    "yang liu",
    "Yang Liu",
    "yang liu ",
    "Liu Yang",
    "autoaugment",
    "AutoAug",
    "augmentation robustness",
    "semi-supervised",
    "the of and",
]


@pytest.fixture(scope="module")
async def engines(neo4j_uri: str) -> AsyncIterator[dict[str, GraphStore]]:
    embedded = EmbeddedStore(IN_MEMORY)
    neo4j = Neo4jStore(neo4j_uri, os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD"))
    stores: dict[str, GraphStore] = {"embedded": embedded, "neo4j": neo4j}
    try:
        await neo4j.apply_schema()
        await neo4j.clear()
        for opened in stores.values():
            await opened.apply_schema()
            await import_openalex(opened, [CONFERENCE_GRAPH, SEED_WORKS])
        yield stores
    finally:
        await embedded.close()
        await neo4j.clear()
        await neo4j.close()


async def both(
    engines: dict[str, GraphStore], request: SearchRequest
) -> tuple[list[SearchHit], int]:
    """The engines' answers, checked to be the same: the hits (ids, kinds, scores) in the
    same order and the same count."""
    answers = {name: await store.search(request) for name, store in engines.items()}
    assert answers["neo4j"] == answers["embedded"], request
    return answers["embedded"]


@pytest.mark.parametrize("text", ODD_INPUT)
async def test_odd_input_gives_the_same_results_on_both_engines(
    engines: dict[str, GraphStore], text: str
) -> None:
    await both(engines, SearchRequest(text, first=20))
    # Every hit a search can reach, in order, and past the end.
    await both(engines, SearchRequest(text, first=500))
    await both(engines, SearchRequest(text, first=20, offset=200))


async def test_the_hard_cases_rank_first(engines: dict[str, GraphStore]) -> None:
    hits, total = await both(engines, SearchRequest("Yang Liu", kinds=["researcher"], first=5))
    assert hits[0].id == HUB  # the exact name, and the most prolific of those who bear it
    assert total > 1  # "Liu Yang" and others follow
    hits, _ = await both(engines, SearchRequest("autoaugment", first=5))
    assert hits, "the slice holds works about AutoAugment"


async def test_a_name_with_a_word_too_many_finds_the_name(engines: dict[str, GraphStore]) -> None:
    """A name typed with a middle initial the indexed name lacks: no title holds every word, and
    too many nodes hold any of them to rank them all; the near-miss stage (every word but
    one in the title) finds the name."""
    for text in ("Yang X Liu", "yang x liu"):
        hits, total = await both(engines, SearchRequest(text, kinds=["researcher"], first=5))
        assert total > CANDIDATES
        assert hits[0].id == HUB
    # Complete any-word matches hold the near misses: no stage of its own then.
    plan = SearchPlan.of(SearchRequest("Yang Liu X", kinds=["researcher"]))
    assert plan is not None
    assert not plan.near_miss({}, CANDIDATES)
    assert plan.near_miss({}, CANDIDATES + 1)
    # A search that found anything otherwise does not look for near misses.
    named = SearchCandidate(HUB, "researcher", "yang liu x", None, 1)
    assert not plan.near_miss({Stage.TITLE_ALL: [named]}, CANDIDATES + 1)


async def test_exact_title_first_whatever_the_case_and_punctuation(
    engines: dict[str, GraphStore],
) -> None:
    hits, _ = await both(engines, SearchRequest(AUTOAUGMENT_EVOLUTIONARY.upper() + "!", first=3))
    exact, _ = await both(
        engines, SearchRequest(AUTOAUGMENT_EVOLUTIONARY + " Genetic Algorithm", first=1)
    )
    assert hits[0].id == exact[0].id


async def test_the_count_is_bounded(engines: dict[str, GraphStore]) -> None:
    _, total = await both(engines, SearchRequest("learning", first=0))
    assert total == COUNT_BOUND


async def test_year_range_and_orders(engines: dict[str, GraphStore]) -> None:
    request = SearchRequest("augmentation", first=50, year_from=2019, year_to=2020)
    hits, total = await both(engines, request)
    assert hits
    assert all(hit.kind == "work" for hit in hits)
    newest, _ = await both(
        engines, SearchRequest("augmentation", first=50, order=SearchOrder.NEWEST)
    )
    cited, _ = await both(
        engines, SearchRequest("augmentation", first=50, order=SearchOrder.MOST_CITED)
    )
    assert {h.id for h in newest} != {h.id for h in cited} or newest != cited
    stored = engines["embedded"]
    works = [w for w in await stored.works([h.id for h in newest]) if w is not None]
    assert [w.year or 0 for w in works] == sorted((w.year or 0 for w in works), reverse=True)
    assert total < (await both(engines, SearchRequest("augmentation", first=0)))[1]
