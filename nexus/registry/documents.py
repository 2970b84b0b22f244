"""Registered APIs as search documents (source "api", kind "api").

An API is found by its name (weight A), its description and its operations -- method, path,
summary and operationId, so "POST /pets" or "token refresh" finds the API that offers it -- and
its topics. Its visibility columns are its own (public, cohort with its cohort, private with its
owner), so search shows an API exactly to who may open it; staff, who may open every API, find
the public and cohort ones like any cohort member would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.urls import reverse

from nexus.registry.models import ApiOperation, RegisteredApi
from nexus.search import documents
from nexus.search.documents import Dependents, Doc, clean_text, topic_text
from nexus.topics.models import Topic

SOURCE = "api"


class RegisteredApiDocuments:
    source = SOURCE

    def build(self, pks: list[int]) -> Iterator[Doc]:
        operations = Prefetch("operations", queryset=ApiOperation.objects.order_by("path", "method"))
        apis = list(
            RegisteredApi.objects.filter(pk__in=pks)
            .select_related("owner__profile", "cohort")
            .prefetch_related(operations)
        )
        slugs = {slug for api in apis for slug in api.topics}
        topics = {t.slug: t for t in Topic.objects.filter(slug__in=slugs).prefetch_related("aliases")}
        for api in apis:
            mine = [topics[slug] for slug in api.topics if slug in topics]
            lines = [
                " ".join(part for part in (op.method, op.path, op.summary, op.operation_id) if part)
                for op in api.operations.all()
            ]
            profile = getattr(api.owner, "profile", None)
            yield Doc(
                object_id=api.pk,
                kind="api",
                title=clean_text(api.name),
                url=reverse("api:api-detail", kwargs={"slug": api.slug}),
                topic_text=topic_text(mine),
                body=clean_text("\n".join([api.description, *lines])),
                topics=tuple((t.pk, t.slug) for t in mine),
                cohort_slug=api.cohort.slug if api.cohort else "",
                track=profile.track if profile else "",
                author=api.owner.username,
                visibility=api.visibility,
                owner_id=api.owner_id,
                cohort_id=api.cohort_id,
            )

    def all_pks(self) -> Iterable[int]:
        return RegisteredApi.objects.order_by("pk").values_list("pk", flat=True)

    def dependents(self, pks: list[int]) -> list[Dependents]:
        return []


def register() -> None:
    documents.register(RegisteredApiDocuments())
