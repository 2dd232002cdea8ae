"""What browsers load: GraphiQL served offline, the explorer page and researchers' profile pages.

``graphiql_page`` renders the GraphiQL HTML the GraphQL endpoint answers a browser's GET with;
``web_routes`` are the extra routes (static assets, /explorer, /researchers/{id}) the app mounts.

The pages and everything they load (React, GraphiQL, Monaco, cytoscape.js) are built from the
npm packages pinned in ``web/`` into ``assets/`` next to this file (git-ignored, shipped as package
data): see ``web/README.md``. Nothing is fetched from another host, so they work offline.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from researchgraph.web.profile import ResearcherExists, profile_routes

ASSETS = Path(__file__).parent / "assets"
"""Where ``npm ci`` (or ``npm run build``) in ``web/`` puts the built pages and scripts."""

BUILD_COMMAND = "cd web && npm ci"

NOT_BUILT_PAGE = f"""<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>Research Graph: browser assets not built</title>
<body style="font-family: system-ui, sans-serif; max-width: 42rem; margin: 3rem auto">
<h1>The browser assets are not built</h1>
<p>GraphiQL and the explorer page are served by this service from assets built with npm
(Node.js 20 or later) in the project's <code>web/</code> folder. Build them with</p>
<pre>{BUILD_COMMAND}</pre>
<p>and reload this page. <code>web/README.md</code> says more. The GraphQL endpoint works without
them: POST a query to <code>/graphql</code>.</p>
</body>
</html>
"""

# StaticFiles checks its folder on the first request, not here, so the app starts unbuilt too.
_static_files = StaticFiles(directory=ASSETS, check_dir=False)


def _page(name: str) -> HTMLResponse:
    # Read on every request: a rebuild shows on reload, with no restart.
    try:
        return HTMLResponse((ASSETS / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return HTMLResponse(NOT_BUILT_PAGE, status_code=503)


def graphiql_page() -> HTMLResponse:
    """The GraphiQL page, loading its scripts from /static (Strawberry's loads from a CDN)."""
    return _page("graphiql.html")


def explorer_page(request: Request) -> HTMLResponse:
    """The explorer page: search a node and draw its neighbourhood."""
    return _page("explorer.html")


async def static_assets(scope: Scope, receive: Receive, send: Send) -> None:
    """The built assets, or a 404 that says how to build them."""
    if not ASSETS.is_dir():
        response = PlainTextResponse(f"assets not built: run `{BUILD_COMMAND}`", status_code=404)
        await response(scope, receive, send)
        return
    await _static_files(scope, receive, send)


def web_routes(researcher_exists: ResearcherExists) -> list[BaseRoute]:
    """Routes for browser clients beyond /graphql: /explorer, /researchers/{id} and the assets
    under /static."""
    return [
        Route("/explorer", explorer_page, methods=["GET"]),
        *profile_routes(_page, researcher_exists),
        Mount("/static", app=static_assets, name="static"),
    ]
