"""The per-request context: the store, fresh DataLoaders, and the request's settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from graphstore.protocol import GraphStore
from resolvers.auth import AccountLoaders, AccountSettings, Session
from resolvers.loaders import Loaders


@dataclass(slots=True)
class RequestContext:
    """What every resolver of one request shares.

    ``authorization`` is the request's Authorization header; resolvers.auth turns it into the
    viewer (``session``) the first time a resolver asks who is signed in.
    """

    store: GraphStore
    on_batch: Callable[[str, int], None] | None = None
    authorization: str | None = None
    accounts: AccountSettings = field(default_factory=AccountSettings)
    session: Session = field(default_factory=Session, init=False)
    loaders: Loaders = field(init=False)
    account_loaders: AccountLoaders = field(init=False)

    def __post_init__(self) -> None:
        self.forget_reads()

    def forget_reads(self) -> None:
        """Fresh loaders: after a write, what the request reads next must include it."""
        self.loaders = Loaders(self.store, on_batch=self.on_batch)
        self.account_loaders = AccountLoaders(self.store, on_batch=self.on_batch)

    def release(self) -> None:
        """Let go of what the request read, once its response is made (see LoaderGroup.clear)."""
        self.loaders.clear()
        self.account_loaders.clear()
