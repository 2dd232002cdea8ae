"""Opens the GraphStore the settings choose, with its schema applied."""

from __future__ import annotations

from graphstore.engines.embedded_store import EmbeddedStore
from graphstore.engines.neo4j_store import Neo4jStore
from graphstore.protocol import GraphStore
from researchgraph.settings import Settings


async def open_store(settings: Settings) -> GraphStore:
    """Open the configured store and apply the graph schema (idempotent)."""
    store: GraphStore
    if settings.store == "neo4j":
        assert settings.neo4j_uri is not None  # Settings.check guarantees it.
        store = Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            database=settings.neo4j_database,
        )
    else:
        store = EmbeddedStore(settings.embedded_path)
    try:
        await store.apply_schema()
    except BaseException:
        await store.close()
        raise
    return store
