"""The ASGI application: routes, the GraphQL endpoint, the operator's view, the store's life."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.extensions import (
    DisableIntrospection,
    ParserCache,
    SchemaExtension,
)

from graphstore.ingest.importer import import_openalex
from graphstore.instrumentation import deadline, observe_queries
from graphstore.protocol import GraphStore, StoreError
from researchgraph.consistency import CausalConsistency
from researchgraph.debug import QueryCountExtension
from researchgraph.document_cache import validation_cache_by_text
from researchgraph.error_handling import error_codes_extension
from researchgraph.export import export_routes
from researchgraph.graphql_http import GraphQLEndpoint, HttpLimits
from researchgraph.limits import QueryLimits
from researchgraph.observability import Metrics, RequestIdMiddleware
from researchgraph.settings import Settings
from researchgraph.stores import open_store
from researchgraph.web import graphiql_page, web_routes
from resolvers.auth import AccountSettings
from resolvers.context import RequestContext
from schema import build_schema

log = logging.getLogger("researchgraph")

READY_TIMEOUT_SECONDS = 2.0
DOCUMENT_CACHE_SIZE = 512


def demo_data_file() -> Path:
    """The seed profile's works, shipped with the package as the demo data set."""
    return Path(str(resources.files("researchgraph") / "demo_data" / "seed-profile-works.jsonl"))


async def load_demo_data_if_empty(store: GraphStore) -> bool:
    """Import the demo data set through the OpenAlex importer when the graph has no works."""
    counts = await store.counts()
    if counts.nodes.get("Work", 0) > 0:
        return False
    report = await import_openalex(store, [demo_data_file()])
    log.info("loaded demo data: %s", "; ".join(report.summary_lines()))
    return True


class AppState:
    """The store the app opened at start-up, and the settings it runs with."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self.store = store

    def require_store(self) -> GraphStore:
        """The open store; only missing before start-up has finished."""
        if self.store is None:
            raise StoreError("the store is not open yet")
        return self.store


def create_app(settings: Settings, store: GraphStore | None = None) -> Starlette:
    """The service. With ``store`` given, the caller owns it; otherwise start-up opens one."""
    state = AppState(settings, store)
    owns_store = store is None
    metrics = Metrics()
    observe_queries(metrics.observe_store_query)

    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        error_codes_extension(lambda code: metrics.errors.labels(code=code).inc()),
        # Clients send the same few documents again and again: parsing and validating one
        # cost far more than its database work (bench/README.md). Both caches live
        # across requests: ParserCache's at module level, the validation cache in this app.
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        validation_cache_by_text(DOCUMENT_CACHE_SIZE),
        CausalConsistency,
    ]
    if settings.debug:
        extensions.append(QueryCountExtension)
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    schema = build_schema(extensions)

    accounts = AccountSettings(
        signing_secret=settings.token_secret,
        token_lifetime=settings.token_lifetime,
        invitations_per_day=settings.invitations_per_day,
        admin_emails=settings.admin_emails,
    )

    async def context_for(request: Request) -> RequestContext:
        return RequestContext(
            store=state.require_store(),
            on_batch=metrics.observe_batch,
            authorization=request.headers.get("authorization"),
            accounts=accounts,
        )

    endpoint = GraphQLEndpoint(
        schema,
        context_for,
        graphiql=graphiql_page,
        metrics=metrics,
        limits=HttpLimits(
            max_body_bytes=settings.max_body_bytes,
            timeout_seconds=settings.request_timeout_seconds,
            query=QueryLimits(
                max_tokens=settings.max_query_tokens,
                max_depth=settings.max_query_depth,
                max_aliases=settings.max_aliases,
                max_cost=settings.max_query_cost,
            ),
        ),
        debug=settings.debug,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if state.store is None:
            state.store = await open_store(settings)
            if settings.store == "embedded" and settings.load_demo_data:
                await load_demo_data_if_empty(state.store)
        try:
            yield
        finally:
            if owns_store and state.store is not None:
                await state.store.close()
                state.store = None

    async def researcher_exists(researcher_id: str) -> bool:
        # The profile page's status code: 404 for a researcher the graph does not hold.
        with deadline(settings.request_timeout_seconds):
            (found,) = await asyncio.wait_for(
                state.require_store().researchers([researcher_id]),
                settings.request_timeout_seconds,
            )
        return found is not None

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> Response:
        try:
            await asyncio.wait_for(state.require_store().ping(), READY_TIMEOUT_SECONDS)
        except (StoreError, TimeoutError):
            return JSONResponse({"status": "unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def metrics_endpoint(request: Request) -> Response:
        return Response(metrics.exposition(), media_type="text/plain; version=0.0.4")

    middleware = [Middleware(RequestIdMiddleware)]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["content-type", "authorization", "x-request-id"],
                expose_headers=["x-request-id"],
            )
        )
    return Starlette(
        routes=[
            Route(
                "/graphql", endpoint, methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
            ),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics_endpoint),
            *export_routes(
                context_for,
                settings.request_timeout_seconds,
                lambda code: metrics.errors.labels(code=code).inc(),
            ),
            *web_routes(researcher_exists),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
