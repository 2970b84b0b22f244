"""Reads for hubs and entries, scoped to what the actor may see, with their relations loaded."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.http import http_date, quote_etag

from nexus.core.api.renderers import dumps
from nexus.core.cache import cached_versioned
from nexus.hubs import readme
from nexus.hubs.access import Actor, access_hub, entries_visible_to, hubs_visible_to
from nexus.hubs.models import Entry, EntryRevision, Hub, default_section
from nexus.hubs.readme import ParsedEntry, ParsedHub
from nexus.hubs.readme.model import Kind
from nexus.topics import selectors as topic_selectors
from nexus.topics.models import Topic

T = TypeVar("T")

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
    "published_at", "created_at", "updated_at", "hub_id", "hub__slug", "hub__title",
    "hub__owner__username", "hub__owner__profile__display_name",
)  # fmt: skip


def entry_list(*, actor: Actor, **filters: str | None) -> QuerySet[Entry]:
    """Visible entries, filtered as `entry_keys` filters them, as model rows (GraphQL loads the rest)."""
    return _entry_filter(entries_visible_to(actor), **filters)


def entry_keys(*, actor: Actor, **filters: str | None) -> QuerySet[Entry]:
    """Visible entries, filtered, as their ids and sort keys: what a cursor page is cut from.

    `topic` includes the topic's descendants; `hub` is an id or slug. A page is cut from these
    narrow rows and `entry_rows` then reads its 20 wide ones: asking for the wide rows at once
    lets SQLite's planner sort every visible entry with its text before it takes 20.
    """
    return _entry_filter(entries_visible_to(actor), **filters).values("id", *ENTRY_ORDERINGS)


def entry_rows(entry_ids: list[int]) -> list[dict[str, Any]]:
    """The rows (`ENTRY_ROW`) of the given entries, in the given order; ids come from `entry_keys`."""
    rows = {row["id"]: row for row in Entry.objects.filter(pk__in=entry_ids).order_by().values(*ENTRY_ROW)}
    return [rows[pk] for pk in entry_ids if pk in rows]


_CHALLENGE_ONLY = ("problem", "problem_html", "solution", "solution_html", "outcome", "outcome_html")


def entry_data(row: dict[str, Any], topics: list[dict[str, str]]) -> dict[str, Any]:
    """An entry as plain data from its row (`ENTRY_ROW`) and topics: the shape every transport
    returns (REST documents it as `EntrySerializer`). Built without DRF fields, which a list
    would pay for on every row."""
    challenge = row["kind"] == Entry.Kind.CHALLENGE
    return {
        "id": row["id"],
        "hub": {"id": row["hub_id"], "slug": row["hub__slug"], "title": row["hub__title"]},
        "author": {
            "username": row["hub__owner__username"],
            "display_name": row["hub__owner__profile__display_name"] or row["hub__owner__username"],
        },
        "kind": row["kind"],
        "section": row["section"],
        "title": row["title"],
        "body": row["body"],
        "body_html": row["body_html"],
        **{name: row[name] if challenge else None for name in _CHALLENGE_ONLY},
        "topics": topics,
        "references": row["references"],
        "status": row["status"],
        "position": row["position"],
        "published_at": row["published_at"],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def entry_row(*, actor: Actor, entry_id: int) -> dict[str, Any] | None:
    """One entry's row if the actor may see it, with its hub's `hub__updated_at`."""
    rows = entries_visible_to(actor).filter(pk=entry_id).order_by().values(*ENTRY_ROW, "hub__updated_at")
    return next(iter(rows), None)


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


def hub_versions(*refs: int | str) -> list[str]:
    """The cache version tokens of a hub's cached reads, one per way of naming it (id, slug)."""
    return [f"hub:{ref}" for ref in refs]


def _hub_cached(actor: Actor, ref: int | str, kind: str, build: Callable[[Hub], str | bytes]) -> Cached[Any]:
    """A read of a hub, cached per hub and reader class, invalidated by `hub_versions` bumps.

    The owner sees drafts and everyone else who may read the hub sees the same published
    entries, so there are two copies: "owner" and "reader". An anonymous visitor is a reader of
    a public hub and is answered from the cache without a query; anyone else is checked by
    `access_hub` first (their cohorts can change without the hub changing).
    """
    versions = [*hub_versions(ref), topic_selectors.TAXONOMY_VERSION]  # topic names show on pages
    if not actor.is_authenticated:
        found = cached_versioned(f"hub-{kind}:v3:{ref}:reader", versions, lambda: _built(access_hub(actor, ref), build))
        if found.visibility != Hub.Visibility.PUBLIC:  # cached for a cohort member: not for a visitor
            raise Http404(f"No hub {ref!r}.")
        return found
    hub = access_hub(actor, ref)
    reader = "owner" if actor.pk == hub.owner_id else "reader"
    return cached_versioned(f"hub-{kind}:v3:{ref}:{reader}", versions, lambda: _built(hub, build))


GZIP_MIN_BYTES = 1024  # smaller bodies are not worth a Content-Encoding


@dataclass(frozen=True)
class Cached(Generic[T]):
    """A cached read of a hub, ready to answer: the hub's visibility, the HTTP date of when what it
    shows last changed, the ETag of its text, and its body -- gzipped when it is GZIP_MIN_BYTES or
    more, the form nearly every client asks for (a hit copies a fraction of the bytes; a client
    that does not accept gzip gets it decompressed). All computed once, when the read is cached."""

    visibility: str
    last_modified: str
    etag: str
    body: bytes
    gzipped: bool
    text: bool  # the value is a str (a README), else bytes (JSON)

    @property
    def raw(self) -> bytes:
        """The body as it was built, uncompressed."""
        return gzip.decompress(self.body) if self.gzipped else self.body

    @property
    def value(self) -> T:
        return cast(T, self.raw.decode() if self.text else self.raw)


def _built(hub: Hub, build: Callable[[Hub], str | bytes]) -> Cached[Any]:
    value = build(hub)
    raw = value.encode() if isinstance(value, str) else value
    etag = quote_etag(hashlib.md5(raw, usedforsecurity=False).hexdigest())
    gzipped = len(raw) >= GZIP_MIN_BYTES
    body = gzip.compress(raw, compresslevel=6, mtime=0) if gzipped else raw
    modified = http_date(hub.updated_at.timestamp())
    return Cached(hub.visibility, modified, etag, body, gzipped, isinstance(value, str))


def hub_readme(*, actor: Actor, ref: int | str) -> Cached[str]:
    """The hub exported as a clean README in the Project Nexus convention (cached; 404 if hidden)."""
    return _hub_cached(actor, ref, "readme", lambda hub: readme.render(hub_readme_parsed(actor=actor, hub=hub)))


def hub_page(*, actor: Actor, hub: Hub) -> dict[str, Any]:
    """Everything a hub's page shows (the actor may see the hub): the hub, its owner's profile,
    its entries the actor may see in hub order with their topics and canonical problems, and
    the topics the hub covers with how many entries each."""
    return _hub_page(actor, hub)


def hub_page_json(*, actor: Actor, ref: int | str) -> Cached[bytes]:
    """`hub_page` as JSON, cached in that form (a hit decodes nothing); 404 if hidden."""
    return _hub_cached(actor, ref, "page", lambda hub: dumps(_hub_page(actor, hub)))


def _hub_page(actor: Actor, hub: Hub) -> dict[str, Any]:
    keys = entries_visible_to(actor).filter(hub=hub).order_by("position", "id").values_list("id", flat=True)
    rows = entry_rows(list(keys))
    ids = [row["id"] for row in rows]
    topics = entry_topics(ids)
    problems = {
        entry_id: {"id": problem_id, "title": title}
        for entry_id, problem_id, title in Entry.objects.filter(pk__in=ids, problem_link__isnull=False).values_list(
            "id", "problem_link__problem_id", "problem_link__problem__title"
        )
    }
    covered: dict[str, dict[str, Any]] = {}
    for row in rows:
        for topic in topics[row["id"]]:
            covered.setdefault(topic["slug"], {**topic, "entries": 0})["entries"] += 1
    profile = getattr(hub.owner, "profile", None)
    owner_name = profile.name if profile is not None else hub.owner.username
    return {
        "hub": {
            "id": hub.pk,
            "slug": hub.slug,
            "title": hub.title,
            "overview": hub.overview,
            "overview_html": hub.overview_html,
            "visibility": hub.visibility,
            "program": {"slug": hub.program.slug, "name": hub.program.name},
            "cohort": {"slug": hub.cohort.slug, "name": hub.cohort.name} if hub.cohort else None,
            "created_at": hub.created_at,
            "updated_at": hub.updated_at,
        },
        "owner": {
            "username": hub.owner.username,
            "display_name": owner_name,
            "bio": profile.bio if profile else "",
            "track": profile.track if profile else "",
            "github_url": profile.github_url if profile else "",
            "linkedin_url": profile.linkedin_url if profile else "",
            "website_url": profile.website_url if profile else "",
        },
        "entries": [{**entry_data(row, topics[row["id"]]), "problem_link": problems.get(row["id"])} for row in rows],
        "topics": sorted(covered.values(), key=lambda t: (-t["entries"], t["name"])),
    }
