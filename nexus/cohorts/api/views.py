"""Programs, cohorts and cohort members."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from nexus.cohorts import access, selectors
from nexus.cohorts.api import serializers
from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The cohort's slug.")


class _ByName(CursorPagination):
    ordering = ("name", "id")


class ProgramListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.ProgramSerializer
    pagination_class = _ByName

    @extend_schema(tags=["cohorts"], operation_id="programs_list", summary="Programs")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.program_list())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProgramDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.ProgramSerializer

    @extend_schema(
        tags=["cohorts"], responses={200: serializers.ProgramSerializer, **problems(404)}, summary="A program"
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(get_object_or_404(selectors.program_list(), slug=slug)).data)


class CohortListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.CohortSerializer

    @extend_schema(
        tags=["cohorts"],
        operation_id="cohorts_list",
        parameters=[serializers.CohortFilterSerializer],
        summary="Cohorts, newest first",
    )
    def get(self, request: Request) -> Response:
        params = serializers.CohortFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.cohort_list(**params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CohortDetailApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.CohortSerializer

    @extend_schema(tags=["cohorts"], responses={200: serializers.CohortSerializer, **problems(404)}, summary="A cohort")
    def get(self, request: Request, slug: str) -> Response:
        return Response(self.get_serializer(access.access_cohort(request.user, slug)).data)


class _ByJoined(CursorPagination):
    ordering = ("created_at", "id")


class CohortMemberListApi(GenericAPIView):
    permission_classes = [AllowAny]
    serializer_class = serializers.MembershipSerializer
    pagination_class = _ByJoined

    @extend_schema(
        tags=["cohorts"],
        parameters=[SLUG, serializers.MembershipFilterSerializer],
        responses={200: serializers.MembershipSerializer(many=True), **problems(404)},
        summary="Members of a cohort (visible to its members and staff)",
    )
    def get(self, request: Request, slug: str) -> Response:
        cohort = access.access_cohort(request.user, slug, to_list_members=True)
        params = serializers.MembershipFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        page = self.paginate_queryset(selectors.membership_list(cohort=cohort, **params.validated_data))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
