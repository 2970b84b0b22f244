"""The live notifications menu and page, under /notifications/ (docs/web.md).

The menu in the layout (templates/notifications/partials/menu.html) costs no query when a page
renders: the unread count arrives over `ws/notifications/` (its first frame), and the list is
fetched when the menu opens. Marking read answers with an `HX-Trigger` event carrying the new
unread count, which static/js/live.js shows.
"""

from __future__ import annotations

import json
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from nexus.core.web import is_htmx, render_page
from nexus.notifications import selectors, services
from nexus.notifications.models import Notification

MENU_SIZE = 8
PAGE_SIZE = 50

# Notifications carry the API URL of what they are about; people follow the page for it.
_PAGES = (
    (re.compile(r"^/api/v1/threads/(\d+)/$"), "/channels/threads/{}/"),
    (re.compile(r"^/api/v1/entries/(\d+)/$"), "/entries/{}/"),
    (re.compile(r"^/api/v1/entries/(\d+)/comments/$"), "/entries/{}/#comments"),
    (re.compile(r"^/api/v1/members/([\w.@+-]+)/$"), "/@{}/"),
    (re.compile(r"^/api/v1/apis/([-\w]+)/$"), "/registry/{}/"),
    (re.compile(r"^/api/v1/problems/(\d+)/$"), "/knowledge/problems/{}/"),
)


def page_url(api_url: str) -> str:
    """The page a notification's API URL stands for (the URL itself when no page matches)."""
    for pattern, page in _PAGES:
        match = pattern.match(api_url)
        if match:
            return page.format(match.group(1))
    return api_url


def _items(notifications: list[Notification]) -> list[dict[str, object]]:
    return [{"n": n, "href": page_url(n.url)} for n in notifications]


def _with_unread(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    response["HX-Trigger"] = json.dumps({"nexus:unread": selectors.notification_unread_count(actor=request.user)})
    return response


@login_required
@require_GET
def notification_menu(request: HttpRequest) -> HttpResponse:
    """The newest notifications, for the menu in the layout (an htmx fragment)."""
    latest = list(selectors.notification_list(actor=request.user)[:MENU_SIZE])
    return render_page(request, "notifications/partials/menu_list.html", {"items": _items(latest)})


@login_required
@require_GET
def notification_index(request: HttpRequest) -> HttpResponse:
    """Every recent notification (the menu's "See all", and the menu without JavaScript)."""
    unread_only = request.GET.get("unread") == "1"
    latest = list(selectors.notification_list(actor=request.user, unread=True if unread_only else None)[:PAGE_SIZE])
    context = {"items": _items(latest), "unread_only": unread_only}
    return render_page(request, "notifications/notification_list.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one notification read; htmx gets the item back, and the new unread count as an event."""
    notification = services.notification_mark_read(actor=request.user, notification_id=notification_id)
    if is_htmx(request):
        item = {"n": notification, "href": page_url(notification.url)}
        return _with_unread(render_page(request, "notifications/partials/item.html", {"item": item}), request)
    return redirect("notifications:index")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark every notification read; htmx gets the menu list back."""
    services.notifications_mark_all_read(actor=request.user)
    if is_htmx(request):
        latest = list(selectors.notification_list(actor=request.user)[:MENU_SIZE])
        response = render_page(request, "notifications/partials/menu_list.html", {"items": _items(latest)})
        return _with_unread(response, request)
    return redirect("notifications:index")
