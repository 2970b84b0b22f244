"""Writes for hubs and entries. Every change to a hub or an entry goes through here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify

from nexus.accounts.models import User
from nexus.cohorts.models import Cohort, Membership, Program
from nexus.core import events
from nexus.core.cache import CONTENT_VERSION, versions_bump
from nexus.core.errors import ApplicationError
from nexus.core.markdown import render_markdown
from nexus.hubs import readme, selectors
from nexus.hubs.access import access_entry, access_hub
from nexus.hubs.models import Entry, EntryRevision, Hub, default_section
from nexus.hubs.readme import ParsedEntry, ParsedHub
from nexus.knowledge import services as knowledge_services
from nexus.search import services as search_services
from nexus.topics import selectors as topic_selectors
from nexus.topics.models import Topic

ENTRY_CONTENT_FIELDS = ("kind", "section", "title", "body", "problem", "solution", "outcome", "references", "status")
_RENDERED = {"body": "body_html", "problem": "problem_html", "solution": "solution_html", "outcome": "outcome_html"}


# Path segments under /api/v1/hubs/ and the pages' /hubs/ that a hub slug may not take.
RESERVED_HUB_SLUGS = frozenset({"import", "new", "follow"})


def _check_slug(slug: str) -> None:
    if slug in RESERVED_HUB_SLUGS:
        raise ValidationError({"slug": f"The slug {slug!r} is reserved."})
    if Hub.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"The slug {slug!r} is taken."})


def _unique_hub_slug(base: str) -> str:
    slug = slugify(base)[:110] or "hub"
    candidate, n = slug, 2
    while Hub.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _owner_cohort(*, owner: User, program: Program, slug: str | None) -> Cohort | None:
    """The cohort named by slug (the owner must belong to it), else the owner's newest cohort of the program."""
    memberships = Membership.objects.filter(user=owner, cohort__program=program).select_related("cohort")
    if slug:
        membership = memberships.filter(cohort__slug=slug).first()
        if membership is None:
            raise ValidationError({"cohort": f"You are not a member of a cohort {slug!r} of this program."})
        return membership.cohort
    membership = memberships.order_by("-cohort__starts_on", "-created_at").first()
    return membership.cohort if membership else None


@transaction.atomic
def hub_create(
    *,
    actor: User,
    program: str,
    title: str,
    overview: str = "",
    visibility: str = Hub.Visibility.PRIVATE,
    cohort: str | None = None,
    slug: str | None = None,
) -> Hub:
    """Create the actor's hub for a program (one per program), in their cohort of it by default."""
    program_obj = Program.objects.filter(slug=program).first()
    if program_obj is None:
        raise ValidationError({"program": f"No program {program!r}."})
    if Hub.objects.filter(owner=actor, program=program_obj).exists():
        raise ValidationError({"program": "You already have a hub for this program."})
    if slug:
        _check_slug(slug)
    hub = Hub(
        owner=actor,
        program=program_obj,
        cohort=_owner_cohort(owner=actor, program=program_obj, slug=cohort),
        slug=slug or _unique_hub_slug(f"{actor.username}-{program_obj.slug}"),
        title=title,
        overview=overview,
        overview_html=render_markdown(overview),
        visibility=visibility,
    )
    hub.full_clean()
    hub.save()
    search_services.schedule_index("hub", hub.pk)
    return hub


def hubs_touch(*, hub_ids: Iterable[int], slugs: Iterable[str] = ()) -> None:
    """Record that what the hubs show changed: their `updated_at` moves (Last-Modified) and their
    cached reads (README, page) are invalidated once the transaction commits. `slugs` adds
    names a hub no longer has (a renamed hub's old slug)."""
    ids = sorted(set(hub_ids))
    if not ids:
        return
    Hub.objects.filter(pk__in=ids).update(updated_at=timezone.now())
    current = Hub.objects.filter(pk__in=ids).values_list("slug", flat=True)
    versions_bump(*selectors.hub_versions(*ids, *current, *slugs), CONTENT_VERSION)


@transaction.atomic
def hub_update(*, actor: User, hub: int | str, data: dict[str, Any]) -> Hub:
    """Change a hub's title, overview, visibility, cohort or slug; only the owner may."""
    obj = access_hub(actor, hub, for_update=True, must_own=True)
    old_slug = obj.slug
    if "slug" in data and data["slug"] != obj.slug:
        _check_slug(data["slug"])
    if "cohort" in data:
        obj.cohort = _owner_cohort(owner=actor, program=obj.program, slug=data["cohort"]) if data["cohort"] else None
    for key in ("title", "overview", "visibility", "slug"):
        if key in data:
            setattr(obj, key, data[key])
    obj.overview_html = render_markdown(obj.overview)
    obj.full_clean()
    obj.save()
    hubs_touch(hub_ids=[obj.pk], slugs=[old_slug])
    search_services.schedule_index("hub", obj.pk)  # also reindexes its entries (visibility, cohort)
    return obj


@transaction.atomic
def hub_delete(*, actor: User, hub: int | str) -> None:
    """Delete a hub and all its entries; only the owner may."""
    obj = access_hub(actor, hub, for_update=True, must_own=True)
    versions_bump(*selectors.hub_versions(obj.pk, obj.slug), CONTENT_VERSION)
    obj.delete()


def _topics_from_slugs(slugs: list[str]) -> list[Topic]:
    found = {t.slug: t for t in Topic.objects.filter(slug__in=slugs)}
    unknown = [s for s in slugs if s not in found]
    if unknown:
        raise ValidationError({"topics": f"Unknown topic(s): {', '.join(sorted(set(unknown)))}."})
    return [found[s] for s in dict.fromkeys(slugs)]


def _recognised_topics(entry: Entry) -> list[Topic]:
    text = "\n".join([entry.title, entry.body, entry.problem, entry.solution, entry.outcome])
    return topic_selectors.topic_recognize(text=text)


def _render(entry: Entry) -> None:
    for source, target in _RENDERED.items():
        setattr(entry, target, render_markdown(getattr(entry, source)))


def _record_revision(entry: Entry, *, editor: User) -> EntryRevision:
    last = entry.revisions.aggregate(n=Max("number"))["n"] or 0
    return EntryRevision.objects.create(
        entry=entry,
        number=last + 1,
        editor=editor,
        kind=entry.kind,
        title=entry.title,
        body=entry.body,
        problem=entry.problem,
        solution=entry.solution,
        outcome=entry.outcome,
        status=entry.status,
        topics=sorted(t.slug for t in entry.topics.all()),
        references=entry.references,
    )


def _schedule_link(entry_id: int) -> None:
    """After commit, group the entry under its canonical problem (or unlink it; see knowledge)."""
    transaction.on_commit(lambda: knowledge_services.challenge_link(entry_id=entry_id))


def _announce(entry_ids: list[int], *, author: User, key: str | None = None) -> None:
    """Record that entries were published, for the followers of their topics (notifications handles it)."""
    events.event_record(type="entries.published", payload={"entry_ids": entry_ids, "author_id": author.pk}, key=key)


def _set_status(entry: Entry, status: str) -> None:
    entry.status = status
    if status == Entry.Status.PUBLISHED and entry.published_at is None:
        entry.published_at = timezone.now()
    elif status == Entry.Status.DRAFT:
        entry.published_at = None


def _move(entry: Entry, position: int) -> None:
    """Place an entry at `position` (0-based) in its hub, shifting the others; positions stay 0..n-1."""
    siblings = list(Entry.objects.filter(hub_id=entry.hub_id).exclude(pk=entry.pk).order_by("position", "id"))
    position = max(0, min(position, len(siblings)))
    siblings.insert(position, entry)
    for index, item in enumerate(siblings):
        if item.pk != entry.pk and item.position != index:
            Entry.objects.filter(pk=item.pk).update(position=index)
    entry.position = position


@transaction.atomic
def entry_create(
    *,
    actor: User,
    hub: int | str,
    kind: str,
    title: str,
    body: str = "",
    section: str = "",
    problem: str = "",
    solution: str = "",
    outcome: str = "",
    topics: list[str] | None = None,
    references: list[str] | None = None,
    status: str = Entry.Status.DRAFT,
    position: int | None = None,
) -> Entry:
    """Add an entry to the actor's hub (at the end unless `position` is given).

    Without `topics`, the topics are recognised in the entry's text.
    """
    hub_obj = access_hub(actor, hub, for_update=True, must_own=True)
    entry = Entry(
        hub=hub_obj,
        kind=kind,
        section=section.strip() or default_section(kind, title),
        title=title,
        body=body,
        problem=problem,
        solution=solution,
        outcome=outcome,
        references=references or [],
        position=Entry.objects.filter(hub=hub_obj).count(),
    )
    _set_status(entry, status)
    _render(entry)
    entry.full_clean()
    if position is not None:
        _move(entry, position)
    entry.save()
    entry.topics.set(_topics_from_slugs(topics) if topics is not None else _recognised_topics(entry))
    _record_revision(entry, editor=actor)
    hubs_touch(hub_ids=[hub_obj.pk])
    search_services.schedule_index("entry", entry.pk)
    _schedule_link(entry.pk)
    if entry.status == Entry.Status.PUBLISHED:
        _announce([entry.pk], author=actor, key=f"entry.published:{entry.pk}")
    return entry


@transaction.atomic
def entry_update(*, actor: User, entry_id: int, data: dict[str, Any]) -> Entry:
    """Change an entry; a new revision is recorded when its content, status or topics change."""
    entry = access_entry(actor, entry_id, for_update=True, must_own=True)
    was_published = entry.published_at is not None
    before = {f: getattr(entry, f) for f in ENTRY_CONTENT_FIELDS}
    topics_before = set(entry.topics.values_list("slug", flat=True))
    for key in ENTRY_CONTENT_FIELDS:
        if key in data and key != "status":
            setattr(entry, key, data[key])
    if "status" in data:
        _set_status(entry, data["status"])
    entry.section = entry.section.strip() or default_section(entry.kind, entry.title)
    _render(entry)
    entry.full_clean()
    if "position" in data and data["position"] != entry.position:
        _move(entry, data["position"])
    entry.save()
    if "topics" in data:
        entry.topics.set(_topics_from_slugs(data["topics"]))
    changed = any(getattr(entry, f) != before[f] for f in ENTRY_CONTENT_FIELDS)
    if changed or set(entry.topics.values_list("slug", flat=True)) != topics_before:
        _record_revision(entry, editor=actor)
    hubs_touch(hub_ids=[entry.hub_id])
    search_services.schedule_index("entry", entry.pk)
    _schedule_link(entry.pk)  # any kind: a challenge turned note or draft is unlinked
    if entry.published_at is not None and not was_published:
        # Announced once per entry: unpublishing and publishing again does not notify again.
        _announce([entry.pk], author=actor, key=f"entry.published:{entry.pk}")
    return entry


@transaction.atomic
def entry_delete(*, actor: User, entry_id: int) -> None:
    """Delete an entry and close the gap in its hub's order; only the author may."""
    entry = access_entry(actor, entry_id, for_update=True, must_own=True)
    hub_id, position = entry.hub_id, entry.position
    entry.delete()
    Entry.objects.filter(hub_id=hub_id, position__gt=position).update(position=F("position") - 1)
    hubs_touch(hub_ids=[hub_id])


# --- README import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadmeImport:
    """What an import did (or, on a dry run, would do): the parse and the entry counts."""

    parsed: ParsedHub
    hub: Hub | None
    hub_created: bool
    created: int
    updated: int
    unchanged: int
    kept: int  # entries already in the hub that the README does not mention; never deleted


def readme_decode(raw: bytes | str) -> str:
    """The text of an uploaded README; refuses oversized (413) and binary (415) input."""
    limit = settings.README_MAX_BYTES
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) > limit:
        raise ApplicationError(
            f"The README is {len(data):,} bytes or more; the limit is {limit:,} bytes.", status=413, code="too_large"
        )
    not_text = ApplicationError("This is a binary file, not a Markdown README.", status=415, code="not_markdown")
    if b"\x00" in data:
        raise not_text
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: a single-byte code page is the only other encoding READMEs are saved in.
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if text and controls / len(text) > 0.01:
        raise not_text
    return text


def _import_program(*, actor: User, program: str | None) -> Program:
    if program:
        found = Program.objects.filter(slug=program).first()
        if found is None:
            raise ValidationError({"program": f"No program {program!r}."})
        return found
    programs = list(Program.objects.filter(cohorts__memberships__user=actor).distinct().order_by("slug"))
    if len(programs) == 1:
        return programs[0]
    if not programs:
        raise ValidationError({"program": "Say which program this README is for: you are in no cohort yet."})
    names = ", ".join(p.slug for p in programs)
    raise ValidationError({"program": f"Say which program this README is for: you are in several ({names})."})


def _entry_key(kind: str, section: str, title: str) -> tuple[str, str, str]:
    return kind, " ".join(section.casefold().split()), " ".join(title.casefold().split())


def _clip(text: str, limit: int) -> tuple[str, str]:
    """Split text at `limit` characters: what fits, and the rest (kept elsewhere, never dropped)."""
    return (text, "") if len(text) <= limit else (text[: limit - 1] + "…", text)


def _entry_fields(parsed: ParsedEntry) -> dict[str, Any]:
    title, long_title = _clip(parsed.title.strip() or parsed.section.strip() or "Untitled", 300)
    section, long_section = _clip(parsed.section, 200)
    spill = "\n\n".join(t for t in (long_section, long_title) if t)
    body = f"{spill}\n\n{parsed.body}".strip() if spill else parsed.body
    return {
        "kind": parsed.kind,
        "section": section,
        "title": title,
        "body": body,
        "problem": parsed.problem or "",
        "solution": parsed.solution or "",
        "outcome": parsed.outcome or "",
    }


@transaction.atomic
def hub_import_readme(*, actor: User, markdown: str, program: str | None = None, dry_run: bool = False) -> ReadmeImport:
    """Import a README into the actor's hub for a program, creating the hub if needed.

    Entries are matched to the hub's existing ones by kind, section and title, and updated in
    place (with a revision when they change); new ones are added, published, in README order.
    Entries the README does not mention are kept, after the imported ones. A dry run parses and
    counts but writes nothing.
    """
    parsed = readme.parse(markdown, recognizer=topic_selectors.recognizer())
    program_obj = _import_program(actor=actor, program=program)
    hub = Hub.objects.select_for_update().filter(owner=actor, program=program_obj).first()
    existing: dict[tuple[str, str, str], list[Entry]] = {}
    if hub is not None:
        for entry in hub.entries.order_by("position", "id").prefetch_related("topics"):
            existing.setdefault(_entry_key(entry.kind, entry.section, entry.title), []).append(entry)
    plan: list[tuple[Entry | None, dict[str, Any], list[str]]] = []
    for parsed_entry in parsed.entries:
        fields = _entry_fields(parsed_entry)
        matches = existing.get(_entry_key(fields["kind"], fields["section"], fields["title"]))
        plan.append((matches.pop(0) if matches else None, fields, list(parsed_entry.topics)))
    kept = [entry for entries in existing.values() for entry in entries]
    created = sum(1 for entry, _, _ in plan if entry is None)
    changed = [
        (entry, fields, topics)
        for entry, fields, topics in plan
        if entry is not None
        and (
            any(getattr(entry, k) != v for k, v in fields.items())
            or sorted(t.slug for t in entry.topics.all()) != sorted(topics)
        )
    ]
    if dry_run:
        return ReadmeImport(
            parsed, hub, hub is None, created, len(changed), len(plan) - created - len(changed), len(kept)
        )

    hub_created = hub is None
    title = _clip(parsed.title.strip() or f"{actor.username}'s Project Nexus", 200)[0]
    if hub is None:
        hub = hub_create(actor=actor, program=program_obj.slug, title=title, overview=parsed.overview)
    elif (hub.title, hub.overview) != (title, parsed.overview):
        hub = hub_update(actor=actor, hub=hub.pk, data={"title": title, "overview": parsed.overview})
    known = {t.slug: t for t in Topic.objects.filter(slug__in={s for _, _, topics in plan for s in topics})}
    changed_ids = {id(entry) for entry, _, _ in changed}
    written: list[int] = []
    announced: list[int] = []
    for position, (match, fields, topics) in enumerate(plan):
        if match is None:
            entry = Entry(hub=hub, **fields)
            _set_status(entry, Entry.Status.PUBLISHED)
        elif id(match) in changed_ids:
            entry = match
            for key, value in fields.items():
                setattr(entry, key, value)
        else:
            if match.position != position:
                Entry.objects.filter(pk=match.pk).update(position=position)
            continue
        entry.position = position
        _render(entry)
        entry.full_clean()
        entry.save()
        entry.topics.set([known[s] for s in topics if s in known])
        _record_revision(entry, editor=actor)
        written.append(entry.pk)
        if match is None:
            announced.append(entry.pk)
    search_services.schedule_index_many("entry", written)
    if announced:
        # One event for the whole import: a follower hears of it once, not once per entry.
        _announce(announced, author=actor)
    transaction.on_commit(lambda: knowledge_services.challenges_link(entry_ids=written))
    for offset, entry in enumerate(kept):
        Entry.objects.filter(pk=entry.pk).update(position=len(plan) + offset)
    hubs_touch(hub_ids=[hub.pk])
    return ReadmeImport(parsed, hub, hub_created, created, len(changed), len(plan) - created - len(changed), len(kept))
