"""Writes for topics: loading the taxonomy file, invalidating the recognizer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from nexus.search import services as search_services
from nexus.topics import selectors, taxonomy
from nexus.topics.models import Topic, TopicAlias


@dataclass(frozen=True)
class SyncResult:
    """What a sync did: topics created, updated and unchanged, and those only in the database."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)


def recognizer_invalidate() -> None:
    """Make every process rebuild its recognizer on its next use, and drop cached reads that show
    topic names (hub pages); runs after a taxonomy change commits."""
    cache.delete(selectors.TAXONOMY_VERSION)
    try:
        cache.incr(selectors.RECOGNIZER_VERSION_KEY)
    except ValueError:  # no version yet, or the cache lost it
        cache.set(selectors.RECOGNIZER_VERSION_KEY, time.time_ns(), timeout=None)


@transaction.atomic
def topics_sync(*, path: Path | None = None) -> SyncResult:
    """Create or update every topic of the taxonomy file (data/topics.yaml by default).

    Idempotent. The file is the source of truth for the topics it lists: their fields, parent
    and aliases are replaced. Topics only in the database are reported, never deleted (entries
    may be tagged with them). A malformed file raises ValidationError and changes nothing.
    """
    specs = taxonomy.read(path or taxonomy.DEFAULT_PATH)
    existing = {topic.slug: topic for topic in Topic.objects.all()}
    current_aliases: dict[int, list[str]] = {}
    for topic_id, name in TopicAlias.objects.order_by().values_list("topic_id", "name"):
        current_aliases.setdefault(topic_id, []).append(name)

    ids = {slug: topic.pk for slug, topic in existing.items()}
    created = _create_missing(specs, ids)

    now = timezone.now()
    changed: list[Topic] = []
    new_aliases: dict[int, tuple[str, ...]] = {}
    updated = unchanged = 0
    for spec in specs:
        topic_id = ids[spec.slug]
        if sorted(current_aliases.get(topic_id, [])) != sorted(spec.aliases):
            new_aliases[topic_id] = spec.aliases
        if spec.slug in created:
            continue
        topic = existing[spec.slug]
        desired = {
            "name": spec.name,
            "kind": spec.kind,
            "parent_id": ids[spec.parent] if spec.parent else None,
            "description": spec.description,
            "case_sensitive": spec.case_sensitive,
        }
        if topic_id in new_aliases or any(getattr(topic, name) != value for name, value in desired.items()):
            for name, value in desired.items():
                setattr(topic, name, value)
            topic.updated_at = now
            changed.append(topic)
            updated += 1
        else:
            unchanged += 1

    Topic.objects.bulk_update(changed, ["name", "kind", "parent", "description", "case_sensitive", "updated_at"])
    TopicAlias.objects.filter(topic_id__in=new_aliases).delete()
    TopicAlias.objects.bulk_create(
        [TopicAlias(topic_id=topic_id, name=name) for topic_id, names in new_aliases.items() for name in names]
    )
    transaction.on_commit(recognizer_invalidate)
    # Topic documents, and the entries that index these topics' names and aliases.
    search_services.schedule_index_many("topic", sorted({ids[s] for s in created} | {t.pk for t in changed}))
    listed = {spec.slug for spec in specs}
    return SyncResult(
        created=len(created),
        updated=updated,
        unchanged=unchanged,
        not_in_file=sorted(slug for slug in existing if slug not in listed),
    )


def _create_missing(specs: list[taxonomy.TopicSpec], ids: dict[str, int]) -> set[str]:
    """Create the topics not in `ids` yet, parents before children; add their ids to `ids`."""
    pending = [spec for spec in specs if spec.slug not in ids]
    created = {spec.slug for spec in pending}
    while pending:  # the file has no parent cycles, so every round creates at least one level
        ready = [spec for spec in pending if spec.parent is None or spec.parent in ids]
        Topic.objects.bulk_create(
            Topic(
                slug=spec.slug,
                name=spec.name,
                kind=spec.kind,
                parent_id=ids[spec.parent] if spec.parent else None,
                description=spec.description,
                case_sensitive=spec.case_sensitive,
            )
            for spec in ready
        )
        ids.update(Topic.objects.filter(slug__in=[spec.slug for spec in ready]).values_list("slug", "id"))
        pending = [spec for spec in pending if spec.slug not in ids]
    return created
