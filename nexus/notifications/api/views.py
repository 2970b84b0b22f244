"""Notifications, preferences and follows. Views parse input, call one service or selector, shape output."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.notifications import selectors, services
from nexus.notifications.access import access_member, access_topic
from nexus.notifications.api import serializers

TAGS = ["notifications"]
FOLLOW_TAGS = ["follows"]
NOTIFICATION_ID = OpenApiParameter("notification_id", int, OpenApiParameter.PATH, description="The notification's id.")
USERNAME = OpenApiParameter("username", str, OpenApiParameter.PATH, description="The member's username.")
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The topic's slug.")


class NotificationListApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.NotificationSerializer
    pagination_class = CursorPagination

    @extend_schema(
        tags=TAGS,
        operation_id="notifications_list",
        parameters=[serializers.NotificationFilterSerializer],
        responses={200: serializers.NotificationSerializer(many=True), **problems(400, 401)},
        summary="Your notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        params = serializers.NotificationFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.notification_list(actor=request.user, **params.validated_data))
        return self.get_paginated_response([selectors.notification_data(n) for n in page])


class NotificationUnreadCountApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: serializers.UnreadCountSerializer, **problems(401)},
        summary="How many of your notifications are unread",
    )
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.notification_unread_count(actor=request.user)})


class NotificationReadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        parameters=[NOTIFICATION_ID],
        request=None,
        responses={200: serializers.NotificationSerializer, **problems(401, 404)},
        summary="Mark one of your notifications read (idempotent)",
    )
    def post(self, request: Request, notification_id: int) -> Response:
        notification = services.notification_mark_read(actor=request.user, notification_id=notification_id)
        return Response(selectors.notification_data(notification))


class NotificationReadAllApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        request=serializers.MarkAllReadSerializer,
        responses={200: serializers.MarkedSerializer, **problems(400, 401)},
        summary="Mark all your notifications read (up to an id, so newer ones stay unread)",
    )
    def post(self, request: Request) -> Response:
        data = serializers.MarkAllReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        marked = services.notifications_mark_all_read(actor=request.user, **data.validated_data)
        return Response({"marked": marked, "unread": selectors.notification_unread_count(actor=request.user)})


class NotificationPreferencesApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        responses={200: serializers.NotificationPreferencesSerializer, **problems(401)},
        summary="How each kind of notification is e-mailed to you",
    )
    def get(self, request: Request) -> Response:
        return Response({"email": selectors.notification_preferences(user=request.user)})

    @extend_schema(
        tags=TAGS,
        request=serializers.NotificationPreferencesUpdateSerializer,
        responses={200: serializers.NotificationPreferencesSerializer, **problems(400, 401)},
        summary="Change how some kinds are e-mailed (off, immediate or daily digest)",
    )
    def patch(self, request: Request) -> Response:
        data = serializers.NotificationPreferencesUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = services.notification_preferences_update(actor=request.user, **data.validated_data)
        return Response({"email": email})


class MemberFollowApi(APIView):
    permission_classes = [IsAuthenticated]

    def _state(self, request: Request, username: str, *, code: int = status.HTTP_200_OK) -> Response:
        member = access_member(request.user, username)
        return Response(selectors.member_follow_state(actor=request.user, member=member), status=code)

    @extend_schema(
        tags=FOLLOW_TAGS,
        parameters=[USERNAME],
        request=None,
        responses={
            201: serializers.MemberFollowStateSerializer,
            200: serializers.MemberFollowStateSerializer,
            **problems(400, 401, 404),
        },
        summary="Follow a member (201 the first time, 200 after; they are notified once)",
    )
    def post(self, request: Request, username: str) -> Response:
        _, created = services.member_follow(actor=request.user, username=username)
        return self._state(request, username, code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        tags=FOLLOW_TAGS,
        parameters=[USERNAME],
        responses={200: serializers.MemberFollowStateSerializer, **problems(401, 404)},
        summary="Stop following a member (idempotent)",
    )
    def delete(self, request: Request, username: str) -> Response:
        services.member_unfollow(actor=request.user, username=username)
        return self._state(request, username)


class TopicFollowApi(APIView):
    permission_classes = [IsAuthenticated]

    def _state(self, request: Request, slug: str, *, code: int = status.HTTP_200_OK) -> Response:
        topic = access_topic(request.user, slug)
        return Response(selectors.topic_follow_state(actor=request.user, topic=topic), status=code)

    @extend_schema(
        tags=FOLLOW_TAGS,
        parameters=[SLUG],
        request=None,
        responses={
            201: serializers.TopicFollowStateSerializer,
            200: serializers.TopicFollowStateSerializer,
            **problems(401, 404),
        },
        summary="Follow a topic and the topics under it (201 the first time, 200 after)",
    )
    def post(self, request: Request, slug: str) -> Response:
        _, created = services.topic_follow(actor=request.user, slug=slug)
        return self._state(request, slug, code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        tags=FOLLOW_TAGS,
        parameters=[SLUG],
        responses={200: serializers.TopicFollowStateSerializer, **problems(401, 404)},
        summary="Stop following a topic (idempotent)",
    )
    def delete(self, request: Request, slug: str) -> Response:
        services.topic_unfollow(actor=request.user, slug=slug)
        return self._state(request, slug)


class MyMemberFollowsApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.FollowedMemberSerializer
    pagination_class = CursorPagination

    @extend_schema(
        tags=FOLLOW_TAGS,
        operation_id="me_follows_members_list",
        responses={200: serializers.FollowedMemberSerializer(many=True), **problems(401)},
        summary="The members you follow, most recent first",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.member_follows(actor=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MyTopicFollowsApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.FollowedTopicSerializer
    pagination_class = CursorPagination

    @extend_schema(
        tags=FOLLOW_TAGS,
        operation_id="me_follows_topics_list",
        responses={200: serializers.FollowedTopicSerializer(many=True), **problems(401)},
        summary="The topics you follow, most recent first",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.topic_follows(actor=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class MyFollowersApi(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = serializers.FollowerSerializer
    pagination_class = CursorPagination

    @extend_schema(
        tags=FOLLOW_TAGS,
        operation_id="me_followers_list",
        responses={200: serializers.FollowerSerializer(many=True), **problems(401)},
        summary="The members following you, most recent first",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.member_followers(actor=request.user))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
