"""The pages before the assets are built: a page that says how to build them, not a blank one."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from researchgraph import web


async def test_unbuilt_pages_say_how_to_build_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web, "ASSETS", tmp_path / "not-built")

    graphiql = web.graphiql_page()
    assert graphiql.status_code == 503
    assert web.BUILD_COMMAND in bytes(graphiql.body).decode()

    async def every_researcher_exists(researcher_id: str) -> bool:
        return True

    app = Starlette(routes=web.web_routes(every_researcher_exists))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        explorer = await client.get("/explorer")
        profile = await client.get("/researchers/A925533110232")
        asset = await client.get("/static/graphiql.js")
    for page in (explorer, profile):
        assert page.status_code == 503
        assert web.BUILD_COMMAND in page.text
    assert asset.status_code == 404
    assert web.BUILD_COMMAND in asset.text
