"""Look-ups by id: validate the client's id, then load through the request's DataLoaders."""

from __future__ import annotations

from graphstore.ids import InvalidIdError, NodeLabel, normalize_id
from graphstore.records import ResearcherRecord, WorkRecord
from resolvers.context import RequestContext
from resolvers.errors import bad_input


def client_id(raw: str, expected: NodeLabel | None = None, argument: str = "id") -> str:
    """The short id of a client-given id, or a BAD_USER_INPUT error naming the argument."""
    try:
        return normalize_id(raw, expected)
    except InvalidIdError as error:
        raise bad_input(f"{argument}: {error}") from error


async def researcher(context: RequestContext, raw_id: str) -> ResearcherRecord | None:
    """The researcher with this id, None when the graph has none."""
    return await context.loaders.researcher.load(client_id(raw_id, NodeLabel.RESEARCHER))


async def work(context: RequestContext, raw_id: str) -> WorkRecord | None:
    """The work with this id, None when the graph has none."""
    return await context.loaders.work.load(client_id(raw_id, NodeLabel.WORK))
