"""`GET /api/v1/cohorts/{slug}/insights/`: the insights page's data, for mentors' own tools."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.schema import problems
from nexus.insights import access, selectors
from nexus.insights.api import serializers

ACTIVITY_WEEKS = 12


def _data(cohort: Any, coverage: selectors.Coverage, open_problems: list, weeks: list) -> dict[str, Any]:
    return {
        "cohort": cohort.slug,
        "coverage": {
            "topics": [
                {"slug": t.slug, "name": t.name, "members": n}
                for t, n in zip(coverage.topics, coverage.members_per_topic, strict=True)
            ],
            "rows": [
                {"username": r.member.username, "name": r.member.profile.name, "counts": r.counts, "covered": r.covered}
                for r in coverage.rows
            ],
        },
        "open_problems": [
            {
                "id": p.problem.pk,
                "title": p.problem.title,
                "members": p.members,
                "topics": [t.slug for t in p.problem.topics.all()],
            }
            for p in open_problems
        ],
        "activity": [{"week": w.start, "entries": w.entries, "messages": w.messages} for w in weeks],
    }


class CohortInsightsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["insights"],
        operation_id="cohorts_insights",
        parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The cohort's slug.")],
        responses={200: serializers.CohortInsightsSerializer, **problems(401, 404)},
        summary="A cohort's coverage, most common open problems and weekly activity (its mentors and staff)",
    )
    def get(self, request: Request, slug: str) -> Response:
        cohort = access.access_cohort_insights(request.user, slug)
        data = _data(
            cohort,
            selectors.cohort_coverage(actor=request.user, cohort=cohort),
            selectors.cohort_open_problems(actor=request.user, cohort=cohort),
            selectors.cohort_activity(actor=request.user, cohort=cohort, weeks=ACTIVITY_WEEKS),
        )
        return Response(serializers.CohortInsightsSerializer(data).data)
