"""A request's context: its loaders cache within the request and let go at its end."""

from __future__ import annotations

from graphstore.importer import import_openalex
from graphstore.protocol import GraphStore
from resolvers.context import RequestContext
from tests.conftest import SEED_RESEARCHER, SEED_WORKS


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
