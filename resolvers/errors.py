"""Errors a client may see, each with a stable ``extensions.code``."""

from __future__ import annotations

from graphql import GraphQLError

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
# Accounts: no (valid) credentials; signed in but not allowed; the graph's state refuses the
# change (taken, already answered); too many of one action in a period.
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
CONFLICT = "CONFLICT"
RATE_LIMITED = "RATE_LIMITED"


class ClientError(GraphQLError):
    """A GraphQL error whose message is meant for the client and carries a code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message, extensions={"code": code})


# An empty kinds list would read as "every kind" to some and "no kind" to others: refused.
NO_KINDS = "kinds: name at least one kind, or leave kinds out for every kind"


def bad_input(message: str) -> ClientError:
    """The request's arguments cannot be used as given."""
    return ClientError(message, BAD_USER_INPUT)
