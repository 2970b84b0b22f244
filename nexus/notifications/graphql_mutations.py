"""Follow and notification mutations: the REST writes of `nexus/notifications/api/views.py`, over GraphQL.

| mutation                      | REST                                          | service                              |
|-------------------------------|-----------------------------------------------|--------------------------------------|
| followMember / unfollowMember | POST / DELETE members/{username}/follow/      | member_follow / member_unfollow      |
| followTopic / unfollowTopic   | POST / DELETE topics/{slug}/follow/           | topic_follow / topic_unfollow        |
| markNotificationRead          | POST notifications/{id}/read/                 | notification_mark_read               |
| markAllNotificationsRead      | POST notifications/read-all/                  | notifications_mark_all_read          |
| updateNotificationPreferences | PATCH me/preferences/notifications/           | notification_preferences_update      |
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from nexus.core.graphql_mutations import mutate, payload_type, pk_of
from nexus.notifications import selectors, services
from nexus.notifications.access import access_member, access_topic
from nexus.notifications.api import serializers

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.notifications.graphql import NotificationType
    from nexus.topics.graphql import TopicType

UserNode = Annotated["UserType", strawberry.lazy("nexus.accounts.graphql")]
TopicNode = Annotated["TopicType", strawberry.lazy("nexus.topics.graphql")]
NotificationNode = Annotated["NotificationType", strawberry.lazy("nexus.notifications.graphql")]


@strawberry.type(description="Whether you follow a member, and how many do.")
class MemberFollowState:
    member: UserNode
    following: bool
    followers: int


@strawberry.type(description="Whether you follow a topic (and so the topics under it), and how many do.")
class TopicFollowState:
    topic: TopicNode
    following: bool
    followers: int


@strawberry.type(description="How many notifications were marked read, and how many are still unread.")
class MarkedRead:
    marked: int
    unread: int


@strawberry.type(description="How one kind of notification is e-mailed.")
class NotificationPreference:
    kind: str
    email: str = strawberry.field(description='"off", "immediate" or "digest".')


@strawberry.input(description="How to e-mail one kind of notification.")
class NotificationPreferenceInput:
    kind: str = strawberry.field(description="new_follower, mention, reply, comment, ...")
    email: str = strawberry.field(description='"off", "immediate" or "digest".')


MemberFollowPayload = payload_type(MemberFollowState, "MemberFollowPayload", node_name="state")
TopicFollowPayload = payload_type(TopicFollowState, "TopicFollowPayload", node_name="state")
NotificationPayload = payload_type(NotificationNode, "NotificationPayload", node_name="notification")
MarkedReadPayload = payload_type(MarkedRead, "MarkedReadPayload", node_name="result")
NotificationPreferencesPayload = payload_type(
    list[NotificationPreference], "NotificationPreferencesPayload", node_name="preferences"
)


def _member_state(actor: Any, username: str) -> MemberFollowState:
    member = access_member(actor, username)
    state = selectors.member_follow_state(actor=actor, member=member)
    return MemberFollowState(member=member, following=state["following"], followers=state["followers"])  # type: ignore[arg-type]


def _topic_state(actor: Any, slug: str) -> TopicFollowState:
    topic = access_topic(actor, slug)
    state = selectors.topic_follow_state(actor=actor, topic=topic)
    return TopicFollowState(topic=topic, following=state["following"], followers=state["followers"])  # type: ignore[arg-type]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Follow a member (POST /api/v1/members/{username}/follow/).")
    def follow_member(self, info: Info, username: str) -> MemberFollowPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> MemberFollowState:
            services.member_follow(actor=actor, username=username)
            return _member_state(actor, username)

        return mutate(info, MemberFollowPayload, call, node_name="state")

    @strawberry.mutation(description="Stop following a member (DELETE /api/v1/members/{username}/follow/).")
    def unfollow_member(self, info: Info, username: str) -> MemberFollowPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> MemberFollowState:
            services.member_unfollow(actor=actor, username=username)
            return _member_state(actor, username)

        return mutate(info, MemberFollowPayload, call, node_name="state")

    @strawberry.mutation(description="Follow a topic and the topics under it (POST /api/v1/topics/{slug}/follow/).")
    def follow_topic(self, info: Info, slug: str) -> TopicFollowPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> TopicFollowState:
            services.topic_follow(actor=actor, slug=slug)
            return _topic_state(actor, slug)

        return mutate(info, TopicFollowPayload, call, node_name="state")

    @strawberry.mutation(description="Stop following a topic (DELETE /api/v1/topics/{slug}/follow/).")
    def unfollow_topic(self, info: Info, slug: str) -> TopicFollowPayload:  # type: ignore[valid-type]
        def call(actor: Any, _: dict[str, Any]) -> TopicFollowState:
            services.topic_unfollow(actor=actor, slug=slug)
            return _topic_state(actor, slug)

        return mutate(info, TopicFollowPayload, call, node_name="state")

    @strawberry.mutation(description="Mark one of your notifications read (POST /api/v1/notifications/{id}/read/).")
    def mark_notification_read(self, info: Info, id: strawberry.ID) -> NotificationPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            NotificationPayload,
            lambda actor, _: services.notification_mark_read(
                actor=actor, notification_id=pk_of(id, what="notification")
            ),
            node_name="notification",
        )

    @strawberry.mutation(
        description="Mark all your notifications read, or those up to an id (POST /api/v1/notifications/read-all/)."
    )
    def mark_all_notifications_read(self, info: Info, up_to: strawberry.ID | None = None) -> MarkedReadPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> MarkedRead:
            marked = services.notifications_mark_all_read(actor=actor, **data)
            return MarkedRead(marked=marked, unread=selectors.notification_unread_count(actor=actor))

        raw = {} if up_to is None else {"up_to": pk_of(up_to, what="notification")}
        return mutate(
            info, MarkedReadPayload, call, raw=raw, serializer=serializers.MarkAllReadSerializer, node_name="result"
        )

    @strawberry.mutation(
        description="Choose how kinds of notification are e-mailed; returns every kind "
        "(PATCH me/preferences/notifications/)."
    )
    def update_notification_preferences(
        self, info: Info, email: list[NotificationPreferenceInput]
    ) -> NotificationPreferencesPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> list[NotificationPreference]:
            modes = services.notification_preferences_update(actor=actor, **data)
            return [NotificationPreference(kind=kind, email=mode) for kind, mode in modes.items()]

        return mutate(
            info,
            NotificationPreferencesPayload,
            call,
            raw={"email": {item.kind: item.email for item in email}},
            serializer=serializers.NotificationPreferencesUpdateSerializer,
            node_name="preferences",
        )
