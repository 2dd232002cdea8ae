"""The validation cache keyed by query text: one validation per distinct text, bounded."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry
from strawberry.schema import schema as strawberry_schema

from researchgraph import document_cache


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hi"


def test_each_query_text_is_validated_once_and_keeps_its_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    validated: list[str] = []
    real = strawberry_schema.validate_document

    def counting(schema: Any, document: Any, rules: Any) -> Any:
        validated.append(document.loc.source.body)
        return real(schema, document, rules)

    monkeypatch.setattr("researchgraph.document_cache.validate_document", counting)
    schema = strawberry.Schema(Query, extensions=[document_cache.validation_cache_by_text(2)])

    for _ in range(3):
        assert schema.execute_sync("{ hello }").data == {"hello": "hi"}
    for _ in range(2):
        errors = schema.execute_sync("{ nope }").errors
        assert errors is not None
        assert "nope" in errors[0].message
    assert validated == ["{ hello }", "{ nope }"]

    # Two more texts push the least recently used one ("{ hello }") out of the cache.
    schema.execute_sync("{ a: hello }")
    schema.execute_sync("{ b: hello }")
    assert schema.execute_sync("{ hello }").data == {"hello": "hi"}
    assert validated == ["{ hello }", "{ nope }", "{ a: hello }", "{ b: hello }", "{ hello }"]
