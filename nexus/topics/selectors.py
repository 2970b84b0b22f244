"""Reads for topics, and the recognizer shared by every request of a process."""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from nexus.topics.models import Topic, TopicAlias
from nexus.topics.recognizer import Recognizer, Term

# Bumped by services.recognizer_invalidate(); a process rebuilds its recognizer when it changes.
RECOGNIZER_VERSION_KEY = "topics:recognizer:version"

_lock = threading.Lock()
_memo: tuple[int, Recognizer] | None = None


# The cache version token of reads that show topic names; `topics_sync` bumps it.
TAXONOMY_VERSION = "topics"


def topic_list(*, kind: str | None = None, q: str | None = None, parent: str | None = None) -> QuerySet[Topic]:
    """Topics by name, with parent and aliases loaded; `q` matches a name or alias, in any case."""
    qs = Topic.objects.select_related("parent").prefetch_related("aliases").order_by("name", "slug")
    if kind:
        qs = qs.filter(kind=kind)
    if parent:
        qs = qs.filter(parent__slug=parent)
    if q:
        # EXISTS rather than a join, so a topic with several matching aliases is listed once.
        alias_matches = TopicAlias.objects.filter(topic=OuterRef("pk"), name__icontains=q)
        qs = qs.filter(Q(name__icontains=q) | Exists(alias_matches))
    return qs


def topic_get(*, slug: str) -> Topic:
    """One topic with its parent, aliases and children loaded; Http404 if there is none."""
    qs = Topic.objects.select_related("parent").prefetch_related(
        "aliases", Prefetch("children", queryset=Topic.objects.order_by("name", "slug"))
    )
    try:
        return qs.get(slug=slug)
    except Topic.DoesNotExist:
        raise Http404(f'No topic with the slug "{slug}".') from None


def topic_recognize(*, text: str) -> list[Topic]:
    """The topics `text` names, in order of first mention."""
    slugs = recognizer().find(text)
    if not slugs:
        return []
    found = {topic.slug: topic for topic in Topic.objects.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs if slug in found]


def topic_with_descendants(*, slug: str) -> list[int]:
    """The id of a topic and of every topic below it (Django ORM under Django)."""
    rows = list(Topic.objects.values_list("id", "slug", "parent_id"))
    children: dict[int | None, list[int]] = {}
    root = None
    for pk, topic_slug, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)
        if topic_slug == slug:
            root = pk
    if root is None:
        return []
    found, stack = [], [root]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.append(pk)
            stack.extend(children.get(pk, []))
    return found


def recognizer_terms() -> list[Term]:
    """Every topic name (with its case rule), then every alias (any case), as recognizer terms."""
    names = Topic.objects.order_by("slug").values_list("name", "slug", "case_sensitive")
    aliases = TopicAlias.objects.order_by("topic__slug", "name").values_list("name", "topic__slug")
    return [Term(*row) for row in names] + [Term(name, slug) for name, slug in aliases]


def _version() -> int | None:
    version = cache.get(RECOGNIZER_VERSION_KEY)
    if version is None:
        # First use, or the cache lost the key: start a version no process can have built yet.
        cache.add(RECOGNIZER_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(RECOGNIZER_VERSION_KEY)
    return version


def recognizer() -> Recognizer:
    """The recognizer of the current taxonomy, built once per process and version.

    The version lives in Django's cache, so a sync in any process makes every process
    rebuild on its next call. Without a working cache it is rebuilt on every call.
    """
    global _memo
    version = _version()  # read before building: a sync during the build bumps it again
    memo = _memo
    if version is not None and memo is not None and memo[0] == version:
        return memo[1]
    with _lock:
        memo = _memo
        if version is not None and memo is not None and memo[0] == version:
            return memo[1]
        built = Recognizer(recognizer_terms())
        if version is not None:
            _memo = (version, built)
        return built
