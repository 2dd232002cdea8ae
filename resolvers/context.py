"""The per-request context: the store, fresh DataLoaders, and the request's settings."""

from __future__ import annotations

from dataclasses import dataclass, field

from graphstore.protocol import GraphStore
from resolvers.loaders import Loaders


@dataclass(slots=True)
class RequestContext:
    """What every resolver of one request shares."""

    store: GraphStore
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.store)
