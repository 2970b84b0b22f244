"""Members and profiles over GraphQL: types and queries (writes: see the Mutation class)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
import strawberry_django
from django.http import Http404
from strawberry import relay
from strawberry.types import Info

from nexus.accounts import selectors
from nexus.accounts.models import Profile, User
from nexus.core.graphql import actor, optimized

if TYPE_CHECKING:
    from nexus.hubs.graphql import HubType


@strawberry_django.type(Profile)
class ProfileType:
    display_name: strawberry.auto
    bio: strawberry.auto
    track: strawberry.auto
    github_url: strawberry.auto
    linkedin_url: strawberry.auto
    website_url: strawberry.auto


@strawberry_django.type(User)
class UserType(relay.Node):
    """A member as everyone may see them (no e-mail)."""

    username: strawberry.auto
    profile: ProfileType | None

    @strawberry_django.field(description="The id REST uses.", only=["id"])
    def database_id(self) -> int:
        return self.pk  # type: ignore[attr-defined]

    @strawberry_django.field(
        description="The display name, else the username.",
        only=["username", "profile__display_name"],
        select_related=["profile"],
    )
    def display_name(self) -> str:
        profile = getattr(self, "profile", None)
        return (profile.display_name if profile else "") or self.username

    hubs: list[Annotated[HubType, strawberry.lazy("nexus.hubs.graphql")]] = strawberry_django.field(
        description="Their hubs you may see."
    )


@strawberry_django.type(User)
class MeType(UserType):
    """The signed-in member, with private fields."""

    email: strawberry.auto
    is_staff: strawberry.auto
    date_joined: strawberry.auto


@strawberry.type
class Query:
    @strawberry_django.field(description="You (null when signed out).")
    def me(self, info: Info) -> MeType | None:
        user = actor(info)
        if not user.is_authenticated:
            return None
        return optimized(selectors.member_queryset().get(pk=user.pk), info)

    @strawberry_django.field(description="An active member by username (case-insensitive).")
    def member(self, info: Info, username: str) -> UserType | None:
        found = selectors.member_queryset().filter(username__iexact=username).first()
        if found is None:
            raise Http404(f"No member {username!r}.")
        return optimized(found, info)


@strawberry.type
class Mutation:
    """Account writes (registration, profile) -- added by the mutations work."""
