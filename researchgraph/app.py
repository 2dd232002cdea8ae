"""The ASGI application: Starlette routes, the GraphQL endpoint, and the store's lifetime."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.extensions import SchemaExtension

from graphstore.importer import import_openalex
from graphstore.protocol import GraphStore, StoreError
from researchgraph.debug import QueryCountExtension
from researchgraph.settings import Settings
from researchgraph.stores import open_store
from researchgraph.web import graphiql_page, web_routes
from resolvers.context import RequestContext
from schema import build_schema

log = logging.getLogger("researchgraph")


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


class GraphQLApp(GraphQL[RequestContext, None]):
    """Strawberry's ASGI view with our per-request context."""

    def __init__(self, state: AppState, **kwargs: Any) -> None:
        extensions: list[type[SchemaExtension]] = (
            [QueryCountExtension] if state.settings.debug else []
        )
        super().__init__(build_schema(extensions), **kwargs)
        self._state = state

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return graphiql_page(self.graphql_ide_html)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> RequestContext:
        return RequestContext(store=self._state.require_store())


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

    async def healthz(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    graphql = GraphQLApp(state)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz),
            *web_routes(),
        ],
        lifespan=lifespan,
    )
