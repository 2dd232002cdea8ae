"""Validation results kept across requests, keyed by the query's text."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator

from graphql import ASTValidationRule, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

ValidationKey = tuple[str, tuple[type[ASTValidationRule], ...]]


def validation_cache_by_text(maxsize: int) -> type[SchemaExtension]:
    """An extension that validates each distinct query text once (per set of rules); its
    instances share one LRU cache of ``maxsize`` results.

    Strawberry's ValidationCache keys its cache by the parsed document, and graphql-core
    hashes a document by walking all of it, on every request: 1.4% of the server's CPU for
    the hub's profile (bench/README.md). The text stands for the same document, as
    ParserCache parses each text once, and hashes in C.
    """
    validated: OrderedDict[ValidationKey, list[GraphQLError]] = OrderedDict()

    class ValidationCacheByText(SchemaExtension):
        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            if context.query is not None and context.graphql_document is not None:
                key = (context.query, context.validation_rules)
                errors = validated.get(key)
                if errors is None:
                    errors = validate_document(
                        context.schema._schema, context.graphql_document, context.validation_rules
                    )
                    validated[key] = errors
                    if len(validated) > maxsize:
                        validated.popitem(last=False)
                else:
                    validated.move_to_end(key)
                context.pre_execution_errors = errors
            yield

    return ValidationCacheByText
