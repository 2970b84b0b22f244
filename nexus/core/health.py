"""Liveness and readiness probes."""

from __future__ import annotations

import socket
import time
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse


def liveness() -> JsonResponse:
    """The process is alive and serving requests."""
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=5)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return the value just written")
    cache.delete(key)


def _check_broker() -> None:
    # A TCP connect is enough to know the broker is reachable without opening an AMQP session.
    parts = urlsplit(settings.CELERY_BROKER_URL)
    port = parts.port or {"amqp": 5672, "amqps": 5671, "redis": 6379, "rediss": 6379}.get(parts.scheme, 5672)
    with socket.create_connection((parts.hostname or "localhost", port), timeout=2):
        pass


def readiness() -> JsonResponse:
    """Every backing component answers: database, cache and, when configured, the broker."""
    checks = {"database": _check_database, "cache": _check_cache}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _check_broker
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
            results[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}
        else:
            results[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 2)}
    ready = all(r["status"] == "ok" for r in results.values())
    return JsonResponse({"status": "ok" if ready else "error", "checks": results}, status=200 if ready else 503)
