"""A cache that is down makes reads slower, never broken."""

import pytest
from django.core.cache import caches

from nexus.core.cache import cached
from nexus.hubs.tests.factories import EntryFactory, HubFactory

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
def redis_down(settings):
    settings.CACHES = DEAD_REDIS  # Django's setting_changed handler rebuilds the cache handlers


def test_cached_builds_once_then_reads(settings):
    calls = []

    first = cached("k", lambda: calls.append(1) or "v")
    second = cached("k", lambda: calls.append(1) or "other")

    assert (first, second, len(calls)) == ("v", "v", 1)


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
