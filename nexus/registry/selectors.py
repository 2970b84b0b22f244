"""Reads: registered APIs, their operations, versions, consumers, uptime and alerts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from nexus.registry.access import Actor, apis_visible_to
from nexus.registry.models import ApiConsumer, ApiOperation, ApiSchemaVersion, HealthCheck, RegisteredApi, RegistryAlert


def api_list(
    *, actor: Actor, topic: str | None = None, owner: str | None = None, q: str | None = None
) -> QuerySet[RegisteredApi]:
    """APIs the actor may see, newest first; by topic slug, owner username or a name search."""
    qs = apis_visible_to(actor).select_related("owner", "cohort")
    if topic:
        qs = (
            qs.filter(topics__contains=[topic])
            if _json_contains_supported()
            else qs.filter(topics__icontains=f'"{topic}"')
        )
    if owner:
        qs = qs.filter(owner__username=owner)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    return qs


def _json_contains_supported() -> bool:
    from django.db import connection

    return connection.features.supports_json_field_contains


def operation_list(*, api: RegisteredApi, method: str | None = None) -> QuerySet[ApiOperation]:
    qs = ApiOperation.objects.filter(api=api)
    if method:
        qs = qs.filter(method=method.upper())
    return qs


def operation_map(*, api: RegisteredApi) -> dict[str, dict[str, Any]]:
    """The API's current operations as the dicts `openapi.diff_operations` compares."""
    fields = [
        "key",
        "method",
        "path",
        "operation_id",
        "summary",
        "description",
        "deprecated",
        "parameters",
        "request_body",
        "responses",
    ]
    return {row["key"]: row for row in ApiOperation.objects.filter(api=api).values(*fields)}


def version_list(*, api: RegisteredApi) -> QuerySet[ApiSchemaVersion]:
    return ApiSchemaVersion.objects.filter(api=api).defer("document")


def version_latest(*, api: RegisteredApi) -> ApiSchemaVersion | None:
    return ApiSchemaVersion.objects.filter(api=api).defer("document").order_by("-number").first()


def versions_latest(*, api_ids: Iterable[int]) -> dict[int, ApiSchemaVersion | None]:
    """`version_latest` of several APIs in one query (for lists): API id -> newest version or None."""
    api_ids = list(api_ids)
    newest = ApiSchemaVersion.objects.filter(api_id=OuterRef("api_id")).order_by("-number").values("number")[:1]
    found: dict[int, ApiSchemaVersion | None] = dict.fromkeys(api_ids)
    for version in ApiSchemaVersion.objects.filter(api_id__in=api_ids, number=Subquery(newest)).defer("document"):
        found[version.api_id] = version
    return found


def consumer_list(*, api: RegisteredApi) -> QuerySet[ApiConsumer]:
    return ApiConsumer.objects.filter(api=api).select_related("user")


def consumed_list(*, actor: Actor) -> QuerySet[ApiConsumer]:
    """The subscriptions of the actor ("APIs I consume"), with each API's state."""
    if not actor.is_authenticated:
        return ApiConsumer.objects.none()
    return ApiConsumer.objects.filter(user_id=actor.pk, api__in=apis_visible_to(actor)).select_related(
        "api", "api__owner"
    )


def uptime(*, api: RegisteredApi, now: Any = None) -> dict[str, float | None]:
    """Share of successful checks over the last 24 hours and 7 days (None without checks)."""
    return uptime_many(api_ids=[api.pk], now=now)[api.pk]


def uptime_many(*, api_ids: Iterable[int], now: Any = None) -> dict[int, dict[str, float | None]]:
    """`uptime` of several APIs in one query (for lists)."""
    api_ids = list(api_ids)
    now = now or timezone.now()
    day, week = now - timedelta(hours=24), now - timedelta(days=7)
    rows = {
        row["api_id"]: row
        for row in HealthCheck.objects.filter(api_id__in=api_ids, checked_at__gte=week)
        .order_by()
        .values("api_id")
        .annotate(
            week_total=Count("id"),
            week_ok=Count("id", filter=Q(ok=True)),
            day_total=Count("id", filter=Q(checked_at__gte=day)),
            day_ok=Count("id", filter=Q(checked_at__gte=day, ok=True)),
        )
    }

    def share(ok: int, total: int) -> float | None:
        return round(100.0 * ok / total, 2) if total else None

    empty = {"week_total": 0, "week_ok": 0, "day_total": 0, "day_ok": 0}
    return {
        pk: {
            "24h": share(rows.get(pk, empty)["day_ok"], rows.get(pk, empty)["day_total"]),
            "7d": share(rows.get(pk, empty)["week_ok"], rows.get(pk, empty)["week_total"]),
        }
        for pk in api_ids
    }


def operation_counts(*, api_ids: list[int]) -> dict[int, int]:
    """How many operations each API has, in one query."""
    rows = ApiOperation.objects.filter(api_id__in=api_ids).order_by().values("api_id").annotate(n=Count("id"))
    counts = {row["api_id"]: row["n"] for row in rows}
    return {pk: counts.get(pk, 0) for pk in api_ids}


def consumed_ids(*, actor: Actor, api_ids: list[int]) -> set[int]:
    """Which of these APIs the actor consumes, in one query (none for a visitor)."""
    if not actor.is_authenticated:
        return set()
    return set(ApiConsumer.objects.filter(user_id=actor.pk, api_id__in=api_ids).values_list("api_id", flat=True))


def health_check_list(*, api: RegisteredApi) -> QuerySet[HealthCheck]:
    return HealthCheck.objects.filter(api=api)


def alert_list(*, actor: Actor, unread: bool | None = None) -> QuerySet[RegistryAlert]:
    if not actor.is_authenticated:
        return RegistryAlert.objects.none()
    qs = RegistryAlert.objects.filter(recipient_id=actor.pk).select_related("api")
    if unread is not None:
        qs = qs.filter(read=not unread)
    return qs


def apis_to_check() -> list[tuple[int, str, str]]:
    """(id, health URL, health state) of every API that has a health URL."""
    return list(
        RegisteredApi.objects.exclude(health_url="").order_by("id").values_list("id", "health_url", "health_state")
    )


def api_detail(*, api: RegisteredApi) -> dict[str, Any]:
    """An API with its uptime, newest version and counts (for the detail endpoint)."""
    up = uptime(api=api)
    data = {field.name: getattr(api, field.name) for field in RegisteredApi._meta.concrete_fields}
    data.update(
        owner=api.owner,
        cohort=api.cohort,
        uptime={"last_24h": up["24h"], "last_7d": up["7d"]},
        latest_version=version_latest(api=api),
        operation_count=ApiOperation.objects.filter(api=api).count(),
        consumer_count=ApiConsumer.objects.filter(api=api).count(),
    )
    return data


def version_get(*, api: RegisteredApi, number: int) -> ApiSchemaVersion:
    from django.http import Http404

    version = ApiSchemaVersion.objects.filter(api=api, number=number).first()
    if version is None:
        raise Http404(f"{api.name} has no version {number}.")
    return version


def version_diff(*, api: RegisteredApi, from_number: int, to_number: int) -> dict[str, Any]:
    """The changes from one stored version to another (either direction), re-read from their documents."""
    from nexus.registry import openapi

    old, new = version_get(api=api, number=from_number), version_get(api=api, number=to_number)
    changes = openapi.diff_operations(
        openapi.parse_schema_document(old.document).operations, openapi.parse_schema_document(new.document).operations
    )
    return {
        "from_version": from_number,
        "to_version": to_number,
        "breaking": any(c["breaking"] for c in changes),
        "changes": changes,
    }
