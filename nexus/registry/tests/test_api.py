"""The registry's REST contract: registering, visibility, operations, consumers, versions, alerts."""

from __future__ import annotations

import json

import pytest
import yaml

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.tests.servers import Reply
from nexus.registry.models import ApiConsumer, ApiOperation, RegisteredApi, RegistryAlert
from nexus.registry.tests.conftest import pets
from nexus.registry.tests.factories import ApiConsumerFactory, RegisteredApiFactory

pytestmark = pytest.mark.django_db


def _register(client, **extra):
    body = {"name": "Pets", "base_url": "https://pets.example.com", "schema": pets(), "visibility": "public", **extra}
    return client.post("/api/v1/apis/", body, format="json")


def test_owner_registers_an_uploaded_schema_and_its_operations_are_browsable(client_for, user, api_client):
    response = _register(client_for(user))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["slug"], body["owner"], body["health_state"]) == ("pets", user.username, "unknown")
    detail = api_client.get("/api/v1/apis/pets/").json()
    assert detail["operation_count"] == 6
    assert detail["latest_version"]["number"] == 1 and detail["latest_version"]["title"] == "Pets"
    assert detail["uptime"] == {"last_24h": None, "last_7d": None}
    ops = api_client.get("/api/v1/apis/pets/operations/", {"method": "GET"}).json()["results"]
    assert [(o["key"], o["operation_id"]) for o in ops] == [
        ("GET /pets/", "pets_list"),
        ("GET /pets/{id}/", "pets_retrieve"),
    ]
    assert ops[1]["responses"]["200"]["schema"]["properties"]["owner"]["properties"] == {"username": {"type": "string"}}


def test_a_yaml_schema_by_url_is_fetched_through_the_guard(client_for, user, local_server):
    server = local_server()
    server.answer(Reply(200, yaml.safe_dump(pets()).encode(), {"Content-Type": "application/yaml"}))

    response = _register(client_for(user), schema=None, schema_url=server.url("/openapi.yaml"))

    assert response.status_code == 201, response.json()
    assert ApiOperation.objects.filter(api__slug="pets").count() == 6
    assert [r.path for r in server.requests] == ["/openapi.yaml"]


@pytest.mark.parametrize(
    ("schema", "detail"),
    [
        ("openapi: 3.0.0\npaths: [", "The schema is neither JSON nor YAML"),
        ({"swagger": "2.0", "paths": {}}, "This is a Swagger 2.0 document; Nexus reads OpenAPI 3.x"),
        ({"openapi": "3.0.0", "info": {}}, "`paths` must be an object"),
    ],
)
def test_a_bad_schema_is_a_400_problem_that_says_why(client_for, user, schema, detail):
    response = _register(client_for(user), schema=schema)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid_schema"
    assert detail in body["detail"] and detail in body["errors"]["schema"][0]
    assert not RegisteredApi.objects.exists()


def test_a_schema_url_that_fails_is_a_400_that_says_how(client_for, user, local_server):
    server = local_server()
    server.answer(Reply(404, b"nope"))

    response = _register(client_for(user), schema=None, schema_url=server.url("/schema/"))

    assert response.status_code == 400
    assert response.json()["detail"] == "The schema URL answered HTTP 404, not 200."


def test_a_private_base_url_is_refused_at_registration(client_for, user):
    response = _register(client_for(user), base_url="http://169.254.169.254/")

    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["reason"]) == ("url_not_allowed", "link_local")
    assert list(body["errors"]) == ["base_url"]


def test_no_schema_at_all_is_a_field_error(client_for, user):
    response = _register(client_for(user), schema=None)

    assert response.status_code == 400
    assert "schema" in response.json()["errors"]


def test_visibility_private_cohort_public(client_for, user):
    owner_membership = MembershipFactory(user=user)
    client = client_for(user)
    assert _register(client, name="Secret", visibility="private").status_code == 201
    assert _register(client, name="Class", visibility="cohort").status_code == 201
    assert _register(client, name="Open", visibility="public").status_code == 201
    classmate = MembershipFactory(cohort=owner_membership.cohort).user
    stranger = UserFactory()

    def seen(member):
        return sorted(a["slug"] for a in client_for(member).get("/api/v1/apis/").json()["results"])

    assert seen(user) == ["class", "open", "secret"]
    assert seen(classmate) == ["class", "open"]
    assert seen(stranger) == ["open"]
    assert seen(None) == ["open"]
    assert client_for(stranger).get("/api/v1/apis/secret/").status_code == 404
    assert client_for(stranger).get("/api/v1/apis/secret/operations/").status_code == 404


def test_only_the_owner_changes_or_deletes(client_for, user):
    _register(client_for(user))
    other = client_for(UserFactory())

    assert other.patch("/api/v1/apis/pets/", {"name": "Mine"}, format="json").status_code == 403
    assert other.delete("/api/v1/apis/pets/").status_code == 403
    assert client_for(user).patch("/api/v1/apis/pets/", {"name": "Pets v2"}, format="json").json()["name"] == "Pets v2"
    assert client_for(user).delete("/api/v1/apis/pets/").status_code == 204
    assert not RegisteredApi.objects.exists()


def test_reserved_slugs_are_not_given(client_for, user):
    assert _register(client_for(user), name="Alerts").json()["slug"] == "alerts-2"
    assert _register(client_for(user), name="X", slug="consumed").status_code == 400


def test_consumers_subscribe_to_operations_by_id_or_key(client_for, user):
    _register(client_for(user))
    member = UserFactory()
    client = client_for(member)

    response = client.post(
        "/api/v1/apis/pets/consumers/", {"operations": ["pets_list", "GET /pets/{id}/"]}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["operations"] == ["GET /pets/", "GET /pets/{id}/"]
    bad = client.post("/api/v1/apis/pets/consumers/", {"operations": ["pets_fly"]}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"]["operations"] == ["Pets has no operation 'pets_fly'."]
    whole = client.post("/api/v1/apis/pets/consumers/", {}, format="json")
    assert whole.json()["operations"] == []
    assert ApiConsumer.objects.count() == 1
    consumed = client.get("/api/v1/apis/consumed/").json()["results"]
    assert [(c["api"]["slug"], c["api"]["health_state"]) for c in consumed] == [("pets", "unknown")]
    owner_view = client_for(user).get("/api/v1/apis/pets/consumers/").json()["results"]
    assert [c["user"] for c in owner_view] == [member.username]
    assert client.get("/api/v1/apis/pets/consumers/").status_code == 403
    assert client.delete("/api/v1/apis/pets/consumers/").status_code == 204
    assert client.delete("/api/v1/apis/pets/consumers/").status_code == 404
    assert client.get("/api/v1/apis/consumed/").json()["results"] == []


def test_a_new_upload_is_a_version_with_a_diff_and_consumers_are_alerted(client_for, user):
    _register(client_for(user))
    list_user, detail_user, everything_user = UserFactory(), UserFactory(), UserFactory()
    client_for(list_user).post("/api/v1/apis/pets/consumers/", {"operations": ["pets_list"]}, format="json")
    client_for(detail_user).post("/api/v1/apis/pets/consumers/", {"operations": ["pets_destroy"]}, format="json")
    client_for(everything_user).post("/api/v1/apis/pets/consumers/", {}, format="json")
    schema = pets()
    del schema["paths"]["/pets/{id}/"]["delete"]

    updated = client_for(user).patch("/api/v1/apis/pets/", {"schema": json.dumps(schema)}, format="json")

    assert updated.status_code == 200
    versions = client_for(user).get("/api/v1/apis/pets/versions/").json()["results"]
    assert [(v["number"], v["breaking_count"]) for v in versions] == [(2, 1), (1, 0)]
    assert versions[0]["changes"][0]["kind"] == "operation_removed"
    diff = client_for(user).get("/api/v1/apis/pets/diff/", {"from_version": 1, "to_version": 2}).json()
    assert diff["breaking"] is True and [c["operation"] for c in diff["changes"]] == ["DELETE /pets/{id}/"]
    assert not RegistryAlert.objects.filter(recipient=list_user).exists()
    for member in (detail_user, everything_user):
        alerts = client_for(member).get("/api/v1/apis/alerts/").json()["results"]
        assert [(a["api"], a["kind"]) for a in alerts] == [("pets", "breaking")]
        assert alerts[0]["diff"][0]["operation"] == "DELETE /pets/{id}/"
    again = client_for(user).patch("/api/v1/apis/pets/", {"schema": schema}, format="json")
    assert again.status_code == 200
    assert len(client_for(user).get("/api/v1/apis/pets/versions/").json()["results"]) == 2  # same hash


def test_alerts_mark_read(client_for, user):
    api = RegisteredApiFactory()
    for kind in ("down", "up"):
        RegistryAlert.objects.create(recipient=user, api=api, kind=kind, message=kind)
    client = client_for(user)

    assert client.post("/api/v1/apis/alerts/read/", {}, format="json").json() == {"marked": 2}
    assert client.get("/api/v1/apis/alerts/", {"unread": "true"}).json()["results"] == []
    assert client_for(UserFactory()).get("/api/v1/apis/alerts/").json()["results"] == []


@pytest.mark.parametrize("page_size", [1, 5])
def test_list_query_counts_are_flat(client_for, user, django_assert_num_queries, page_size):
    apis = RegisteredApiFactory.create_batch(6)
    for api in apis:
        ApiConsumerFactory(api=api, user=user)
        RegistryAlert.objects.create(recipient=user, api=api, kind="down", message="down")
    client = client_for(user)
    client.get("/api/v1/apis/")  # warm the auth path
    # auth user lookup + page
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/apis/", {"page_size": page_size}).json()["results"]) == page_size
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/apis/consumed/", {"page_size": page_size}).json()["results"]) == page_size
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/apis/alerts/", {"page_size": page_size}).json()["results"]) == page_size


@pytest.mark.parametrize("page_size", [1, 4])
def test_operation_and_version_lists_query_counts(client_for, user, django_assert_num_queries, page_size):
    _register(client_for(user))
    client = client_for(user)
    # auth user + API lookup + page
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/apis/pets/operations/", {"page_size": page_size}).json()["results"]) == page_size
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/apis/pets/versions/", {"page_size": page_size}).json()["results"]) == 1
    with django_assert_num_queries(3):
        client.get("/api/v1/apis/pets/health/", {"page_size": page_size})


def test_filters_by_topic_owner_and_text(client_for, user, api_client):
    from nexus.topics.tests.factories import TopicFactory

    TopicFactory(slug="django")
    TopicFactory(slug="django-rest")
    _register(client_for(user), name="Pets", topics=["django"], description="Cats and dogs")
    _register(client_for(user), name="Books", topics=["django-rest"])
    other = UserFactory()
    _register(client_for(other), name="Maps")

    def slugs(**params):
        return sorted(a["slug"] for a in api_client.get("/api/v1/apis/", params).json()["results"])

    assert slugs(topic="django") == ["pets"]  # not django-rest
    assert slugs(owner=other.username) == ["maps"]
    assert slugs(q="dogs") == ["pets"]
    bad = _register(client_for(user), name="Nope", topics=["no-such-topic"])
    assert bad.status_code == 400 and bad.json()["errors"]["topics"] == ["Unknown topic(s): no-such-topic."]
