"""Writes to the search index. Other apps call `schedule_index`/`schedule_remove` after their writes.

`schedule_*` defer the work to `transaction.on_commit`: the index never shows a write that was
rolled back, and a failure to index is logged instead of failing the write that caused it
(`search reindex` repairs the index). The index is updated in-process right after the commit,
so the writer's next search already sees the change. Every index write bumps the search version
token once it commits, which makes every cached search result unreachable (selectors).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from functools import partial
from itertools import islice

from django.db import transaction

from nexus.core.cache import versions_bump
from nexus.search import documents
from nexus.search.backends import backend_for
from nexus.search.models import SearchDocument, SearchDocumentTopic, SearchTerm
from nexus.search.query import vocabulary_words
from nexus.search.selectors import SEARCH_VERSION

logger = logging.getLogger(__name__)

_FIELDS = [
    "kind", "title", "problem", "topic_text", "topic_slugs", "body", "url", "cohort_slug", "track", "author",
    "visibility", "owner_id", "cohort_id", "published",
]  # fmt: skip
BATCH = 500


def _batches(pks: Iterable[int], size: int = BATCH) -> Iterable[list[int]]:
    iterator = iter(pks)
    while batch := list(islice(iterator, size)):
        yield batch


def _write(source: str, docs: list[documents.Doc]) -> None:
    """Upsert the documents of one source, their topics, the vocabulary and the engine's index."""
    if not docs:
        return
    SearchDocument.objects.bulk_create(
        [
            SearchDocument(
                source=source,
                topic_slugs=" ".join(slug for _, slug in d.topics),
                **{k: v for k, v in asdict(d).items() if k != "topics"},
            )
            for d in docs
        ],
        update_conflicts=True,
        unique_fields=["source", "object_id"],
        update_fields=[*_FIELDS, "indexed_at"],
    )
    ids = dict(
        SearchDocument.objects.filter(source=source, object_id__in=[d.object_id for d in docs]).values_list(
            "object_id", "pk"
        )
    )
    SearchDocumentTopic.objects.filter(document_id__in=ids.values()).delete()
    SearchDocumentTopic.objects.bulk_create(
        SearchDocumentTopic(document_id=ids[d.object_id], topic_id=topic_id, slug=slug)
        for d in docs
        for topic_id, slug in d.topics
    )
    words: set[str] = set()
    for d in docs:
        for text in (d.title, d.problem, d.topic_text, d.body):
            words |= vocabulary_words(text)
    SearchTerm.objects.bulk_create([SearchTerm(term=w) for w in sorted(words)], ignore_conflicts=True)
    backend_for().after_write(list(ids.values()))


def _bump_after_commit() -> None:
    # After the commit, not before: a search between the write and its commit may cache what it
    # saw, under a version token the bump then deletes.
    versions_bump(SEARCH_VERSION)


@transaction.atomic
def index_objects(*, source: str, pks: list[int], with_dependents: bool = True) -> int:
    """(Re)index these objects of a source, remove the documents of those no longer searchable.

    Returns how many documents were written. Documents copying data of these objects (a hub's
    entries) are reindexed too unless `with_dependents` is false.
    """
    document_type = documents.get(source)
    written = 0
    for batch in _batches(pks):
        docs = list(document_type.build(batch))
        _write(source, docs)
        gone = set(batch) - {d.object_id for d in docs}
        SearchDocument.objects.filter(source=source, object_id__in=gone).delete()
        written += len(docs)
    _bump_after_commit()
    if with_dependents:
        for dependents in document_type.dependents(list(pks)):
            if dependents.pks:
                index_objects(source=dependents.source, pks=dependents.pks, with_dependents=False)
    return written


def index_object(*, source: str, pk: int) -> None:
    """(Re)index one object (removing its document if it is gone or no longer searchable)."""
    index_objects(source=source, pks=[pk])


def remove_object(*, source: str, pk: int) -> None:
    """Remove one object's document (a no-op if it has none)."""
    SearchDocument.objects.filter(source=source, object_id=pk).delete()
    _bump_after_commit()


@transaction.atomic
def reindex_all(*, sources: list[str] | None = None) -> dict[str, int]:
    """Rebuild the index of every source (or those given) from the database; returns counts.

    Documents of objects that no longer exist are removed; the vocabulary is rebuilt.
    """
    chosen = sources or documents.sources()
    counts: dict[str, int] = {}
    if sources is None:
        SearchTerm.objects.all().delete()
    for source in chosen:
        document_type = documents.get(source)
        seen: set[int] = set()
        written = 0
        for batch in _batches(document_type.all_pks()):
            docs = list(document_type.build(batch))
            _write(source, docs)
            seen.update(d.object_id for d in docs)
            written += len(docs)
        stale = set(SearchDocument.objects.filter(source=source).values_list("object_id", flat=True)) - seen
        for batch in _batches(sorted(stale)):
            SearchDocument.objects.filter(source=source, object_id__in=batch).delete()
        counts[source] = written
    backend_for().rebuild()
    _bump_after_commit()
    return counts


def _run(function, **kwargs) -> None:
    try:
        function(**kwargs)
    except Exception:  # the write that scheduled this has committed; never undo it for search
        logger.exception("search indexing failed", extra={"search": kwargs})


def schedule_index(source: str, pk: int) -> None:
    """Index an object once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(_run, index_object, source=source, pk=pk))


def schedule_index_many(source: str, pks: list[int]) -> None:
    """Index several objects of a source once the current transaction commits."""
    if pks:
        transaction.on_commit(partial(_run, index_objects, source=source, pks=list(pks)))


def schedule_remove(source: str, pk: int) -> None:
    """Remove an object's document once the current transaction commits."""
    transaction.on_commit(partial(_run, remove_object, source=source, pk=pk))
