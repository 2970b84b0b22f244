"""Reading OpenAPI 3 documents and classifying the changes between two of them."""

from __future__ import annotations

import json

import pytest
import yaml

from nexus.registry import openapi
from nexus.registry.tests.conftest import pets


def test_json_and_yaml_read_the_same_operations_with_refs_resolved():
    from_json = openapi.parse_schema(json.dumps(pets()))
    from_yaml = openapi.parse_schema(yaml.safe_dump(pets()))

    assert from_json.operations == from_yaml.operations
    assert from_json.sha256 == from_yaml.sha256
    assert sorted(from_json.operations) == [
        "DELETE /pets/{id}/",
        "GET /pets/",
        "GET /pets/{id}/",
        "POST /api/token/",
        "POST /api/token/refresh/",
        "POST /pets/",
    ]
    retrieve = from_json.operations["GET /pets/{id}/"]
    assert retrieve["operation_id"] == "pets_retrieve"
    assert retrieve["parameters"] == [
        {"name": "id", "in": "path", "required": True, "description": "", "schema": {"type": "integer"}}
    ]
    pet = retrieve["responses"]["200"]["schema"]
    assert pet["properties"]["owner"] == {"type": "object", "properties": {"username": {"type": "string"}}}
    create = from_json.operations["POST /pets/"]
    assert create["request_body"]["required"] is True
    assert create["request_body"]["schema"]["required"] == ["name"]


def test_a_circular_ref_is_kept_as_a_marker_not_followed_forever():
    doc = pets()
    doc["components"]["schemas"]["Owner"]["properties"]["pets"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Pet"},
    }
    op = openapi.parse_schema(json.dumps(doc)).operations["GET /pets/{id}/"]

    owner = op["responses"]["200"]["schema"]["properties"]["owner"]
    assert owner["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Pet", "circular": True}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "The schema is empty."),
        ("openapi: [3.0", "The schema is neither JSON nor YAML at line 1"),
        ('{"swagger": "2.0", "paths": {}}', "This is a Swagger 2.0 document"),
        ('{"openapi": "2.9", "paths": {}}', "`openapi` must be a 3.x version string"),
        ('{"openapi": "3.0.0"}', "`paths` must be an object"),
        ("[1, 2]", "The schema must be an object"),
        ('{"openapi": "3.0.0", "paths": {"pets": {}}}', "Path 'pets' must start with '/'."),
        (
            '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/nope"}}}}}}',
            "$ref '#/nope' points to nothing in the document.",
        ),
        (
            '{"openapi": "3.0.0", "paths": {"/a": {"get": {"responses": {"200": {"$ref": "other.yaml#/x"}}}}}}',
            "points outside the document",
        ),
        (
            '{"openapi": "3.0.0", "paths": {"/a": {"get": {"parameters": [{"in": "query"}]}}}}',
            "A parameter of GET /a has no `name` or `in`.",
        ),
    ],
)
def test_what_cannot_be_understood_is_named(raw, message):
    with pytest.raises(openapi.SchemaError) as caught:
        openapi.parse_schema(raw)

    assert message in str(caught.value)


def _diff(mutate):
    old = pets()
    new = pets()
    mutate(new)
    return openapi.diff_operations(
        openapi.parse_schema_document(old).operations, openapi.parse_schema_document(new).operations
    )


def _kinds(changes):
    return sorted((c["kind"], c["breaking"], c["operation"]) for c in changes)


def test_identical_documents_have_no_changes():
    assert _diff(lambda doc: None) == []


def test_removed_operation_is_breaking_and_added_one_is_not():
    def mutate(doc):
        del doc["paths"]["/pets/{id}/"]["delete"]
        doc["paths"]["/owners/"] = {"get": {"responses": {"200": {"description": "Owners"}}}}

    assert _kinds(_diff(mutate)) == [
        ("operation_added", False, "GET /owners/"),
        ("operation_removed", True, "DELETE /pets/{id}/"),
    ]


def test_parameters_required_breaks_optional_does_not():
    def mutate(doc):
        doc["paths"]["/pets/"]["get"]["parameters"] += [
            {"name": "species", "in": "query", "required": True, "schema": {"type": "string"}},
            {"name": "q", "in": "query", "schema": {"type": "string"}},
        ]

    changes = _diff(mutate)
    assert _kinds(changes) == [
        ("optional_parameter_added", False, "GET /pets/"),
        ("required_parameter_added", True, "GET /pets/"),
    ]
    assert changes[0]["message"] == "query parameter species: new and required."


def test_request_fields_and_response_fields():
    def mutate(doc):
        schemas = doc["components"]["schemas"]
        schemas["PetInput"]["properties"]["birthday"] = {"type": "string"}
        schemas["PetInput"]["required"].append("birthday")
        schemas["PetInput"]["properties"]["nickname"] = {"type": "string"}
        del schemas["Pet"]["properties"]["name"]
        schemas["Pet"]["properties"]["age"] = {"type": "integer"}

    kinds = _kinds(_diff(mutate))
    assert ("required_field_added", True, "POST /pets/") in kinds
    assert ("optional_field_added", False, "POST /pets/") in kinds
    # Pet is the answer of three operations: each loses `name` and gains `age`.
    for op in ("GET /pets/", "GET /pets/{id}/", "POST /pets/"):
        assert ("response_field_removed", True, op) in kinds
        assert ("response_field_added", False, op) in kinds
    assert len(kinds) == 8


def test_type_change_and_enum_value_removed_break():
    def mutate(doc):
        pet = doc["components"]["schemas"]["Pet"]["properties"]
        pet["id"] = {"type": "string"}
        pet["kind"]["enum"] = ["cat", "dog"]

    changes = [c for c in _diff(mutate) if c["operation"] == "GET /pets/{id}/"]
    assert [(c["kind"], c["breaking"], c["where"]) for c in changes] == [
        ("type_changed", True, "response 200.id"),
        ("enum_value_removed", True, "response 200.kind"),
    ]
    assert changes[0]["message"] == "response 200.id: type changed from integer to string."


def test_description_changes_are_not_breaking():
    def mutate(doc):
        doc["paths"]["/pets/"]["get"]["summary"] = "List the pets, newest first"

    assert _kinds(_diff(mutate)) == [("description_changed", False, "GET /pets/")]


def test_canonical_hash_ignores_key_order_and_spacing():
    a = json.dumps(pets())
    b = json.dumps(json.loads(a), indent=4, sort_keys=True)
    assert openapi.parse_schema(a).sha256 == openapi.parse_schema(b).sha256
