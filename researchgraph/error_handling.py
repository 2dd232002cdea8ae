"""Every GraphQL error leaves with a code, and nothing internal leaves at all.

Client errors (bad input, not found, ...) keep their message and code. Store faults become
DATABASE_UNAVAILABLE or TIMEOUT. Anything unexpected is masked to a generic message with an
error id; the log has the stack trace under the same id. No Cypher, path or setting is ever in
a message that reaches a client.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from graphstore.protocol import InvalidBookmarkError, StoreTimeoutError, StoreUnavailableError
from resolvers.errors import BAD_USER_INPUT, DATABASE_UNAVAILABLE

log = logging.getLogger("researchgraph.errors")

INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
TIMEOUT = "TIMEOUT"
GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"


# graphql-core gives up on a document whose fields would take too long to compare for
# conflicts (1,000 copies of one field, say) with this bare message: say why.
_VALIDATION_ABORTED = {
    "Validation aborted.": "validation aborted: the document repeats or overlaps too many "
    "fields to check; ask each field once"
}


def coded(error: GraphQLError, message: str, code: str, **extra: str) -> GraphQLError:
    """A copy of ``error`` (same location and path) with a safe message and a code."""
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": code, **extra},
    )


def classify(error: GraphQLError) -> GraphQLError:
    """The error as the client may see it."""
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        if error.extensions and "code" in error.extensions:
            return error
        # graphql-core's own parse and validation messages: about the document, safe to show.
        code = (
            GRAPHQL_PARSE_FAILED
            if error.message.startswith("Syntax Error")
            else (GRAPHQL_VALIDATION_FAILED)
        )
        return coded(error, _VALIDATION_ABORTED.get(error.message, error.message), code)
    if isinstance(original, StoreTimeoutError | TimeoutError):
        return coded(error, "the request took longer than its deadline", TIMEOUT)
    if isinstance(original, InvalidBookmarkError):
        return coded(
            error,
            "the bookmarks sent are not this database's: send back only the bookmarks a "
            "response's extensions gave",
            BAD_USER_INPUT,
        )
    if isinstance(original, StoreUnavailableError):
        log.warning("database unavailable: %s", original)
        return coded(error, "the database is unavailable; try again shortly", DATABASE_UNAVAILABLE)
    error_id = uuid.uuid4().hex[:12]
    log.error(
        "unexpected error %s at %s",
        error_id,
        error.path,
        exc_info=original,
        extra={"error_id": error_id},
    )
    return coded(
        error,
        f"internal server error (error id {error_id})",
        INTERNAL_SERVER_ERROR,
        errorId=error_id,
    )


def error_codes_extension(on_error: Callable[[str], None]) -> type[SchemaExtension]:
    """A Strawberry extension that classifies every error and reports its code."""

    class ErrorCodes(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            yield
            # Strawberry's own result or graphql-core's, depending on where execution stopped:
            # both carry a mutable ``errors`` list.
            result = self.execution_context.result
            errors = getattr(result, "errors", None)
            if result is not None and errors:
                classified = [classify(e) for e in errors]
                result.errors = classified
                for error in classified:
                    on_error(str((error.extensions or {}).get("code", INTERNAL_SERVER_ERROR)))

    return ErrorCodes
