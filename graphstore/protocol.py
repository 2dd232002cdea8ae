"""The GraphStore protocol: the one seam between the GraphQL layer and a graph database.

Every read is batch-shaped: it takes a sequence of ids and returns a list aligned to them, so a
DataLoader's batch function is exactly one store call and one database query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

import msgspec

from graphstore.account_records import (
    ClaimRecord,
    InvitationRecord,
    NewInvitation,
    NewUser,
    ProfileEdit,
    UserRecord,
)
from graphstore.ids import NodeLabel
from graphstore.lists import (
    FacetCount,
    ResearcherListRequest,
    ResearcherPage,
    WorkFacetRequest,
    WorkListRequest,
)
from graphstore.records import (
    AffiliationRecord,
    AuthorRow,
    InstitutionRecord,
    InstitutionRow,
    OpenAlexAuthorFigures,
    ProfileSummary,
    ResearcherRecord,
    SummaryOptions,
    TopicRecord,
    TopicRow,
    WorkFilter,
    WorkOrder,
    WorkPageRequest,
    WorkPosition,
    WorkRecord,
    WorkRow,
    WorkSetStats,
    WriteSummary,
    YearCounts,
)
from graphstore.traversal import Hop, Neighbour
from graphstore.walk import WalkStep


class StoreError(Exception):
    """A store failure whose message is safe to show to an operator (never to a client)."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached or opened."""


class StoreTimeoutError(StoreError):
    """A query ran past the request's deadline and was cancelled."""


class StoreMemoryError(StoreError):
    """A query needed more memory than the database gives one transaction (Neo4j's
    transaction memory limits, LadybugDB's buffer pool): the same work in smaller parts may
    fit."""


class InvalidBookmarkError(StoreError):
    """Bookmarks a client sent back that the database does not know (graphstore.
    instrumentation.causal_chain): not a response's, or another database's."""


class StoreLockedError(StoreUnavailableError):
    """The embedded database file is held by another process."""


@dataclass(frozen=True, slots=True)
class GraphCounts:
    """How many nodes and edges of each kind the graph holds."""

    nodes: dict[str, int]
    edges: dict[str, int]


class SearchOrder(Enum):
    """Orders of search results; each breaks its ties by relevance."""

    RELEVANCE = "relevance"
    MOST_CITED = "most_cited"  # citations of a work, works count of a researcher
    NEWEST = "newest"  # by year; nodes without a year (all but works) last


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A search: plain text, the kinds wanted (None: every kind), a year range (either
    bound set keeps works only), the order and the page (``first`` results after ``offset``)."""

    query: str
    kinds: Sequence[str] | None = None
    first: int = 10
    offset: int = 0
    year_from: int | None = None
    year_to: int | None = None
    order: SearchOrder = SearchOrder.RELEVANCE


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match: higher ``score`` is more relevant; scores only compare within one search."""

    id: str
    kind: str
    score: float


class WorkPage(msgspec.Struct, frozen=True):
    """A page of works with their positions, whether more follow, and the filtered total.

    ``authors``, where the engine fetched them with the page, are each work's AUTHORS_OF_WORK
    neighbours (aligned with ``works``), so the page's author lists need no further query:
    those at the first ``author_limit`` positions when the request sets one.
    They are whole unless ``authors_in_full`` is False: then, as the request allowed
    (``author_names_only``), only their ids, names and positions are the stored ones.
    """

    works: tuple[tuple[WorkPosition, WorkRecord], ...]
    has_next_page: bool
    total: int
    authors: tuple[tuple[Neighbour, ...], ...] | None = None
    authors_in_full: bool = True
    # Each entry's other versions, when the page groups versions (HopPageRequest).
    versions: tuple[tuple[WorkRecord, ...], ...] | None = None


class HopPageRequest(msgspec.Struct, frozen=True):
    """One keyset page of the works ``hop`` reaches from ``source`` (a work's citers, a
    researcher's works, ...): ``first`` after ``after`` in ``order``, ``filter`` applied.

    With ``group_versions`` an entry is a paper (graphstore.versions): the filtered works
    grouped, each paper at its preferred version's place, its others beside it
    (WorkPage.versions); the total counts papers.
    """

    source: str
    hop: Hop
    order: WorkOrder
    filter: WorkFilter
    after: WorkPosition | None
    first: int
    group_versions: bool = False


class ReferencePage(msgspec.Struct, frozen=True):
    """A page of a work's references, each with its record: the works in the graph newest
    first, then those not in it (record None), by id. ``total`` counts both: as many as the
    work's record lists."""

    references: tuple[tuple[WorkPosition, WorkRecord | None], ...]
    has_next_page: bool
    total: int


@dataclass(frozen=True, slots=True)
class ProfileRead:
    """What a researcher's page reads together: the researchers, their summaries (when
    ``summary`` is given) and pages of their works."""

    researcher_ids: tuple[str, ...]
    summary: SummaryOptions | None
    pages: tuple[WorkPageRequest, ...]


@dataclass(frozen=True, slots=True)
class ProfileReadResult:
    """A ProfileRead's answers, each list aligned with the request (``summaries`` with
    ``researcher_ids``). When none of the researchers exists, there is nothing to summarise
    or page: ``summaries`` is None, as when no summary was asked, and ``pages`` is empty."""

    researchers: list[ResearcherRecord | None]
    summaries: list[ProfileSummary] | None
    pages: list[WorkPage]


class AccountStore(Protocol):
    """What the account resolvers need from a graph store."""

    async def users(self, ids: Sequence[str]) -> list[UserRecord | None]:
        """Accounts by id, None where absent."""

    async def credentials(self, email: str) -> tuple[UserRecord, str] | None:
        """The account with this (normalised) email and its password hash."""

    async def create_user(self, user: NewUser, now: datetime) -> UserRecord:
        """Create an account; EMAIL_TAKEN when the email has one."""

    async def set_orcid(self, user_id: str, orcid: str, verified: bool) -> UserRecord:
        """Record a user's ORCID and whether an administrator verified it.

        Researchers the user has claimed (approved) get their ``orcidVerified`` recomputed.
        """

    async def follows(self, user_id: str, researcher_ids: Sequence[str]) -> list[bool]:
        """Whether the user follows each researcher."""

    async def followed(self, user_ids: Sequence[str]) -> list[list[str]]:
        """Researcher ids each user follows, most recently followed first."""

    async def follow(self, user_id: str, researcher_id: str, now: datetime) -> None:
        """Follow a researcher; following twice is one follow."""

    async def unfollow(self, user_id: str, researcher_id: str) -> None:
        """Stop following a researcher; not following already is no error."""

    async def claims_of_researchers(self, ids: Sequence[str]) -> list[ClaimRecord | None]:
        """The claim on each researcher, None where there is none."""

    async def claims_of_users(self, ids: Sequence[str]) -> list[list[ClaimRecord]]:
        """Each user's claims, newest first."""

    async def pending_claims(self, first: int) -> list[ClaimRecord]:
        """Claims awaiting an administrator, oldest first."""

    async def claim(self, user_id: str, researcher_id: str, now: datetime) -> ClaimRecord:
        """Claim a researcher record (PENDING), or return the claim the user already has.

        CLAIMED_BY_OTHER when someone else holds a claim on it, also when two claim at once.
        """

    async def approve_claim(self, researcher_id: str, now: datetime) -> ClaimRecord:
        """Make the pending claim CLAIMED; the record's ORCID counts as verified when the
        claimant's administrator-verified ORCID equals it."""

    async def reject_claim(self, researcher_id: str) -> None:
        """Remove the pending claim; the record is UNCLAIMED again."""

    async def update_profile(self, user_id: str, researcher_id: str, edit: ProfileEdit) -> None:
        """Change a researcher's bio and openness; NOT_CLAIMANT unless the user holds the
        approved claim."""

    async def invitations(self, ids: Sequence[str]) -> list[InvitationRecord | None]:
        """Invitations by id, None where absent."""

    async def received_invitations(self, user_ids: Sequence[str]) -> list[list[InvitationRecord]]:
        """Invitations to the researchers each user has claimed (approved), newest first."""

    async def sent_invitations(self, user_ids: Sequence[str]) -> list[list[InvitationRecord]]:
        """Invitations each user has sent, newest first."""

    async def create_invitation(
        self, invitation: NewInvitation, now: datetime, since: datetime, limit: int
    ) -> InvitationRecord:
        """Invite a claimed, open researcher; RATE_LIMITED when the sender sent ``limit``
        invitations after ``since``."""

    async def answer_invitation(
        self, user_id: str, invitation_id: str, accept: bool, now: datetime
    ) -> InvitationRecord:
        """Accept or decline a pending invitation to a researcher the user has claimed."""


class GraphStore(AccountStore, Protocol):
    """What the resolvers and importers need from a graph database (accounts included)."""

    engine: str

    async def apply_schema(self) -> None:
        """Create tables, constraints and indexes; safe to run on every start."""

    async def ping(self) -> None:
        """Raise StoreUnavailableError unless the database answers a trivial query."""

    async def close(self) -> None:
        """Release the database (driver or file) for good."""

    async def counts(self) -> GraphCounts:
        """Node counts by label and edge counts by type."""

    async def researchers(self, ids: Sequence[str]) -> list[ResearcherRecord | None]:
        """Researchers by id, None where absent."""

    async def works(self, ids: Sequence[str]) -> list[WorkRecord | None]:
        """Works by id, None where absent."""

    async def topics(self, ids: Sequence[str]) -> list[TopicRecord | None]:
        """Topics (and hierarchy levels) by id, None where absent."""

    async def institutions(self, ids: Sequence[str]) -> list[InstitutionRecord | None]:
        """Institutions by id, None where absent."""

    async def neighbours(self, ids: Sequence[str], hop: Hop) -> list[list[Neighbour]]:
        """The traversal primitive: every neighbour of each frontier node over one hop."""

    async def expand(self, center: str, steps: Sequence[WalkStep]) -> list[list[list[Neighbour]]]:
        """``neighbours`` for several hops at once, each over its own frontier (a level of a
        walk from ``center``), as the engine runs them best; the neighbours may come without
        their ``record`` and authorship details (a walk ranks and draws names and weights)."""

    async def profile_summaries(
        self, ids: Sequence[str], *, min_shared: int, top: int
    ) -> list[ProfileSummary]:
        """Each researcher's figures, top ``top`` topics and top ``top`` co-authors sharing at
        least ``min_shared`` works: the two-hop walk, aggregated by the store when the graph
        changed and stored on the researcher (graphstore/engines/figures.py), so a bounded
        read whatever the researcher's size."""

    async def refresh_researcher_figures(self, ids: Sequence[str]) -> int:
        """Compute and store the figures of these researchers; returns how many."""

    async def refresh_stale_figures(
        self, progress: Callable[[int, int], None] | None = None
    ) -> int:
        """Compute and store the figures of every researcher whose figures are unset: marked
        stale by the writes that changed them (upsert_works, upsert_authors, in their
        transactions; reads walk for them meanwhile) or never written. An import ends with it.
        Calls ``progress`` with the number done and the number to do; returns how many."""

    async def work_pages(self, requests: Sequence[WorkPageRequest]) -> list[WorkPage]:
        """Keyset pages of researchers' works, each with the filtered total."""

    async def profile_read(self, read: ProfileRead) -> ProfileReadResult:
        """``researchers``, ``profile_summaries`` and ``work_pages`` answered together: one
        database round trip where the engine can (Neo4j), the three calls where it cannot."""

    async def work_lists(self, requests: Sequence[WorkListRequest]) -> list[WorkPage]:
        """Keyset pages of the works of scopes (graphstore.lists), each with the list's total;
        the pages come without their authors."""

    async def researcher_lists(
        self, requests: Sequence[ResearcherListRequest]
    ) -> list[ResearcherPage]:
        """Keyset pages of researchers lists (graphstore.lists), each with the list's total."""

    async def work_facets(self, requests: Sequence[WorkFacetRequest]) -> list[list[FacetCount]]:
        """The most frequent values of a facet among the works of each list, with counts."""

    async def hop_work_pages(self, requests: Sequence[HopPageRequest]) -> list[WorkPage]:
        """Keyset pages of the works a relationship hop reaches (HopPageRequest), each with
        the filtered total; their authors load apart."""

    async def reference_pages(self, requests: Sequence[HopPageRequest]) -> list[ReferencePage]:
        """Keyset pages of works' references (``hop`` REFERENCES_OF_WORK, order NEWEST,
        no filter), those not in the graph included (ReferencePage)."""

    async def identified(self, keys: Sequence[str]) -> list[str | None]:
        """The id of the node each Identifier key (graphstore.identifiers: a DOI, ORCID or
        ROR) is the own identifier of, None where none; of several, the lowest id."""

    async def openalex_author_figures(
        self, ids: Sequence[str]
    ) -> list[OpenAlexAuthorFigures | None]:
        """What each researcher's OpenAlex Author record says of its works; None where the
        researcher is absent or no record said anything."""

    async def work_set_stats(self, ids: Sequence[str], label: NodeLabel) -> list[WorkSetStats]:
        """What the works of each node of kind ``label`` add up to: a researcher's (those it
        authored), a topic's (tagged with it or a topic below it), an institution's (an
        authorship lists it). Works as stored: each version of a paper counts."""

    async def counts_by_year(self, ids: Sequence[str], label: NodeLabel) -> list[list[YearCounts]]:
        """The works of each node (as ``work_set_stats``), year by year, oldest first: those
        published each year and the citations all of them received that year. Works of no
        known year count in no year."""

    async def follower_counts(self, ids: Sequence[str]) -> list[int]:
        """How many users follow each researcher."""

    async def affiliations(self, ids: Sequence[str]) -> list[list[AffiliationRecord]]:
        """Each researcher's institutions with the years known, most recent first."""

    async def search(self, request: SearchRequest) -> tuple[list[SearchHit], int]:
        """One page of nodes matching the text in the request's order, and the number of
        matches counted up to ``text_search.COUNT_BOUND``.

        Kinds are researcher, work, topic, institution. Any text is safe: it is searched
        for, never interpreted as query syntax. The ranking is ``text_search.rank``'s.
        """

    async def upsert_works(self, rows: Sequence[WorkRow]) -> WriteSummary:
        """Write a batch of works with their authors and topics in one transaction.

        A row whose ``updated_date`` is older than the stored one is skipped; otherwise the
        work's properties and relationships (authorships, topics, references) are replaced, so
        re-importing is idempotent. References to works not in the graph are kept pending and
        become CITES edges when those works arrive. Researchers, institutions and topics named
        on a work are created when missing; only their own records overwrite them. The figures
        of the researchers the batch changes are marked stale (refresh_stale_figures).
        """

    async def upsert_authors(self, rows: Sequence[AuthorRow]) -> WriteSummary:
        """Write Author records onto researchers in one transaction (older ones skipped).

        A record's affiliations replace the researcher's AFFILIATED_WITH edges; what a
        partial record leaves out keeps its stored value. The researchers' figures are marked
        stale (refresh_stale_figures).
        """

    async def upsert_institutions(self, rows: Sequence[InstitutionRow]) -> WriteSummary:
        """Write Institution records in one transaction (older ones skipped)."""

    async def upsert_topics(self, rows: Sequence[TopicRow]) -> WriteSummary:
        """Write Topic (and domain, field, subfield) records with their PART_OF hierarchy."""
