"""Problems, solutions, confirmations and similarity. Views parse input, call one service or selector, shape output."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.pagination import CursorPagination
from nexus.core.api.schema import problems
from nexus.hubs import access as hub_access
from nexus.knowledge import access, selectors, services
from nexus.knowledge.api import serializers
from nexus.knowledge.models import Problem, SolutionConfirmation, SolutionVerification
from nexus.topics.models import Topic

PROBLEM_ID = OpenApiParameter("problem_id", int, OpenApiParameter.PATH, description="The problem's id.")
ENTRY_ID = OpenApiParameter("entry_id", int, OpenApiParameter.PATH, description="The challenge entry's id.")
TAGS = ["knowledge"]


def _detail(request: Request, problem: Problem) -> dict:
    data = {
        **serializers.CanonicalProblemSerializer(problem).data,
        "hit_by_me": selectors.problem_hit_by(actor=request.user, problem=problem),
        "solutions": serializers.SolutionSerializer(
            selectors.problem_solutions(actor=request.user, problem=problem), many=True
        ).data,
    }
    return data


def _loaded(request: Request, problem_id: int) -> Problem:
    return access.problems_visible_to(request.user).prefetch_related("topics").get(pk=problem_id)


def _similar(results: list[tuple[Problem, float]]) -> dict:
    return serializers.SimilarResultSerializer(
        {
            "threshold": settings.KNOWLEDGE_ATTACH_THRESHOLD,
            "results": [{"problem": problem, "score": score} for problem, score in results],
        }
    ).data


class ProblemListApi(GenericAPIView):
    serializer_class = serializers.CanonicalProblemSerializer
    pagination_class = CursorPagination
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        operation_id="problems_list",
        parameters=[serializers.ProblemFilterSerializer],
        responses={200: serializers.CanonicalProblemSerializer(many=True), **problems(400)},
        summary="Canonical problems you may read; by default those most learners hit first",
    )
    def get(self, request: Request) -> Response:
        params = serializers.ProblemFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        self.cursor_ordering = filters.pop("ordering")
        page = self.paginate_queryset(selectors.problem_list(actor=request.user, **filters))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ProblemDetailApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[PROBLEM_ID],
        responses={200: serializers.ProblemDetailSerializer, **problems(404)},
        summary="A problem with its solutions you may read, ranked",
    )
    def get(self, request: Request, problem_id: int) -> Response:
        return Response(
            selectors.problem_page(
                actor=request.user, problem_id=problem_id, build=lambda p: _detail(request, _loaded(request, p.pk))
            )
        )

    @extend_schema(
        tags=TAGS,
        parameters=[PROBLEM_ID],
        request=serializers.ProblemRenameSerializer,
        responses={200: serializers.ProblemDetailSerializer, **problems(400, 401, 403, 404)},
        summary="Rename a problem (mentors and staff)",
    )
    def patch(self, request: Request, problem_id: int) -> Response:
        data = serializers.ProblemRenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        problem = services.problem_rename(actor=request.user, problem_id=problem_id, **data.validated_data)
        return Response(_detail(request, _loaded(request, problem.pk)))


class ProblemMergeApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[PROBLEM_ID],
        request=serializers.ProblemMergeSerializer,
        responses={200: serializers.ProblemDetailSerializer, **problems(400, 401, 403, 404)},
        summary="Merge this problem into another (mentors and staff); answers with the target",
    )
    def post(self, request: Request, problem_id: int) -> Response:
        data = serializers.ProblemMergeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = services.problem_merge(
            actor=request.user, source_id=problem_id, target_id=data.validated_data["target"]
        )
        return Response(_detail(request, _loaded(request, target.pk)))


class ProblemSplitApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[PROBLEM_ID],
        request=serializers.ProblemSplitSerializer,
        responses={201: serializers.ProblemDetailSerializer, **problems(400, 401, 403, 404)},
        summary="Move some challenges of this problem to a new problem (mentors and staff)",
    )
    def post(self, request: Request, problem_id: int) -> Response:
        data = serializers.ProblemSplitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.problem_split(actor=request.user, problem_id=problem_id, **data.validated_data)
        return Response(_detail(request, _loaded(request, new.pk)), status=status.HTTP_201_CREATED)


class ProblemConfirmationApi(APIView):
    permission_classes = [IsAuthenticated]

    def _state(self, request: Request, problem: Problem) -> Response:
        body = {
            "problem": problem.pk,
            "hit_count": problem.hit_count,
            "hit_by_me": selectors.problem_hit_by(actor=request.user, problem=problem),
        }
        return Response(serializers.ProblemHitSerializer(body).data)

    @extend_schema(
        tags=TAGS,
        parameters=[PROBLEM_ID],
        request=None,
        responses={200: serializers.ProblemHitSerializer, **problems(401, 404)},
        summary='"I hit this too" (idempotent)',
    )
    def post(self, request: Request, problem_id: int) -> Response:
        return self._state(request, services.problem_confirm(actor=request.user, problem_id=problem_id))

    @extend_schema(
        tags=TAGS,
        parameters=[PROBLEM_ID],
        responses={200: serializers.ProblemHitSerializer, **problems(401, 404)},
        summary='Take back "I hit this too" (idempotent)',
    )
    def delete(self, request: Request, problem_id: int) -> Response:
        return self._state(request, services.problem_unconfirm(actor=request.user, problem_id=problem_id))


class ProblemSimilarApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        request=serializers.SimilarQuerySerializer,
        responses={200: serializers.SimilarResultSerializer, **problems(400)},
        summary="Problems similar to a draft challenge (while composing)",
    )
    def post(self, request: Request) -> Response:
        data = serializers.SimilarQuerySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        params = data.validated_data
        topic_ids = list(Topic.objects.filter(slug__in=params["topics"]).values_list("pk", flat=True))
        found = selectors.problem_similar(
            actor=request.user, text=params["text"], topic_ids=topic_ids, limit=params["limit"]
        )
        return Response(_similar(found))


class EntrySimilarApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=TAGS,
        parameters=[ENTRY_ID, serializers.SimilarLimitSerializer],
        responses={200: serializers.SimilarResultSerializer, **problems(400, 404)},
        summary="Problems similar to a challenge, other than its own",
    )
    def get(self, request: Request, entry_id: int) -> Response:
        params = serializers.SimilarLimitSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        entry = hub_access.access_entry(request.user, entry_id)
        link = getattr(entry, "problem_link", None)
        found = selectors.problem_similar(
            actor=request.user,
            text=selectors.entry_text(entry),
            topic_ids=entry.topics.values_list("pk", flat=True),
            exclude=[link.problem_id] if link else [],
            limit=params.validated_data["limit"],
        )
        return Response(_similar(found))


class EntryProblemApi(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=[ENTRY_ID],
        request=serializers.EntryProblemSerializer,
        responses={200: serializers.ProblemLinkSerializer, **problems(400, 401, 403, 404)},
        summary="Put your published challenge under a problem (take a suggestion)",
    )
    def put(self, request: Request, entry_id: int) -> Response:
        data = serializers.EntryProblemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        link = services.challenge_attach(
            actor=request.user, entry_id=entry_id, problem_id=data.validated_data["problem"]
        )
        return Response(serializers.ProblemLinkSerializer(link).data)


class SolutionConfirmationApi(APIView):
    permission_classes = [IsAuthenticated]

    def _state(self, request: Request, entry_id: int) -> Response:
        confirmations = SolutionConfirmation.objects.filter(entry_id=entry_id)
        body = {
            "entry": entry_id,
            "confirmations": confirmations.count(),
            "confirmed_by_me": confirmations.filter(user_id=request.user.pk).exists(),
        }
        return Response(serializers.SolutionConfirmationStateSerializer(body).data)

    @extend_schema(
        tags=TAGS,
        parameters=[ENTRY_ID],
        request=None,
        responses={200: serializers.SolutionConfirmationStateSerializer, **problems(400, 401, 403, 404)},
        summary='"This solution worked for me" (idempotent; not on your own)',
    )
    def post(self, request: Request, entry_id: int) -> Response:
        services.solution_confirm(actor=request.user, entry_id=entry_id)
        return self._state(request, entry_id)

    @extend_schema(
        tags=TAGS,
        parameters=[ENTRY_ID],
        responses={200: serializers.SolutionConfirmationStateSerializer, **problems(401, 404)},
        summary='Take back "this solution worked for me" (idempotent)',
    )
    def delete(self, request: Request, entry_id: int) -> Response:
        services.solution_unconfirm(actor=request.user, entry_id=entry_id)
        return self._state(request, entry_id)


class SolutionVerificationApi(APIView):
    permission_classes = [IsAuthenticated]

    def _state(self, entry_id: int) -> Response:
        found = SolutionVerification.objects.filter(entry_id=entry_id).select_related("verified_by").first()
        body = {
            "entry": entry_id,
            "verified": found is not None,
            "verified_by": found.verified_by.username if found and found.verified_by else None,
            "verified_at": found.created_at if found else None,
        }
        return Response(serializers.VerificationSerializer(body).data)

    @extend_schema(
        tags=TAGS,
        parameters=[ENTRY_ID],
        request=None,
        responses={200: serializers.VerificationSerializer, **problems(400, 401, 403, 404)},
        summary="Mark a solution verified (mentors and staff of the hub's cohort; idempotent)",
    )
    def put(self, request: Request, entry_id: int) -> Response:
        services.solution_verify(actor=request.user, entry_id=entry_id)
        return self._state(entry_id)

    @extend_schema(
        tags=TAGS,
        parameters=[ENTRY_ID],
        responses={200: serializers.VerificationSerializer, **problems(401, 403, 404)},
        summary="Remove the verified mark (idempotent)",
    )
    def delete(self, request: Request, entry_id: int) -> Response:
        services.solution_unverify(actor=request.user, entry_id=entry_id)
        return self._state(entry_id)


class TopicPageApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["topics"],
        parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The topic's slug.")],
        responses={200: serializers.TopicPageSerializer, **problems(404)},
        summary="What the cohort wrote about a topic (and the topics below it), cached",
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(selectors.topic_page(actor=request.user, slug=slug))
