"""A request's context: its loaders cache within the request and let go at its end."""

from __future__ import annotations

from graphstore.ingest.importer import import_openalex
from graphstore.protocol import GraphStore
from graphstore.records import AuthorRow, WorkFilter, WorkOrder
from resolvers.context import RequestContext
from resolvers.works import authorships, page_request, researcher_works
from tests.conftest import (
    SEED_CO_AUTHOR,
    SEED_CO_AUTHOR_NAME,
    SEED_NEWEST_WORK,
    SEED_RESEARCHER,
    SEED_WORKS,
)


async def test_a_released_context_reads_again(store: GraphStore) -> None:
    await import_openalex(store, [SEED_WORKS])
    batches: list[str] = []
    context = RequestContext(store=store, on_batch=lambda name, size: batches.append(name))
    first = await context.loaders.researcher.load(SEED_RESEARCHER)
    assert first is not None
    assert await context.loaders.researcher.load(SEED_RESEARCHER) is first
    assert batches == ["researcher"]

    context.release()

    again = await context.loaders.researcher.load(SEED_RESEARCHER)
    assert batches == ["researcher", "researcher"]
    assert again == first


async def test_authors_read_by_name_do_not_stand_in_for_whole_ones(store: GraphStore) -> None:
    await import_openalex(store, [SEED_WORKS])
    orcid = "0000-0002-1825-0097"
    await store.upsert_authors([AuthorRow(SEED_CO_AUTHOR, SEED_CO_AUTHOR_NAME, orcid=orcid)])
    context = RequestContext(store=store)
    request = page_request(
        SEED_RESEARCHER, 3, None, WorkOrder.NEWEST, WorkFilter(), author_names_only=True
    )
    page = await researcher_works(context, request)
    assert page.works[0].id == SEED_NEWEST_WORK
    if store.engine == "neo4j":
        # Neo4j reads a page's authors with it (by name here); LadybugDB loads them per work.
        assert page.authorships is not None
        assert (SEED_CO_AUTHOR, SEED_CO_AUTHOR_NAME) in [
            (a.researcher.id, a.researcher.name) for a in page.authorships[0]
        ]
    # The same work's authors asked for later in the request are whole, not the page's.
    whole = await authorships(context, SEED_NEWEST_WORK)
    assert (SEED_CO_AUTHOR, orcid) in [(a.researcher.id, a.researcher.orcid) for a in whole]
