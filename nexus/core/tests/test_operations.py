import json
import logging
import os

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection


def test_healthz_answers_whatever_the_host_header(client):
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_database_and_cache(client):
    response = client.get("/readyz", HTTP_HOST="pod-ip.internal")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert {"database", "cache"} <= set(body["checks"])
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert ("broker" in body["checks"]) == bool(settings.CELERY_BROKER_URL)


@pytest.mark.django_db
def test_readyz_reports_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = "amqp://guest:guest@127.0.0.1:1//"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["broker"]["status"] == "error"
    assert "ConnectionRefusedError" in response.json()["checks"]["broker"]["error"]


def test_other_paths_still_validate_the_host(client):
    response = client.get("/api/v1/programs/", HTTP_HOST="evil.test")

    assert response.status_code == 400


@pytest.mark.django_db
def test_request_id_is_echoed_or_generated(client):
    given = client.get("/api/v1/programs/", HTTP_X_REQUEST_ID="abc-123")
    generated = client.get("/api/v1/programs/")
    forged = client.get("/api/v1/programs/", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert given["X-Request-ID"] == "abc-123"
    assert len(generated["X-Request-ID"]) == 32
    assert forged["X-Request-ID"] != "bad id\nwith newline" and len(forged["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_each_request_is_logged_as_json_with_its_id(client, caplog):
    from nexus.core.logging import JsonFormatter

    with caplog.at_level(logging.INFO, logger="nexus.request"):
        client.get("/api/v1/programs/", HTTP_X_REQUEST_ID="req-42")

    record = next(r for r in caplog.records if r.name == "nexus.request")
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /api/v1/programs/ 200"
    assert line["request_id"] == "req-42"
    assert line["status"] == 200 and line["method"] == "GET" and line["path"] == "/api/v1/programs/"
    assert isinstance(line["duration_ms"], float)


@pytest.mark.django_db
def test_configured_services_are_the_ones_in_use():
    """Services mode is switched on by the environment alone, and then really used."""
    database_url = os.environ.get("DATABASE_URL", "")
    expected_vendor = "postgresql" if database_url.startswith(("postgres", "postgis")) else "sqlite"
    assert connection.vendor == expected_vendor

    expected_cache = "RedisCache" if os.environ.get("REDIS_URL") else "LocMemCache"
    assert type(caches["default"]).__name__ == expected_cache
    cache.set("services-probe", "here", 5)
    assert cache.get("services-probe") == "here"

    if os.environ.get("NEXUS_REQUIRE_SERVICES"):
        assert connection.vendor == "postgresql", "NEXUS_REQUIRE_SERVICES is set but the database is not PostgreSQL"
        assert type(caches["default"]).__name__ == "RedisCache", (
            "NEXUS_REQUIRE_SERVICES is set but the cache is not Redis"
        )
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"] == "nexus.core.channel_layer.RedisChannelLayer"
        assert settings.CELERY_BROKER_URL.startswith("amqp://")
        # the outbox marks an event sent only once RabbitMQ confirmed the publish (docs/events.md)
        assert settings.CELERY_BROKER_TRANSPORT_OPTIONS == {"confirm_publish": True}


@pytest.mark.django_db
def test_cors_allows_only_configured_origins(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://localhost:3000"]
    headers = {"HTTP_ORIGIN": "http://localhost:3000", "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"}

    allowed = client.options("/api/v1/programs/", **headers)
    refused = client.options(
        "/api/v1/programs/", HTTP_ORIGIN="http://evil.test", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET"
    )

    assert allowed["Access-Control-Allow-Origin"] == "http://localhost:3000"
    assert "Access-Control-Allow-Origin" not in refused
