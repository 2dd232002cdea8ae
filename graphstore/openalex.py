"""OpenAlex records to import rows: pure mapping, no IO.

Field facts: ids are URIs (kept as short keys), abstracts come as an inverted index, topic
hierarchy ids are ints or URIs, and ``host_venue``, ``x_concepts`` and
``last_known_institution`` are deprecated and ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphstore.ids import short_key
from graphstore.records import (
    AuthorshipRow,
    InstitutionRow,
    TopicLevelRow,
    WorkRow,
    WorkTopicRow,
)

_ENTITY_BY_PREFIX = {"W": "work", "A": "author", "I": "institution", "T": "topic", "S": "source"}
_HIERARCHY = ("subfield", "field", "domain")


class RecordError(ValueError):
    """A record that cannot be imported; the message says why, for the import report."""


def entity_of(record: Mapping[str, Any]) -> str:
    """The OpenAlex entity a record is (work, author, ...), recognised from its id."""
    key = short_key(record.get("id"))
    if key is None:
        raise RecordError("missing or malformed id")
    entity = _ENTITY_BY_PREFIX.get(key[0])
    if entity is None or not key[1:].isdigit():
        raise RecordError(f"unrecognised OpenAlex id {key!r}")
    return entity


def work_row(record: Mapping[str, Any]) -> WorkRow:
    """Map an OpenAlex Work record to the row GraphStore.upsert_works writes."""
    work_id = _entity_key(record.get("id"), "W")
    title = _optional_str(record.get("title")) or _optional_str(record.get("display_name")) or ""
    year = record.get("publication_year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise RecordError("publication_year is not an integer")
    cited_by = record.get("cited_by_count") or 0
    if not isinstance(cited_by, int) or isinstance(cited_by, bool) or cited_by < 0:
        raise RecordError("cited_by_count is not a non-negative integer")
    return WorkRow(
        id=work_id,
        title=title,
        type=_optional_str(record.get("type")) or "unknown",
        year=year,
        venue=_venue(record.get("primary_location")),
        doi=_doi(record.get("doi")),
        abstract=abstract_text(record.get("abstract_inverted_index")),
        cited_by_count=cited_by,
        updated_date=_optional_str(record.get("updated_date")) or "",
        authorships=_authorships(record.get("authorships")),
        topics=_topics(record.get("topics")),
        references=_references(record.get("referenced_works")),
    )


def abstract_text(inverted_index: object) -> str | None:
    """Rebuild an abstract from OpenAlex's inverted index (word -> positions)."""
    if not isinstance(inverted_index, Mapping) or not inverted_index:
        return None
    placed: dict[int, str] = {}
    for word, positions in inverted_index.items():
        if not isinstance(positions, list):
            raise RecordError("abstract_inverted_index positions are not a list")
        for position in positions:
            if isinstance(position, int) and not isinstance(position, bool) and position >= 0:
                placed[position] = str(word)
    return " ".join(placed[p] for p in sorted(placed)) or None


def _entity_key(raw: object, prefix: str) -> str:
    key = short_key(raw)
    if key is None or key[0] != prefix or not key[1:].isdigit():
        raise RecordError(f"missing or malformed {prefix}-id: {str(raw)[:80]!r}")
    return key


def _optional_str(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"expected a string, got {type(value).__name__}")
    return value.strip() or None


def _doi(value: object) -> str | None:
    doi = _optional_str(value)
    if doi is None:
        return None
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if doi.lower().startswith(prefix):
            return doi[len(prefix) :]
    return doi


def _venue(location: object) -> str | None:
    if not isinstance(location, Mapping):
        return None
    source = location.get("source")
    if not isinstance(source, Mapping):
        return None
    return _optional_str(source.get("display_name"))


def _authorships(raw: object) -> tuple[AuthorshipRow, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RecordError("authorships is not a list")
    rows: list[AuthorshipRow] = []
    seen: set[str] = set()
    for entry in raw:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("author"), Mapping):
            raise RecordError("an authorship has no author object")
        author = entry["author"]
        author_id = short_key(author.get("id"))
        if author_id is None:
            continue  # OpenAlex lists unresolved authors without an id: nothing to link.
        if author_id[0] != "A" or not author_id[1:].isdigit():
            raise RecordError(f"malformed author id {author_id[:80]!r}")
        if author_id in seen:
            continue  # The same author twice on one work: keep the first position.
        seen.add(author_id)
        name = _optional_str(author.get("display_name")) or _optional_str(
            entry.get("raw_author_name")
        )
        rows.append(
            AuthorshipRow(
                researcher_id=author_id,
                name=name or author_id,
                position=len(rows),
                orcid=_orcid(author.get("orcid")),
                institutions=_institutions(entry.get("institutions")),
            )
        )
    return tuple(rows)


def _orcid(value: object) -> str | None:
    orcid = _optional_str(value)
    if orcid is None:
        return None
    return orcid.rstrip("/").rsplit("/", 1)[-1]


def _institutions(raw: object) -> tuple[InstitutionRow, ...]:
    if not isinstance(raw, list):
        return ()
    rows: dict[str, InstitutionRow] = {}
    for entry in raw:
        if not isinstance(entry, Mapping):
            continue
        key = short_key(entry.get("id"))
        if key is None or key[0] != "I" or not key[1:].isdigit():
            continue
        rows.setdefault(
            key,
            InstitutionRow(
                id=key,
                name=_optional_str(entry.get("display_name")) or key,
                ror=_optional_str(entry.get("ror")),
                country=_optional_str(entry.get("country_code")),
                type=_optional_str(entry.get("type")),
            ),
        )
    return tuple(rows.values())


def _topics(raw: object) -> tuple[WorkTopicRow, ...]:
    if not isinstance(raw, list):
        return ()
    rows: list[WorkTopicRow] = []
    for entry in raw:
        if not isinstance(entry, Mapping):
            continue
        key = short_key(entry.get("id"))
        if key is None or key[0] != "T" or not key[1:].isdigit():
            continue
        score = entry.get("score")
        ancestors = tuple(
            level
            for level in (_hierarchy_level(entry.get(name), name) for name in _HIERARCHY)
            if level is not None
        )
        rows.append(
            WorkTopicRow(
                topic=TopicLevelRow(
                    id=key, name=_optional_str(entry.get("display_name")) or key, level="topic"
                ),
                score=float(score) if isinstance(score, int | float) else 0.0,
                ancestors=ancestors,
            )
        )
    return tuple(rows)


def _hierarchy_level(raw: object, level: str) -> TopicLevelRow | None:
    if not isinstance(raw, Mapping):
        return None
    number = short_key(raw.get("id"))
    if number is None or not number.isdigit():
        return None
    return TopicLevelRow(
        id=f"{level}s/{number}",
        name=_optional_str(raw.get("display_name")) or f"{level} {number}",
        level=level,
    )


def _references(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list):
        return ()
    keys = (short_key(ref) for ref in raw)
    return tuple(dict.fromkeys(k for k in keys if k and k[0] == "W" and k[1:].isdigit()))
