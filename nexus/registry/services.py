"""Writes: registering APIs, recording schema versions and their diffs, consumers, alerts, health checks.

Every request to a member's URL goes through `nexus.core.outbound`. A schema is fetched (or
read from an upload) before any transaction opens; recording it locks the API's row, so two
refreshes of one API cannot both add the same version. See docs/registry.md.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
import zlib
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from nexus.accounts.models import User
from nexus.cohorts.models import Membership
from nexus.core import outbound
from nexus.core.errors import ApplicationError
from nexus.notifications import services as notifications
from nexus.registry import documents, live, openapi, selectors
from nexus.registry.access import access_api
from nexus.registry.models import (
    ApiConsumer,
    ApiOperation,
    ApiSchemaVersion,
    HealthCheck,
    RegisteredApi,
    RegistryAlert,
)
from nexus.search import services as search_services
from nexus.topics.models import Topic

logger = logging.getLogger(__name__)

_UNSET: Any = object()


# --- Schemas ---------------------------------------------------------------------------------


def _schema_error(message: str) -> ApplicationError:
    return ApplicationError(message, status=400, code="invalid_schema", extra={"errors": {"schema": [message]}})


def schema_fetch(*, url: str) -> bytes:
    """The body at a schema URL, through the outbound guard; ApplicationError(400) if none came."""
    limits = outbound.Limits.from_settings(
        max_bytes=settings.REGISTRY_SCHEMA_MAX_BYTES, total_timeout=settings.REGISTRY_FETCH_TIMEOUT_SECONDS
    )
    try:
        response = outbound.request(
            "GET", url, headers={"Accept": "application/json, application/yaml;q=0.9, */*;q=0.1"}, limits=limits
        )
    except outbound.ResponseTooLarge:
        raise _schema_error(
            f"The schema is larger than {settings.REGISTRY_SCHEMA_MAX_BYTES} bytes, the most Nexus reads."
        ) from None
    except outbound.OutboundError as exc:
        raise _schema_error(f"Could not fetch the schema: {exc}") from None
    if not response.ok:
        raise _schema_error(f"The schema URL answered HTTP {response.status_code}, not 200.")
    return response.content


def _parse(raw: bytes | str) -> openapi.ParsedSchema:
    if len(raw) > settings.REGISTRY_SCHEMA_MAX_BYTES:
        raise _schema_error(
            f"The schema is larger than {settings.REGISTRY_SCHEMA_MAX_BYTES} bytes, the most Nexus reads."
        )
    try:
        return openapi.parse_schema(raw)
    except openapi.SchemaError as exc:
        raise _schema_error(str(exc)) from None
    except RecursionError:
        raise _schema_error("The schema is nested too deeply to read.") from None


def _record_schema(*, api: RegisteredApi, parsed: openapi.ParsedSchema, source: str) -> ApiSchemaVersion | None:
    """Store a schema as a new version if it differs from the newest; replace the operations; alert.

    Call inside a transaction with the API's row locked. None when nothing changed.
    """
    latest = selectors.version_latest(api=api)
    if latest is not None and latest.sha256 == parsed.sha256:
        return None
    changes = openapi.diff_operations(selectors.operation_map(api=api), parsed.operations) if latest else []
    version = ApiSchemaVersion.objects.create(
        api=api,
        number=(latest.number + 1) if latest else 1,
        sha256=parsed.sha256,
        source=source,
        title=parsed.title,
        version_label=parsed.version,
        document=parsed.document,
        operation_count=len(parsed.operations),
        changes=changes,
        breaking_count=sum(1 for c in changes if c["breaking"]),
    )
    live.contract_changed(version=version)
    ApiOperation.objects.filter(api=api).delete()
    ApiOperation.objects.bulk_create(
        [ApiOperation(api=api, **fields) for fields in parsed.operations.values()], batch_size=500
    )
    if changes:
        breaking = version.breaking_count > 0
        _alert_consumers(
            api=api,
            kind=RegistryAlert.Kind.BREAKING if breaking else RegistryAlert.Kind.CHANGED,
            message=(
                f"{api.name} v{version.number}: {version.breaking_count} breaking change(s)"
                if breaking
                else f"{api.name} v{version.number}: {len(changes)} non-breaking change(s)"
            ),
            changes=changes,
        )
    return version


# --- Alerts ----------------------------------------------------------------------------------


def _alert_consumers(
    *, api: RegisteredApi, kind: str, message: str, changes: list[dict[str, Any]] | None = None
) -> list[RegistryAlert]:
    """The ONE place registry alerts are made: one row per consumer the event concerns.

    With `changes` (a diff), only consumers of an affected operation -- or of the whole API --
    are alerted, each with the changes to the operations they use; for a breaking alert a
    consumer whose operations changed only compatibly gets a `changed` alert instead. Without
    `changes` (down/up), every consumer is alerted. Each alert is also a notification (`api_alert`:
    in-app, live and by e-mail per preference).
    """
    alerts = []
    for consumer in ApiConsumer.objects.filter(api=api).only("user_id", "operations"):
        theirs = changes
        own_kind = kind
        if changes is not None:
            theirs = [c for c in changes if not consumer.operations or c["operation"] in consumer.operations]
            if not theirs:
                continue
            if kind == RegistryAlert.Kind.BREAKING and not any(c["breaking"] for c in theirs):
                own_kind = RegistryAlert.Kind.CHANGED
        alerts.append(
            RegistryAlert(
                recipient_id=consumer.user_id, api=api, kind=own_kind, message=message[:500], diff=theirs or []
            )
        )
    created = RegistryAlert.objects.bulk_create(alerts)
    # The same alert as a notification (in-app, live, e-mail per preference), carrying the
    # changes to the consumer's own operations; consumers told the same thing share one request.
    told: dict[str, list[int]] = {}
    for alert in created:
        shown = "; ".join(change["message"] for change in alert.diff[:3])
        more = f" (+{len(alert.diff) - 3} more)" if len(alert.diff) > 3 else ""
        text = f"{api.name} ({alert.kind}): {message}" + (f" — {shown}{more}" if shown else "")
        told.setdefault(text[:500], []).append(alert.recipient_id)
    for text, recipient_ids in told.items():
        notifications.notification_request(
            kind="api_alert",
            recipient_ids=recipient_ids,
            text=text,
            url=f"/api/v1/apis/{api.slug}/",
            target_type="registeredapi",
            target_id=api.pk,
        )
    return created


@transaction.atomic
def alert_mark_read(*, actor: User, alert_ids: list[int] | None = None) -> int:
    """Mark the actor's alerts read (the listed ones, or all); the number changed."""
    qs = RegistryAlert.objects.filter(recipient=actor, read=False)
    if alert_ids is not None:
        qs = qs.filter(pk__in=alert_ids)
    return qs.update(read=True)


# --- Registering APIs ------------------------------------------------------------------------


RESERVED_SLUGS = {"consumed", "alerts"}  # paths under /api/v1/apis/


def _unique_slug(base: str) -> str:
    slug = slugify(base)[:100] or "api"
    candidate, n = slug, 2
    while candidate in RESERVED_SLUGS or RegisteredApi.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def _check_topics(slugs: list[str]) -> list[str]:
    slugs = list(dict.fromkeys(slugs))
    known = set(Topic.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise ValidationError({"topics": [f"Unknown topic(s): {', '.join(sorted(unknown))}."]})
    return slugs


def _owner_cohort(owner: User) -> Any:
    membership = Membership.objects.filter(user=owner).select_related("cohort").order_by("-created_at").first()
    return membership.cohort if membership else None


def _schema_from(*, schema_url: str | None, schema_text: str | None) -> tuple[openapi.ParsedSchema, str] | None:
    if schema_text:
        return _parse(schema_text), ApiSchemaVersion.Source.UPLOAD
    if schema_url:
        return _parse(schema_fetch(url=schema_url)), ApiSchemaVersion.Source.URL
    return None


def api_create(
    *,
    actor: User,
    name: str,
    base_url: str,
    description: str = "",
    schema_url: str = "",
    schema_text: str | None = None,
    health_url: str = "",
    topics: list[str] | None = None,
    visibility: str = RegisteredApi.Visibility.PRIVATE,
    slug: str | None = None,
) -> RegisteredApi:
    """Register an API with its schema (fetched from `schema_url` or given as `schema_text`)."""
    base_url = outbound.validate_url(base_url, field="base_url")
    schema_url = outbound.validate_url(schema_url, field="schema_url") if schema_url else ""
    health_url = outbound.validate_url(health_url, field="health_url") if health_url else ""
    if not schema_url and not schema_text:
        raise ValidationError({"schema": ["Give a schema_url or upload the schema (schema)."]})
    schema = _schema_from(schema_url=schema_url, schema_text=schema_text)  # before the transaction
    assert schema is not None
    with transaction.atomic():
        if slug and (slug in RESERVED_SLUGS or RegisteredApi.objects.filter(slug=slug).exists()):
            raise ValidationError({"slug": [f"The slug {slug!r} is taken."]})
        api = RegisteredApi(
            owner=actor,
            name=name.strip(),
            slug=slug or _unique_slug(name),
            description=description,
            base_url=base_url,
            schema_url=schema_url,
            health_url=health_url,
            topics=_check_topics(topics or []),
            visibility=visibility,
            cohort=_owner_cohort(actor) if visibility == RegisteredApi.Visibility.COHORT else None,
        )
        api.full_clean()
        api.save()
        _record_schema(api=api, parsed=schema[0], source=schema[1])
        search_services.schedule_index(documents.SOURCE, api.pk)
    return api


def api_update(
    *,
    actor: User,
    slug: str,
    name: str | None = None,
    description: str | None = None,
    base_url: str | None = None,
    schema_url: str | None = None,
    schema_text: str | None = None,
    health_url: str | None = None,
    topics: list[str] | None = None,
    visibility: str | None = None,
) -> RegisteredApi:
    """Change an API (owner only); a new schema_url is fetched, an uploaded schema recorded as a version."""
    access_api(actor, slug, must_own=True)  # 404/403 before any request goes out
    if base_url is not None:
        base_url = outbound.validate_url(base_url, field="base_url")
    if schema_url:
        schema_url = outbound.validate_url(schema_url, field="schema_url")
    if health_url:
        health_url = outbound.validate_url(health_url, field="health_url")
    schema = _schema_from(schema_url=schema_url, schema_text=schema_text)
    with transaction.atomic():
        api = access_api(actor, slug, for_update=True, must_own=True)
        for field, value in (("name", name), ("description", description), ("base_url", base_url)):
            if value is not None:
                setattr(api, field, value.strip() if field == "name" else value)
        if schema_url is not None:
            api.schema_url = schema_url
        if health_url is not None:
            api.health_url = health_url
        if topics is not None:
            api.topics = _check_topics(topics)
        if visibility is not None:
            api.visibility = visibility
            api.cohort = _owner_cohort(actor) if visibility == RegisteredApi.Visibility.COHORT else None
        if schema is not None:
            api.schema_error = ""
        api.full_clean()
        api.save()
        if schema is not None:
            _record_schema(api=api, parsed=schema[0], source=schema[1])
        search_services.schedule_index(documents.SOURCE, api.pk)
    return api


@transaction.atomic
def api_delete(*, actor: User, slug: str) -> None:
    access_api(actor, slug, for_update=True, must_own=True).delete()


def api_schema_refresh(*, api_id: int) -> ApiSchemaVersion | None:
    """Fetch an API's schema URL again; a new version (and alerts) if it changed, else None.

    A fetch or parse failure is kept in `schema_error` and raised as ApplicationError(400).
    """
    api = RegisteredApi.objects.get(pk=api_id)
    if not api.schema_url:
        raise ApplicationError(
            "This API's schema was uploaded; upload a new one instead.", status=409, code="no_schema_url"
        )
    try:
        parsed = _parse(schema_fetch(url=api.schema_url))
    except ApplicationError as exc:
        RegisteredApi.objects.filter(pk=api_id).update(schema_error=exc.message[:1000])
        raise
    with transaction.atomic():
        api = RegisteredApi.objects.select_for_update().get(pk=api_id)
        if api.schema_error:
            api.schema_error = ""
            api.save(update_fields=["schema_error", "updated_at"])
        version = _record_schema(api=api, parsed=parsed, source=ApiSchemaVersion.Source.URL)
        if version is not None:  # its operations may have changed
            search_services.schedule_index(documents.SOURCE, api.pk)
        return version


def api_schema_refresh_for(*, actor: User, slug: str) -> ApiSchemaVersion | None:
    """The owner asks for a refresh now."""
    return api_schema_refresh(api_id=access_api(actor, slug, must_own=True).pk)


def schemas_refresh_all() -> dict[str, int]:
    """Refresh every API that has a schema URL (the beat task); failures are recorded, not raised."""
    counts = {"checked": 0, "new_versions": 0, "failed": 0}
    for api_id in RegisteredApi.objects.exclude(schema_url="").order_by("id").values_list("id", flat=True):
        counts["checked"] += 1
        try:
            if api_schema_refresh(api_id=api_id) is not None:
                counts["new_versions"] += 1
        except ApplicationError:
            counts["failed"] += 1
    return counts


# --- Consumers -------------------------------------------------------------------------------


@transaction.atomic
def consumer_subscribe(*, actor: User, slug: str, operations: list[str] | None = None) -> ApiConsumer:
    """Consume an API (all of it without `operations`; else these operation ids or "METHOD /path" keys).

    Subscribing again replaces the operation list.
    """
    api = access_api(actor, slug)
    keys: list[str] = []
    if operations:
        by_id = dict(ApiOperation.objects.filter(api=api).exclude(operation_id="").values_list("operation_id", "key"))
        all_keys = set(ApiOperation.objects.filter(api=api).values_list("key", flat=True))
        unknown = []
        for ref in operations:
            key = by_id.get(ref) or (ref if ref in all_keys else None)
            if key is None:
                unknown.append(ref)
            elif key not in keys:
                keys.append(key)
        if unknown:
            raise ValidationError({"operations": [f"{api.name} has no operation {ref!r}." for ref in unknown]})
    consumer, _ = ApiConsumer.objects.update_or_create(api=api, user=actor, defaults={"operations": keys})
    return consumer


@transaction.atomic
def consumer_unsubscribe(*, actor: User, slug: str) -> None:
    api = access_api(actor, slug)
    deleted, _ = ApiConsumer.objects.filter(api=api, user=actor).delete()
    if not deleted:
        raise ApplicationError(f"You do not consume {api.name}.", status=404, code="not_a_consumer")


# --- Health checks ---------------------------------------------------------------------------

_LOCK_KEY = "registry:health-cycle"


def _health_limits() -> outbound.Limits:
    return outbound.Limits.from_settings(
        connect_timeout=settings.REGISTRY_HEALTH_CONNECT_TIMEOUT,
        read_timeout=settings.REGISTRY_HEALTH_READ_TIMEOUT,
        total_timeout=settings.REGISTRY_HEALTH_TOTAL_TIMEOUT,
        max_bytes=settings.REGISTRY_HEALTH_MAX_BYTES,
        max_redirects=settings.REGISTRY_HEALTH_MAX_REDIRECTS,
    )


_Result = tuple[bool, int | None, int | None, str]  # ok, status code, latency in ms, error
_POOL_SIZE = 10  # connections per client of a check cycle


async def _check_one(client: outbound.AsyncOutboundClient, url: str) -> _Result:
    started = time.monotonic()
    try:
        response = await client.request("GET", url, truncate=True, headers={"Accept": "*/*"})
    except outbound.OutboundError as exc:
        return False, None, None, f"{exc.reason}: {exc}"[:500]
    latency = int((time.monotonic() - started) * 1000)
    ok = 200 <= response.status_code < 400
    return ok, response.status_code, latency, "" if ok else f"HTTP {response.status_code}"


async def _check_shard(urls: list[tuple[int, str]], connections: int) -> list[tuple[int, _Result]]:
    async with outbound.AsyncOutboundClient(limits=_health_limits(), max_connections=connections) as client:
        results = await asyncio.gather(*(_check_one(client, url) for _, url in urls), return_exceptions=True)
    out: list[tuple[int, _Result]] = []
    for (index, _), result in zip(urls, results, strict=True):
        if isinstance(result, BaseException):  # a bug, not a failing API: record it as an error
            out.append((index, (False, None, None, f"error: {type(result).__name__}")))
        else:
            out.append((index, result))
    return out


async def _check_all(urls: list[str]) -> list[_Result]:
    """Check every URL, at most REGISTRY_HEALTH_CONCURRENCY at once.

    The work is split over several small clients (pools of `_POOL_SIZE` connections, URLs of one
    origin on the same client so keep-alive still helps): httpcore scans its whole pool for every
    queued request on every event, so one pool of 100 spends the cycle's CPU scanning
    (docs/registry.md, bench figures).
    """
    concurrency = max(1, settings.REGISTRY_HEALTH_CONCURRENCY)
    shards = max(1, math.ceil(concurrency / _POOL_SIZE))
    per_shard = max(1, concurrency // shards)
    buckets: list[list[tuple[int, str]]] = [[] for _ in range(shards)]
    for index, url in enumerate(urls):
        origin = urlsplit(url).netloc.lower().encode()
        buckets[zlib.crc32(origin) % shards].append((index, url))
    done = await asyncio.gather(*(_check_shard(bucket, per_shard) for bucket in buckets if bucket))
    results: list[_Result | None] = [None] * len(urls)
    for shard in done:
        for index, result in shard:
            results[index] = result
    return [r if r is not None else (False, None, None, "error: not checked") for r in results]


def health_check_run(*, now: Any = None) -> dict[str, int] | None:
    """One check cycle over every API with a health URL; None when another cycle holds the lock.

    Records one HealthCheck per API, moves each API's state (an up/down change alerts its
    consumers; unknown → up/down does not) and prunes checks older than the retention.
    """
    token = uuid.uuid4().hex
    lease = int(settings.REGISTRY_HEALTH_TOTAL_TIMEOUT) * 4 + 60
    if not cache.add(_LOCK_KEY, token, timeout=lease):
        # With Redis down (IGNORE_EXCEPTIONS), add() is falsy too: no lock, no cycle -- never two.
        holder = cache.get(_LOCK_KEY)
        logger.warning(
            "registry health cycle skipped: %s",
            "another one is running" if holder else "the cache (the cycle's lock) is unavailable",
        )
        return None
    try:
        targets = selectors.apis_to_check()
        results = asyncio.run(_check_all([url for _, url, _ in targets])) if targets else []
        now = now or timezone.now()
        counts = {"checked": len(targets), "up": 0, "down": 0, "changed": 0}
        with transaction.atomic():
            HealthCheck.objects.bulk_create(
                [
                    HealthCheck(
                        api_id=api_id, checked_at=now, ok=ok, status_code=status, latency_ms=latency, error=error
                    )
                    for (api_id, _, _), (ok, status, latency, error) in zip(targets, results, strict=True)
                ],
                batch_size=500,
            )
            went: dict[str, list[int]] = {RegisteredApi.Health.UP: [], RegisteredApi.Health.DOWN: []}
            for (api_id, _, state), (ok, *_rest) in zip(targets, results, strict=True):
                new = RegisteredApi.Health.UP if ok else RegisteredApi.Health.DOWN
                counts["up" if ok else "down"] += 1
                if new != state:
                    went[new].append(api_id)
            checked = {t[0]: r for t, r in zip(targets, results, strict=True)}
            previous = {api_id: state for api_id, _, state in targets}
            for state, ids in went.items():
                if ids:
                    RegisteredApi.objects.filter(pk__in=ids).update(health_state=state, health_changed_at=now)
                for api_id in ids:
                    _ok, status_code, latency, error = checked[api_id]
                    live.health_changed(
                        api_id=api_id,
                        state=state,
                        previous=previous[api_id],
                        changed_at=now,
                        status_code=status_code,
                        latency_ms=latency,
                        error=error,
                    )
            RegisteredApi.objects.filter(pk__in=[t[0] for t in targets]).update(last_checked_at=now)
            errors = {api_id: result[3] for api_id, result in checked.items()}
            for state, ids in went.items():
                for api in RegisteredApi.objects.filter(pk__in=ids):
                    counts["changed"] += 1
                    if previous[api.pk] == RegisteredApi.Health.UNKNOWN:
                        continue
                    error = errors[api.pk]
                    _alert_consumers(
                        api=api,
                        kind=RegistryAlert.Kind.UP if state == RegisteredApi.Health.UP else RegistryAlert.Kind.DOWN,
                        message=f"{api.name} is back up."
                        if state == RegisteredApi.Health.UP
                        else f"{api.name} is down ({error}).",
                    )
            HealthCheck.objects.filter(
                checked_at__lt=now - timedelta(days=settings.REGISTRY_HEALTH_RETENTION_DAYS)
            ).delete()
        return counts
    finally:
        if cache.get(_LOCK_KEY) == token:
            cache.delete(_LOCK_KEY)
