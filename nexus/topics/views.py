"""Topic pages: the taxonomy, and what the cohort wrote about one technology, concept or practice."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from nexus.core.web import is_htmx, plain_error, render_page, safe_next
from nexus.knowledge import selectors as knowledge_selectors
from nexus.notifications import access as notification_access
from nexus.notifications import selectors as notification_selectors
from nexus.notifications import services as notification_services
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


@require_http_methods(["GET", "POST"])
def topic_follow(request: HttpRequest, slug: str) -> HttpResponse:
    """The follow button of a topic (GET, loaded by the topic page), or follow/unfollow it (POST `follow=1|0`)."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        wanted = request.POST.get("follow")
        if wanted not in ("0", "1"):
            return plain_error("Send follow=1 or follow=0.")
        change = notification_services.topic_follow if wanted == "1" else notification_services.topic_unfollow
        change(actor=request.user, slug=slug)
        if not is_htmx(request):
            return redirect(safe_next(request, reverse("topics:detail", kwargs={"slug": slug})))
    topic = notification_access.access_topic(request.user, slug)
    state = notification_selectors.topic_follow_state(actor=request.user, topic=topic)
    context = {
        "follow_url": reverse("topics:follow", kwargs={"slug": topic.slug}),
        "following": state["following"],
        "followers": state["followers"],
        "name": topic.name,
        "target": "follow-topic",
        "next": reverse("topics:detail", kwargs={"slug": topic.slug}),
        "focus": request.method == "POST",
    }
    return render_page(request, "components/follow_button.html", context)
