"""Cache-aside with version tokens: `cached_versioned` serves a value while none of the tokens it
was stored under has been bumped, and `versions_bump` bumps them once a write commits.

In front of a remote cache (Redis) each process keeps a `LocalLayer`: copies of the values it
read, and a snapshot of the version tokens it read last. A read whose tokens were read less than a
lease ago (`CACHE_VERSION_LEASE_MS`) and match its copy costs no round trip; a write pays for that
by waiting out the lease after its bump, before it returns (a commit wait), so no snapshot read
before the bump is still trusted by then (docs/decisions/0014-cache-version-lease.md). If the cache
is down, values are computed every time: slower, never broken (django-redis runs with
IGNORE_EXCEPTIONS).
"""

from __future__ import annotations

import logging
import math
import pickle
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from time import monotonic, sleep
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction

T = TypeVar("T")
logger = logging.getLogger(__name__)

# The version token of reads that gather what many members wrote (a problem's page, a topic's
# page): every write to entries, hubs, profiles, problems, confirmations or memberships bumps it.
CONTENT_VERSION = "content"

# How many version tokens one refresh of a process's snapshot reads at most: the ones the read
# needs, then the others the snapshot held, so a process keeps its busiest tokens fresh.
SNAPSHOT_NAMES = 256

_MISS = object()


def viewer_key(actor: object) -> str:
    """The part of a cache key naming who a read was made for: anyone anonymous, or one member."""
    pk = getattr(actor, "pk", None)
    return f"u{pk}" if getattr(actor, "is_authenticated", False) and pk is not None else "anon"


@dataclass
class _Copy:
    tokens: list[Any]
    value: Any
    size: int


class LocalLayer:
    """What one process keeps in front of a remote cache.

    - Copies of the values it read or built, each with the tokens it was stored under; the least
      recently used go first once their pickled size passes `max_bytes`.
    - A snapshot of the version tokens it read last, with the moment that read was sent. While
      that moment is less than `lease` seconds ago the snapshot counts as current: writers wait
      `lease` after deleting a token before they return (`versions_bump`).
    """

    def __init__(self, *, max_bytes: int, lease: float) -> None:
        self.max_bytes = max_bytes
        self.lease = lease
        self._copies: OrderedDict[str, _Copy] = OrderedDict()
        self._bytes = 0
        self._tokens: dict[str, Any] = {}
        self._read_at = -math.inf
        self._lock = threading.Lock()  # sync views run in threads under ASGI

    def hit(self, key: str, versions: list[str]) -> Any:
        """The copy of `key` if the snapshot is within its lease and holds the copy's tokens, else _MISS."""
        now = monotonic()
        with self._lock:
            copy = self._copies.get(key)
            if copy is None or now - self._read_at >= self.lease:
                return _MISS
            if [self._tokens.get(name, _MISS) for name in versions] != copy.tokens:
                return _MISS
            self._copies.move_to_end(key)
            return copy.value

    def copy(self, key: str) -> _Copy | None:
        with self._lock:
            return self._copies.get(key)

    def names_to_read(self, versions: list[str]) -> list[str]:
        """`versions`, then the snapshot's other names, up to SNAPSHOT_NAMES."""
        with self._lock:
            others = [name for name in self._tokens if name not in versions]
        return [*versions, *others[: max(SNAPSHOT_NAMES - len(versions), 0)]]

    def snapshot(self, tokens: dict[str, Any], *, read_at: float) -> None:
        """Replace the snapshot with `tokens`, read by a request sent at `read_at` (monotonic)."""
        with self._lock:
            self._tokens = tokens
            self._read_at = read_at

    def forget(self, versions: Iterable[str]) -> None:
        """Drop bumped tokens from the snapshot, so this process reads them again at once."""
        bumped = set(versions)
        with self._lock:
            self._tokens = {name: token for name, token in self._tokens.items() if name not in bumped}

    def put(self, key: str, tokens: list[Any], value: Any) -> None:
        size = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL)) + len(key)
        if size > self.max_bytes // 8:  # one huge value may not push out everything else
            return
        with self._lock:
            old = self._copies.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._copies[key] = _Copy(tokens, value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._copies.popitem(last=False)
                self._bytes -= dropped.size

    def clear(self) -> None:
        with self._lock:
            self._copies.clear()
            self._bytes = 0
            self._tokens = {}
            self._read_at = -math.inf

    def __len__(self) -> int:
        return len(self._copies)


_layer: LocalLayer | None = None
_layer_made = False


def local_layer() -> LocalLayer | None:
    """This process's layer, made on first use from the settings; None with a local-memory cache.

    Copies alone would save nothing measurable (a hit's cost is the round trip, not the bytes),
    so without a lease there is no layer at all.
    """
    global _layer, _layer_made
    if not _layer_made:
        size, lease = settings.CACHE_LOCAL_COPIES_BYTES, settings.CACHE_VERSION_LEASE_MS / 1000
        _layer = LocalLayer(max_bytes=size, lease=lease) if size > 0 and lease > 0 else None
        _layer_made = True
    return _layer


def local_clear() -> None:
    """Forget this process's copies and token snapshot (tests clear the shared cache with it)."""
    layer = local_layer()
    if layer is not None:
        layer.clear()


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _layer_made
    if setting in ("CACHE_LOCAL_COPIES_BYTES", "CACHE_VERSION_LEASE_MS", "CACHES"):
        _layer_made = False


setting_changed.connect(_settings_changed)


def _tokens(versions: list[str], found: dict[str, Any]) -> list[Any]:
    """The current token of each version, starting the ones the cache does not hold."""
    tokens = [found.get(name) for name in versions]
    for i, name in enumerate(versions):
        if tokens[i] is None:
            cache.add(name, secrets.randbits(62), timeout=None)  # an int: stored by Redis as is, no pickle
            tokens[i] = cache.get(name)
    return tokens


def cached_versioned(key: str, versions: list[str], build: Callable[[], T], *, timeout: int = 3600) -> T:
    """The value under `key` while none of `versions` has been bumped since it was stored.

    A version is a random token kept in the cache itself. A hit costs no database query and at
    most one round trip: the tokens, with `key` when this process holds no copy of it, and none at
    all while the process's token snapshot is within its lease (see `LocalLayer`). A write calls
    `versions_bump` for what it changed; the bump deletes the tokens after the transaction
    commits, so the next read makes new ones and cannot match a value stored before. Tokens are
    read before the value is built: a value built from data a concurrent write then changed is
    stored under tokens that write has already deleted -- a miss, never a stale read. With a
    local-memory cache a bump reaches one process only: embedded mode runs one (`make run`);
    services mode shares Redis.
    """
    layer = local_layer()
    copy = None
    names = versions
    if layer is not None:
        value = layer.hit(key, versions)
        if value is not _MISS:
            return value
        copy = layer.copy(key)
        names = layer.names_to_read(versions)
    read_at = monotonic()
    try:
        found = cache.get_many(names if copy is not None else [key, *names])
        tokens = _tokens(versions, found)
        if None in tokens:  # a cache that is down or lost a token mid-read: do not store
            return build()
        if layer is not None:
            current = {name: found[name] for name in names if name in found}
            layer.snapshot({**current, **dict(zip(versions, tokens, strict=True))}, read_at=read_at)
            if copy is not None:
                if copy.tokens == tokens:
                    return copy.value
                found = cache.get_many([key])  # bumped; perhaps rebuilt by another process already
    except Exception:
        logger.warning("cache read failed", extra={"key": key}, exc_info=True)
        return build()
    stored = found.get(key)
    if stored is not None and stored[0] == tokens:
        if layer is not None:
            layer.put(key, tokens, stored[1])
        return stored[1]
    value = build()
    try:
        cache.set(key, (tokens, value), timeout=timeout)
    except Exception:
        logger.warning("cache write failed", extra={"key": key}, exc_info=True)
        return value
    if layer is not None:
        layer.put(key, tokens, value)
    return value


# Deadlines of the commit waits of the writes made while serving the current request.
_commit_waits: ContextVar[list[float] | None] = ContextVar("nexus_commit_waits", default=None)


@contextmanager
def commit_waits_at_exit() -> Iterator[None]:
    """Hold the commit waits of the writes made inside until the block ends, then wait once for
    the latest (CommitWaitMiddleware wraps each request in it, so the answer leaves after them)."""
    deadlines: list[float] = []
    token = _commit_waits.set(deadlines)
    try:
        yield
    finally:
        _commit_waits.reset(token)
        if deadlines:
            sleep(max(max(deadlines) - monotonic(), 0))


class _Bump:
    """The after-commit bump of one transaction: every version its writes changed, deleted at once."""

    def __init__(self, versions: Iterable[str]) -> None:
        self.versions = set(versions)

    def __call__(self) -> None:
        try:
            cache.delete_many(sorted(self.versions))
        except Exception:  # IGNORE_EXCEPTIONS hides Redis errors; another backend may raise
            logger.error("cache versions not bumped", extra={"versions": sorted(self.versions)}, exc_info=True)
        layer = local_layer()
        if layer is None:
            return
        layer.forget(self.versions)
        deadlines = _commit_waits.get()
        if deadlines is None:
            sleep(layer.lease)
        else:
            deadlines.append(monotonic() + layer.lease)


def versions_bump(*versions: str) -> None:
    """Invalidate every value cached under any of `versions`, once the current transaction commits.

    The versions of one transaction are deleted together after it commits. With a lease, the
    write then waits it out -- at the end of the request (`commit_waits_at_exit`), or at once
    outside one -- so that when anyone learns the write is done, no process still trusts a token
    snapshot read before the delete.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _, callback, _ in connection.run_on_commit:
            if isinstance(callback, _Bump):
                callback.versions.update(versions)
                return
    transaction.on_commit(_Bump(versions))
