"""The search endpoint. Parses input, calls the selector, shapes output."""

from __future__ import annotations

from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.core.api.schema import problems
from nexus.search import selectors
from nexus.search.api import serializers


class SearchApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        tags=["search"],
        operation_id="search",
        summary="Search entries, challenges, hubs, topics and members you may read",
        parameters=[serializers.SearchFilterSerializer],
        responses={200: serializers.SearchResultSerializer, **problems(400)},
    )
    def get(self, request: Request) -> Response:
        params = serializers.SearchFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        filters = dict(params.validated_data)
        limit = filters.pop("page_size")
        result = selectors.search(actor=request.user, limit=limit, **filters)
        next_url = None
        if result.next_cursor:
            query = {k: v for k, v in request.query_params.items() if k != "cursor"}
            next_url = request.build_absolute_uri(
                f"{request.path}?{urlencode({**query, 'cursor': result.next_cursor})}"
            )
        # Plain data in the shape SearchResultSerializer documents: DRF fields would cost more
        # than the rest of a cached search.
        return Response(
            {
                "next": next_url,
                "count": result.total,
                "count_is_lower_bound": result.capped,
                "facets": {
                    name: [{"value": v, "count": n} for v, n in values] for name, values in result.facets.items()
                },
                "facets_approximate": result.capped,
                "corrections": result.corrections,
                "results": [
                    {
                        "type": h.source,
                        "id": h.id,
                        "kind": h.kind,
                        "title": h.title,
                        "title_html": h.title_html,
                        "snippet_html": h.snippet_html,
                        "url": h.url,
                        "score": h.score,
                    }
                    for h in result.hits
                ],
            }
        )
