"""Plain records that cross the store boundary: what the engines return and what importers write.

No IO and no GraphQL here: the schema wraps these, the engines build them.
"""

from __future__ import annotations

from enum import StrEnum

import msgspec


class WorkOrder(StrEnum):
    """Orders of a works list; each is total (ties: title, then id), as keyset paging needs."""

    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    MOST_CITED = "MOST_CITED"


class WorkFilter(msgspec.Struct, frozen=True):
    """Filters of a works list; None means no bound."""

    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] | None = None


class WorkPosition(msgspec.Struct, frozen=True):
    """A work's place in an order: its sort value (year or citations), title, then id.

    A missing year sorts as 0 in NEWEST and 9999 in OLDEST; a missing title as the id.
    """

    sort_value: int
    title: str
    id: str


class WorkPageRequest(msgspec.Struct, frozen=True):
    """One page of a researcher's works: ``first`` works after ``after`` in ``order``.

    ``author_names_only``: the caller reads no more of the page's authors than their ids,
    names and positions, so the store may leave the rest out (WorkPage.authors_in_full).
    ``author_limit``: the caller reads no more than each work's first that many authors, so
    the store reads only those (a work of 5,000 authors brings 10 to a profile page).
    """

    researcher_id: str
    order: WorkOrder
    filter: WorkFilter
    after: WorkPosition | None
    first: int
    author_names_only: bool = False
    author_limit: int | None = None


class ClaimState(StrEnum):
    """Where a researcher record stands with the people who may claim it."""

    UNCLAIMED = "UNCLAIMED"
    PENDING = "PENDING"
    CLAIMED = "CLAIMED"


class ResearcherRecord(msgspec.Struct, frozen=True):
    id: str
    name: str
    orcid: str | None = None
    bio: str | None = None
    open_to_collaborate: bool = True
    claim_status: ClaimState = ClaimState.UNCLAIMED
    orcid_verified: bool = False


class WorkRecord(msgspec.Struct, frozen=True):
    id: str
    title: str
    type: str
    year: int | None
    venue: str | None
    doi: str | None
    abstract: str | None
    citations: int
    # The authorships its record lists (authors lists them).
    author_count: int


class TopicRecord(msgspec.Struct, frozen=True):
    id: str
    name: str
    level: str


class InstitutionRecord(msgspec.Struct, frozen=True):
    id: str
    name: str
    country: str | None = None
    type: str | None = None
    ror: str | None = None


class ResearcherStatsRecord(msgspec.Struct, frozen=True):
    """Figures of a researcher profile, all derived from the graph at read time."""

    works: int
    followers: int
    topics: int
    close_collaborators: int
    citations: int
    h_index: int
    collaborators: int
    i10_index: int


class AuthorshipRecord(msgspec.Struct, frozen=True):
    position: int
    researcher: ResearcherRecord
    institution_ids: tuple[str, ...]


class TopicShareRecord(msgspec.Struct, frozen=True):
    topic: TopicRecord
    works: int


class CollaborationRecord(msgspec.Struct, frozen=True):
    researcher: ResearcherRecord
    shared_works: int
    strength: float


# Co-authors sharing at least this many works are a researcher's close collaborators.
CLOSE_COLLABORATION_WORKS = 2


class SummaryOptions(msgspec.Struct, frozen=True):
    """How long a summary's lists are (``top``) and how many works a co-author must share
    to be listed (``min_shared``)."""

    min_shared: int
    top: int


class ProfileSummary(msgspec.Struct, frozen=True):
    """What a profile derives from a researcher's two-hop walk, aggregated by the store,
    with its followers and affiliations (most recent first).

    ``topics`` are the top topics by works (then name, id); ``collaborators`` the top
    co-authors with at least the asked number of shared works, by Newman strength (rounded to
    9 digits, so engines agree on ties), then shared works, name and id.
    """

    works: int
    citations: int
    h_index: int
    i10_index: int
    topic_count: int
    collaborator_count: int
    close_collaborator_count: int
    followers: int
    affiliations: tuple[AffiliationRecord, ...]
    topics: tuple[TopicShareRecord, ...]
    collaborators: tuple[CollaborationRecord, ...]


class WorkSetStats(msgspec.Struct, frozen=True):
    """What a node's works add up to (traversal.WORK_SETS): how many, and their citations."""

    works: int
    citations: int


class YearCounts(msgspec.Struct, frozen=True):
    """One year of a node's works: those published that year, and the citations all of them
    received that year (as OpenAlex counts them)."""

    year: int
    works: int
    citations: int


class OpenAlexAuthorFigures(msgspec.Struct, frozen=True):
    """What an OpenAlex Author record says of its author's works, for the whole of OpenAlex
    (a partial import holds fewer); None where the record does not say."""

    works_count: int | None
    cited_by_count: int | None
    h_index: int | None
    i10_index: int | None


class AffiliationRecord(msgspec.Struct, frozen=True):
    institution: InstitutionRecord
    years: tuple[int, ...]


# Import rows: what an importer hands to GraphStore.upsert_works (and authors, institutions,
# topics).


class InstitutionRow(msgspec.Struct, frozen=True):
    """An institution: a record of its own (``updated_date`` set) or one named on a work.

    ``stated_null`` names the fields (``ror``, ``country``, ``type``) a record of its own gives
    as null: a newer record clears them, where a field it leaves out keeps the stored value.
    """

    id: str
    name: str
    ror: str | None = None
    country: str | None = None
    type: str | None = None
    updated_date: str = ""
    stated_null: frozenset[str] = frozenset()


class AuthorshipRow(msgspec.Struct, frozen=True):
    researcher_id: str
    name: str
    position: int
    orcid: str | None = None
    institutions: tuple[InstitutionRow, ...] = ()


class TopicLevelRow(msgspec.Struct, frozen=True):
    """One level of OpenAlex's topic hierarchy: topic, subfield, field or domain."""

    id: str
    name: str
    level: str


class WorkTopicRow(msgspec.Struct, frozen=True):
    """A topic of a work, with its score and its ancestors (subfield, field, domain) in order."""

    topic: TopicLevelRow
    score: float
    ancestors: tuple[TopicLevelRow, ...] = ()


class WorkRow(msgspec.Struct, frozen=True):
    id: str
    title: str
    type: str
    year: int | None
    venue: str | None
    doi: str | None
    abstract: str | None
    cited_by_count: int
    updated_date: str
    authorships: tuple[AuthorshipRow, ...] = ()
    topics: tuple[WorkTopicRow, ...] = ()
    references: tuple[str, ...] = ()
    # OpenAlex's citations per year: (year, citations that year), as the record gives them.
    counts_by_year: tuple[tuple[int, int], ...] = ()
    # DOIs the record names for its locations besides its own (a preprint's, say): the
    # record's statement that those are versions of this paper.
    named_dois: tuple[str, ...] = ()


class AffiliationRow(msgspec.Struct, frozen=True):
    """An institution an author record lists, with the years the author was there."""

    institution: InstitutionRow
    years: tuple[int, ...] = ()


class AuthorRow(msgspec.Struct, frozen=True):
    """An OpenAlex Author record: what it says about a researcher.

    None means the record does not say (a partial record): the stored value stays, unless the
    field is in ``stated_null``, the fields the record gives as null, which it clears. When
    ``affiliations`` is a tuple, it replaces the researcher's AFFILIATED_WITH edges.
    """

    id: str
    name: str
    updated_date: str = ""
    orcid: str | None = None
    name_alternatives: tuple[str, ...] | None = None
    works_count: int | None = None
    cited_by_count: int | None = None
    h_index: int | None = None
    i10_index: int | None = None
    affiliations: tuple[AffiliationRow, ...] | None = None
    last_known_institutions: tuple[InstitutionRow, ...] | None = None
    stated_null: frozenset[str] = frozenset()


class TopicRow(msgspec.Struct, frozen=True):
    """An OpenAlex Topic (or Domain, Field, Subfield) record and the levels above it."""

    topic: TopicLevelRow
    ancestors: tuple[TopicLevelRow, ...] = ()
    updated_date: str = ""


class WriteSummary(msgspec.Struct, frozen=True):
    """What one upsert wrote; added up into an import's final summary.

    ``works``, ``authors``, ``institutions`` and ``topic_records`` count records written;
    ``skipped_older`` the records left out because the graph holds a newer version (or the
    batch a newer one); the rest count edges written, except ``researchers`` (distinct
    researchers a batch of works names). ``pending_references`` are references to works not
    in the graph yet, kept so that they become CITES edges when those works arrive
    (``linked_references``, also counted in ``citations``).
    """

    works: int = 0
    skipped_older: int = 0
    authorships: int = 0
    researchers: int = 0
    topics: int = 0
    citations: int = 0
    authors: int = 0
    institutions: int = 0
    topic_records: int = 0
    affiliations: int = 0
    pending_references: int = 0
    linked_references: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(
            *(getattr(self, name) + getattr(other, name) for name in _SUMMARY_FIELDS)
        )


_SUMMARY_FIELDS = WriteSummary.__struct_fields__
