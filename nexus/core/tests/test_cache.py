"""Versioned cache reads: built once, invalidated by bumps after commit, served by a process's
local layer within its lease, and a cache that is down makes reads slower, never broken."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache, caches
from django.db import transaction

from nexus.core import cache as versioned
from nexus.core.cache import LocalLayer, cached_versioned, commit_waits_at_exit, versions_bump
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db

LEASE_MS = 200  # long enough that a test's own steps fit inside one lease on a loaded machine

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


@pytest.fixture
def layered(settings):
    """The local layer on, whatever the mode (the shared cache is this run's: local memory or Redis)."""
    settings.CACHE_LOCAL_COPIES_BYTES = 2**20
    settings.CACHE_VERSION_LEASE_MS = LEASE_MS
    layer = versioned.local_layer()
    assert layer is not None
    return layer


@pytest.fixture
def round_trips(monkeypatch):
    """Every read of the shared cache made by `cached_versioned`, as the list of names asked for."""
    calls: list[list[str]] = []
    real = cache.get_many

    def spy(keys, *args, **kwargs):
        calls.append(list(keys))
        return real(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", spy)
    return calls


@pytest.fixture
def sleeps(monkeypatch):
    """The commit waits taken (seconds), without waiting them."""
    taken: list[float] = []
    monkeypatch.setattr(versioned, "sleep", taken.append)
    return taken


def _read(key="k", versions=("a", "b"), value="v1", calls=None):
    def build():
        if calls is not None:
            calls.append(value)
        return value

    return cached_versioned(key, list(versions), build)


# --- without a local layer (embedded defaults) ---------------------------------------------------


def test_builds_once_then_serves_until_a_version_is_bumped(settings, django_capture_on_commit_callbacks):
    settings.CACHE_LOCAL_COPIES_BYTES = 0
    calls: list[str] = []

    first = _read(value="v1", calls=calls)
    second = _read(value="v2", calls=calls)
    with django_capture_on_commit_callbacks(execute=True):
        versions_bump("b")
    third = _read(value="v3", calls=calls)

    assert (first, second, third) == ("v1", "v1", "v3")
    assert calls == ["v1", "v3"]


def test_a_bump_changes_nothing_before_its_transaction_commits(settings, django_capture_on_commit_callbacks):
    settings.CACHE_LOCAL_COPIES_BYTES = 0
    _read(value="v1")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        versions_bump("a")
    in_transaction = _read(value="v2")

    assert in_transaction == "v1"
    assert len(callbacks) == 1


def test_the_bumps_of_one_transaction_are_one_delete(settings, django_capture_on_commit_callbacks, monkeypatch):
    settings.CACHE_LOCAL_COPIES_BYTES = 0
    deletes: list[list[str]] = []
    monkeypatch.setattr(cache, "delete_many", lambda keys: deletes.append(list(keys)))

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        versions_bump("hub:1", "content")
        versions_bump("content")
        versions_bump("topics")

    assert len(callbacks) == 1
    assert deletes == [["content", "hub:1", "topics"]]


def test_a_rolled_back_savepoint_drops_its_bumps_not_the_outer_ones(settings, django_capture_on_commit_callbacks):
    settings.CACHE_LOCAL_COPIES_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        with transaction.atomic():
            versions_bump("inner")
            transaction.set_rollback(True)
        versions_bump("outer")

    assert [callback.versions for callback in callbacks] == [{"outer"}]


# --- the local layer ---------------------------------------------------------------------------------


def test_without_a_lease_there_is_no_layer_and_no_wait(settings, sleeps, django_capture_on_commit_callbacks):
    settings.CACHE_LOCAL_COPIES_BYTES = 2**20
    settings.CACHE_VERSION_LEASE_MS = 0
    _read(value="v1")

    with django_capture_on_commit_callbacks(execute=True):
        versions_bump("a")

    assert versioned.local_layer() is None
    assert (_read(value="v2"), sleeps) == ("v2", [])


def test_a_hit_within_the_lease_makes_no_round_trip(layered, round_trips):
    calls: list[str] = []

    first = _read(value="v1", calls=calls)
    second = _read(value="v2", calls=calls)

    assert (first, second, calls) == ("v1", "v1", ["v1"])
    assert round_trips == [["k", "a", "b"]]  # the miss; the hit was local


def test_after_the_lease_a_hit_reads_the_tokens_only(layered, round_trips):
    _read()
    time.sleep(LEASE_MS / 1000)

    again = _read(value="v2")

    assert again == "v1"
    assert round_trips == [["k", "a", "b"], ["a", "b"]]  # the copy is local: no value crosses


def test_a_refresh_reads_the_snapshots_other_tokens_too(layered, round_trips):
    _read("page:1", ["hub:1", "topics"])
    _read("page:2", ["hub:2", "topics"])
    time.sleep(LEASE_MS / 1000)

    _read("page:1", ["hub:1", "topics"])
    served_locally = _read("page:2", ["hub:2", "topics"], value="new")

    assert served_locally == "v1"
    assert round_trips[-1] == ["hub:1", "topics", "hub:2"]  # one refresh kept hub:2 fresh as well


def test_a_bump_in_this_process_is_seen_at_once(layered, sleeps, django_capture_on_commit_callbacks):
    _read(value="v1")

    with django_capture_on_commit_callbacks(execute=True):
        versions_bump("a")
    after = _read(value="v2")

    assert after == "v2"
    assert sleeps == [LEASE_MS / 1000]  # and the write waited out the lease before returning


def test_another_process_bump_is_seen_once_the_lease_it_waited_out_is_over(
    layered, settings, django_capture_on_commit_callbacks
):
    # given: process B holds a copy and a fresh snapshot
    reader = versioned.local_layer()
    assert _read(value="v1") == "v1"
    # when: process A (its own layer) bumps "a" and returns only after its commit wait
    settings.CACHE_LOCAL_COPIES_BYTES = 2**20 + 1  # a new layer: another process
    writer = versioned.local_layer()
    assert writer is not reader
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        versions_bump("a")
    waited = time.monotonic() - started
    versioned._layer = reader  # back in process B
    # then: the write's wait covered B's lease, so B's next read sees the bump
    assert waited >= LEASE_MS / 1000
    assert _read(value="v2") == "v2"


def test_a_bump_inside_a_request_waits_once_at_the_end(layered, sleeps, django_capture_on_commit_callbacks):
    with commit_waits_at_exit():
        for version in ("a", "b", "c"):
            with django_capture_on_commit_callbacks(execute=True):
                versions_bump(version)
        assert sleeps == []  # nothing waited while the request ran

    assert len(sleeps) == 1
    assert 0 < sleeps[0] <= LEASE_MS / 1000


@pytest.mark.django_db(transaction=True)
def test_a_write_answers_after_its_commit_wait(layered, sleeps, client_for):
    entry = EntryFactory(hub=HubFactory(visibility="public"))
    client = client_for(entry.hub.owner)
    sleeps.clear()

    response = client.patch(f"/api/v1/entries/{entry.pk}/", {"body": "Changed."}, format="json")

    assert response.status_code == 200
    assert len(sleeps) == 1  # one wait for the whole request, however many transactions it made
    assert 0 < sleeps[0] <= LEASE_MS / 1000


def test_a_changed_copy_is_fetched_from_the_shared_cache_not_rebuilt(layered, settings):
    reader = versioned.local_layer()
    _read(value="v1")
    cache.delete("a")  # another process's bump ...
    settings.CACHE_LOCAL_COPIES_BYTES = 2**20 + 1
    assert _read(value="v2") == "v2"  # ... and its rebuild, stored in the shared cache
    versioned._layer = reader
    time.sleep(LEASE_MS / 1000)
    calls: list[str] = []

    value = _read(value="v3", calls=calls)

    assert (value, calls) == ("v2", [])


def test_copies_are_bounded_by_bytes_least_recently_used_first():
    layer = LocalLayer(max_bytes=1_000, lease=1.0)  # each copy below is 116 bytes: eight fit
    for key in ("a", "b", "c"):
        layer.put(key, [1], "x" * 100)
    layer.copy("a")  # a look does not count as use
    layer.put("a", [2], "y" * 100)  # a new value does: "a" is now the most recent
    layer.put("d", [1], "z" * 100)
    layer.put("e", [1], "w" * 500)  # more than an eighth of the bound: not kept

    assert (len(layer), layer.copy("e")) == (4, None)
    for key in "fghijk":
        layer.put(key, [1], "v" * 100)
    assert len(layer) == 8
    assert layer.copy("b") is None and layer.copy("c") is None  # the least recently used went first
    assert layer.copy("a").value == "y" * 100 and layer.copy("k") is not None


def test_a_snapshot_past_its_lease_or_without_the_copy_tokens_is_a_miss():
    layer = LocalLayer(max_bytes=2**20, lease=60.0)
    layer.put("k", [1, 2], "value")

    assert layer.hit("k", ["a", "b"]) is versioned._MISS  # no snapshot yet
    layer.snapshot({"a": 1, "b": 2}, read_at=time.monotonic())
    assert layer.hit("k", ["a", "b"]) == "value"
    layer.forget(["b"])
    assert layer.hit("k", ["a", "b"]) is versioned._MISS
    layer.snapshot({"a": 1, "b": 3}, read_at=time.monotonic())
    assert layer.hit("k", ["a", "b"]) is versioned._MISS  # bumped since the copy was stored
    layer.snapshot({"a": 1, "b": 2}, read_at=time.monotonic() - 60.0)
    assert layer.hit("k", ["a", "b"]) is versioned._MISS  # the lease is over


# --- the cache down ------------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    settings.CACHES = DEAD_REDIS  # Django's setting_changed handler rebuilds the cache handlers
    settings.CACHE_LOCAL_COPIES_BYTES = 2**20
    settings.CACHE_VERSION_LEASE_MS = LEASE_MS


def test_with_the_cache_down_every_read_builds_and_nothing_is_kept(redis_down):
    calls: list[str] = []

    values = [_read(value=f"v{i}", calls=calls) for i in range(3)]

    assert values == ["v0", "v1", "v2"]
    assert len(versioned.local_layer()) == 0


@pytest.mark.django_db
def test_api_reads_and_writes_work_with_redis_down(redis_down, client_for):
    entry = EntryFactory(hub=HubFactory(visibility="public"))
    client = client_for(entry.hub.owner)

    assert type(caches["default"]).__name__ == "RedisCache"
    readme = client.get(f"/api/v1/hubs/{entry.hub.pk}/readme/")
    listing = client.get("/api/v1/entries/")
    write = client.patch(f"/api/v1/entries/{entry.pk}/", {"body": "Still works."}, format="json")
    again = client.get(f"/api/v1/hubs/{entry.hub.pk}/readme/")
    ready = client.get("/readyz")

    assert readme.status_code == listing.status_code == write.status_code == again.status_code == 200
    assert "Still works." in again.content.decode()
    assert ready.status_code == 503  # the probe does report the cache as down
    assert ready.json()["checks"]["cache"]["status"] == "error"
