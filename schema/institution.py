"""Institutions: universities, companies and labs researchers are affiliated with."""

from __future__ import annotations

import strawberry

from graphstore.records import InstitutionRecord
from schema.node import Node


@strawberry.type(description="An institution.")
class Institution(Node):
    name: str
    country: str | None
    type: str | None
    ror: str | None

    @classmethod
    def from_record(cls, record: InstitutionRecord) -> Institution:
        """The GraphQL view of a stored institution."""
        return cls(
            id=strawberry.ID(record.id),
            name=record.name,
            country=record.country,
            type=record.type,
            ror=record.ror,
        )


@strawberry.type(description="An institution a researcher is known at, with the years.")
class Affiliation:
    institution: Institution
    years: list[int]
