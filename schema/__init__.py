"""The public GraphQL schema: Strawberry types over plain records; no IO in this package."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry.extensions import SchemaExtension

from schema.institution import Institution
from schema.query import Query
from schema.researcher import Researcher
from schema.topic import Topic
from schema.work import Work


def build_schema(extensions: Sequence[type[SchemaExtension]] = ()) -> strawberry.Schema:
    """The schema, with the given Strawberry extensions."""
    return strawberry.Schema(
        query=Query, types=[Researcher, Work, Topic, Institution], extensions=list(extensions)
    )


schema = build_schema()

__all__ = ["build_schema", "schema"]
