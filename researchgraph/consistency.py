"""Read-your-writes across a cluster: a request's bookmarks, in and out.

A client that wrote sends back, in its next request's ``extensions.bookmarks``, the bookmarks
the write's response gave it in its own ``extensions.bookmarks``; that request's reads then
wait until the server answering them has the write (graphstore.instrumentation.causal_chain).
Within one request, the reads after a write wait for it the same way. Only Neo4j gives
bookmarks; the embedded store, one process, shows every committed write to every read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from strawberry.extensions import SchemaExtension

from graphstore.instrumentation import CausalChain, causal_chain

# Enough for the bookmarks of any response (Neo4j gives one per database written); a client
# sends back what it was given, nothing it makes up.
MAX_BOOKMARKS = 16
MAX_BOOKMARK_LENGTH = 1024


class BookmarksError(ValueError):
    """``extensions.bookmarks`` of a request that is not a short list of short strings."""


def sent_bookmarks(extensions: Mapping[str, Any] | None) -> list[str]:
    """The bookmarks a request's ``extensions`` carry (none when it has none), checked."""
    sent = (extensions or {}).get("bookmarks")
    if sent is None:
        return []
    if (
        not isinstance(sent, list)
        or len(sent) > MAX_BOOKMARKS
        or not all(isinstance(b, str) and 0 < len(b) <= MAX_BOOKMARK_LENGTH for b in sent)
    ):
        raise BookmarksError(
            f"extensions.bookmarks must be a list of at most {MAX_BOOKMARKS} bookmarks, "
            "as a response's extensions.bookmarks gave them"
        )
    return sent


class CausalConsistency(SchemaExtension):
    """Runs each operation in a causal chain started from the bookmarks its request sent, and
    adds ``extensions.bookmarks`` to a response whose chain has some."""

    _chain: CausalChain | None = None

    def on_operation(self) -> Iterator[None]:
        with causal_chain(sent_bookmarks(self.execution_context.operation_extensions)) as chain:
            self._chain = chain
            yield

    def get_results(self) -> dict[str, Any]:
        if self._chain is None or not self._chain.bookmarks:
            return {}
        return {"bookmarks": sorted(self._chain.bookmarks)}
