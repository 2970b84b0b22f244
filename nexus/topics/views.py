"""Topic pages: the taxonomy, and what the cohort wrote about one technology, concept or practice."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from nexus.core.web import render_page
from nexus.knowledge import selectors as knowledge_selectors
from nexus.topics import selectors
from nexus.topics.models import Topic

PLURALS = {"technology": "Technologies", "concept": "Concepts", "practice": "Practices"}


@require_GET
def topic_index(request: HttpRequest) -> HttpResponse:
    """Every topic by kind, with how many entries the viewer may read use it; filter by name or alias."""
    q = request.GET.get("q", "").strip()[:120]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Topic.Kind.values else ""
    topics = list(selectors.topic_list(kind=kind or None, q=q or None))
    counts = knowledge_selectors.topic_entry_counts(actor=request.user)
    groups = []
    for value, label in Topic.Kind.choices:
        members = [{"topic": t, "entries": counts.get(t.pk, 0)} for t in topics if t.kind == value]
        if members:
            members.sort(key=lambda item: (-item["entries"], item["topic"].name.casefold()))
            groups.append({"kind": value, "label": PLURALS.get(value, label), "topics": members})
    context = {"groups": groups, "q": q, "kind": kind, "kinds": Topic.Kind.choices, "total": len(topics)}
    return render_page(request, "topics/topic_list.html", context, fragment="topics/partials/topic_groups.html")


@require_GET
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """What the cohort wrote about a topic (and the topics below it), as the viewer may read it."""
    page = knowledge_selectors.topic_page(actor=request.user, slug=slug)
    return render_page(request, "topics/topic_detail.html", page)
