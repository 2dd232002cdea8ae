"""OpenAlex records to import rows: pure mapping, no IO.

Field facts: ids are URIs (kept as short keys), abstracts come as an inverted index, topic
hierarchy ids are ints or URIs, and ``host_venue``, ``x_concepts`` and
``last_known_institution`` are deprecated and ignored.

Every record of a big import passes through here, so the mapping reads each field once and
checks types with plain ``isinstance`` calls; a value of the wrong type raises RecordError,
which the importer reports as ``file:line: reason``.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import repeat
from typing import Any

from graphstore import identifiers
from graphstore.ids import ENTITY_NUMBER_DIGITS, TOPIC_LEVEL_NUMBER_DIGITS, short_key
from graphstore.records import (
    AffiliationRow,
    AuthorRow,
    AuthorshipRow,
    InstitutionRow,
    TopicLevelRow,
    TopicRow,
    WorkRow,
    WorkTopicRow,
)

_ENTITY_BY_PREFIX = {
    "W": "work",
    "A": "author",
    "I": "institution",
    "T": "topic",
    "S": "source",
    "C": "concept",
    "P": "publisher",
    "F": "funder",
}
# Topic hierarchy levels are their own OpenAlex entities, with path ids (".../fields/17").
_LEVEL_BY_PATH = {"domains": "domain", "fields": "field", "subfields": "subfield"}
_HIERARCHY = ("subfield", "field", "domain")

IMPORTED_ENTITIES = frozenset(
    {"work", "author", "institution", "topic", "domain", "field", "subfield"}
)
"""Entities the graph holds. Sources, concepts, publishers and funders are recognised and
counted, but the graph model has no node for them (a work's venue is a property)."""

ImportRow = WorkRow | AuthorRow | InstitutionRow | TopicRow
_NOTHING_STATED_NULL: frozenset[str] = frozenset()
# Both engines store 64-bit integers: a larger one would fail its whole batch in the store.
_MAX_STORED_INT = 2**63 - 1
_LAST_YEAR = 9999


class RecordError(ValueError):
    """A record that cannot be imported; the message says why, for the import report."""


def entity_of(record: Mapping[str, Any]) -> str:
    """The OpenAlex entity a record is (work, author, ...), recognised from its id."""
    raw = record.get("id")
    if isinstance(raw, str):
        parts = raw.strip().rstrip("/").rsplit("/", 2)
        if (
            len(parts) >= 2
            and parts[-2] in _LEVEL_BY_PATH
            and _is_number(parts[-1], TOPIC_LEVEL_NUMBER_DIGITS)
        ):
            return _LEVEL_BY_PATH[parts[-2]]
    key = short_key(raw)
    if key is None or isinstance(raw, int):
        raise RecordError("missing or malformed id")
    entity = _ENTITY_BY_PREFIX.get(key[0].upper())
    if entity is None or not _is_number(key[1:]):
        raise RecordError(f"unrecognised OpenAlex id {key[:80]!r}")
    return entity


def import_row(entity: str, record: Mapping[str, Any]) -> ImportRow:
    """Map a record of an imported entity (see IMPORTED_ENTITIES) to its import row."""
    if entity == "work":
        return work_row(record)
    if entity == "author":
        return author_row(record)
    if entity == "institution":
        return institution_row(record)
    if entity == "topic":
        return topic_row(record)
    return hierarchy_row(entity, record)


def work_row(record: Mapping[str, Any]) -> WorkRow:
    """Map an OpenAlex Work record to the row GraphStore.upsert_works writes."""
    work_id = _entity_key(record.get("id"), "W")
    title = (
        _optional_str(record.get("title"), "title")
        or _optional_str(record.get("display_name"), "display_name")
        or ""
    )
    doi = _doi(record.get("doi"))
    return WorkRow(
        id=work_id,
        title=title,
        type=_optional_str(record.get("type"), "type") or "unknown",
        year=_optional_int(record.get("publication_year"), "publication_year"),
        venue=_venue(record.get("primary_location")),
        doi=doi,
        abstract=abstract_text(record.get("abstract_inverted_index")),
        cited_by_count=_optional_int(record.get("cited_by_count"), "cited_by_count") or 0,
        updated_date=_optional_str(record.get("updated_date"), "updated_date") or "",
        authorships=_authorships(record.get("authorships")),
        topics=_topics(record.get("topics")),
        references=_references(record.get("referenced_works")),
        counts_by_year=_counts_by_year(record.get("counts_by_year")),
        named_dois=_named_dois(record, doi),
    )


def author_row(record: Mapping[str, Any]) -> AuthorRow:
    """Map an OpenAlex Author record to the row GraphStore.upsert_authors writes.

    Fields a partial record (an autocomplete answer, say) lacks stay None, so they leave
    what the graph already knows alone.
    """
    author_id = _entity_key(record.get("id"), "A")
    stats = record.get("summary_stats")
    if stats is not None and not isinstance(stats, dict):
        raise RecordError("summary_stats is not an object")
    alternatives = record.get("display_name_alternatives")
    if alternatives is not None and not (
        isinstance(alternatives, list) and all(isinstance(a, str) for a in alternatives)
    ):
        raise RecordError("display_name_alternatives is not a list of strings")
    affiliations = record.get("affiliations")
    last_known = record.get("last_known_institutions")
    orcid = _orcid(record.get("orcid"))
    works_count = _optional_int(record.get("works_count"), "works_count")
    cited_by_count = _optional_int(record.get("cited_by_count"), "cited_by_count")
    h_index = _optional_int(stats.get("h_index"), "h_index") if stats else None
    i10_index = _optional_int(stats.get("i10_index"), "i10_index") if stats else None
    given = record.keys() | (stats.keys() if stats else set())
    values = {
        "orcid": orcid,
        "works_count": works_count,
        "cited_by_count": cited_by_count,
        "h_index": h_index,
        "i10_index": i10_index,
    }
    # A list given as null says "none": an empty tuple, which replaces what is stored.
    return AuthorRow(
        id=author_id,
        name=_optional_str(record.get("display_name"), "display_name") or author_id,
        updated_date=_optional_str(record.get("updated_date"), "updated_date") or "",
        orcid=orcid,
        name_alternatives=tuple(dict.fromkeys(alternatives))
        if alternatives is not None
        else _empty_if_given(record, "display_name_alternatives"),
        works_count=works_count,
        cited_by_count=cited_by_count,
        h_index=h_index,
        i10_index=i10_index,
        affiliations=_affiliations(affiliations)
        if affiliations is not None
        else _empty_if_given(record, "affiliations"),
        last_known_institutions=_institutions(last_known, "last_known_institutions")
        if last_known is not None
        else _empty_if_given(record, "last_known_institutions"),
        # AuthorRow's fields share their names with OpenAlex's keys.
        stated_null=frozenset(
            name for name, value in values.items() if value is None and name in given
        ),
    )


def _empty_if_given(record: Mapping[str, Any], key: str) -> tuple[()] | None:
    """An empty tuple when the record gives ``key`` as null (it says: none), None when it
    leaves the key out (it does not say)."""
    return () if key in record else None


def institution_row(record: Mapping[str, Any]) -> InstitutionRow:
    """Map an OpenAlex Institution record to the row GraphStore.upsert_institutions writes."""
    institution = _institution(record, strict=True)
    assert institution is not None  # strict: a bad id raised instead
    return institution


def topic_row(record: Mapping[str, Any]) -> TopicRow:
    """Map an OpenAlex Topic record: the topic and its subfield, field and domain."""
    topic_id = _entity_key(record.get("id"), "T")
    return TopicRow(
        topic=TopicLevelRow(
            id=topic_id,
            name=_optional_str(record.get("display_name"), "display_name") or topic_id,
            level="topic",
        ),
        ancestors=_ancestors(record, _HIERARCHY),
        updated_date=_optional_str(record.get("updated_date"), "updated_date") or "",
    )


def hierarchy_row(level: str, record: Mapping[str, Any]) -> TopicRow:
    """Map a Domain, Field or Subfield record: a Topic node of that level and its parents."""
    node = _hierarchy_level(record, level)
    if node is None:
        raise RecordError(f"missing or malformed {level} id")
    return TopicRow(
        topic=node,
        ancestors=_ancestors(record, _HIERARCHY[_HIERARCHY.index(level) + 1 :]),
        updated_date=_optional_str(record.get("updated_date"), "updated_date") or "",
    )


def abstract_text(inverted_index: object) -> str | None:
    """Rebuild an abstract from OpenAlex's inverted index (word -> positions)."""
    if inverted_index is None:
        return None
    if not isinstance(inverted_index, dict):
        raise RecordError("abstract_inverted_index is not an object")
    size = 0
    for positions in inverted_index.values():
        if not isinstance(positions, list):
            raise RecordError("abstract_inverted_index positions are not a list")
        size += len(positions)
    # Fast path for the usual index, whose positions are exactly 0..size-1: fill a list.
    words = [""] * size
    try:
        for word, positions in inverted_index.items():
            for position in positions:
                words[position] = word
    except (IndexError, TypeError):
        return _sparse_abstract(inverted_index)
    if "" in words:  # a gap, a repeated or a negative position
        return _sparse_abstract(inverted_index)
    return " ".join(words) or None


def _sparse_abstract(inverted_index: dict[Any, list[Any]]) -> str | None:
    placed: dict[int, str] = {}
    for word, positions in inverted_index.items():
        placed.update(zip(positions, repeat(str(word))))
    if set(map(type, placed)) - {int}:
        raise RecordError("abstract_inverted_index positions are not integers")
    return " ".join([placed[p] for p in sorted(placed) if p >= 0]) or None


def _is_number(text: str, digits: int = ENTITY_NUMBER_DIGITS) -> bool:
    """Whether ``text`` is an id's number as the API takes it: no leading 0, at most
    ``digits`` long (an id the API could not look up is no id)."""
    return text.isascii() and text.isdigit() and text[:1] != "0" and len(text) <= digits


def _key(raw: str) -> str:
    """The last path segment of an id (short key or URL); the hot path of the mapping."""
    text = raw.strip().rstrip("/")
    return text[text.rfind("/") + 1 :]


def _entity_key(raw: object, prefix: str) -> str:
    key = _key(raw) if isinstance(raw, str) else ""
    if key[:1].upper() != prefix or not _is_number(key[1:]):
        raise RecordError(f"missing or malformed {prefix}-id: {str(raw)[:80]!r}")
    return prefix + key[1:]


def _optional_key(raw: object, prefix: str) -> str | None:
    """The short key of an id with this prefix, or None when it is absent or unusable."""
    key = _key(raw) if isinstance(raw, str) else ""
    if key[:1].upper() != prefix or not _is_number(key[1:]):
        return None
    return prefix + key[1:]


def _optional_str(value: object, name: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"{name} is not a string but {type(value).__name__}")
    return value.strip() or None


def _optional_int(value: object, name: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RecordError(f"{name} is not a non-negative integer")
    if value > _MAX_STORED_INT:
        raise RecordError(f"{name} is larger than a stored integer can be")
    return value


def _doi(value: object) -> str | None:
    doi = _optional_str(value, "doi")
    if doi is None:
        return None
    lowered = doi.lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi:"):
        if lowered.startswith(prefix):
            return doi[len(prefix) :]
    return doi


def _venue(location: object) -> str | None:
    if not isinstance(location, dict):
        return None
    source = location.get("source")
    if not isinstance(source, dict):
        return None
    return _optional_str(source.get("display_name"), "display_name")


def _authorships(raw: object) -> tuple[AuthorshipRow, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RecordError("authorships is not a list")
    rows: list[AuthorshipRow] = []
    seen: set[str] = set()
    for entry in raw:
        author = entry.get("author") if isinstance(entry, dict) else None
        if not isinstance(author, dict):
            raise RecordError("an authorship has no author object")
        raw_id = author.get("id")
        if raw_id is None:
            continue  # OpenAlex lists unresolved authors without an id: nothing to link.
        author_id = _entity_key(raw_id, "A")
        if author_id in seen:
            continue  # The same author twice on one work: keep the first position.
        seen.add(author_id)
        name = _optional_str(author.get("display_name"), "an author's display_name")
        name = name or _optional_str(entry.get("raw_author_name"), "raw_author_name")
        institutions = entry.get("institutions")
        rows.append(
            AuthorshipRow(
                researcher_id=author_id,
                name=name or author_id,
                position=len(rows),
                orcid=_orcid(author.get("orcid")),
                institutions=_institutions(institutions, "institutions") if institutions else (),
            )
        )
    return tuple(rows)


def _orcid(value: object) -> str | None:
    orcid = _optional_str(value, "orcid")
    if orcid is None:
        return None
    return orcid.rstrip("/").rsplit("/", 1)[-1]


def _institutions(raw: object, name: str) -> tuple[InstitutionRow, ...]:
    if not isinstance(raw, list):
        raise RecordError(f"{name} is not a list")
    rows: dict[str, InstitutionRow] = {}
    for entry in raw:
        institution = _institution(entry, strict=False)
        if institution is not None and institution.id not in rows:
            rows[institution.id] = institution
    return tuple(rows.values())


def _institution(entry: object, *, strict: bool) -> InstitutionRow | None:
    """An institution object; without a usable id it is skipped, or refused when ``strict``."""
    if not isinstance(entry, dict):
        if strict:
            raise RecordError("an institution is not an object")
        return None
    key = _optional_key(entry.get("id"), "I")
    if key is None:
        if strict:
            raise RecordError(f"missing or malformed I-id: {str(entry.get('id'))[:80]!r}")
        return None
    ror = _optional_str(entry.get("ror"), "ror")
    country = _optional_str(entry.get("country_code"), "country_code")
    kind = _optional_str(entry.get("type"), "type")
    stated_null = _NOTHING_STATED_NULL
    if strict:  # A record of its own; one named on a work only fills in (engines.writes).
        given = {"ror": ("ror", ror), "country": ("country_code", country), "type": ("type", kind)}
        stated_null = frozenset(
            name for name, (source, value) in given.items() if value is None and source in entry
        )
    return InstitutionRow(
        id=key,
        name=_optional_str(entry.get("display_name"), "display_name") or key,
        ror=ror,
        country=country,
        type=kind,
        updated_date=_optional_str(entry.get("updated_date"), "updated_date") or "",
        stated_null=stated_null,
    )


def _affiliations(raw: object) -> tuple[AffiliationRow, ...]:
    if not isinstance(raw, list):
        raise RecordError("affiliations is not a list")
    rows: dict[str, AffiliationRow] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            raise RecordError("an affiliation is not an object")
        institution = _institution(entry.get("institution"), strict=False)
        if institution is None:
            continue
        years = entry.get("years") or []
        if not isinstance(years, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) and 0 <= y <= _LAST_YEAR for y in years
        ):
            raise RecordError("affiliation years are not a list of years")
        known = rows.get(institution.id)
        merged = set(years) | set(known.years if known else ())
        rows[institution.id] = AffiliationRow(institution, tuple(sorted(merged)))
    return tuple(rows.values())


def _topics(raw: object) -> tuple[WorkTopicRow, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RecordError("topics is not a list")
    rows: list[WorkTopicRow] = []
    for entry in raw:
        if not isinstance(entry, dict):
            continue
        key = _optional_key(entry.get("id"), "T")
        if key is None:
            continue
        score = entry.get("score")
        if score is not None and (not isinstance(score, int | float) or isinstance(score, bool)):
            raise RecordError("a topic's score is not a number")
        rows.append(
            WorkTopicRow(
                topic=TopicLevelRow(
                    id=key,
                    name=_optional_str(entry.get("display_name"), "display_name") or key,
                    level="topic",
                ),
                score=0.0 if score is None else float(score),
                ancestors=_ancestors(entry, _HIERARCHY),
            )
        )
    return tuple(rows)


def _ancestors(record: Mapping[str, Any], levels: tuple[str, ...]) -> tuple[TopicLevelRow, ...]:
    found = (_hierarchy_level(record.get(level), level) for level in levels)
    return tuple(level for level in found if level is not None)


def _hierarchy_level(raw: object, level: str) -> TopicLevelRow | None:
    if not isinstance(raw, Mapping):
        return None
    number = short_key(raw.get("id"))
    if number is None or not _is_number(number, TOPIC_LEVEL_NUMBER_DIGITS):
        return None
    return TopicLevelRow(
        id=f"{level}s/{number}",
        name=_optional_str(raw.get("display_name"), "display_name") or f"{level} {number}",
        level=level,
    )


def _counts_by_year(raw: object) -> tuple[tuple[int, int], ...]:
    """(year, citations) pairs, newest first; a year given twice keeps its first count."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RecordError("counts_by_year is not a list")
    counts: dict[int, int] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            raise RecordError("a counts_by_year entry is not an object")
        year = _optional_int(entry.get("year"), "a counts_by_year year")
        cited = _optional_int(entry.get("cited_by_count"), "a counts_by_year cited_by_count")
        if year is None or year > _LAST_YEAR:
            raise RecordError("a counts_by_year entry has no year")
        counts.setdefault(year, cited or 0)
    return tuple(sorted(counts.items(), reverse=True))


# Where a record names the DOIs of its locations (a published article's preprint, ...).
_LOCATION_FIELDS = ("locations", "primary_location", "best_oa_location")
_LOCATION_URLS = ("landing_page_url", "pdf_url")


def _named_dois(record: Mapping[str, Any], own: str | None) -> tuple[str, ...]:
    """The DOIs the record's locations name, other than its own, lower-cased."""
    own_doi = identifiers.doi(own) if own else None
    found: dict[str, None] = {}
    for name in _LOCATION_FIELDS:
        value = record.get(name)
        locations = value if isinstance(value, list) else [value]
        for location in locations:
            if not isinstance(location, dict):
                continue
            for url_field in _LOCATION_URLS:
                url = location.get(url_field)
                if isinstance(url, str) and "doi.org/" in url.lower():
                    named = identifiers.doi(url)
                    if named is not None and named != own_doi:
                        found[named] = None
    return tuple(found)


def _references(raw: object) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RecordError("referenced_works is not a list")
    keys = (_optional_key(ref, "W") for ref in raw)
    return tuple(dict.fromkeys(key for key in keys if key is not None))
