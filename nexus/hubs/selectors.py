"""Reads for hubs and entries, scoped to what the actor may see, with their relations loaded."""

from __future__ import annotations

from typing import cast

from django.db.models import Prefetch, Q, QuerySet

from nexus.core.cache import cached
from nexus.hubs import readme
from nexus.hubs.access import Actor, entries_visible_to, hubs_visible_to
from nexus.hubs.models import Entry, EntryRevision, Hub, default_section
from nexus.hubs.readme import ParsedEntry, ParsedHub
from nexus.hubs.readme.model import Kind
from nexus.topics import selectors as topic_selectors
from nexus.topics.models import Topic

# Cursor pagination needs non-null sort keys, so published_at (null on drafts) is not offered.
ENTRY_ORDERINGS = ("created_at", "updated_at", "position", "title")


def hub_list(
    *,
    actor: Actor,
    owner: str | None = None,
    program: str | None = None,
    cohort: str | None = None,
    visibility: str | None = None,
    q: str | None = None,
) -> QuerySet[Hub]:
    """Visible hubs, filtered by owner username, program slug, cohort slug, visibility or text."""
    qs = hubs_visible_to(actor).select_related("owner__profile", "program", "cohort")
    if owner:
        qs = qs.filter(owner__username__iexact=owner)
    if program:
        qs = qs.filter(program__slug=program)
    if cohort:
        qs = qs.filter(cohort__slug=cohort)
    if visibility:
        qs = qs.filter(visibility=visibility)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(overview__icontains=q))
    return qs


def entry_queryset(*, actor: Actor) -> QuerySet[Entry]:
    """Visible entries with everything their output needs: hub, author profile, topics."""
    return (
        entries_visible_to(actor)
        .select_related("hub__owner__profile")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.only("id", "slug", "name").order_by("name")))
    )


def _entry_filter(
    qs: QuerySet[Entry],
    *,
    kind: str | None = None,
    topic: str | None = None,
    hub: str | None = None,
    author: str | None = None,
    cohort: str | None = None,
    status: str | None = None,
    q: str | None = None,
) -> QuerySet[Entry]:
    if kind:
        qs = qs.filter(kind=kind)
    if topic:
        tagged = Entry.topics.through.objects.filter(topic_id__in=topic_selectors.topic_with_descendants(slug=topic))
        qs = qs.filter(pk__in=tagged.values("entry_id"))
    if hub:
        qs = qs.filter(hub_id=int(hub)) if str(hub).isdigit() else qs.filter(hub__slug=hub)
    if author:
        qs = qs.filter(hub__owner__username__iexact=author)
    if cohort:
        qs = qs.filter(hub__cohort__slug=cohort)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(
            Q(title__icontains=q) | Q(body__icontains=q) | Q(problem__icontains=q) | Q(solution__icontains=q)
        )
    return qs


# What an entry's output is made of: its own columns and its hub's and author's, in one row.
ENTRY_ROW = (
    "id", "kind", "section", "title", "body", "body_html", "problem", "problem_html",
    "solution", "solution_html", "outcome", "outcome_html", "references", "status", "position",
    "published_at", "created_at", "updated_at",
    "hub_id", "hub__slug", "hub__title", "hub__updated_at",
    "hub__owner__username", "hub__owner__profile__display_name",
)  # fmt: skip


def entry_rows(*, actor: Actor, **filters: str | None) -> QuerySet[Entry]:
    """Visible entries, filtered, as plain rows (`ENTRY_ROW`): the read path of lists and details.

    `topic` includes the topic's descendants; `hub` is an id or slug. Rows skip model
    instances and serializers altogether; `entry_topics` adds the topics of a page in one query.
    """
    return _entry_filter(entries_visible_to(actor), **filters).values(*ENTRY_ROW)


def entry_topics(entry_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    """The topics (slug and name, by name) of each of the given entries, in one query."""
    topics: dict[int, list[dict[str, str]]] = {pk: [] for pk in entry_ids}
    rows = (
        Entry.topics.through.objects.filter(entry_id__in=entry_ids)
        .order_by("topic__name", "topic_id")
        .values_list("entry_id", "topic__slug", "topic__name")
    )
    for entry_id, slug, name in rows:
        topics[entry_id].append({"slug": slug, "name": name})
    return topics


def revision_list(*, entry: Entry) -> QuerySet[EntryRevision]:
    """An entry's revisions, newest first, with their editors."""
    return entry.revisions.select_related("editor").order_by("-number")


def hub_readme_parsed(*, actor: Actor, hub: Hub) -> ParsedHub:
    """A hub as the README model: its entries the actor may see, in hub order."""
    entries = entry_queryset(actor=actor).filter(hub=hub).order_by("position", "id")
    parsed = []
    for entry in entries:
        challenge = entry.kind == Entry.Kind.CHALLENGE
        section = entry.section or default_section(entry.kind, entry.title)
        title, body = entry.title, entry.body
        if entry.kind == Entry.Kind.NOTE:
            # A README note is its section: a title of its own is kept as its first line.
            title, body = "", body if entry.title == section else f"**{entry.title}**\n\n{body}".strip()
        parsed.append(
            ParsedEntry(
                kind=cast(Kind, entry.kind),
                section=section,
                title=title,
                body=body,
                problem=entry.problem if challenge else None,
                solution=entry.solution if challenge else None,
                outcome=(entry.outcome or None) if challenge else None,
                topics=tuple(t.slug for t in entry.topics.all()),
            )
        )
    topics = tuple(dict.fromkeys(slug for entry in parsed for slug in entry.topics))
    return ParsedHub(title=hub.title, overview=hub.overview, entries=tuple(parsed), topics=topics, warnings=())


def hub_readme(*, actor: Actor, hub: Hub) -> str:
    """The hub exported as a clean README in the Project Nexus convention (cached).

    Every write to the hub or its entries moves `hub.updated_at`, which is part of the key; the
    owner (who also sees drafts) and everyone else who may read the hub get separate copies.
    """
    reader = "owner" if actor.pk == hub.owner_id else "reader"
    key = f"hub-readme:v1:{hub.pk}:{hub.updated_at.isoformat()}:{reader}"
    return cached(key, lambda: readme.render(hub_readme_parsed(actor=actor, hub=hub)))
