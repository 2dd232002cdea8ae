"""The operator's view: Prometheus metrics, JSON logs and a request id on every response."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_OPERATION_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
# Operation names come from clients: past this many distinct ones (or a name that is not a
# GraphQL name of at most 64 characters) requests count as "other", so a client cannot grow
# the metrics, and the memory holding them, without bound.
MAX_OPERATION_LABELS = 200
request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


class Metrics:
    """The service's metrics, in a registry of its own (one per app, so tests stay apart)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "graphql_requests_total",
            "GraphQL requests by operation name and outcome (ok, error, refused, timeout).",
            ["operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "graphql_request_seconds",
            "GraphQL request latency by operation name.",
            ["operation"],
            registry=self.registry,
        )
        self.errors = Counter(
            "graphql_errors_total", "GraphQL errors by code.", ["code"], registry=self.registry
        )
        self.store_queries = Histogram(
            "store_query_seconds",
            "Latency of store queries by engine (the count is store_query_seconds_count).",
            ["engine"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.batch_sizes = Histogram(
            "dataloader_batch_size",
            "Keys per DataLoader batch (one store query each).",
            ["loader"],
            buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500),
            registry=self.registry,
        )

        self._operations: set[str] = set()

    def operation_label(self, name: str | None) -> str:
        """The metrics label of a request's operation name: "anonymous" when it has none,
        "other" past MAX_OPERATION_LABELS distinct names or for a name GraphQL would refuse."""
        if name is None:
            return "anonymous"
        if name in self._operations:
            return name
        if len(self._operations) >= MAX_OPERATION_LABELS or not _OPERATION_NAME.fullmatch(name):
            return "other"
        self._operations.add(name)
        return name

    def observe_store_query(self, engine: str, seconds: float) -> None:
        """Record one store query."""
        self.store_queries.labels(engine=engine).observe(seconds)

    def observe_batch(self, loader: str, size: int) -> None:
        """Record one DataLoader batch."""
        self.batch_sizes.labels(loader=loader).observe(size)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)


class JsonLogFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and any trace."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        current = request_id.get()
        if current:
            entry["requestId"] = current
        for key in ("error_id",):
            if hasattr(record, key):
                entry["errorId"] = getattr(record, key)
        if record.exc_info:
            entry["trace"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send every log line (ours, uvicorn's, the driver's) to stderr as JSON."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True
    # Strawberry logs every GraphQL error with its trace; error_handling logs what matters.
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)


class RequestIdMiddleware:
    """Gives each request an id (the client's X-Request-ID when it is sane), logs carry it,
    and the response returns it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = (
            dict(scope.get("headers") or []).get(REQUEST_ID_HEADER.encode(), b"").decode("latin-1")
        )
        current = given if _SAFE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(current)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((REQUEST_ID_HEADER.encode(), current.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
