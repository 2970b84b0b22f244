"""Registry mutations: registering, changing and versioning APIs, consuming them, alerts --
the same services, rules and refusals as REST."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.core.tests.graphql_parity import assert_refused_like_rest
from nexus.core.tests.servers import Reply
from nexus.registry.models import ApiConsumer, ApiSchemaVersion, RegisteredApi, RegistryAlert
from nexus.registry.tests.conftest import as_json, pets
from nexus.registry.tests.factories import RegisteredApiFactory

pytestmark = pytest.mark.django_db

ERRORS = "errors { field messages code }"
REGISTER = f"""
mutation ($input: ApiCreateInput!) {{
  registerApi(input: $input) {{ api {{ slug name visibility healthState owner {{ username }} }} {ERRORS} }}
}}
"""
UPDATE = f"""
mutation ($api: ID!, $input: ApiUpdateInput!) {{ updateApi(api: $api, input: $input) {{ api {{ name }} {ERRORS} }} }}
"""
ADD_VERSION = f"""
mutation ($api: ID!, $schema: JSON!) {{ addApiVersion(api: $api, schema: $schema) {{ api {{ slug }} {ERRORS} }} }}
"""
REFRESH = f"""
mutation ($api: ID!) {{ refreshApiSchema(api: $api) {{ refresh {{ api {{ slug }} version {{ number }} }} {ERRORS} }} }}
"""
DELETE = f"mutation ($api: ID!) {{ deleteApi(api: $api) {{ deletedId {ERRORS} }} }}"
SUBSCRIBE = f"""
mutation ($api: ID!, $operations: [String!]) {{
  subscribeToApi(api: $api, operations: $operations) {{ consumption {{ api {{ slug }} operations }} {ERRORS} }}
}}
"""
UNSUBSCRIBE = f"mutation ($api: ID!) {{ unsubscribeFromApi(api: $api) {{ deletedId {ERRORS} }} }}"
ALERTS_READ = f"mutation ($ids: [ID!]) {{ markApiAlertsRead(ids: $ids) {{ result {{ marked }} {ERRORS} }} }}"


def _register(graphql, member, **extra):
    body = {"name": "Pets", "baseUrl": "https://pets.example.com", "schema": pets(), "visibility": "public", **extra}
    return graphql(REGISTER, {"input": body}, member=member)


def test_register_with_an_uploaded_schema_and_its_field_errors(graphql, user):
    created = _register(graphql, user)
    no_schema = _register(graphql, user, name="Nothing", schema=None)
    private_url = _register(graphql, user, name="Meta", baseUrl="http://169.254.169.254/")
    bad_schema = _register(graphql, user, name="Bad", schema={"openapi": "3.0.3"})

    assert created["data"]["registerApi"] == {
        "api": {"slug": "pets", "name": "Pets", "visibility": "public", "healthState": "unknown",
                "owner": {"username": user.username}},
        "errors": [],
    }  # fmt: skip
    assert ApiSchemaVersion.objects.get().operation_count == 6
    assert no_schema["data"]["registerApi"]["api"] is None
    assert [e["field"] for e in no_schema["data"]["registerApi"]["errors"]] == ["schema"]
    assert [(e["field"], e["code"]) for e in private_url["data"]["registerApi"]["errors"]] == [
        ("baseUrl", "url_not_allowed")
    ]
    assert [(e["field"], e["code"]) for e in bad_schema["data"]["registerApi"]["errors"]] == [
        ("schema", "invalid_schema")
    ]
    assert list(RegisteredApi.objects.values_list("slug", flat=True)) == ["pets"]


def test_only_the_owner_changes_versions_or_deletes_like_rest(graphql, client_for, user):
    _register(graphql, user)
    other = UserFactory()
    api = RegisteredApi.objects.get()

    assert client_for(other).patch("/api/v1/apis/pets/", {"name": "Mine"}, format="json").status_code == 403
    for query, field, variables in (
        (UPDATE, "updateApi", {"api": "pets", "input": {"name": "Mine"}}),
        (ADD_VERSION, "addApiVersion", {"api": "pets", "schema": pets()}),
        (REFRESH, "refreshApiSchema", {"api": "pets"}),
        (DELETE, "deleteApi", {"api": str(api.pk)}),
    ):
        assert_refused_like_rest(graphql(query, variables, member=other), 403, field=field)
    api.refresh_from_db()
    assert api.name == "Pets"

    renamed = graphql(UPDATE, {"api": str(api.pk), "input": {"name": "Pets v2"}}, member=user)
    assert renamed["data"]["updateApi"] == {"api": {"name": "Pets v2"}, "errors": []}
    deleted = graphql(DELETE, {"api": "pets"}, member=user)
    assert deleted["data"]["deleteApi"] == {"deletedId": "pets", "errors": []}
    assert not RegisteredApi.objects.exists()


def test_a_private_api_is_not_found_like_rest(graphql, client_for, user):
    _register(graphql, user, visibility="private")
    stranger = UserFactory()

    assert client_for(stranger).post("/api/v1/apis/pets/consumers/", {}, format="json").status_code == 404
    assert_refused_like_rest(graphql(SUBSCRIBE, {"api": "pets"}, member=stranger), 404, field="subscribeToApi")
    by_id = graphql(SUBSCRIBE, {"api": str(RegisteredApi.objects.get().pk)}, member=stranger)
    assert_refused_like_rest(by_id, 404, field="subscribeToApi")
    assert not ApiConsumer.objects.exists()


def test_a_new_version_diffs_and_alerts_consumers(graphql, user):
    _register(graphql, user)
    consumer = UserFactory()
    graphql(SUBSCRIBE, {"api": "pets", "operations": ["pets_destroy"]}, member=consumer)
    schema = pets()
    del schema["paths"]["/pets/{id}/"]["delete"]

    added = graphql(ADD_VERSION, {"api": "pets", "schema": schema}, member=user)
    same = graphql(ADD_VERSION, {"api": "pets", "schema": schema}, member=user)

    assert added["data"]["addApiVersion"] == {"api": {"slug": "pets"}, "errors": []}
    assert same["data"]["addApiVersion"]["errors"] == []
    assert list(ApiSchemaVersion.objects.values_list("number", "breaking_count")) == [(2, 1), (1, 0)]
    assert list(RegistryAlert.objects.filter(recipient=consumer).values_list("kind", flat=True)) == ["breaking"]


def test_refresh_a_schema_url(graphql, user, local_server):
    server = local_server()
    document = pets()
    server.handler = lambda request: Reply(200, as_json(document), headers={"Content-Type": "application/json"})
    registered = _register(graphql, user, schema=None, schemaUrl=server.url("/openapi.json"))
    assert registered["data"]["registerApi"]["errors"] == []

    unchanged = graphql(REFRESH, {"api": "pets"}, member=user)
    document["info"]["version"] = "2.0.0"
    changed = graphql(REFRESH, {"api": "pets"}, member=user)

    assert unchanged["data"]["refreshApiSchema"] == {
        "refresh": {"api": {"slug": "pets"}, "version": None},
        "errors": [],
    }
    assert changed["data"]["refreshApiSchema"]["refresh"]["version"] == {"number": 2}


def test_consume_by_operation_id_or_key_then_stop(graphql, user):
    _register(graphql, user)
    member = UserFactory()

    some = graphql(SUBSCRIBE, {"api": "pets", "operations": ["pets_list", "GET /pets/{id}/"]}, member=member)
    bad = graphql(SUBSCRIBE, {"api": "pets", "operations": ["pets_fly"]}, member=member)
    whole = graphql(SUBSCRIBE, {"api": "pets"}, member=member)
    stopped = graphql(UNSUBSCRIBE, {"api": "pets"}, member=member)
    again = graphql(UNSUBSCRIBE, {"api": "pets"}, member=member)

    assert some["data"]["subscribeToApi"] == {
        "consumption": {"api": {"slug": "pets"}, "operations": ["GET /pets/", "GET /pets/{id}/"]},
        "errors": [],
    }
    assert bad["data"]["subscribeToApi"] == {
        "consumption": None,
        "errors": [{"field": "operations", "messages": ["Pets has no operation 'pets_fly'."], "code": "invalid"}],
    }
    assert whole["data"]["subscribeToApi"]["consumption"]["operations"] == []
    assert stopped["data"]["unsubscribeFromApi"] == {"deletedId": "pets", "errors": []}
    assert_refused_like_rest(again, 404, field="unsubscribeFromApi")  # REST: 404 not_a_consumer
    assert not ApiConsumer.objects.exists()


def test_alerts_mark_read(graphql, user):
    api = RegisteredApiFactory()
    down, up = (RegistryAlert.objects.create(recipient=user, api=api, kind=k, message=k) for k in ("down", "up"))
    theirs = RegistryAlert.objects.create(recipient=UserFactory(), api=api, kind="down", message="down")

    one = graphql(ALERTS_READ, {"ids": [str(down.pk), str(theirs.pk)]}, member=user)
    rest = graphql(ALERTS_READ, {}, member=user)

    assert one["data"]["markApiAlertsRead"] == {"result": {"marked": 1}, "errors": []}
    assert rest["data"]["markApiAlertsRead"] == {"result": {"marked": 1}, "errors": []}
    theirs.refresh_from_db()
    assert theirs.read is False and RegistryAlert.objects.filter(recipient=user, read=False).count() == 0
    assert up.pk


def test_cohort_visibility_is_the_owners_cohort(graphql, user):
    MembershipFactory(user=user)
    created = _register(graphql, user, visibility="cohort")
    assert created["data"]["registerApi"]["api"]["visibility"] == "cohort"
    assert RegisteredApi.objects.get().cohort_id is not None
