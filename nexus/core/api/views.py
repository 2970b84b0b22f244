"""View helpers shared by the API apps."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from rest_framework.views import APIView

from nexus.core.api.exceptions import problem_response


class CachedReadApi(APIView):
    """An API view whose GET is a cached public read: a request without credentials (no
    `Authorization` header, no session cookie) is answered by `respond(request, actor)` straight
    from the cache, without DRF's request cycle (authentication, permissions, negotiation),
    which costs more than the cache hit itself. Requests with credentials take the normal path
    (`get` calls the same `respond` with the authenticated user), so a bad token is still a 401.
    """

    def respond(self, request: HttpRequest, actor: Any, **kwargs: Any) -> HttpResponse:
        raise NotImplementedError

    def get(self, request: Any, **kwargs: Any) -> HttpResponse:
        return self.respond(request, request.user, **kwargs)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        anonymous = "HTTP_AUTHORIZATION" not in request.META and settings.SESSION_COOKIE_NAME not in request.COOKIES
        if request.method != "GET" or not anonymous:
            return super().dispatch(request, *args, **kwargs)
        try:
            return self.respond(request, AnonymousUser(), **kwargs)
        except Http404 as exc:
            return problem_response(request, status_code=404, detail=str(exc), code="not_found")
