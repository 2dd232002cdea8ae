"""Per-request DataLoaders: each batch becomes exactly one GraphStore call.

Loaders cache by key for the life of one request only, so a client never sees another
request's data and writes are visible to the next request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader

from graphstore.protocol import GraphStore
from graphstore.records import (
    InstitutionRecord,
    ProfileSummary,
    ResearcherRecord,
    TopicRecord,
    WorkPageRequest,
    WorkRecord,
)
from graphstore.traversal import Hop, Neighbour
from graphstore.work_pages import WorkPage

# The longest topic or collaborator list a profile serves.
PROFILE_LIST_LIMIT = 100
# Summaries carry at least this many topics and collaborators, so the usual lists of one
# request (the profile page asks for 6 and 10) share one store query.
SUMMARY_LIST_SIZE = 10

K = TypeVar("K")
V = TypeVar("V")


class BatchLoader(Generic[K, V]):
    """A typed face on aiodataloader's DataLoader."""

    def __init__(
        self,
        batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]],
        name: str = "",
        on_batch: Callable[[str, int], None] | None = None,
    ) -> None:
        async def batch_load(keys: list[K]) -> list[V]:
            if on_batch is not None:
                on_batch(name, len(keys))
            return list(await batch(keys))

        self._loader: Any = DataLoader(batch_load_fn=batch_load)

    async def load(self, key: K) -> V:
        """The value for one key, batched with every other load of this tick."""
        value: V = await self._loader.load(key)
        return value

    def prime(self, key: K, value: V) -> None:
        """Put a value another query already brought into this request's cache."""
        self._loader.prime(key, value)

    async def load_many(self, keys: Sequence[K]) -> list[V]:
        """The values for several keys, in order."""
        values: list[V] = await self._loader.load_many(list(keys))
        return values


class Loaders:
    """All loaders of one request; ``on_batch(name, size)`` sees every batch (metrics)."""

    def __init__(
        self, store: GraphStore, on_batch: Callable[[str, int], None] | None = None
    ) -> None:
        self._store = store
        self._on_batch = on_batch
        self.researcher: BatchLoader[str, ResearcherRecord | None] = self._loader(
            "researcher", store.researchers
        )
        self.work: BatchLoader[str, WorkRecord | None] = self._loader("work", store.works)
        self.topic: BatchLoader[str, TopicRecord | None] = self._loader("topic", store.topics)
        self.institution: BatchLoader[str, InstitutionRecord | None] = self._loader(
            "institution", store.institutions
        )
        self.work_page: BatchLoader[WorkPageRequest, WorkPage] = self._loader(
            "work_page", store.work_pages
        )
        self._neighbours: dict[Hop, BatchLoader[str, list[Neighbour]]] = {}
        self._summaries: dict[tuple[int, int], BatchLoader[str, ProfileSummary]] = {}

    def _loader(
        self, name: str, batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]]
    ) -> BatchLoader[K, V]:
        return BatchLoader(batch, name, self._on_batch)

    def neighbours(self, hop: Hop) -> BatchLoader[str, list[Neighbour]]:
        """Loader of one hop's neighbours, keyed by frontier node id."""
        loader = self._neighbours.get(hop)
        if loader is None:

            async def batch(ids: Sequence[str]) -> list[list[Neighbour]]:
                return await self._store.neighbours(ids, hop)

            loader = self._neighbours[hop] = self._loader(hop.value.lower(), batch)
        return loader

    def profile_summary(self, min_shared: int, top: int) -> BatchLoader[str, ProfileSummary]:
        """Loader of profile summaries with ``top`` (at least SUMMARY_LIST_SIZE) topics and
        collaborators, the latter sharing at least ``min_shared`` works."""
        key = (min_shared, max(top, SUMMARY_LIST_SIZE))
        loader = self._summaries.get(key)
        if loader is None:

            async def batch(ids: Sequence[str]) -> list[ProfileSummary]:
                return await self._store.profile_summaries(ids, min_shared=key[0], top=key[1])

            loader = self._summaries[key] = self._loader("profile_summary", batch)
        return loader
