"""Plain records that cross the store boundary: what the engines return and what importers write.

No IO and no GraphQL here: the schema wraps these, the engines build them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class WorkOrder(StrEnum):
    """Orders of a works list; each is total (ties: title, then id), as keyset paging needs."""

    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    MOST_CITED = "MOST_CITED"


class ClaimState(StrEnum):
    """Where a researcher record stands with the people who may claim it."""

    UNCLAIMED = "UNCLAIMED"
    PENDING = "PENDING"
    CLAIMED = "CLAIMED"


@dataclass(frozen=True, slots=True)
class ResearcherRecord:
    id: str
    name: str
    orcid: str | None = None
    bio: str | None = None
    open_to_collaborate: bool = True
    claim_status: ClaimState = ClaimState.UNCLAIMED
    orcid_verified: bool = False


@dataclass(frozen=True, slots=True)
class WorkRecord:
    id: str
    title: str
    type: str
    year: int | None
    venue: str | None
    doi: str | None
    abstract: str | None
    citations: int


@dataclass(frozen=True, slots=True)
class TopicRecord:
    id: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class InstitutionRecord:
    id: str
    name: str
    country: str | None = None
    type: str | None = None
    ror: str | None = None


@dataclass(frozen=True, slots=True)
class ResearcherStatsRecord:
    """Figures of a researcher profile, all derived from the graph at read time."""

    works: int
    followers: int
    topics: int
    close_collaborators: int
    citations: int
    h_index: int
    collaborators: int


@dataclass(frozen=True, slots=True)
class AuthorshipRecord:
    position: int
    researcher: ResearcherRecord
    institution_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicShareRecord:
    topic: TopicRecord
    works: int


@dataclass(frozen=True, slots=True)
class CollaborationRecord:
    researcher: ResearcherRecord
    shared_works: int
    strength: float


@dataclass(frozen=True, slots=True)
class AffiliationRecord:
    institution: InstitutionRecord
    years: tuple[int, ...]


# Import rows: what an importer hands to GraphStore.upsert_works.


@dataclass(frozen=True, slots=True)
class InstitutionRow:
    id: str
    name: str
    ror: str | None = None
    country: str | None = None
    type: str | None = None


@dataclass(frozen=True, slots=True)
class AuthorshipRow:
    researcher_id: str
    name: str
    position: int
    orcid: str | None = None
    institutions: tuple[InstitutionRow, ...] = ()


@dataclass(frozen=True, slots=True)
class TopicLevelRow:
    """One level of OpenAlex's topic hierarchy: topic, subfield, field or domain."""

    id: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class WorkTopicRow:
    """A topic of a work, with its score and its ancestors (subfield, field, domain) in order."""

    topic: TopicLevelRow
    score: float
    ancestors: tuple[TopicLevelRow, ...] = ()


@dataclass(frozen=True, slots=True)
class WorkRow:
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


@dataclass(frozen=True, slots=True)
class WriteSummary:
    """What one upsert wrote; added up into an import's final summary."""

    works: int = 0
    skipped_older: int = 0
    authorships: int = 0
    researchers: int = 0
    topics: int = 0
    citations: int = 0

    def __add__(self, other: WriteSummary) -> WriteSummary:
        return WriteSummary(
            works=self.works + other.works,
            skipped_older=self.skipped_older + other.skipped_older,
            authorships=self.authorships + other.authorships,
            researchers=self.researchers + other.researchers,
            topics=self.topics + other.topics,
            citations=self.citations + other.citations,
        )
