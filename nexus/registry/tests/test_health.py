"""The health checker against real servers on 127.0.0.1: failing, hanging, slow, huge, looping, closed."""

from __future__ import annotations

import socket
import time
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.core.models import OutboxEvent
from nexus.core.tests.servers import Drip, Endless, Hang, Received, Redirect, Reply
from nexus.registry import services, tasks
from nexus.registry.models import HealthCheck, RegisteredApi, RegistryAlert
from nexus.registry.tests.factories import ApiConsumerFactory, RegisteredApiFactory

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def zoo(local_server):
    """One server whose paths misbehave in every way the checker must survive."""
    server = local_server()
    answers = {
        "/ok": Reply(200, b"ok"),
        "/fail": Reply(503, b"maintenance"),
        "/hang": Hang(20),
        "/slow": Reply(200, b"late", delay=5),
        "/drip": Drip(interval=0.3, count=100),
        "/huge": Endless(),
        "/loop": Redirect("/loop"),
        "/moved": Redirect("/ok"),
        "/metadata": Redirect("http://169.254.169.254/latest/meta-data/"),
    }

    def handler(request: Received):
        return answers[request.path]

    server.handler = handler
    return server


def test_one_cycle_records_each_kind_of_answer_and_never_hangs(zoo):
    apis = {
        name: RegisteredApiFactory(slug=name, health_url=zoo.url(f"/{name}"))
        for name in ("ok", "fail", "hang", "slow", "drip", "huge", "loop", "moved", "metadata")
    }
    apis["closed"] = RegisteredApiFactory(slug="closed", health_url=f"http://127.0.0.1:{_closed_port()}/health")
    RegisteredApiFactory(slug="no-health-url", health_url="")

    started = time.monotonic()
    counts = services.health_check_run()
    elapsed = time.monotonic() - started

    assert elapsed < 5, elapsed  # total budget 1.5 s per request, all concurrent
    assert counts == {"checked": 10, "up": 3, "down": 7, "changed": 10}
    checks = {c.api.slug: c for c in HealthCheck.objects.select_related("api")}
    assert set(checks) == set(apis)
    assert (checks["ok"].ok, checks["ok"].status_code, checks["ok"].error) == (True, 200, "")
    assert checks["ok"].latency_ms is not None and checks["ok"].latency_ms < 1500
    assert (checks["fail"].ok, checks["fail"].status_code, checks["fail"].error) == (False, 503, "HTTP 503")
    for slow in ("hang", "slow", "drip"):
        assert (checks[slow].ok, checks[slow].status_code) == (False, None)
        assert checks[slow].error.startswith("timeout:"), checks[slow].error
    assert (checks["huge"].ok, checks["huge"].status_code) == (True, 200)  # the body is cut at the cap
    assert checks["loop"].error.startswith("redirects:")
    assert (checks["moved"].ok, checks["moved"].status_code) == (True, 200)
    assert checks["closed"].error.startswith("connect:")
    assert checks["metadata"].error.startswith("link_local:")  # the guard re-vets every redirect
    states = dict(RegisteredApi.objects.values_list("slug", "health_state"))
    assert states["ok"] == "up" and states["fail"] == "down" and states["no-health-url"] == "unknown"
    # unknown -> up/down is the first observation, not news for consumers
    assert not RegistryAlert.objects.exists()


def test_up_down_up_alerts_the_consumers_of_that_api_only(local_server):
    server = local_server()
    server.answer(Reply(200, b"ok"), Reply(500, b"boom"), Reply(200, b"ok"))
    api = RegisteredApiFactory(name="Pets", health_url=server.url("/health"))
    quiet = RegisteredApiFactory(health_url=server.url("/other"))
    consumer = ApiConsumerFactory(api=api, operations=["GET /pets/"]).user
    bystander = ApiConsumerFactory(api=quiet).user
    quiet.health_url = ""
    quiet.save()

    for _ in range(3):
        services.health_check_run()

    alerts = list(RegistryAlert.objects.filter(recipient=consumer).order_by("id").values_list("kind", "message"))
    assert alerts == [("down", "Pets is down (HTTP 500)."), ("up", "Pets is back up.")]
    assert not RegistryAlert.objects.filter(recipient=bystander).exists()
    # each alert also asks the notifications app to tell that consumer (in-app, live, e-mail)
    asked = OutboxEvent.objects.filter(type="notification.requested").order_by("created_at")
    assert [(e.payload["kind"], e.payload["recipient_ids"], e.payload["text"]) for e in asked] == [
        ("api_alert", [consumer.pk], "Pets (down): Pets is down (HTTP 500)."),
        ("api_alert", [consumer.pk], "Pets (up): Pets is back up."),
    ]
    api.refresh_from_db()
    assert api.health_state == "up"
    from nexus.registry import selectors

    assert selectors.uptime(api=api) == {"24h": 66.67, "7d": 66.67}


def test_a_cycle_does_not_start_while_another_holds_the_lock(local_server):
    server = local_server()
    RegisteredApiFactory(health_url=server.url("/health"))
    cache.add("registry:health-cycle", "someone-else", timeout=60)
    try:
        assert services.health_check_run() is None
        assert not HealthCheck.objects.exists() and server.requests == []
    finally:
        cache.delete("registry:health-cycle")
    assert tasks.registry_health_check()["checked"] == 1  # the lock is free again
    assert cache.get("registry:health-cycle") is None


def test_old_checks_are_pruned(local_server, settings):
    server = local_server()
    api = RegisteredApiFactory(health_url=server.url("/health"))
    now = timezone.now()
    old = HealthCheck.objects.create(api=api, checked_at=now - timedelta(days=9), ok=True)
    kept = HealthCheck.objects.create(api=api, checked_at=now - timedelta(days=6), ok=False)

    services.health_check_run(now=now)

    assert not HealthCheck.objects.filter(pk=old.pk).exists()
    assert HealthCheck.objects.filter(pk=kept.pk).exists() and HealthCheck.objects.count() == 2


def test_the_badge_is_valid_svg_with_state_and_cache_headers(api_client, client_for):
    api = RegisteredApiFactory(name="Pets", slug="pets", health_state="up")
    now = timezone.now()
    HealthCheck.objects.create(api=api, checked_at=now, ok=True)
    HealthCheck.objects.create(api=api, checked_at=now, ok=False)
    RegisteredApiFactory(slug="secret", visibility="private")

    response = api_client.get("/api/v1/apis/pets/badge.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=60"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["Pets", "up 50%"]
    assert "#3fb950" in response.content.decode()
    hidden = api_client.get("/api/v1/apis/secret/badge.svg")
    assert hidden.status_code == 404
    hidden_svg = ET.fromstring(hidden.content)  # noqa: S314 - our own output
    assert [t.text for t in hidden_svg.iter("{http://www.w3.org/2000/svg}text")] == ["api", "unknown"]
    down = RegisteredApiFactory(name="<Down & out>", slug="down", health_state="down")
    svg = api_client.get(f"/api/v1/apis/{down.slug}/badge.svg").content.decode()
    assert "&lt;Down &amp; out&gt;" in svg and "#e5534b" in svg
    ET.fromstring(svg)  # noqa: S314 - our own output


def test_schemas_that_change_between_refreshes_alert_only_consumers_of_what_changed(local_server):
    from nexus.registry.tests.conftest import as_json, pets

    v1 = pets()
    v2 = pets()
    v2["components"]["schemas"]["PetInput"]["required"].append("kind")  # POST /pets/ breaks
    v2["paths"]["/pets/"]["get"]["summary"] = "Pets, newest first"  # GET /pets/ changes compatibly
    server = local_server()
    server.answer(Reply(200, as_json(v1)), Reply(200, as_json(v1)), Reply(200, as_json(v2)))
    owner = UserFactory()
    api = services.api_create(
        actor=owner,
        name="Pets",
        base_url="https://pets.example.com",
        schema_url=server.url("/schema"),
        visibility="public",
    )
    creator = ApiConsumerFactory(api=api, operations=["POST /pets/"]).user
    lister = ApiConsumerFactory(api=api, operations=["GET /pets/"]).user
    reader = ApiConsumerFactory(api=api, operations=["GET /pets/{id}/"]).user

    assert tasks.registry_schemas_refresh() == {"checked": 1, "new_versions": 0, "failed": 0}
    assert tasks.registry_schemas_refresh() == {"checked": 1, "new_versions": 1, "failed": 0}

    assert list(RegistryAlert.objects.filter(recipient=creator).values_list("kind", flat=True)) == ["breaking"]
    breaking = RegistryAlert.objects.get(recipient=creator)
    assert [(c["kind"], c["operation"]) for c in breaking.diff] == [("required_field_added", "POST /pets/")]
    assert list(RegistryAlert.objects.filter(recipient=lister).values_list("kind", flat=True)) == ["changed"]
    assert not RegistryAlert.objects.filter(recipient=reader).exists()
    # the notifications carry each consumer's own changes, and go to those consumers only
    asked = {
        tuple(e.payload["recipient_ids"]): e.payload["text"]
        for e in OutboxEvent.objects.filter(type="notification.requested")
    }
    assert set(asked) == {(creator.pk,), (lister.pk,)}
    assert "(breaking)" in asked[(creator.pk,)] and breaking.diff[0]["message"] in asked[(creator.pk,)]
    assert "(changed)" in asked[(lister.pk,)]
    server.answer(Reply(500, b"oops"))
    assert tasks.registry_schemas_refresh() == {"checked": 1, "new_versions": 0, "failed": 1}
    api.refresh_from_db()
    assert api.schema_error == "The schema URL answered HTTP 500, not 200."
