"""Enums of the public contract."""

from __future__ import annotations

from enum import Enum

import strawberry

from graphstore.protocol import SearchOrder as SearchOrderValue
from graphstore.records import ClaimState
from graphstore.records import WorkOrder as WorkOrderValue


@strawberry.enum(description="The kinds of node in the research graph.")
class NodeKind(Enum):
    RESEARCHER = "RESEARCHER"
    WORK = "WORK"
    TOPIC = "TOPIC"
    INSTITUTION = "INSTITUTION"


@strawberry.enum(description="Whether a person has claimed this public author record.")
class ClaimStatus(Enum):
    UNCLAIMED = "UNCLAIMED"
    PENDING = "PENDING"
    CLAIMED = "CLAIMED"

    @classmethod
    def of(cls, state: ClaimState) -> ClaimStatus:
        """The GraphQL status for the store's claim state."""
        return _CLAIM_STATUSES[state]


# By the store's state: calling the enum costs a microsecond per researcher, hundreds a page.
_CLAIM_STATUSES = {state: ClaimStatus(state.value) for state in ClaimState}


@strawberry.enum(description="Orders of a works list; ties are broken by title, then id.")
class WorkOrder(Enum):
    NEWEST = "NEWEST"
    OLDEST = "OLDEST"
    MOST_CITED = "MOST_CITED"

    def to_value(self) -> WorkOrderValue:
        """The store's order for this GraphQL order."""
        return WorkOrderValue(self.value)


@strawberry.enum(description="Trust bands by score: NEW 0-19 up to EXEMPLARY 80-100.")
class TrustBand(Enum):
    NEW = "NEW"
    EMERGING = "EMERGING"
    ESTABLISHED = "ESTABLISHED"
    TRUSTED = "TRUSTED"
    EXEMPLARY = "EXEMPLARY"


@strawberry.enum(description="How far a researcher record's identity is verified.")
class VerificationLevel(Enum):
    L0 = "L0"
    L1 = "L1"
    L2 = "L2"
    L3 = "L3"


@strawberry.enum(
    description="Orders of search results. MOST_CITED: a work's citations, a researcher's "
    "works count (topics and institutions count 0); NEWEST: by year (only works have one). "
    "Each orders among the most relevant matches (see `search`) and breaks ties by relevance."
)
class SearchOrder(Enum):
    RELEVANCE = "RELEVANCE"
    MOST_CITED = "MOST_CITED"
    NEWEST = "NEWEST"

    def to_value(self) -> SearchOrderValue:
        """The store's order for this GraphQL order."""
        return SearchOrderValue(self.value.lower())
