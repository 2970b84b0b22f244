"""URL map: probes live in middleware; the API under /api/v1/; docs served offline."""

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views import defaults
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from config.schema import schema
from nexus.core.api.exceptions import problem_response
from nexus.core.graphql import NexusGraphQLView

api_v1 = [
    path("", include("nexus.accounts.api.urls")),
    path("", include("nexus.cohorts.api.urls")),
    path("", include("nexus.topics.api.urls")),
    path("", include("nexus.hubs.api.urls")),
    path("", include("nexus.search.api.urls")),
    path("", include("nexus.knowledge.api.urls")),
    path("", include("nexus.webhooks.api.urls")),
    path("", include("nexus.notifications.api.urls")),
    path("", include("nexus.discussions.api.urls")),
    path("", include("nexus.registry.api.urls")),
    path("", include("nexus.insights.api.urls")),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
]

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path(
        "graphql/",
        NexusGraphQLView.as_view(schema=schema, graphql_ide="graphiql" if settings.GRAPHQL_GRAPHIQL else None),
        name="graphql",
    ),
    path("accounts/", include("nexus.accounts.urls")),
    # Pages for people (docs/web.md); hubs mount at the root for /@username/.
    path("", include("nexus.hubs.urls")),
    path("knowledge/", include("nexus.knowledge.urls")),
    path("search/", include("nexus.search.urls")),
    path("topics/", include("nexus.topics.urls")),
    path("registry/", include("nexus.registry.urls")),
    path("channels/", include("nexus.discussions.urls")),
    path("notifications/", include("nexus.notifications.urls")),
    path("insights/", include("nexus.insights.urls")),
    path("admin/", admin.site.urls),
]


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return problem_response(request, status_code=404, detail=f"No resource at {request.path}.", code="not_found")
    return defaults.page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return problem_response(
            request, status_code=500, detail="The server failed to handle this request.", code="server_error"
        )
    return defaults.server_error(request)
