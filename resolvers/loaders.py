"""Per-request DataLoaders: each batch becomes exactly one GraphStore call.

Loaders cache by key for the life of one request only, so a client never sees another
request's data and writes are visible to the next request.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from aiodataloader import DataLoader

from graphstore.ids import NodeLabel
from graphstore.lists import (
    FacetCount,
    ResearcherListRequest,
    ResearcherPage,
    WorkFacetRequest,
    WorkListRequest,
)
from graphstore.protocol import (
    GraphStore,
    HopPageRequest,
    ProfileRead,
    ReferencePage,
    WorkPage,
)
from graphstore.records import (
    InstitutionRecord,
    OpenAlexAuthorFigures,
    ProfileSummary,
    ResearcherRecord,
    SummaryOptions,
    TopicRecord,
    WorkPageRequest,
    WorkRecord,
    WorkSetStats,
    YearCounts,
)
from graphstore.traversal import Hop, Neighbour

# The longest topic or collaborator list a profile serves.
PROFILE_LIST_LIMIT = 100
# Summaries carry at least this many topics and collaborators, so the usual lists of one
# request (the profile page asks for 6 and 10) share one store query.
SUMMARY_LIST_SIZE = 10


def summary_options(min_shared: int, top: int) -> SummaryOptions:
    """The summary that serves a list of ``top`` with at least ``min_shared`` shared works:
    lists of at least SUMMARY_LIST_SIZE, so the usual lists of one request share it."""
    return SummaryOptions(min_shared=min_shared, top=max(top, SUMMARY_LIST_SIZE))


@dataclass(frozen=True, slots=True)
class ProfilePlan:
    """What a researcher field will load under it, foreseen from its selection
    (resolvers.lookahead): the summary its figures and lists share, and its pages of works."""

    researcher_id: str
    summary: SummaryOptions | None
    pages: tuple[WorkPageRequest, ...]


# The loads of the request being executed that are not answered yet; see settled_loads.
_pending_loads: ContextVar[set[asyncio.Future[Any]] | None] = ContextVar(
    "pending_loads", default=None
)


@contextlib.asynccontextmanager
async def settled_loads() -> AsyncIterator[None]:
    """Leaves, on success, only once every load asked for within has been answered.

    A field's error can end a request while a sibling's load is still queued or waiting on
    the database; without this, that store call would outlive its request (and, in tests, be
    cancelled half-way with the event loop: a connection dropped, not returned to the pool).
    """
    pending: set[asyncio.Future[Any]] = set()
    token = _pending_loads.set(pending)
    try:
        yield
    finally:
        _pending_loads.reset(token)
    while pending:
        await asyncio.wait(list(pending))


def _track(future: asyncio.Future[Any]) -> None:
    pending = _pending_loads.get()
    if pending is None or future.done():
        return
    pending.add(future)
    future.add_done_callback(_answered(pending))


def _answered(pending: set[asyncio.Future[Any]]) -> Callable[[asyncio.Future[Any]], None]:
    def answered(future: asyncio.Future[Any]) -> None:
        pending.discard(future)
        # The field that asked may be gone: its error must not be left "never retrieved".
        if not future.cancelled():
            future.exception()

    return answered


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
        future: asyncio.Future[V] = self._loader.load(key)
        _track(future)
        # Shielded: the loader caches the future for every field asking for this key, so a
        # field cancelled (a sibling's error ended the request) must not cancel it.
        return await asyncio.shield(future)

    def clear(self) -> None:
        """Forget every value this loader has cached."""
        self._loader.clear_all()

    def prime(self, key: K, value: V) -> None:
        """Put a value another query already brought into this request's cache."""
        self._loader.prime(key, value)

    async def load_many(self, keys: Sequence[K]) -> list[V]:
        """The values for several keys, in order."""
        futures: list[asyncio.Future[V]] = [self._loader.load(key) for key in keys]
        for future in futures:
            _track(future)
        return list(await asyncio.shield(asyncio.gather(*futures)))


class LoaderGroup:
    """Makes a request's loaders and keeps them, so they can be cleared together."""

    def __init__(self, on_batch: Callable[[str, int], None] | None = None) -> None:
        self._on_batch = on_batch
        self._made: list[BatchLoader[Any, Any]] = []

    def make(
        self, name: str, batch: Callable[[Sequence[K]], Awaitable[Sequence[V]]]
    ) -> BatchLoader[K, V]:
        """A loader whose batches ``on_batch`` sees under ``name``."""
        loader: BatchLoader[K, V] = BatchLoader(batch, name, self._on_batch)
        self._made.append(loader)
        return loader

    def clear(self) -> None:
        """Forget every value any loader of the group has cached.

        A request's loaders and their batch functions refer to each other (``_read_profiles``
        primes the other loaders), and so does graphql-core's execution context with the
        request's context: without this, a hub's profile (thousands of records) waited in
        those reference cycles for the garbage collector, which then walked it again and again.
        """
        for loader in self._made:
            loader.clear()


class Loaders:
    """All loaders of one request, each made when first used (most requests use few);
    ``on_batch(name, size)`` sees every batch (metrics)."""

    def __init__(
        self, store: GraphStore, on_batch: Callable[[str, int], None] | None = None
    ) -> None:
        self._store = store
        self._group = LoaderGroup(on_batch)
        self._neighbours: dict[Hop, BatchLoader[str, list[Neighbour]]] = {}
        self._summaries: dict[SummaryOptions, BatchLoader[str, ProfileSummary]] = {}
        self._work_set_stats: dict[NodeLabel, BatchLoader[str, WorkSetStats]] = {}
        self._counts_by_year: dict[NodeLabel, BatchLoader[str, list[YearCounts]]] = {}

    @functools.cached_property
    def researcher(self) -> BatchLoader[str, ResearcherRecord | None]:
        """Researchers by id."""
        return self._group.make("researcher", self._store.researchers)

    @functools.cached_property
    def work(self) -> BatchLoader[str, WorkRecord | None]:
        """Works by id."""
        return self._group.make("work", self._store.works)

    @functools.cached_property
    def topic(self) -> BatchLoader[str, TopicRecord | None]:
        """Topics by id."""
        return self._group.make("topic", self._store.topics)

    @functools.cached_property
    def institution(self) -> BatchLoader[str, InstitutionRecord | None]:
        """Institutions by id."""
        return self._group.make("institution", self._store.institutions)

    @functools.cached_property
    def work_page(self) -> BatchLoader[WorkPageRequest, WorkPage]:
        """A researcher's pages of works."""
        return self._group.make("work_page", self._store.work_pages)

    @functools.cached_property
    def profile(self) -> BatchLoader[ProfilePlan, ResearcherRecord | None]:
        """Researchers with what their profile's fields will load (ProfilePlan)."""
        return self._group.make("profile", self._read_profiles)

    @functools.cached_property
    def work_list(self) -> BatchLoader[WorkListRequest, WorkPage]:
        """The analysts' lists of works."""
        return self._group.make("work_list", self._store.work_lists)

    @functools.cached_property
    def researcher_list(self) -> BatchLoader[ResearcherListRequest, ResearcherPage]:
        """The analysts' lists of researchers."""
        return self._group.make("researcher_list", self._store.researcher_lists)

    @functools.cached_property
    def work_facets(self) -> BatchLoader[WorkFacetRequest, list[FacetCount]]:
        """Works counted by a facet."""
        return self._group.make("work_facets", self._store.work_facets)

    @functools.cached_property
    def hop_page(self) -> BatchLoader[HopPageRequest, WorkPage]:
        """Pages of the works a hop reaches from a node (a work's citers, grouped versions)."""
        return self._group.make("hop_page", self._store.hop_work_pages)

    @functools.cached_property
    def reference_page(self) -> BatchLoader[HopPageRequest, ReferencePage]:
        """Pages of a work's references."""
        return self._group.make("reference_page", self._store.reference_pages)

    @functools.cached_property
    def identified(self) -> BatchLoader[str, str | None]:
        """Identifier key (graphstore.identifiers) -> the id of the node it identifies."""
        return self._group.make("identified", self._store.identified)

    @functools.cached_property
    def openalex_figures(self) -> BatchLoader[str, OpenAlexAuthorFigures | None]:
        """OpenAlex's own figures of a researcher, by researcher id."""
        return self._group.make("openalex_figures", self._store.openalex_author_figures)

    def clear(self) -> None:
        """Forget every cached value, so a request's records go when its response does."""
        self._group.clear()

    def neighbours(self, hop: Hop) -> BatchLoader[str, list[Neighbour]]:
        """Loader of one hop's neighbours, keyed by frontier node id."""
        loader = self._neighbours.get(hop)
        if loader is None:

            async def batch(ids: Sequence[str]) -> list[list[Neighbour]]:
                return await self._store.neighbours(ids, hop)

            loader = self._neighbours[hop] = self._group.make(hop.value.lower(), batch)
        return loader

    def work_set_stats(self, label: NodeLabel) -> BatchLoader[str, WorkSetStats]:
        """Loader of what the works of nodes of kind ``label`` add up to, keyed by id."""
        loader = self._work_set_stats.get(label)
        if loader is None:

            async def batch(ids: Sequence[str]) -> list[WorkSetStats]:
                return await self._store.work_set_stats(ids, label)

            loader = self._work_set_stats[label] = self._group.make("work_set_stats", batch)
        return loader

    def counts_by_year(self, label: NodeLabel) -> BatchLoader[str, list[YearCounts]]:
        """Loader of the works of nodes of kind ``label``, year by year, keyed by id."""
        loader = self._counts_by_year.get(label)
        if loader is None:

            async def batch(ids: Sequence[str]) -> list[list[YearCounts]]:
                return await self._store.counts_by_year(ids, label)

            loader = self._counts_by_year[label] = self._group.make("counts_by_year", batch)
        return loader

    def profile_summary(self, options: SummaryOptions) -> BatchLoader[str, ProfileSummary]:
        """Loader of profile summaries made with ``options`` (see summary_options)."""
        loader = self._summaries.get(options)
        if loader is None:

            async def batch(ids: Sequence[str]) -> list[ProfileSummary]:
                return await self._store.profile_summaries(
                    ids, min_shared=options.min_shared, top=options.top
                )

            loader = self._summaries[options] = self._group.make("profile_summary", batch)
        return loader

    async def _read_profiles(self, plans: Sequence[ProfilePlan]) -> list[ResearcherRecord | None]:
        """The researchers of ``plans``, with what their fields will load put in the other
        loaders: one store call per summary the plans ask for (almost always one)."""
        found: dict[ProfilePlan, ResearcherRecord | None] = {}
        for summary in dict.fromkeys(plan.summary for plan in plans):
            group = [plan for plan in plans if plan.summary == summary]
            ids = tuple(dict.fromkeys(plan.researcher_id for plan in group))
            pages = tuple(dict.fromkeys(page for plan in group for page in plan.pages))
            result = await self._store.profile_read(ProfileRead(ids, summary, pages))
            for researcher_id, record in zip(ids, result.researchers, strict=True):
                self.researcher.prime(researcher_id, record)
            # Figures and pages come only for researchers that exist (GraphStore.profile_read).
            if summary is not None and result.summaries is not None:
                loader = self.profile_summary(summary)
                for researcher_id, figures in zip(ids, result.summaries, strict=True):
                    loader.prime(researcher_id, figures)
            for request, page in zip(pages if result.pages else (), result.pages, strict=True):
                self.work_page.prime(request, page)
            researchers = dict(zip(ids, result.researchers, strict=True))
            found |= {plan: researchers[plan.researcher_id] for plan in group}
        return [found[plan] for plan in plans]
