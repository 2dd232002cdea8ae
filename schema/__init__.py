"""The public GraphQL schema: Strawberry types over plain records; no IO in this package."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import strawberry
from strawberry.extensions import SchemaExtension

from schema.execution import PlainFieldExecutionContext
from schema.institution import Institution
from schema.mutation import Mutation
from schema.query import Query
from schema.researcher import Researcher
from schema.topic import Topic
from schema.work import Work


def build_schema(
    extensions: Sequence[type[SchemaExtension] | Callable[[], SchemaExtension]] = (),
) -> strawberry.Schema:
    """The schema, with the given Strawberry extensions (classes or factories)."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        types=[Researcher, Work, Topic, Institution],
        extensions=list(extensions),
        execution_context_class=PlainFieldExecutionContext,
    )


schema = build_schema()


def schema_sdl() -> str:
    """The schema in SDL, as committed in schema.graphql."""
    return schema.as_str() + "\n"


__all__ = ["build_schema", "schema", "schema_sdl"]
