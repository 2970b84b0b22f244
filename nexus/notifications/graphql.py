"""A member's own notifications over GraphQL: types and queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from strawberry import relay

from nexus.notifications.models import Notification

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType


@strawberry_django.type(Notification)
class NotificationType(relay.Node):
    """Something that happened that concerns you."""

    kind: strawberry.auto
    actor: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")] | None
    target_type: strawberry.auto
    target_id: strawberry.auto
    text: strawberry.auto
    url: strawberry.auto
    event_id: strawberry.auto
    created_at: strawberry.auto
    read_at: strawberry.auto

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]


@strawberry.type
class Query:
    """Notification reads -- filled in below the skeleton."""


@strawberry.type
class Mutation:
    """Notification writes -- added by the mutations work."""
