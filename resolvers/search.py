"""Full-text search over researcher names, work titles and abstracts, topics and institutions."""

from __future__ import annotations

import asyncio
import base64
import binascii
from dataclasses import dataclass

from graphstore.protocol import SearchOrder, SearchRequest
from graphstore.records import InstitutionRecord, ResearcherRecord, TopicRecord, WorkRecord
from resolvers.context import RequestContext
from resolvers.errors import NO_KINDS, bad_input
from resolvers.works import page_size, work_filter

MAX_QUERY_CHARS = 10_000
# Years as the indexes hold them: four digits.
_YEARS = range(10_000)
# Relevance order is not a keyset order (scores change as the graph grows), so search pages
# by position; the cursor is still opaque and checked.
_CURSOR_PREFIX = "search:"

NodeRecord = ResearcherRecord | WorkRecord | TopicRecord | InstitutionRecord


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of search results, most relevant first."""

    records: tuple[NodeRecord, ...]
    total: int
    has_next_page: bool
    end_cursor: str | None


def _encode(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def _decode(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode()).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        text = ""
    number = text.removeprefix(_CURSOR_PREFIX)
    if len(cursor) > 64 or not text.startswith(_CURSOR_PREFIX) or not number.isdigit():
        raise bad_input("after: not a cursor of this search")
    return int(number)


async def _load(context: RequestContext, kind: str, node_id: str) -> NodeRecord | None:
    loaders = context.loaders
    if kind == "researcher":
        return await loaders.researcher.load(node_id)
    if kind == "work":
        return await loaders.work.load(node_id)
    if kind == "topic":
        return await loaders.topic.load(node_id)
    return await loaders.institution.load(node_id)


async def search(
    context: RequestContext,
    query: str,
    kinds: list[str] | None,
    first: int,
    after: str | None,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    order: SearchOrder = SearchOrder.RELEVANCE,
) -> SearchPage:
    """Nodes matching ``query`` (plain text; any syntax characters are searched for)."""
    if len(query) > MAX_QUERY_CHARS:
        raise bad_input(f"query: at most {MAX_QUERY_CHARS} characters")
    if kinds is not None and not kinds:
        raise bad_input(NO_KINDS)
    if any(year is not None and year not in _YEARS for year in (year_from, year_to)):
        raise bad_input("yearFrom, yearTo: a year from 0 to 9999")
    years = work_filter(year_from, year_to, None)
    first = page_size(first)
    offset = _decode(after) + 1 if after else 0
    request = SearchRequest(
        query, kinds, first, offset, years.year_from, years.year_to, order=order
    )
    hits, total = await context.store.search(request)
    records = await asyncio.gather(*(_load(context, hit.kind, hit.id) for hit in hits))
    found = tuple(r for r in records if r is not None)
    last = offset + len(hits) - 1
    # A full page may be the last one: one more result would have to be asked for to know,
    # so the next page is offered while the count says more match.
    return SearchPage(
        records=found,
        total=total,
        has_next_page=len(hits) == first and last + 1 < total,
        end_cursor=_encode(last) if hits else None,
    )
