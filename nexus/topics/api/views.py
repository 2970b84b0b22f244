"""Topic endpoints: the taxonomy, public and read-only."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.topics import selectors
from nexus.topics.api import serializers
from nexus.topics.models import Topic


class TopicPagination(CursorPagination):
    ordering = ("name", "slug")


class TopicListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.TopicSerializer
    pagination_class = TopicPagination
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Topic]:
        filters = serializers.TopicFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.topic_list(**filters.validated_data)

    @extend_schema(
        tags=["topics"],
        summary="List topics by name",
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=Topic.Kind.values, description="Only topics of this kind."),
            OpenApiParameter("q", OpenApiTypes.STR, description="Text in the name or an alias, in any case."),
            OpenApiParameter("parent", OpenApiTypes.STR, description="Only the direct children of this topic slug."),
        ],
        responses={200: serializers.TopicSerializer(many=True), **problems(400)},
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)


class TopicDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["topics"],
        summary="A topic with its aliases, parent and children",
        responses={200: serializers.TopicDetailSerializer, **problems(404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(serializers.TopicDetailSerializer(selectors.topic_get(slug=slug)).data)
