"""Figures of a node's works (a researcher's, a topic's, an institution's), and OpenAlex's own
figures for an author."""

from __future__ import annotations

import strawberry

from graphstore.records import OpenAlexAuthorFigures, WorkSetStats, YearCounts

# What a node's works are, said once for every figure and list that counts them.
WORKS_COUNTED = (
    "Works as stored: each version of a paper counts (a preprint and its article are two; "
    "works(groupVersions: true) lists papers)."
)


@strawberry.type(description=f"What a node's works add up to. {WORKS_COUNTED}")
class WorkStats:
    works: int
    citations: int = strawberry.field(description="The citations those works have.")

    @classmethod
    def from_record(cls, record: WorkSetStats) -> WorkStats:
        """The GraphQL view of a node's work figures."""
        return cls(works=record.works, citations=record.citations)


@strawberry.type(description="One year of a node's works.")
class YearCount:
    year: int
    works: int = strawberry.field(
        description="Its works published that year (works as stored: each version counts)."
    )
    citations: int = strawberry.field(
        description="The citations all its works received that year, as OpenAlex counts them "
        "(its records carry about the last ten years)."
    )

    @classmethod
    def from_record(cls, record: YearCounts) -> YearCount:
        """The GraphQL view of one year's figures."""
        return cls(year=record.year, works=record.works, citations=record.citations)


COUNTS_BY_YEAR = (
    "Its works year by year, oldest first: those published each year and the citations all "
    "of them received that year; a work of no known year counts in no year."
)


@strawberry.type(
    description="What the OpenAlex Author record says of the author's works, across all of "
    "OpenAlex: after a partial import it differs from the graph's own figures (stats)."
)
class OpenAlexFigures:
    works_count: int | None
    cited_by_count: int | None
    h_index: int | None
    i10_index: int | None

    @classmethod
    def from_record(cls, record: OpenAlexAuthorFigures) -> OpenAlexFigures:
        """The GraphQL view of an Author record's figures."""
        return cls(
            works_count=record.works_count,
            cited_by_count=record.cited_by_count,
            h_index=record.h_index,
            i10_index=record.i10_index,
        )
