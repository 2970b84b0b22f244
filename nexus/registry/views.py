"""Registry pages for people, under /registry/ (docs/web.md): registered APIs with their live
status, uptime, operations and changelog (breaking changes first in each version), and
"Consume"/"Stop consuming" buttons.

The status cell polls its own fragment every minute (htmx), so an open page follows the
health checks; the badge image is the API's own status badge (`api:api-badge`).
The subscription button sends the state wanted (`consume=1` or `consume=0`), never "toggle":
sending it twice changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from nexus.core.errors import ApplicationError
from nexus.core.web import is_htmx, plain_error, posted_switch, render_page, safe_next
from nexus.registry import access, selectors, services

APIS_PER_PAGE = 20
RECENT_CHECKS = 12


@require_GET
def api_index(request: HttpRequest) -> HttpResponse:
    """The APIs the viewer may see, newest first; filter by text, or only those the viewer consumes."""
    q = request.GET.get("q", "").strip()[:200]
    consumed_only = request.GET.get("consumed") == "1" and request.user.is_authenticated
    apis = selectors.api_list(actor=request.user, q=q or None)
    if consumed_only:
        apis = apis.filter(consumers__user_id=request.user.pk)
    page = Paginator(apis, APIS_PER_PAGE).get_page(request.GET.get("page"))
    ids = [api.pk for api in page.object_list]
    uptimes = selectors.uptime_many(api_ids=ids)
    operations = selectors.operation_counts(api_ids=ids)
    consumed = selectors.consumed_ids(actor=request.user, api_ids=ids)
    rows = [
        {"api": api, "uptime": uptimes[api.pk], "operations": operations[api.pk], "consumed": api.pk in consumed}
        for api in page.object_list
    ]
    context = {"page_obj": page, "rows": rows, "q": q, "consumed_only": consumed_only}
    return render_page(request, "registry/api_list.html", context, fragment="registry/partials/api_results.html")


@require_GET
def api_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An API: status and uptime, how to consume it, its operations, its changelog and recent checks."""
    api = access.access_api(request.user, slug)
    versions = list(selectors.version_list(api=api))
    context = {
        "api": api,
        "uptime": selectors.uptime(api=api),
        "operations": list(selectors.operation_list(api=api)),
        "versions": versions,
        "breaking_total": sum(v.breaking_count for v in versions),
        "checks": list(selectors.health_check_list(api=api)[:RECENT_CHECKS]),
        "consumed": bool(selectors.consumed_ids(actor=request.user, api_ids=[api.pk])),
        "is_owner": request.user.pk == api.owner_id,
    }
    return render_page(request, "registry/api_detail.html", context)


@require_GET
def api_status(request: HttpRequest, slug: str) -> HttpResponse:
    """The status badge and uptime of an API (the fragment the pages poll)."""
    api = access.access_api(request.user, slug)
    return render_page(
        request,
        "registry/partials/api_status.html",
        {"api": api, "uptime": selectors.uptime(api=api)},
    )


@login_required
@require_POST
def api_subscription(request: HttpRequest, slug: str) -> HttpResponse:
    """Consume the whole API (`consume=1`) or stop consuming it (`consume=0`)."""
    wanted = posted_switch(request, "consume")
    if wanted is None:
        return plain_error("Send consume=1 or consume=0.")
    if wanted:
        services.consumer_subscribe(actor=request.user, slug=slug)
    else:
        try:
            services.consumer_unsubscribe(actor=request.user, slug=slug)
        except ApplicationError as exc:  # not consuming it already: the state wanted holds
            if exc.code != "not_a_consumer":
                raise
    if is_htmx(request):
        api = access.access_api(request.user, slug)
        return render_page(request, "registry/partials/subscribe.html", {"api": api, "consumed": wanted, "focus": True})
    return redirect(safe_next(request, reverse("registry:detail", kwargs={"slug": slug})))
