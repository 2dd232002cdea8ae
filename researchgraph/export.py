"""Downloads for analysts: a neighbourhood as GraphML or as CSV node and edge lists.

``GET /export/graphml``, ``/export/nodes.csv`` and ``/export/edges.csv`` take the arguments of
the GraphQL ``explore`` field as URL parameters (``center``, ``depth`` = 2, ``limit`` = 200,
``view`` = FULL, ``kinds`` = a comma-separated list, or the parameter repeated) and answer what
it answers: the same resolver (resolvers.explorer.neighbourhood) under the same deadline, so the
same limits, and the same errors as JSON with their code (400 BAD_USER_INPUT, 404 NOT_FOUND,
503 DATABASE_UNAVAILABLE, 504 TIMEOUT).

The CSV headers are the ones Gephi recognises (``Id``, ``Label``; ``Source``, ``Target``,
``Type``, ``Weight``) beside the explorer's own fields; GraphML (Gephi, Cytoscape, networkx)
carries the same fields as typed attributes. Edges are directed as the explorer gives them;
COAUTHOR and CO_OCCURS are symmetric (``Type`` Undirected in the CSV).
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
from collections.abc import Awaitable, Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from graphstore.explore import SubgraphRecord
from graphstore.ids import NodeLabel
from graphstore.instrumentation import deadline
from graphstore.protocol import StoreTimeoutError, StoreUnavailableError
from graphstore.traversal import EdgeKind
from graphstore.walk import View
from researchgraph.error_handling import TIMEOUT
from resolvers import explorer
from resolvers.context import RequestContext
from resolvers.errors import (
    BAD_USER_INPUT,
    DATABASE_UNAVAILABLE,
    NO_KINDS,
    NOT_FOUND,
    ClientError,
    bad_input,
)
from resolvers.loaders import settled_loads

# The explore field's defaults (schema/query.py).
DEFAULT_DEPTH = 2
DEFAULT_LIMIT = 200
_SYMMETRIC = frozenset({EdgeKind.COAUTHOR, EdgeKind.CO_OCCURS})
_STATUS = {BAD_USER_INPUT: 400, NOT_FOUND: 404, DATABASE_UNAVAILABLE: 503, TIMEOUT: 504}
# Characters XML 1.0 cannot hold; a title may carry them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# GraphML attributes: (id, for, name, type).
_GRAPHML_KEYS = (
    ("kind", "node", "kind", "string"),
    ("label", "node", "label", "string"),
    ("hop", "node", "hop", "int"),
    ("weight", "node", "weight", "double"),
    ("edge_kind", "edge", "kind", "string"),
    ("edge_weight", "edge", "weight", "double"),
    ("count", "edge", "count", "int"),
    ("center", "graph", "center", "string"),
    ("depth", "graph", "depth", "int"),
    ("truncated", "graph", "truncated", "boolean"),
)


def graphml(graph: SubgraphRecord) -> str:
    """The subgraph as a GraphML document."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        *(
            f'  <key id="{key}" for="{scope}" attr.name="{name}" attr.type="{kind}"/>'
            for key, scope, name, kind in _GRAPHML_KEYS
        ),
        '  <graph id="neighbourhood" edgedefault="directed">',
        f"    {_data('center', graph.center)}{_data('depth', graph.depth)}"
        f"{_data('truncated', str(graph.truncated).lower())}",
    ]
    for node in graph.nodes:
        lines.append(
            f"    <node id={_attribute(node.id)}>{_data('kind', node.label.name)}"
            f"{_data('label', node.name)}{_data('hop', node.hop)}{_data('weight', node.weight)}"
            "</node>"
        )
    for number, edge in enumerate(graph.edges):
        lines.append(
            f'    <edge id="e{number}" source={_attribute(edge.source)} '
            f"target={_attribute(edge.target)}>{_data('edge_kind', edge.kind.value)}"
            f"{_data('edge_weight', edge.weight)}{_data('count', edge.count)}</edge>"
        )
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines)


def _data(key: str, value: object) -> str:
    return f'<data key="{key}">{escape(_NOT_XML.sub("", str(value)))}</data>'


def _attribute(value: str) -> str:
    return quoteattr(_NOT_XML.sub("", value))


def nodes_csv(graph: SubgraphRecord) -> str:
    """The subgraph's nodes, a row each."""
    return _csv(
        ("Id", "Label", "kind", "hop", "weight"),
        ((n.id, n.name, n.label.name, n.hop, n.weight) for n in graph.nodes),
    )


def edges_csv(graph: SubgraphRecord) -> str:
    """The subgraph's edges, a row each."""
    return _csv(
        ("Source", "Target", "Type", "kind", "Weight", "count"),
        (
            (
                e.source,
                e.target,
                "Undirected" if e.kind in _SYMMETRIC else "Directed",
                e.kind.value,
                e.weight,
                e.count,
            )
            for e in graph.edges
        ),
    )


def _csv(header: tuple[str, ...], rows: Iterable[tuple[object, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# Each download: its path, how it renders a subgraph, its media type and file extension.
_FORMATS: tuple[tuple[str, Callable[[SubgraphRecord], str], str, str], ...] = (
    ("/export/graphml", graphml, "application/graphml+xml", "graphml"),
    ("/export/nodes.csv", nodes_csv, "text/csv", "nodes.csv"),
    ("/export/edges.csv", edges_csv, "text/csv", "edges.csv"),
)


def _integer(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise bad_input(f"{name}: must be an integer, got {raw[:40]!r}") from None


def _view(request: Request) -> View:
    raw = request.query_params.get("view", View.FULL.value)
    try:
        return View(raw.upper())
    except ValueError:
        names = ", ".join(v.value for v in View)
        raise bad_input(f"view: one of {names}, got {raw[:40]!r}") from None


def _kinds(request: Request) -> list[NodeLabel] | None:
    given = request.query_params.getlist("kinds")
    if not given:
        return None
    names = [name.strip().upper() for raw in given for name in raw.split(",") if name.strip()]
    if not names:
        raise bad_input(NO_KINDS)
    try:
        return [NodeLabel[name] for name in names]
    except KeyError as error:
        kinds = ", ".join(label.name for label in NodeLabel)
        raise bad_input(f"kinds: each one of {kinds}, got {error.args[0][:40]!r}") from None


async def _neighbourhood(request: Request, context: RequestContext) -> SubgraphRecord:
    center = request.query_params.get("center")
    if center is None:
        raise bad_input("center: give the id of the node to export around")
    depth = _integer(request, "depth", DEFAULT_DEPTH)
    limit = _integer(request, "limit", DEFAULT_LIMIT)
    return await explorer.neighbourhood(
        context, center, depth, limit, _kinds(request), _view(request)
    )


def export_routes(
    context_for: Callable[[Request], Awaitable[RequestContext]],
    timeout_seconds: float,
    on_error: Callable[[str], None],
) -> list[Route]:
    """The download routes, each answering with a fresh request context under the request
    deadline; ``on_error`` sees each refused request's code (metrics)."""

    def endpoint(
        render: Callable[[SubgraphRecord], str], media_type: str, extension: str
    ) -> Callable[[Request], Awaitable[Response]]:
        async def download(request: Request) -> Response:
            context = await context_for(request)
            try:
                with deadline(timeout_seconds):
                    graph = await asyncio.wait_for(
                        _settled(_neighbourhood(request, context)), timeout_seconds
                    )
            except ClientError as error:
                code = str((error.extensions or {}).get("code", BAD_USER_INPUT))
                return _refused(error.message, code, on_error)
            except StoreUnavailableError:
                return _refused(
                    "the database is unavailable; try again shortly", DATABASE_UNAVAILABLE, on_error
                )
            except (StoreTimeoutError, TimeoutError):
                return _refused("the request took longer than its deadline", TIMEOUT, on_error)
            finally:
                context.release()
            name = f"neighbourhood-{graph.center.replace('/', '-')}-depth{graph.depth}.{extension}"
            return Response(
                render(graph),
                media_type=f"{media_type}; charset=utf-8",
                headers={"content-disposition": f'attachment; filename="{name}"'},
            )

        return download

    return [
        Route(path, endpoint(render, media_type, extension), methods=["GET"])
        for path, render, media_type, extension in _FORMATS
    ]


async def _settled(work: Awaitable[SubgraphRecord]) -> SubgraphRecord:
    """The neighbourhood once every load it asked for is answered (loaders.settled_loads)."""
    async with settled_loads():
        return await work


def _refused(message: str, code: str, on_error: Callable[[str], None]) -> Response:
    on_error(code)
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return Response(
        orjson.dumps(body),
        status_code=_STATUS.get(code, 400),
        media_type="application/json; charset=utf-8",
    )
