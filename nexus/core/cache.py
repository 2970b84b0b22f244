"""Cache-aside with keys that change when their data does, so nothing needs invalidating.

A key embeds the version of what it caches (e.g. a hub's `updated_at`, which every write to the
hub or its entries moves forward), so a write makes the old value unreachable the moment it
commits and a read after a write can never see the old value. If the cache is down, the value
is computed every time: slower, never broken (django-redis runs with IGNORE_EXCEPTIONS).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")
logger = logging.getLogger(__name__)
_MISSING = object()


def cached(key: str, build: Callable[[], T], *, timeout: int = 3600) -> T:
    """The value under `key`, built and stored on a miss."""
    try:
        value = cache.get(key, _MISSING)
    except Exception:
        logger.warning("cache read failed", extra={"key": key}, exc_info=True)
        return build()
    if value is not _MISSING:
        return value
    value = build()
    try:
        cache.set(key, value, timeout=timeout)
    except Exception:
        logger.warning("cache write failed", extra={"key": key}, exc_info=True)
    return value
