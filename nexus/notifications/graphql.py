"""A member's own notifications over GraphQL: types and queries."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
import strawberry_django
from django.db.models import QuerySet
from strawberry import relay
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry_django.relay import DjangoCursorConnection

from nexus.core.graphql import actor, bare, narrowed, signed_in
from nexus.notifications import access, selectors
from nexus.notifications.models import MemberFollow, Notification, TopicFollow

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.topics.graphql import TopicType


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

    @classmethod
    def get_queryset(cls, queryset: QuerySet[Notification], info: Info, **kwargs: Any) -> QuerySet[Notification]:
        return narrowed(queryset, bare(selectors.notification_list(actor=actor(info))))  # your own, wherever reached


@strawberry_django.type(MemberFollow)
class MemberFollowType(relay.Node):
    """One member following another."""

    follower: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    followed: Annotated[UserType, strawberry.lazy("nexus.accounts.graphql")]
    created_at: strawberry.auto


@strawberry_django.type(TopicFollow)
class TopicFollowType(relay.Node):
    """A member following a topic."""

    topic: Annotated[TopicType, strawberry.lazy("nexus.topics.graphql")]
    created_at: strawberry.auto


@strawberry.type
class FollowStateType:
    """Whether you follow a member or topic (`key`: username or slug), and how many do."""

    key: str
    following: bool
    followers: int


@strawberry.type
class Query:
    """Notifications and follows are your own: UNAUTHENTICATED for a visitor, as REST's 401."""

    @strawberry_django.connection(
        DjangoCursorConnection[NotificationType], description="Your notifications, newest first."
    )
    def notifications(self, info: Info, unread: bool | None = None) -> QuerySet[Notification]:
        return bare(selectors.notification_list(actor=signed_in(info), unread=unread)).order_by("-created_at", "-id")

    @strawberry_django.field(description="How many of your notifications are unread.")
    def notification_unread_count(self, info: Info) -> int:
        return selectors.notification_unread_count(actor=signed_in(info))

    @strawberry_django.field(description="Your e-mail mode per notification kind (kind -> off|immediate|digest).")
    def notification_preferences(self, info: Info) -> JSON:
        return selectors.notification_preferences(user=signed_in(info))

    @strawberry_django.connection(
        DjangoCursorConnection[MemberFollowType], description="The members you follow, most recent first."
    )
    def my_member_follows(self, info: Info) -> QuerySet[MemberFollow]:
        return bare(selectors.member_follows(actor=signed_in(info))).order_by("-created_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[MemberFollowType], description="The members following you, most recent first."
    )
    def my_followers(self, info: Info) -> QuerySet[MemberFollow]:
        return bare(selectors.member_followers(actor=signed_in(info))).order_by("-created_at", "-id")

    @strawberry_django.connection(
        DjangoCursorConnection[TopicFollowType], description="The topics you follow, most recent first."
    )
    def my_topic_follows(self, info: Info) -> QuerySet[TopicFollow]:
        return bare(selectors.topic_follows(actor=signed_in(info))).order_by("-created_at", "-id")

    @strawberry_django.field(description="Whether you follow a member, and how many do.")
    def member_follow_state(self, info: Info, username: str) -> FollowStateType:
        user = signed_in(info)
        state = selectors.member_follow_state(actor=user, member=access.access_member(user, username))
        return FollowStateType(key=state["username"], following=state["following"], followers=state["followers"])

    @strawberry_django.field(description="Whether you follow a topic, and how many do.")
    def topic_follow_state(self, info: Info, slug: str) -> FollowStateType:
        user = signed_in(info)
        state = selectors.topic_follow_state(actor=user, topic=access.access_topic(user, slug))
        return FollowStateType(key=state["topic"], following=state["following"], followers=state["followers"])


@strawberry.type
class Mutation:
    """Notification writes -- added by the mutations work."""
