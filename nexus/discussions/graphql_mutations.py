"""Discussion mutations: the REST writes of `nexus/discussions/api/views.py`, over GraphQL.

| mutation                  | REST                                             | service                 |
|---------------------------|--------------------------------------------------|-------------------------|
| createChannel             | POST channels/                                   | channel_create          |
| updateChannel             | PATCH channels/{id}/                             | channel_update          |
| addChannelMember          | POST channels/{id}/members/                      | channel_member_add      |
| removeChannelMember       | DELETE channels/{id}/members/{username}/         | channel_member_remove   |
| markChannelRead           | PUT channels/{id}/read/                          | channel_mark_read       |
| createThread              | POST channels/{id}/threads/                      | thread_create           |
| resolveThread             | PUT threads/{id}/resolution/                     | thread_resolve          |
| reopenThread              | DELETE threads/{id}/resolution/                  | thread_reopen           |
| promoteThread             | POST threads/{id}/promote/                       | thread_promote          |
| postMessage               | POST threads/{id}/messages/                      | message_post            |
| editMessage               | PATCH messages/{id}/                             | message_edit            |
| deleteMessage             | DELETE messages/{id}/                            | message_delete          |
| reactToMessage            | POST (toggle) / PUT / DELETE messages/{id}/reactions/ | message_react      |
| addComment                | POST entries/{id}/comments/                      | comment_add             |
| editComment               | PATCH comments/{id}/                             | comment_edit            |
| deleteComment             | DELETE comments/{id}/                            | comment_delete          |
| reactToComment            | POST (toggle) / PUT / DELETE comments/{id}/reactions/ | comment_react      |
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry.types import Info

from nexus.core.graphql_mutations import DeletePayload, input_from_serializer, mutate, payload_type, pk_of, ref_of
from nexus.discussions import services
from nexus.discussions.api import serializers
from nexus.discussions.emoji import reaction_name

if TYPE_CHECKING:
    from nexus.accounts.graphql import UserType
    from nexus.discussions.graphql import ChannelType, CommentType, MessageType, ThreadType
    from nexus.hubs.graphql import EntryType

ChannelNode = Annotated["ChannelType", strawberry.lazy("nexus.discussions.graphql")]
ThreadNode = Annotated["ThreadType", strawberry.lazy("nexus.discussions.graphql")]
MessageNode = Annotated["MessageType", strawberry.lazy("nexus.discussions.graphql")]
CommentNode = Annotated["CommentType", strawberry.lazy("nexus.discussions.graphql")]
UserNode = Annotated["UserType", strawberry.lazy("nexus.accounts.graphql")]
EntryNode = Annotated["EntryType", strawberry.lazy("nexus.hubs.graphql")]

ChannelCreateInput = input_from_serializer(serializers.ChannelCreateSerializer, "ChannelCreateInput")
ChannelUpdateInput = input_from_serializer(serializers.ChannelUpdateSerializer, "ChannelUpdateInput")
ThreadCreateInput = input_from_serializer(serializers.ThreadCreateSerializer, "ThreadCreateInput")
CommentCreateInput = input_from_serializer(serializers.CommentCreateSerializer, "CommentCreateInput")


@strawberry.type(description="A member of a private channel.")
class ChannelMembership:
    channel: ChannelNode
    user: UserNode
    added_at: datetime


@strawberry.type(description="Your reaction to a message after the change, and the message with all its reactions.")
class MessageReactionState:
    reacted: bool = strawberry.field(description="Whether your reaction is there now.")
    emoji: str = strawberry.field(description="The reaction's short name.")
    message: MessageNode


@strawberry.type(description="Your reaction to a comment after the change, and the comment with all its reactions.")
class CommentReactionState:
    reacted: bool
    emoji: str
    comment: CommentNode


ChannelPayload = payload_type(ChannelNode, "ChannelPayload", node_name="channel")
ChannelMemberPayload = payload_type(ChannelMembership, "ChannelMemberPayload", node_name="membership")
ThreadPayload = payload_type(ThreadNode, "ThreadPayload", node_name="thread")
MessagePayload = payload_type(MessageNode, "MessagePayload", node_name="message")
CommentPayload = payload_type(CommentNode, "CommentPayload", node_name="comment")
MessageReactionPayload = payload_type(MessageReactionState, "MessageReactionPayload", node_name="state")
CommentReactionPayload = payload_type(CommentReactionState, "CommentReactionPayload", node_name="state")
PromotedPayload = payload_type(EntryNode, "PromotedThreadPayload", node_name="entry")

_ON_HELP = "true: add (idempotent), false: remove (idempotent), left out: toggle -- as PUT, DELETE and POST."


@strawberry.type
class Mutation:
    # --- channels -------------------------------------------------------------------------------

    @strawberry.mutation(description="Create a channel (cohort mentors/staff; POST /api/v1/channels/).")
    def create_channel(self, info: Info, input: ChannelCreateInput) -> ChannelPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ChannelPayload,
            lambda actor, data: services.channel_create(actor=actor, **data),
            input=input,
            serializer=serializers.ChannelCreateSerializer,
            node_name="channel",
        )

    @strawberry.mutation(description="Rename a channel or change its topic (PATCH /api/v1/channels/{id}/).")
    def update_channel(self, info: Info, id: strawberry.ID, input: ChannelUpdateInput) -> ChannelPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ChannelPayload,
            lambda actor, data: services.channel_update(actor=actor, channel_id=pk_of(id, what="channel"), data=data),
            input=input,
            serializer=serializers.ChannelUpdateSerializer,
            partial=True,
            node_name="channel",
        )

    @strawberry.mutation(description="Add a cohort member to a private channel (POST channels/{id}/members/).")
    def add_channel_member(self, info: Info, channel_id: strawberry.ID, username: str) -> ChannelMemberPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> ChannelMembership:
            member = services.channel_member_add(actor=actor, channel_id=pk_of(channel_id, what="channel"), **data)
            return ChannelMembership(channel=member.channel, user=member.user, added_at=member.created_at)  # type: ignore[arg-type]

        return mutate(
            info,
            ChannelMemberPayload,
            call,
            raw={"username": username},
            serializer=serializers.ChannelMemberAddSerializer,
            node_name="membership",
        )

    @strawberry.mutation(
        description="Remove a member from a private channel; `deletedId` is the username "
        "(DELETE channels/{id}/members/{username}/)."
    )
    def remove_channel_member(self, info: Info, channel_id: strawberry.ID, username: str) -> DeletePayload:
        def call(actor: Any, _: dict[str, Any]) -> strawberry.ID:
            services.channel_member_remove(actor=actor, channel_id=pk_of(channel_id, what="channel"), username=username)
            return strawberry.ID(username)

        return mutate(info, DeletePayload, call, node_name="deleted_id")

    @strawberry.mutation(
        description="Move your read marker to a message, or the latest (PUT /api/v1/channels/{id}/read/)."
    )
    def mark_channel_read(
        self, info: Info, channel_id: strawberry.ID, message: strawberry.ID | None = None
    ) -> ChannelPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> Any:
            marker = services.channel_mark_read(
                actor=actor, channel_id=pk_of(channel_id, what="channel"), message_id=data.get("message")
            )
            return marker.channel

        raw = {} if message is None else {"message": pk_of(message, what="message")}
        return mutate(
            info, ChannelPayload, call, raw=raw, serializer=serializers.ReadMarkerSerializer, node_name="channel"
        )

    # --- threads --------------------------------------------------------------------------------

    @strawberry.mutation(description="Start a thread; `body` is its first message (POST channels/{id}/threads/).")
    def create_thread(self, info: Info, channel_id: strawberry.ID, input: ThreadCreateInput) -> ThreadPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ThreadPayload,
            lambda actor, data: services.thread_create(
                actor=actor, channel_id=pk_of(channel_id, what="channel"), **data
            ),
            input=input,
            serializer=serializers.ThreadCreateSerializer,
            node_name="thread",
        )

    @strawberry.mutation(
        description="Resolve a thread, optionally accepting a reply (its starter, mentors, staff; "
        "PUT threads/{id}/resolution/)."
    )
    def resolve_thread(
        self, info: Info, id: strawberry.ID, accepted_message: strawberry.ID | None = None
    ) -> ThreadPayload:  # type: ignore[valid-type]
        raw = {} if accepted_message is None else {"accepted_message": pk_of(accepted_message, what="message")}
        return mutate(
            info,
            ThreadPayload,
            lambda actor, data: services.thread_resolve(
                actor=actor, thread_id=pk_of(id, what="thread"), accepted_message_id=data.get("accepted_message")
            ),
            raw=raw,
            serializer=serializers.ResolutionSerializer,
            node_name="thread",
        )

    @strawberry.mutation(description="Reopen a thread (DELETE /api/v1/threads/{id}/resolution/).")
    def reopen_thread(self, info: Info, id: strawberry.ID) -> ThreadPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            ThreadPayload,
            lambda actor, _: services.thread_reopen(actor=actor, thread_id=pk_of(id, what="thread")),
            node_name="thread",
        )

    @strawberry.mutation(
        description="Turn a resolved thread into a draft challenge entry in your hub (POST threads/{id}/promote/)."
    )
    def promote_thread(self, info: Info, id: strawberry.ID, hub: strawberry.ID | None = None) -> PromotedPayload:  # type: ignore[valid-type]
        raw = {} if hub is None else {"hub": str(hub)}
        return mutate(
            info,
            PromotedPayload,
            lambda actor, data: services.thread_promote(
                actor=actor, thread_id=pk_of(id, what="thread"), hub=ref_of(data["hub"]) if "hub" in data else None
            ),
            raw=raw,
            serializer=serializers.PromoteSerializer,
            node_name="entry",
        )

    # --- messages -------------------------------------------------------------------------------

    @strawberry.mutation(description="Post a message in a thread (POST /api/v1/threads/{id}/messages/).")
    def post_message(self, info: Info, thread_id: strawberry.ID, body: str) -> MessagePayload:  # type: ignore[valid-type]
        return mutate(
            info,
            MessagePayload,
            lambda actor, data: services.message_post(actor=actor, thread_id=pk_of(thread_id, what="thread"), **data),
            raw={"body": body},
            serializer=serializers.MessageWriteSerializer,
            node_name="message",
        )

    @strawberry.mutation(description="Edit your message (PATCH /api/v1/messages/{id}/).")
    def edit_message(self, info: Info, id: strawberry.ID, body: str) -> MessagePayload:  # type: ignore[valid-type]
        return mutate(
            info,
            MessagePayload,
            lambda actor, data: services.message_edit(actor=actor, message_id=pk_of(id, what="message"), **data),
            raw={"body": body},
            serializer=serializers.MessageWriteSerializer,
            node_name="message",
        )

    @strawberry.mutation(
        description="Delete a message (yours; mentors and staff: any); returns the tombstone (DELETE messages/{id}/)."
    )
    def delete_message(self, info: Info, id: strawberry.ID) -> MessagePayload:  # type: ignore[valid-type]
        return mutate(
            info,
            MessagePayload,
            lambda actor, _: services.message_delete(actor=actor, message_id=pk_of(id, what="message")),
            node_name="message",
        )

    @strawberry.mutation(description="React to a message. " + _ON_HELP)
    def react_to_message(
        self, info: Info, id: strawberry.ID, emoji: str, on: bool | None = None
    ) -> MessageReactionPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> MessageReactionState:
            message, reacted = services.message_react(
                actor=actor, message_id=pk_of(id, what="message"), emoji=data["emoji"], on=on
            )
            return MessageReactionState(reacted=reacted, emoji=reaction_name(data["emoji"]), message=message)  # type: ignore[arg-type]

        return mutate(
            info,
            MessageReactionPayload,
            call,
            raw={"emoji": emoji},
            serializer=serializers.ReactionInputSerializer,
            node_name="state",
        )

    # --- comments -------------------------------------------------------------------------------

    @strawberry.mutation(
        description="Comment on an entry you can read, or reply to a comment (POST entries/{id}/comments/)."
    )
    def add_comment(self, info: Info, entry_id: strawberry.ID, input: CommentCreateInput) -> CommentPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            CommentPayload,
            lambda actor, data: services.comment_add(
                actor=actor, entry_id=pk_of(entry_id, what="entry"), body=data["body"], parent_id=data.get("parent")
            ),
            input=input,
            serializer=serializers.CommentCreateSerializer,
            node_name="comment",
        )

    @strawberry.mutation(description="Edit your comment (PATCH /api/v1/comments/{id}/).")
    def edit_comment(self, info: Info, id: strawberry.ID, body: str) -> CommentPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            CommentPayload,
            lambda actor, data: services.comment_edit(actor=actor, comment_id=pk_of(id, what="comment"), **data),
            raw={"body": body},
            serializer=serializers.MessageWriteSerializer,
            node_name="comment",
        )

    @strawberry.mutation(
        description="Delete a comment (yours, on your entry, or as a mentor); returns the tombstone "
        "(DELETE comments/{id}/)."
    )
    def delete_comment(self, info: Info, id: strawberry.ID) -> CommentPayload:  # type: ignore[valid-type]
        return mutate(
            info,
            CommentPayload,
            lambda actor, _: services.comment_delete(actor=actor, comment_id=pk_of(id, what="comment")),
            node_name="comment",
        )

    @strawberry.mutation(description="React to a comment. " + _ON_HELP)
    def react_to_comment(
        self, info: Info, id: strawberry.ID, emoji: str, on: bool | None = None
    ) -> CommentReactionPayload:  # type: ignore[valid-type]
        def call(actor: Any, data: dict[str, Any]) -> CommentReactionState:
            comment, reacted = services.comment_react(
                actor=actor, comment_id=pk_of(id, what="comment"), emoji=data["emoji"], on=on
            )
            return CommentReactionState(reacted=reacted, emoji=reaction_name(data["emoji"]), comment=comment)  # type: ignore[arg-type]

        return mutate(
            info,
            CommentReactionPayload,
            call,
            raw={"emoji": emoji},
            serializer=serializers.ReactionInputSerializer,
            node_name="state",
        )
