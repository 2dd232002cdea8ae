"""The Node interface: every graph entity, addressed by its OpenAlex id."""

from __future__ import annotations

import strawberry


@strawberry.interface(description="An entity of the research graph, by its OpenAlex id.")
class Node:
    id: strawberry.ID
