"""Researchers: the public author records a profile page is built from."""

from __future__ import annotations

import strawberry

from graphstore.lists import WorkScope
from graphstore.records import ResearcherRecord, ResearcherStatsRecord
from graphstore.traversal import Hop
from resolvers import accounts, figures, profile
from resolvers import works as work_resolvers
from resolvers.context import RequestContext
from resolvers.lookahead import page_author_limit, page_author_names_only
from resolvers.trust import Trust
from schema.enums import ClaimStatus, TrustBand, VerificationLevel, WorkOrder
from schema.figures import COUNTS_BY_YEAR, WORKS_COUNTED, OpenAlexFigures, YearCount
from schema.institution import Affiliation, Institution
from schema.lists import names_a_set, works_connection
from schema.node import Node
from schema.topic import Topic, TopicShare
from schema.work import GroupVersions, WorkConnection, WorkFilter


@strawberry.type(
    description="The figures of a researcher profile, derived from the works in the graph. "
    f"{WORKS_COUNTED}"
)
class ResearcherStats:
    works: int
    followers: int
    topics: int
    close_collaborators: int = strawberry.field(
        description="Co-authors with at least 2 shared works."
    )
    citations: int
    h_index: int
    i10_index: int = strawberry.field(description="Its works cited at least 10 times.")

    @classmethod
    def from_record(cls, record: ResearcherStatsRecord) -> ResearcherStats:
        """The GraphQL view of computed profile figures."""
        return cls(
            works=record.works,
            followers=record.followers,
            topics=record.topics,
            close_collaborators=record.close_collaborators,
            citations=record.citations,
            h_index=record.h_index,
            i10_index=record.i10_index,
        )


@strawberry.type(description="One signal of the trust score and the points it adds.")
class TrustSignal:
    name: str
    value: str
    points: int


@strawberry.type(description="A quick read of how far a researcher record can be trusted.")
class TrustSnapshot:
    score: int
    band: TrustBand
    label: str
    verification: VerificationLevel
    signals: list[TrustSignal]

    @classmethod
    def from_trust(cls, trust: Trust) -> TrustSnapshot:
        """The GraphQL view of a computed trust snapshot."""
        return cls(
            score=trust.score,
            band=TrustBand(trust.band),
            label=trust.label,
            verification=VerificationLevel(trust.verification),
            signals=[
                TrustSignal(name=s.name, value=s.value, points=s.points) for s in trust.signals
            ],
        )


@strawberry.type(description="A researcher: an OpenAlex author record, claimable by a person.")
class Researcher(Node):
    name: str
    orcid: str | None
    bio: str | None
    open_to_collaborate: bool
    claim_status: ClaimStatus
    record: strawberry.Private[ResearcherRecord]

    @classmethod
    def from_record(cls, record: ResearcherRecord) -> Researcher:
        """The GraphQL view of a stored researcher."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            orcid=record.orcid,
            bio=record.bio,
            open_to_collaborate=record.open_to_collaborate,
            claim_status=ClaimStatus.of(record.claim_status),
            record=record,
        )

    @strawberry.field(description="Profile figures, derived from the graph.")
    async def stats(self, info: strawberry.Info[RequestContext, None]) -> ResearcherStats:
        return ResearcherStats.from_record(await profile.stats(info.context, self.record.id))

    @strawberry.field(description=COUNTS_BY_YEAR)
    async def counts_by_year(self, info: strawberry.Info[RequestContext, None]) -> list[YearCount]:
        years = await figures.counts_by_year(info.context, self.record.id)
        return [YearCount.from_record(y) for y in years]

    @strawberry.field(
        name="openAlex",
        description="The figures its OpenAlex Author record gives, labelled as OpenAlex's: "
        "they count all of OpenAlex, stats count the graph; null when no Author record was "
        "imported.",
    )
    async def open_alex(
        self, info: strawberry.Info[RequestContext, None]
    ) -> OpenAlexFigures | None:
        record = await figures.openalex_figures(info.context, self.record.id)
        return OpenAlexFigures.from_record(record) if record else None

    @strawberry.field(description="Trust score, band, verification level and its signals.")
    async def trust(self, info: strawberry.Info[RequestContext, None]) -> TrustSnapshot:
        return TrustSnapshot.from_trust(await profile.trust(info.context, self.record))

    @strawberry.field(description="Known institutions with years; empty when none imported.")
    async def affiliations(self, info: strawberry.Info[RequestContext, None]) -> list[Affiliation]:
        records = await profile.affiliations(info.context, self.record.id)
        return [
            Affiliation(institution=Institution.from_record(a.institution), years=list(a.years))
            for a in records
        ]

    @strawberry.field(description="Topics by number of works, then name.")
    async def topics(
        self, info: strawberry.Info[RequestContext, None], first: int = 10
    ) -> list[TopicShare]:
        shares = await profile.topics(info.context, self.record.id, first)
        return [TopicShare(topic=Topic.from_record(s.topic), works=s.works) for s in shares]

    @strawberry.field(
        description="Co-authors by collaboration strength (Newman: the sum over shared works "
        "of 1/(authors - 1)), then shared works, then name."
    )
    async def collaborators(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        min_shared_works: int = 1,
    ) -> list[Collaboration]:
        records = await profile.collaborators(info.context, self.record.id, first, min_shared_works)
        return [
            Collaboration(
                researcher=Researcher.from_record(c.researcher),
                shared_works=c.shared_works,
                strength=c.strength,
            )
            for c in records
        ]

    # Nullable where the contract says Boolean!: a bad token fails this field, and a non-null
    # field's error would null the whole researcher, public fields and all.
    @strawberry.field(
        description=(
            "Whether the signed-in user follows this researcher; false when anonymous; null, "
            "with an UNAUTHENTICATED error, when the token is not valid."
        )
    )
    async def viewer_follows(self, info: strawberry.Info[RequestContext, None]) -> bool | None:
        return await accounts.viewer_follows(info.context, self.record.id)

    @strawberry.field(description="The researcher's works, one keyset page at a time.")
    async def works(
        self,
        info: strawberry.Info[RequestContext, None],
        first: int = 10,
        after: str | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
        filter: WorkFilter | None = None,
        group_versions: GroupVersions = False,
    ) -> WorkConnection:
        if names_a_set(filter):
            # Narrowed by a topic, institution or venue: the analysts' list of its works.
            own = WorkScope(researcher=self.record.id)
            return await works_connection(info, filter, order_by, first, after, own)
        given = filter or WorkFilter()
        filter_spec = work_resolvers.work_filter(given.year_from, given.year_to, given.types)
        if group_versions:
            grouped = work_resolvers.hop_page_request(
                self.record.id,
                Hop.WORKS_OF_RESEARCHER,
                first,
                after,
                order_by.to_value(),
                filter_spec,
                group_versions=True,
            )
            return WorkConnection.from_page(await work_resolvers.hop_works(info.context, grouped))
        request = work_resolvers.page_request(
            self.record.id,
            first,
            after,
            order_by.to_value(),
            filter_spec,
            author_names_only=page_author_names_only(info.selected_fields),
            author_limit=page_author_limit(info.selected_fields),
        )
        page = await work_resolvers.researcher_works(info.context, request)
        return WorkConnection.from_page(page)


@strawberry.type(description="A co-author and what they share with the researcher.")
class Collaboration:
    researcher: Researcher
    shared_works: int
    strength: float
