"""Registry pages: the list with live status, the detail with operations and changelog, consuming (htmx)."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.registry import services
from nexus.registry.models import ApiConsumer, HealthCheck, RegisteredApi
from nexus.registry.tests.conftest import pets
from nexus.registry.tests.factories import ApiConsumerFactory, RegisteredApiFactory


@pytest.fixture
def page_client():
    def make(user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def pets_api(db):
    owner = UserFactory(username="backender")
    api = services.api_create(
        actor=owner,
        name="Pets API",
        slug="pets",
        base_url="https://pets.example.com",
        schema_text=json.dumps(pets()),
        health_url="https://pets.example.com/health/",
        visibility=RegisteredApi.Visibility.PUBLIC,
    )
    document = pets()
    del document["paths"]["/pets/{id}/"]["delete"]  # breaking: an operation removed
    document["paths"]["/owners/"] = {"get": {"operationId": "owners_list", "responses": {"200": {"description": "ok"}}}}
    services.api_update(actor=owner, slug="pets", schema_text=json.dumps(document))
    now = timezone.now()
    for minutes, ok in ((5, True), (10, True), (15, False), (20, True)):
        HealthCheck.objects.create(
            api=api, checked_at=now - timedelta(minutes=minutes), ok=ok, status_code=200 if ok else 503, latency_ms=40
        )
    RegisteredApi.objects.filter(pk=api.pk).update(health_state="up", last_checked_at=now - timedelta(minutes=5))
    return RegisteredApi.objects.get(pk=api.pk)


def test_the_list_shows_status_badge_uptime_and_operations(page_client, pets_api):
    RegisteredApiFactory(name="Secret", visibility=RegisteredApi.Visibility.PRIVATE)

    response = page_client().get("/registry/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="api-pets"' in html
    assert f'src="/api/v1/apis/pets/badge.svg?v={int(pets_api.last_checked_at.timestamp())}"' in html
    assert 'alt="Status: Up"' in html
    assert "<dt>24 h</dt><dd>75%</dd>" in html
    assert "6 operations" in html
    assert "Secret" not in html


def test_the_list_query_count_is_flat(page_client, db, django_assert_num_queries):
    for api in RegisteredApiFactory.create_batch(5):
        HealthCheck.objects.create(api=api, checked_at=timezone.now(), ok=True)
    viewer = UserFactory()
    client = page_client(viewer)

    # session, user, count, page, uptimes, operation counts, consumed
    with django_assert_num_queries(7):
        response = client.get("/registry/")

    assert response.content.decode().count('class="api-row"') == 5


def test_the_list_filters_by_text_and_by_what_i_consume(page_client, pets_api):
    other = RegisteredApiFactory(name="Weather API", description="Forecasts")
    me = UserFactory()
    ApiConsumerFactory(api=other, user=me)
    client = page_client(me)

    by_text = client.get("/registry/", {"q": "forecast"}, headers={"HX-Request": "true"})
    mine = client.get("/registry/", {"consumed": "1"}).content.decode()

    assert by_text.content.decode().count('class="api-row"') == 1
    assert "<html" not in by_text.content.decode()  # htmx gets the fragment only
    assert "Weather API" in mine and "Pets API" not in mine
    assert "You consume it" in mine


def test_the_detail_shows_operations_and_highlights_breaking_changes(page_client, pets_api, django_assert_num_queries):
    client = page_client(UserFactory())
    client.get("/")

    # session, user, api, uptime, operations, versions, checks, consumed
    with django_assert_num_queries(8):
        response = client.get("/registry/pets/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<span class="method method--get">GET</span> <code class="operation__path">/owners/</code>' in html
    assert 'class="version version--breaking" id="version-2"' in html
    breaking = '<span class="badge badge--down">Breaking</span> DELETE /pets/{id}/ was removed.'
    assert f'<li class="change change--breaking">{breaking}</li>' in html
    assert '<li class="change">GET /owners/ was added.</li>' in html
    assert "First version: 6 operations." in html
    assert html.count('<span class="badge badge--down">Down</span>') == 1
    assert 'hx-trigger="every 60s"' in html


def test_a_private_api_is_a_404_to_others(page_client, db):
    RegisteredApiFactory(slug="hidden", visibility=RegisteredApi.Visibility.PRIVATE)

    assert page_client(UserFactory()).get("/registry/hidden/").status_code == 404
    assert page_client().get("/registry/hidden/status/").status_code == 404


def test_the_status_fragment_polls_itself(page_client, pets_api):
    response = page_client().get("/registry/pets/status/?poll=1", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert 'id="status-pets"' in html
    assert "<dt>7 days</dt><dd>75%</dd>" in html


def test_consuming_and_stopping_with_htmx(page_client, pets_api):
    me = UserFactory()
    client = page_client(me)

    started = client.post("/registry/pets/subscription/", {"consume": "1"}, headers={"HX-Request": "true"})
    assert started.status_code == 200
    assert "✓ You consume it · Stop" in started.content.decode()
    assert ApiConsumer.objects.filter(api=pets_api, user=me, operations=[]).count() == 1

    stopped = client.post("/registry/pets/subscription/", {"consume": "0"}, headers={"HX-Request": "true"})
    again = client.post("/registry/pets/subscription/", {"consume": "0"}, headers={"HX-Request": "true"})

    assert "Consume this API" in stopped.content.decode()
    assert again.status_code == 200  # the state wanted already holds
    assert not ApiConsumer.objects.filter(api=pets_api, user=me).exists()


def test_consuming_without_htmx_redirects_back(page_client, pets_api):
    response = page_client(UserFactory()).post("/registry/pets/subscription/", {"consume": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/registry/pets/"


def test_consuming_needs_a_clear_wish_a_session_and_a_visible_api(page_client, pets_api):
    me = UserFactory()
    RegisteredApiFactory(slug="hidden", visibility=RegisteredApi.Visibility.PRIVATE)

    bad = page_client(me).post("/registry/pets/subscription/", {"consume": "yes"})
    anonymous = page_client().post("/registry/pets/subscription/", {"consume": "1"})
    hidden = page_client(me).post("/registry/hidden/subscription/", {"consume": "1"})

    assert (bad.status_code, bad.content) == (400, b"Send consume=1 or consume=0.")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert hidden.status_code == 404
    assert ApiConsumer.objects.count() == 0
