"""Cache-aside, two ways: keys that change when their data does (`cached`), and values checked
against version tokens that writes bump (`cached_versioned`).

A key embeds the version of what it caches (e.g. a hub's `updated_at`, which every write to the
hub or its entries moves forward), so a write makes the old value unreachable the moment it
commits and a read after a write can never see the old value. If the cache is down, the value
is computed every time: slower, never broken (django-redis runs with IGNORE_EXCEPTIONS).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

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


# The version token of reads that gather what many members wrote (a problem's page, a topic's
# page): every write to entries, hubs, profiles, problems, confirmations or memberships bumps it.
CONTENT_VERSION = "content"


def viewer_key(actor: object) -> str:
    """The part of a cache key naming who a read was made for: anyone anonymous, or one member."""
    pk = getattr(actor, "pk", None)
    return f"u{pk}" if getattr(actor, "is_authenticated", False) and pk is not None else "anon"


def cached_versioned(key: str, versions: list[str], build: Callable[[], T], *, timeout: int = 3600) -> T:
    """The value under `key` while none of `versions` has been bumped since it was stored.

    A version is a random token kept in the cache itself, so a hit costs one round trip (`key`
    and its versions in one `get_many`) and no database query: what an anonymous hub page needs.
    A write calls `versions_bump` for what it changed; the bump deletes the tokens after the
    transaction commits, so the next read makes new ones and cannot match a value stored
    before. Tokens are read before the value is built: a value built from data a concurrent
    write then changed is stored under tokens that write has already deleted -- a miss, never a
    stale read. With a local-memory cache a bump reaches one process only: embedded mode runs
    one (`make run`); services mode shares Redis.
    """
    try:
        found = cache.get_many([key, *versions])
        tokens = [found.get(name) for name in versions]
        for i, name in enumerate(versions):
            if tokens[i] is None:
                cache.add(name, uuid.uuid4().hex, timeout=None)
                tokens[i] = cache.get(name)
    except Exception:
        logger.warning("cache read failed", extra={"key": key}, exc_info=True)
        return build()
    stored = found.get(key)
    if stored is not None and None not in tokens and stored[0] == tokens:
        return stored[1]
    value = build()
    if None not in tokens:  # a cache that lost a token mid-read: do not store
        try:
            cache.set(key, (tokens, value), timeout=timeout)
        except Exception:
            logger.warning("cache write failed", extra={"key": key}, exc_info=True)
    return value


def versions_bump(*versions: str) -> None:
    """Invalidate every value cached under any of `versions`, once the current transaction commits."""

    def bump() -> None:
        try:
            cache.delete_many(list(versions))
        except Exception:  # IGNORE_EXCEPTIONS hides Redis errors; another backend may raise
            logger.error("cache versions not bumped", extra={"versions": versions}, exc_info=True)

    transaction.on_commit(bump)
