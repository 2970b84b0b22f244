"""Channels, threads, messages, reactions, comments. Views parse input, call one service or selector, shape output."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.discussions import access, emoji, payloads, selectors, services
from nexus.discussions.api import serializers
from nexus.hubs import access as hub_access

TAGS = ["discussions"]
COMMENT_TAGS = ["comments"]
CHANNEL_ID = OpenApiParameter("channel_id", int, OpenApiParameter.PATH, description="The channel's id.")
THREAD_ID = OpenApiParameter("thread_id", int, OpenApiParameter.PATH, description="The thread's id.")
MESSAGE_ID = OpenApiParameter("message_id", int, OpenApiParameter.PATH, description="The message's id.")
ENTRY_ID = OpenApiParameter("entry_id", int, OpenApiParameter.PATH, description="The entry's id.")
COMMENT_ID = OpenApiParameter("comment_id", int, OpenApiParameter.PATH, description="The comment's id.")
USERNAME = OpenApiParameter("username", str, OpenApiParameter.PATH, description="The member's username.")
REACTION = OpenApiParameter("reaction", str, OpenApiParameter.PATH, description="A reaction's short name or the emoji.")


def _channel(request: Request, channel_id: int) -> dict[str, Any]:
    return payloads.channel(selectors.channel_get(actor=request.user, channel_id=channel_id))


def _message(message_id: int) -> dict[str, Any]:
    return payloads.message(selectors.message_get(message_id=message_id))


def _thread(thread_id: int) -> dict[str, Any]:
    return payloads.thread(selectors.thread_get(thread_id=thread_id))


def _comment(comment_id: int) -> dict[str, Any]:
    return payloads.comment(selectors.comment_get(comment_id=comment_id))


class _Authenticated(APIView):
    permission_classes = [IsAuthenticated]


# --- Channels ---------------------------------------------------------------------------------


class ChannelListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ChannelSerializer
    pagination_class = CursorPagination
    cursor_ordering = "name"

    @extend_schema(
        tags=TAGS,
        operation_id="channels_list",
        parameters=[serializers.ChannelFilterSerializer],
        responses={200: serializers.ChannelSerializer(many=True), **problems(400, 401)},
        summary="Channels you read, with your unread counts",
    )
    def get(self, request: Request) -> Response:
        params = serializers.ChannelFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.channel_list(actor=request.user, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        request=serializers.ChannelCreateSerializer,
        responses={201: serializers.ChannelSerializer, **problems(400, 401, 403)},
        summary="Open a channel (global: staff; cohort-wide: mentors and staff; private: cohort members)",
    )
    def post(self, request: Request) -> Response:
        data = serializers.ChannelCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        channel = services.channel_create(actor=request.user, **data.validated_data)
        return Response(_channel(request, channel.pk), status=status.HTTP_201_CREATED)


class ChannelDetailApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[CHANNEL_ID],
        responses={200: serializers.ChannelSerializer, **problems(401, 404)},
        summary="A channel you read",
    )
    def get(self, request: Request, channel_id: int) -> Response:
        access.access_channel(request.user, channel_id)
        return Response(_channel(request, channel_id))

    @extend_schema(
        tags=TAGS,
        parameters=[CHANNEL_ID],
        request=serializers.ChannelUpdateSerializer,
        responses={200: serializers.ChannelSerializer, **problems(400, 401, 403, 404)},
        summary="Rename a channel or change its topic (its creator, mentors and staff)",
    )
    def patch(self, request: Request, channel_id: int) -> Response:
        data = serializers.ChannelUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.channel_update(actor=request.user, channel_id=channel_id, data=data.validated_data)
        return Response(_channel(request, channel_id))


class ChannelMemberListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ChannelMemberSerializer
    pagination_class = CursorPagination
    cursor_ordering = "created_at"

    @extend_schema(
        tags=TAGS,
        operation_id="channels_members_list",
        parameters=[CHANNEL_ID],
        responses={200: serializers.ChannelMemberSerializer(many=True), **problems(401, 404)},
        summary="The explicit members of a private channel (empty for other channels)",
    )
    def get(self, request: Request, channel_id: int) -> Response:
        channel = access.access_channel(request.user, channel_id)
        page = self.paginate_queryset(selectors.channel_members(channel=channel))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        parameters=[CHANNEL_ID],
        request=serializers.ChannelMemberAddSerializer,
        responses={201: serializers.ChannelMemberSerializer, **problems(400, 401, 404, 409)},
        summary="Add a member of the cohort to a private channel (any of its members; idempotent)",
    )
    def post(self, request: Request, channel_id: int) -> Response:
        data = serializers.ChannelMemberAddSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.channel_member_add(actor=request.user, channel_id=channel_id, **data.validated_data)
        return Response(serializers.ChannelMemberSerializer(member).data, status=status.HTTP_201_CREATED)


class ChannelMemberDetailApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[CHANNEL_ID, USERNAME],
        responses={204: None, **problems(401, 403, 404, 409)},
        summary="Leave a private channel, or remove a member (its creator, mentors and staff); closes their live feed",
    )
    def delete(self, request: Request, channel_id: int, username: str) -> Response:
        services.channel_member_remove(actor=request.user, channel_id=channel_id, username=username)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ChannelReadApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[CHANNEL_ID],
        request=serializers.ReadMarkerSerializer,
        responses={200: serializers.ChannelSerializer, **problems(400, 401, 404)},
        summary="Mark the channel read up to a message (default: the latest); markers only move forward",
    )
    def put(self, request: Request, channel_id: int) -> Response:
        data = serializers.ReadMarkerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.channel_mark_read(
            actor=request.user, channel_id=channel_id, message_id=data.validated_data.get("message")
        )
        return Response(_channel(request, channel_id))


class ChannelThreadListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.ThreadSerializer
    pagination_class = CursorPagination
    cursor_ordering = "-last_message_at"

    @extend_schema(
        tags=TAGS,
        operation_id="channels_threads_list",
        parameters=[CHANNEL_ID, serializers.ThreadFilterSerializer],
        responses={200: serializers.ThreadSerializer(many=True), **problems(400, 401, 404)},
        summary="A channel's threads, most recently active first",
    )
    def get(self, request: Request, channel_id: int) -> Response:
        params = serializers.ThreadFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        channel = access.access_channel(request.user, channel_id)
        page = self.paginate_queryset(selectors.thread_list(channel=channel, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        parameters=[CHANNEL_ID],
        request=serializers.ThreadCreateSerializer,
        responses={201: serializers.ThreadSerializer, **problems(400, 401, 404)},
        summary="Start a thread with its first message",
    )
    def post(self, request: Request, channel_id: int) -> Response:
        data = serializers.ThreadCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        thread = services.thread_create(actor=request.user, channel_id=channel_id, **data.validated_data)
        return Response(_thread(thread.pk), status=status.HTTP_201_CREATED)


class _MessageList(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.MessageSerializer
    pagination_class = CursorPagination

    def _page(self, queryset: Any, since: int | None) -> Response:
        self.cursor_ordering = "id" if since is not None else "-id"
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ChannelMessageListApi(_MessageList):
    @extend_schema(
        tags=TAGS,
        operation_id="channels_messages_list",
        parameters=[CHANNEL_ID, serializers.MessageFilterSerializer],
        responses={200: serializers.MessageSerializer(many=True), **problems(400, 401, 404)},
        summary="A channel's history: newest first, or oldest first after `since`",
    )
    def get(self, request: Request, channel_id: int) -> Response:
        params = serializers.MessageFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        channel = access.access_channel(request.user, channel_id)
        thread_id, since = params.validated_data.get("thread"), params.validated_data.get("since")
        thread = access.access_thread(request.user, thread_id) if thread_id is not None else None
        if thread is not None and thread.channel_id != channel.pk:
            raise NotFound(f"No thread {thread_id} in this channel.")
        return self._page(selectors.message_list(channel=channel, thread=thread, since=since), since)


class ThreadDetailApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[THREAD_ID],
        responses={200: serializers.ThreadSerializer, **problems(401, 404)},
        summary="A thread",
    )
    def get(self, request: Request, thread_id: int) -> Response:
        access.access_thread(request.user, thread_id)
        return Response(_thread(thread_id))


class ThreadMessageListApi(_MessageList):
    @extend_schema(
        tags=TAGS,
        operation_id="threads_messages_list",
        parameters=[THREAD_ID, serializers.MessageFilterSerializer],
        responses={200: serializers.MessageSerializer(many=True), **problems(400, 401, 404)},
        summary="A thread's messages: newest first, or oldest first after `since` (`thread` is ignored)",
    )
    def get(self, request: Request, thread_id: int) -> Response:
        params = serializers.MessageFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        thread = access.access_thread(request.user, thread_id)
        since = params.validated_data.get("since")
        return self._page(selectors.message_list(channel=thread.channel, thread=thread, since=since), since)

    @extend_schema(
        tags=TAGS,
        parameters=[THREAD_ID],
        request=serializers.MessageWriteSerializer,
        responses={201: serializers.MessageSerializer, **problems(400, 401, 404)},
        summary="Post a message in a thread",
    )
    def post(self, request: Request, thread_id: int) -> Response:
        data = serializers.MessageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.message_post(actor=request.user, thread_id=thread_id, **data.validated_data)
        return Response(_message(message.pk), status=status.HTTP_201_CREATED)


class ThreadResolutionApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[THREAD_ID],
        request=serializers.ResolutionSerializer,
        responses={200: serializers.ThreadSerializer, **problems(400, 401, 403, 404)},
        summary="Resolve a thread, optionally accepting a reply (its starter, mentors and staff)",
    )
    def put(self, request: Request, thread_id: int) -> Response:
        data = serializers.ResolutionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.thread_resolve(
            actor=request.user, thread_id=thread_id, accepted_message_id=data.validated_data.get("accepted_message")
        )
        return Response(_thread(thread_id))

    @extend_schema(
        tags=TAGS,
        parameters=[THREAD_ID],
        responses={200: serializers.ThreadSerializer, **problems(401, 403, 404)},
        summary="Reopen a thread (clears the accepted reply)",
    )
    def delete(self, request: Request, thread_id: int) -> Response:
        services.thread_reopen(actor=request.user, thread_id=thread_id)
        return Response(_thread(thread_id))


class ThreadPromoteApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[THREAD_ID],
        request=serializers.PromoteSerializer,
        responses={201: serializers.PromotedSerializer, **problems(400, 401, 403, 404, 409)},
        summary="Turn a resolved thread into a draft challenge entry in your hub",
    )
    def post(self, request: Request, thread_id: int) -> Response:
        data = serializers.PromoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = services.thread_promote(actor=request.user, thread_id=thread_id, hub=data.validated_data.get("hub"))
        body = {
            "entry": entry.pk,
            "hub": entry.hub.slug,
            "title": entry.title,
            "status": entry.status,
            "url": reverse("api:entry-detail", kwargs={"entry_id": entry.pk}),
        }
        return Response(serializers.PromotedSerializer(body).data, status=status.HTTP_201_CREATED)


# --- Messages and reactions -------------------------------------------------------------------


class MessageDetailApi(_Authenticated):
    @extend_schema(
        tags=TAGS,
        parameters=[MESSAGE_ID],
        responses={200: serializers.MessageSerializer, **problems(401, 404)},
        summary="A message",
    )
    def get(self, request: Request, message_id: int) -> Response:
        access.access_message(request.user, message_id)
        return Response(_message(message_id))

    @extend_schema(
        tags=TAGS,
        parameters=[MESSAGE_ID],
        request=serializers.MessageWriteSerializer,
        responses={200: serializers.MessageSerializer, **problems(400, 401, 403, 404, 409)},
        summary="Edit your message",
    )
    def patch(self, request: Request, message_id: int) -> Response:
        data = serializers.MessageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.message_edit(actor=request.user, message_id=message_id, **data.validated_data)
        return Response(_message(message_id))

    @extend_schema(
        tags=TAGS,
        parameters=[MESSAGE_ID],
        responses={200: serializers.MessageSerializer, **problems(401, 403, 404)},
        summary="Delete a message (yours; mentors and staff: any); answers with the tombstone",
    )
    def delete(self, request: Request, message_id: int) -> Response:
        services.message_delete(actor=request.user, message_id=message_id)
        return Response(_message(message_id))


def _reaction_state(reactions: Any, name: str, reacted: bool) -> Response:
    body = {"reacted": reacted, "emoji": name, "reactions": payloads.reactions(reactions)}
    return Response(serializers.ReactionStateSerializer(body).data)


class _MessageReaction(_Authenticated):
    def _react(self, request: Request, message_id: int, name: str, on: bool | None) -> Response:
        message, reacted = services.message_react(actor=request.user, message_id=message_id, emoji=name, on=on)
        loaded = selectors.message_get(message_id=message.pk)
        return _reaction_state(loaded.reactions.all(), emoji.reaction_name(name), reacted)


class MessageReactionToggleApi(_MessageReaction):
    @extend_schema(
        tags=TAGS,
        parameters=[MESSAGE_ID],
        request=serializers.ReactionInputSerializer,
        responses={200: serializers.ReactionStateSerializer, **problems(400, 401, 404, 409)},
        summary="Toggle your reaction to a message",
    )
    def post(self, request: Request, message_id: int) -> Response:
        data = serializers.ReactionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._react(request, message_id, data.validated_data["emoji"], None)


class MessageReactionApi(_MessageReaction):
    @extend_schema(
        tags=TAGS,
        parameters=[MESSAGE_ID, REACTION],
        request=None,
        responses={200: serializers.ReactionStateSerializer, **problems(400, 401, 404, 409)},
        summary="Add your reaction (idempotent)",
    )
    def put(self, request: Request, message_id: int, reaction: str) -> Response:
        return self._react(request, message_id, reaction, True)

    @extend_schema(
        tags=TAGS,
        parameters=[MESSAGE_ID, REACTION],
        responses={200: serializers.ReactionStateSerializer, **problems(400, 401, 404, 409)},
        summary="Remove your reaction (idempotent)",
    )
    def delete(self, request: Request, message_id: int, reaction: str) -> Response:
        return self._react(request, message_id, reaction, False)


# --- Comments on entries ----------------------------------------------------------------------


class EntryCommentListApi(GenericAPIView):
    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = serializers.CommentSerializer
    pagination_class = CursorPagination
    cursor_ordering = "id"

    @extend_schema(
        tags=COMMENT_TAGS,
        operation_id="entries_comments_list",
        parameters=[ENTRY_ID],
        responses={200: serializers.CommentSerializer(many=True), **problems(404)},
        summary="An entry's comments, oldest first, each with its replies",
    )
    def get(self, request: Request, entry_id: int) -> Response:
        entry = hub_access.access_entry(request.user, entry_id)
        page = self.paginate_queryset(selectors.comment_list(entry=entry))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[ENTRY_ID],
        request=serializers.CommentCreateSerializer,
        responses={201: serializers.CommentSerializer, **problems(400, 401, 403, 404)},
        summary="Comment on an entry you can read, or reply to a comment",
    )
    def post(self, request: Request, entry_id: int) -> Response:
        data = serializers.CommentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_add(
            actor=request.user, entry_id=entry_id, body=data.validated_data["body"],
            parent_id=data.validated_data.get("parent"),
        )  # fmt: skip
        return Response(_comment(comment.pk), status=status.HTTP_201_CREATED)


class CommentDetailApi(APIView):
    permission_classes = [IsAuthenticatedOrReadOnly]

    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[COMMENT_ID],
        responses={200: serializers.CommentSerializer, **problems(404)},
        summary="A comment (with its replies when it is a top comment)",
    )
    def get(self, request: Request, comment_id: int) -> Response:
        access.access_comment(request.user, comment_id)
        return Response(_comment(comment_id))

    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[COMMENT_ID],
        request=serializers.MessageWriteSerializer,
        responses={200: serializers.CommentSerializer, **problems(400, 401, 403, 404, 409)},
        summary="Edit your comment",
    )
    def patch(self, request: Request, comment_id: int) -> Response:
        data = serializers.MessageWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.comment_edit(actor=request.user, comment_id=comment_id, **data.validated_data)
        return Response(_comment(comment_id))

    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[COMMENT_ID],
        responses={200: serializers.CommentSerializer, **problems(401, 403, 404)},
        summary="Delete a comment (yours; the entry's owner, mentors and staff: any); replies stay",
    )
    def delete(self, request: Request, comment_id: int) -> Response:
        services.comment_delete(actor=request.user, comment_id=comment_id)
        return Response(_comment(comment_id))


class _CommentReaction(_Authenticated):
    def _react(self, request: Request, comment_id: int, name: str, on: bool | None) -> Response:
        comment, reacted = services.comment_react(actor=request.user, comment_id=comment_id, emoji=name, on=on)
        loaded = selectors.comment_get(comment_id=comment.pk)
        return _reaction_state(loaded.reactions.all(), emoji.reaction_name(name), reacted)


class CommentReactionToggleApi(_CommentReaction):
    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[COMMENT_ID],
        request=serializers.ReactionInputSerializer,
        responses={200: serializers.ReactionStateSerializer, **problems(400, 401, 404, 409)},
        summary="Toggle your reaction to a comment",
    )
    def post(self, request: Request, comment_id: int) -> Response:
        data = serializers.ReactionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._react(request, comment_id, data.validated_data["emoji"], None)


class CommentReactionApi(_CommentReaction):
    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[COMMENT_ID, REACTION],
        request=None,
        responses={200: serializers.ReactionStateSerializer, **problems(400, 401, 404, 409)},
        summary="Add your reaction to a comment (idempotent)",
    )
    def put(self, request: Request, comment_id: int, reaction: str) -> Response:
        return self._react(request, comment_id, reaction, True)

    @extend_schema(
        tags=COMMENT_TAGS,
        parameters=[COMMENT_ID, REACTION],
        responses={200: serializers.ReactionStateSerializer, **problems(400, 401, 404, 409)},
        summary="Remove your reaction to a comment (idempotent)",
    )
    def delete(self, request: Request, comment_id: int, reaction: str) -> Response:
        return self._react(request, comment_id, reaction, False)
