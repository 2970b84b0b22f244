"""The document registry: how each kind of object becomes a search document.

A document type has a `source` name ("entry") and builds `Doc`s for a batch of primary keys;
an object it does not return (deleted, or not searchable such as an inactive member) has its
document removed. `dependents` names documents built from this object's data (a hub's
visibility is copied into its entries' documents). A new source -- canonical problems,
messages, registered APIs -- plugs in by registering its type, typically from its app's
`ready()`:

    from nexus.search import documents
    documents.register(ProblemDocuments())

and calling `search.services.schedule_index("problem", id)` from its services.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.html import strip_tags

from nexus.accounts.models import User
from nexus.cohorts.models import Membership
from nexus.hubs.models import Entry, Hub
from nexus.topics.models import Topic

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BLANKS = re.compile(r"[ \t\r\f\v]+")


def clean_text(text: str) -> str:
    """Plain text without control characters (MARK_START/MARK_END are control characters)."""
    return _BLANKS.sub(" ", _CONTROL.sub(" ", text or "")).strip()


def html_to_text(rendered: str) -> str:
    """The text of sanitized HTML, block elements kept apart."""
    spaced = re.sub(r"</(p|li|h[1-6]|pre|blockquote|tr|td|th)>|<br\s*/?>", " \n", rendered or "")
    return clean_text(html.unescape(strip_tags(spaced)))


@dataclass(frozen=True)
class Doc:
    """The searchable form of one object (see models.SearchDocument for the fields)."""

    object_id: int
    kind: str
    title: str
    url: str
    problem: str = ""
    topic_text: str = ""
    body: str = ""
    topics: tuple[tuple[int, str], ...] = ()  # (topic id, slug)
    cohort_slug: str = ""
    track: str = ""
    author: str = ""
    visibility: str = "public"
    owner_id: int | None = None
    cohort_id: int | None = None
    published: bool = True


@dataclass(frozen=True)
class Dependents:
    source: str
    pks: list[int] = field(default_factory=list)


class DocumentType(Protocol):
    source: str

    def build(self, pks: list[int]) -> Iterator[Doc]:
        """Documents for those of `pks` that exist and are searchable."""

    def all_pks(self) -> Iterable[int]:
        """Every primary key to index in a full reindex."""

    def dependents(self, pks: list[int]) -> list[Dependents]:
        """Documents of other sources that copy data of these objects."""


_registry: dict[str, DocumentType] = {}


def register(document_type: DocumentType) -> DocumentType:
    """Add a document type (replacing one of the same source)."""
    _registry[document_type.source] = document_type
    return document_type


def get(source: str) -> DocumentType:
    try:
        return _registry[source]
    except KeyError:
        raise ValueError(f"No search document type {source!r}; known: {', '.join(sorted(_registry))}.") from None


def sources() -> list[str]:
    return list(_registry)


def topic_text(topics: Iterable[Topic]) -> str:
    parts = []
    for topic in topics:
        parts.append(topic.name)
        parts.extend(alias.name for alias in topic.aliases.all())
    return clean_text(" · ".join(parts))


_TOPICS = Prefetch("topics", queryset=Topic.objects.prefetch_related("aliases").order_by("name"))


def _track(hub: Hub) -> str:
    profile = getattr(hub.owner, "profile", None)
    return hub.program.track or (profile.track if profile else "")


class EntryDocuments:
    """Entries of every kind; challenges keep their problem at weight B."""

    source = "entry"

    def build(self, pks: list[int]) -> Iterator[Doc]:
        entries = (
            Entry.objects.filter(pk__in=pks)
            .select_related("hub__owner__profile", "hub__program", "hub__cohort")
            .prefetch_related(_TOPICS)
        )
        for entry in entries:
            hub = entry.hub
            body = " \n".join(
                t for t in map(html_to_text, (entry.body_html, entry.solution_html, entry.outcome_html)) if t
            )
            yield Doc(
                object_id=entry.pk,
                kind=entry.kind,
                title=clean_text(entry.title),
                url=reverse("api:entry-detail", kwargs={"entry_id": entry.pk}),
                problem=html_to_text(entry.problem_html),
                topic_text=topic_text(entry.topics.all()),
                body=body,
                topics=tuple((t.pk, t.slug) for t in entry.topics.all()),
                cohort_slug=hub.cohort.slug if hub.cohort else "",
                track=_track(hub),
                author=hub.owner.username,
                visibility=hub.visibility,
                owner_id=hub.owner_id,
                cohort_id=hub.cohort_id,
                published=entry.status == Entry.Status.PUBLISHED,
            )

    def all_pks(self) -> Iterable[int]:
        return Entry.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)

    def dependents(self, pks: list[int]) -> list[Dependents]:
        return []


class HubDocuments:
    """Hubs: title and overview; their visibility is copied into their entries' documents."""

    source = "hub"

    def build(self, pks: list[int]) -> Iterator[Doc]:
        for hub in Hub.objects.filter(pk__in=pks).select_related("owner__profile", "program", "cohort"):
            yield Doc(
                object_id=hub.pk,
                kind="hub",
                title=clean_text(hub.title),
                url=reverse("api:hub-detail", kwargs={"hub": hub.slug}),
                body=html_to_text(hub.overview_html),
                cohort_slug=hub.cohort.slug if hub.cohort else "",
                track=_track(hub),
                author=hub.owner.username,
                visibility=hub.visibility,
                owner_id=hub.owner_id,
                cohort_id=hub.cohort_id,
            )

    def all_pks(self) -> Iterable[int]:
        return Hub.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)

    def dependents(self, pks: list[int]) -> list[Dependents]:
        return [Dependents("entry", list(Entry.objects.filter(hub_id__in=pks).values_list("pk", flat=True)))]


class TopicDocuments:
    """Topics of the taxonomy, found by name, alias and description; public."""

    source = "topic"

    def build(self, pks: list[int]) -> Iterator[Doc]:
        for topic in Topic.objects.filter(pk__in=pks).prefetch_related("aliases"):
            yield Doc(
                object_id=topic.pk,
                kind="topic",
                title=clean_text(topic.name),
                url=reverse("api:topic-detail", kwargs={"slug": topic.slug}),
                topic_text=clean_text(" · ".join(a.name for a in topic.aliases.all())),
                body=clean_text(topic.description),
                topics=((topic.pk, topic.slug),),
            )

    def all_pks(self) -> Iterable[int]:
        return Topic.objects.order_by("pk").values_list("pk", flat=True)

    def dependents(self, pks: list[int]) -> list[Dependents]:
        # Entries index their topics' names and aliases.
        tagged = Entry.topics.through.objects.filter(topic_id__in=pks).values_list("entry_id", flat=True)
        return [Dependents("entry", sorted(set(tagged)))]


class MemberDocuments:
    """Active members, by display name, username and bio; public like their profile page."""

    source = "member"

    def build(self, pks: list[int]) -> Iterator[Doc]:
        newest = Membership.objects.select_related("cohort").order_by("-cohort__starts_on", "-created_at")
        users = (
            User.objects.filter(pk__in=pks, is_active=True)
            .select_related("profile")
            .prefetch_related(Prefetch("memberships", queryset=newest))
        )
        for user in users:
            profile = getattr(user, "profile", None)
            memberships = list(user.memberships.all())
            name = profile.display_name if profile else ""
            yield Doc(
                object_id=user.pk,
                kind="member",
                title=clean_text(f"{name} ({user.username})" if name else user.username),
                url=reverse("api:member-detail", kwargs={"username": user.username}),
                body=clean_text(profile.bio if profile else ""),
                cohort_slug=memberships[0].cohort.slug if memberships else "",
                track=profile.track if profile else "",
                author=user.username,
            )

    def all_pks(self) -> Iterable[int]:
        return User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)

    def dependents(self, pks: list[int]) -> list[Dependents]:
        return []


for _type in (EntryDocuments(), HubDocuments(), TopicDocuments(), MemberDocuments()):
    register(_type)
