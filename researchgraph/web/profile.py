"""``GET /researchers/{id}``: a researcher's profile page, or a page that says why there is none.

The page itself is ``profile.html`` (built from ``web/src/profile.*``): its script asks the API
for the whole profile in one GraphQL request. This route only decides the HTTP status first, so
a link to a researcher who is not in the graph is a real 404 and a malformed id a real 400: it
checks the id's form (``graphstore.ids``) and asks the store whether the researcher exists.
A researcher id written another way (an OpenAlex URL, a lower-case ``a``) is redirected to the
page's one address.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from graphstore.ids import InvalidIdError, NodeLabel, normalize_id
from graphstore.protocol import StoreTimeoutError, StoreUnavailableError

ResearcherExists = Callable[[str], Awaitable[bool]]
"""Whether the graph holds the researcher of this (normalised) id."""

PROFILE_PATH = "/researchers/{id}"


def _problem_page(status_code: int, title: str, explanation: str) -> HTMLResponse:
    """A page of the site's look that says what went wrong and where to go instead."""
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)} · Research Graph</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/static/profile.css">
</head>
<body>
<header class="site"><a class="brand" href="/explorer">Research Graph</a></header>
<main id="main" class="problem">
<h1>{escape(title)}</h1>
<p>{escape(explanation)}</p>
<p><a href="/explorer">Search the graph in the explorer</a></p>
</main>
</body>
</html>
"""
    return HTMLResponse(page, status_code=status_code)


def profile_routes(
    page: Callable[[str], HTMLResponse], researcher_exists: ResearcherExists
) -> list[Route]:
    """The profile route; ``page`` reads a built page by file name."""

    async def researcher_page(request: Request) -> Response:
        raw = request.path_params["id"]
        try:
            researcher_id = normalize_id(raw, NodeLabel.RESEARCHER)
        except InvalidIdError as error:
            return _problem_page(400, "Not a researcher id", f"The address names “{raw}”: {error}.")
        if researcher_id != raw:
            return RedirectResponse(
                request.url_for("researcher_page", id=researcher_id), status_code=308
            )
        try:
            exists = await researcher_exists(researcher_id)
        except StoreUnavailableError:
            return _problem_page(
                503, "Database unavailable", "The database is unavailable; try again shortly."
            )
        except (StoreTimeoutError, TimeoutError):
            return _problem_page(504, "Timed out", "Looking up the researcher took too long.")
        if not exists:
            return _problem_page(
                404,
                "Researcher not found",
                f"No researcher with the id {researcher_id} is in this graph.",
            )
        return page("profile.html")

    return [Route(PROFILE_PATH, researcher_page, methods=["GET"], name="researcher_page")]
