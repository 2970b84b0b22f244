"""Problems as search documents (source "problem").

Only a problem with a published challenge in a public hub is indexed, as public: search's
visibility columns describe one hub, and a problem spans many, so a problem readable only
inside cohorts stays out of search (it is still listed by `GET /api/v1/problems/`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.urls import reverse

from nexus.hubs.models import Entry, Hub
from nexus.knowledge.models import Problem, ProblemLink
from nexus.search import documents
from nexus.search.documents import Dependents, Doc, clean_text, topic_text
from nexus.topics.models import Topic


class ProblemDocuments:
    source = "problem"

    def build(self, pks: list[int]) -> Iterator[Doc]:
        public = ProblemLink.objects.filter(
            entry__status=Entry.Status.PUBLISHED, entry__hub__visibility=Hub.Visibility.PUBLIC
        )
        problems = (
            Problem.objects.filter(pk__in=pks, merged_into__isnull=True, links__in=public)
            .distinct()
            .prefetch_related(Prefetch("topics", queryset=Topic.objects.prefetch_related("aliases").order_by("name")))
        )
        for problem in problems:
            topics = list(problem.topics.all())
            yield Doc(
                object_id=problem.pk,
                kind="problem",
                title=clean_text(problem.title),
                url=reverse("api:problem-detail", kwargs={"problem_id": problem.pk}),
                problem=clean_text(problem.description),
                topic_text=topic_text(topics),
                topics=tuple((t.pk, t.slug) for t in topics),
            )

    def all_pks(self) -> Iterable[int]:
        return Problem.objects.filter(merged_into__isnull=True).order_by("pk").values_list("pk", flat=True)

    def dependents(self, pks: list[int]) -> list[Dependents]:
        return []


def register() -> None:
    documents.register(ProblemDocuments())
