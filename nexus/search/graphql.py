"""One search over everything, over GraphQL (through `nexus.search.selectors`)."""

from __future__ import annotations

import strawberry


@strawberry.type
class Query:
    """Search reads -- filled in below the skeleton."""


@strawberry.type
class Mutation:
    """Search has no writes."""
