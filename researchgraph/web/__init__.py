"""What browsers load: GraphiQL served offline and the explorer page.

``graphiql_page`` renders the GraphiQL HTML the GraphQL endpoint answers a browser's GET with;
``web_routes`` are the extra routes (static assets, /explorer) the app mounts.
"""

from __future__ import annotations

from starlette.responses import HTMLResponse
from starlette.routing import BaseRoute


def graphiql_page(default_html: str) -> HTMLResponse:
    """The GraphiQL page; for now Strawberry's own."""
    return HTMLResponse(default_html)


def web_routes() -> list[BaseRoute]:
    """Routes for browser clients beyond /graphql."""
    return []
