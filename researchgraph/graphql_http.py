"""GraphQL over HTTP, as the GraphQL-over-HTTP specification describes it.

- POST with a JSON body (``application/json``), or GET with URL parameters; GET never runs a
  mutation (405). Batched (array) bodies are refused.
- The response type follows ``Accept``: ``application/graphql-response+json`` (then a request
  whose document fails to parse or validate gets 400) or ``application/json`` (the default;
  then every well-formed HTTP request gets 200 and the errors say what went wrong).
- Requests that are not well-formed (bad JSON, missing query, wrong content type, too large a
  body) get 4xx with a GraphQL-shaped error body carrying ``extensions.code``.
- Limits (graphql size, depth, aliases, cost) refuse a document before any store call, and
  each request runs under a deadline.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import (
    DocumentNode,
    GraphQLSyntaxError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
    parse,
)
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from strawberry import Schema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from graphstore.instrumentation import deadline
from researchgraph.consistency import BookmarksError, sent_bookmarks
from researchgraph.error_handling import GRAPHQL_PARSE_FAILED, TIMEOUT
from researchgraph.limits import LimitExceededError, PassedDocuments, QueryLimits, check_tokens
from researchgraph.observability import Metrics
from resolvers.context import RequestContext
from resolvers.loaders import settled_loads

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
APPLICATION_JSON = "application/json"
BAD_REQUEST = "BAD_REQUEST"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
# The document has no operation that operationName picks out (Apollo Server's code for it).
OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
_ALLOWED = "GET, POST"
_VALIDATION_CODES = {GRAPHQL_PARSE_FAILED, "GRAPHQL_VALIDATION_FAILED"}


@dataclass(frozen=True, slots=True)
class HttpLimits:
    """Request-level limits of the endpoint."""

    max_body_bytes: int = 256 * 1024
    timeout_seconds: float = 10.0
    query: QueryLimits = field(default_factory=QueryLimits)


class _Refused(Exception):
    def __init__(self, status: int, message: str, code: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = headers or {}


@dataclass(frozen=True, slots=True)
class _Params:
    query: str
    variables: dict[str, Any] | None
    operation_name: str | None
    extensions: dict[str, Any] | None


class GraphQLEndpoint:
    """The ASGI endpoint at /graphql."""

    def __init__(
        self,
        schema: Schema,
        context_for: Callable[[Request], Awaitable[RequestContext]],
        graphiql: Callable[[], Response],
        metrics: Metrics,
        limits: HttpLimits,
        *,
        debug: bool = False,
    ) -> None:
        self._schema = schema
        self._graphql_schema = schema._schema
        self._debug = debug
        self._context_for = context_for
        self._graphiql = graphiql
        self._metrics = metrics
        self._limits = limits
        self._passed = PassedDocuments()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        """Answer one HTTP request to the GraphQL endpoint."""
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"allow": _ALLOWED})
        media_type = _negotiate(request.headers.get("accept"))
        if request.method == "GET" and _wants_html(request) and "query" not in request.query_params:
            return self._graphiql()
        started = time.perf_counter()
        operation = "unknown"
        try:
            if media_type is None:
                raise _Refused(
                    406, f"accept {APPLICATION_JSON} or {GRAPHQL_RESPONSE_JSON}", NOT_ACCEPTABLE
                )
            params = await self._params(request)
            operation = self._metrics.operation_label(params.operation_name)
            response = await self._execute(request, params, media_type)
        except _Refused as refused:
            self._metrics.requests.labels(operation=operation, outcome="refused").inc()
            self._metrics.errors.labels(code=refused.code).inc()
            return _json(
                {"errors": [{"message": str(refused), "extensions": {"code": refused.code}}]},
                refused.status,
                media_type or APPLICATION_JSON,
                refused.headers,
            )
        self._metrics.latency.labels(operation=operation).observe(time.perf_counter() - started)
        return response

    async def _params(self, request: Request) -> _Params:
        if request.method == "GET":
            raw: Any = dict(request.query_params)
            for key in ("variables", "extensions"):
                if isinstance(raw.get(key), str):
                    raw[key] = _decode_json(raw[key], key)
        elif request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type != APPLICATION_JSON:
                raise _Refused(
                    415, f"send the request as {APPLICATION_JSON}", UNSUPPORTED_MEDIA_TYPE
                )
            raw = _decode_json(await self._body(request), "the body")
        else:
            raise _Refused(405, "use GET or POST", METHOD_NOT_ALLOWED, {"allow": _ALLOWED})
        if isinstance(raw, list):
            raise _Refused(
                400, "batched requests are not supported; send one at a time", BAD_REQUEST
            )
        if not isinstance(raw, dict):
            raise _Refused(400, "the request must be a JSON object", BAD_REQUEST)
        query, variables = raw.get("query"), raw.get("variables")
        operation_name, extensions = raw.get("operationName"), raw.get("extensions")
        if not isinstance(query, str) or not query.strip():
            raise _Refused(400, "the request has no query string", BAD_REQUEST)
        if variables is not None and not isinstance(variables, dict):
            raise _Refused(400, "variables must be a JSON object", BAD_REQUEST)
        if operation_name is not None and not isinstance(operation_name, str):
            raise _Refused(400, "operationName must be a string", BAD_REQUEST)
        if extensions is not None and not isinstance(extensions, dict):
            raise _Refused(400, "extensions must be a JSON object", BAD_REQUEST)
        try:
            sent_bookmarks(extensions)
        except BookmarksError as error:
            raise _Refused(400, str(error), BAD_REQUEST) from error
        return _Params(query, variables, operation_name, extensions)

    async def _body(self, request: Request) -> bytes:
        limit = self._limits.max_body_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise _Refused(413, f"the body is larger than {limit} bytes", PAYLOAD_TOO_LARGE)
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _Refused(413, f"the body is larger than {limit} bytes", PAYLOAD_TOO_LARGE)
                chunks.append(chunk)
        except ClientDisconnect as error:
            raise _Refused(400, "the client went away", BAD_REQUEST) from error
        return b"".join(chunks)

    async def _execute(self, request: Request, params: _Params, media_type: str) -> Response:
        limits = self._limits.query
        try:
            document = _parsed(params.query, limits.max_tokens)
        except LimitExceededError as error:
            return self._refused_document(str(error), error.code, media_type, params)
        except GraphQLSyntaxError as error:
            return self._refused_document(error.message, GRAPHQL_PARSE_FAILED, media_type, params)
        operation = get_operation_ast(document, params.operation_name)
        if operation is None:
            return self._refused_document(
                _no_operation(document, params.operation_name),
                OPERATION_RESOLUTION_FAILURE,
                media_type,
                params,
            )
        is_get = request.method == "GET"
        if is_get and operation.operation is OperationType.MUTATION:
            raise _Refused(
                405, "mutations must be sent with POST", METHOD_NOT_ALLOWED, {"allow": "POST"}
            )
        try:
            self._passed.check(
                params.query,
                document,
                self._graphql_schema,
                params.variables,
                params.operation_name,
                limits,
            )
        except LimitExceededError as error:
            return self._refused_document(str(error), error.code, media_type, params)
        context = await self._context_for(request)
        allowed = (
            {StrawberryOperationType.QUERY}
            if is_get
            else {StrawberryOperationType.QUERY, StrawberryOperationType.MUTATION}
        )
        try:
            with deadline(self._limits.timeout_seconds):
                result = await asyncio.wait_for(
                    self._settled(
                        self._schema.execute(
                            params.query,
                            variable_values=params.variables,
                            context_value=context,
                            operation_name=params.operation_name,
                            allowed_operation_types=allowed,
                            operation_extensions=params.extensions,
                        )
                    ),
                    timeout=self._limits.timeout_seconds,
                )
        except InvalidOperationTypeError as error:
            raise _Refused(
                405, "this operation type is not allowed here", METHOD_NOT_ALLOWED
            ) from error
        except TimeoutError:
            self._metrics.requests.labels(
                operation=self._metrics.operation_label(params.operation_name), outcome="timeout"
            ).inc()
            self._metrics.errors.labels(code=TIMEOUT).inc()
            return _json(
                {
                    "data": None,
                    "errors": [
                        {
                            "message": "the request took longer than its deadline",
                            "extensions": {"code": TIMEOUT},
                        }
                    ],
                },
                504,
                media_type,
            )
        finally:
            context.release()
        errors = result.errors or []
        body: dict[str, Any] = {"data": result.data}
        if errors:
            body["errors"] = [e.formatted for e in errors]
        if result.extensions:
            body["extensions"] = result.extensions
        codes = {str((e.extensions or {}).get("code")) for e in errors}
        not_executed = result.data is None and errors and codes <= _VALIDATION_CODES
        outcome = "refused" if not_executed else ("error" if errors else "ok")
        self._metrics.requests.labels(
            operation=self._metrics.operation_label(params.operation_name), outcome=outcome
        ).inc()
        status = 400 if not_executed and media_type == GRAPHQL_RESPONSE_JSON else 200
        if not_executed:
            body.pop("data")
        return _json(body, status, media_type)

    @staticmethod
    async def _settled(execution: Awaitable[ExecutionResult]) -> ExecutionResult:
        """The execution's result once its loads are answered (settled_loads)."""
        async with settled_loads():
            return await execution

    def _refused_document(
        self, message: str, code: str, media_type: str, params: _Params
    ) -> Response:
        """A document refused before execution: 400 in graphql-response+json, 200 in json."""
        self._metrics.requests.labels(
            operation=self._metrics.operation_label(params.operation_name), outcome="refused"
        ).inc()
        self._metrics.errors.labels(code=code).inc()
        status = 400 if media_type == GRAPHQL_RESPONSE_JSON else 200
        body: dict[str, Any] = {"errors": [{"message": message, "extensions": {"code": code}}]}
        if self._schema_has_debug():
            body["extensions"] = {"dbQueries": 0, "dbMillis": 0.0}
        return _json(body, status, media_type)

    def _schema_has_debug(self) -> bool:
        return any(
            getattr(e, "__name__", "") == "QueryCountExtension" for e in self._schema.extensions
        )


@functools.lru_cache(maxsize=512)
def _parsed(query: str, max_tokens: int) -> DocumentNode:
    """The document of a query string, counted and parsed once per distinct string."""
    check_tokens(query, max_tokens)
    return parse(query, max_tokens=max_tokens)


def _no_operation(document: DocumentNode, operation_name: str | None) -> str:
    """Why ``document`` has no operation to run under ``operation_name``."""
    if not any(isinstance(d, OperationDefinitionNode) for d in document.definitions):
        return "the document has no operation to run"
    if operation_name is None:
        return "the document has several operations: name the one to run in operationName"
    shown = operation_name if len(operation_name) <= 100 else operation_name[:100] + "..."
    return f"the document has no operation named {json.dumps(shown)}"


def _decode_json(raw: bytes | str, what: str) -> Any:
    """``raw`` decoded; orjson refuses what is not text (invalid UTF-8, lone UTF-16
    surrogates, which the standard library lets through to fail deep in the store) as well as
    broken JSON. Its messages speak of its own workings ("str is not valid UTF-8: surrogates
    not allowed" for a byte that is no UTF-8): the client gets the product's, with the place."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise _Refused(400, _not_json(raw, what, error), BAD_REQUEST) from error


def _not_json(raw: bytes | str, what: str, error: orjson.JSONDecodeError) -> str:
    """What is wrong with ``raw``, which orjson refused, and where (line and column count
    characters from 1, as orjson's do)."""
    if not raw.strip():
        return f"{what} is empty: expected a JSON object"
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        text.encode("utf-8")  # a str may hold lone surrogates, which no UTF-8 can
    except (UnicodeDecodeError, UnicodeEncodeError) as bad:
        before = raw[: bad.start]
        line, column = _place(before.decode("utf-8") if isinstance(before, bytes) else before)
        return f"{what} is not UTF-8 text at line {line}, column {column}"
    if error.pos >= len(text.rstrip()):
        return (
            f"{what} ends before its JSON value is complete "
            f"(line {error.lineno}, column {error.colno})"
        )
    return f"{what} is not valid JSON at line {error.lineno}, column {error.colno}"


def _place(before: str) -> tuple[int, int]:
    """The line and column (from 1) of the character that follows ``before``."""
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def _negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header; None when it accepts neither."""
    if not accept:
        return APPLICATION_JSON
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        quality = 1.0
        for piece in pieces[1:]:
            if piece.startswith("q="):
                try:
                    quality = float(piece[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, index, pieces[0].lower()))
    for negative_quality, _, media in sorted(ranked):
        if negative_quality >= 0:
            continue
        if media == GRAPHQL_RESPONSE_JSON:
            return GRAPHQL_RESPONSE_JSON
        if media in (APPLICATION_JSON, "application/*", "*/*"):
            return APPLICATION_JSON
    return None


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _json(
    body: dict[str, Any], status: int, media_type: str, headers: dict[str, str] | None = None
) -> Response:
    # orjson writes the compact UTF-8 text json.dumps(ensure_ascii=False) would; json.dumps
    # was 3% of the server's busy time on a hub's profile page, orjson no longer shows.
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type=f"{media_type}; charset=utf-8",
        headers=headers,
    )
