"""The two references the entry list is measured against, served by the benchmark's server only.

- `naive_entry_list`: what a first DRF implementation looks like -- nested ModelSerializers for
  hub, author, profile and topics, no select_related, no prefetch: queries grow with the page.
- `tuned_entry_list`: the practical ceiling -- a plain Django view, the same visible entries
  and the same JSON, from `.values()` and one topics query, written with orjson: the API's
  entry list minus DRF (view, filters, cursor pagination).
- `plain_json`: a constant JSON document through the same middleware: what any page costs.
"""

from __future__ import annotations

import orjson
from django.http import HttpRequest, HttpResponse
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from nexus.accounts.models import Profile, User
from nexus.core.api.pagination import CursorPagination
from nexus.hubs.access import entries_visible_to
from nexus.hubs.models import Entry, Hub
from nexus.hubs.selectors import ENTRY_ROW, entry_data, entry_topics
from nexus.topics.models import Topic

PAGE = 20


class _NaiveProfile(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = ["display_name"]


class _NaiveAuthor(serializers.ModelSerializer):
    profile = _NaiveProfile()

    class Meta:
        model = User
        fields = ["username", "profile"]


class _NaiveHub(serializers.ModelSerializer):
    owner = _NaiveAuthor()

    class Meta:
        model = Hub
        fields = ["id", "slug", "title", "owner"]


class _NaiveTopic(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name"]


class _NaiveEntry(serializers.ModelSerializer):
    hub = _NaiveHub()
    topics = _NaiveTopic(many=True)

    class Meta:
        model = Entry
        fields = [
            "id", "hub", "kind", "section", "title", "body", "body_html", "problem", "problem_html",
            "solution", "solution_html", "outcome", "outcome_html", "topics", "references", "status",
            "position", "published_at", "created_at", "updated_at",
        ]  # fmt: skip


class NaiveEntryList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = _NaiveEntry
    pagination_class = CursorPagination

    def get_queryset(self):
        return entries_visible_to(self.request.user)


naive_entry_list = NaiveEntryList.as_view()


def tuned_entry_list(request: HttpRequest) -> HttpResponse:
    """The same visible entries, page and JSON as `GET /api/v1/entries/`, in a plain Django view."""
    # The page's ids first (one more, as a cursor page reads), then their wide rows by primary key.
    keys = entries_visible_to(request.user).order_by("-created_at", "-id").values_list("id", flat=True)
    ids = list(keys[: PAGE + 1])[:PAGE]
    by_id = {row["id"]: row for row in Entry.objects.filter(pk__in=ids).order_by().values(*ENTRY_ROW)}
    topics = entry_topics(ids)
    results = [entry_data(by_id[pk], topics[pk]) for pk in ids]
    body = {"next": None, "previous": None, "results": results}
    return HttpResponse(orjson.dumps(body, option=orjson.OPT_UTC_Z), content_type="application/json")


def plain_json(request: HttpRequest) -> HttpResponse:
    return HttpResponse(orjson.dumps({"status": "ok", "service": "nexus"}), content_type="application/json")
