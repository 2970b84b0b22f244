"""Local HTTP servers for the registry's outgoing requests, short budgets, and a sample schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from nexus.core.tests.servers import fake_dns, local_server  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _apis_are_local(settings):
    """The APIs in these tests listen on 127.0.0.1, which only this setting lets through."""
    settings.NEXUS_OUTBOUND_ALLOW_LOOPBACK = True
    settings.REGISTRY_HEALTH_CONNECT_TIMEOUT = 1.0
    settings.REGISTRY_HEALTH_READ_TIMEOUT = 1.0
    settings.REGISTRY_HEALTH_TOTAL_TIMEOUT = 1.5
    settings.REGISTRY_FETCH_TIMEOUT_SECONDS = 3.0


PETS: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1.0.0"},
    "paths": {
        "/pets/": {
            "get": {
                "operationId": "pets_list",
                "summary": "List pets",
                "parameters": [{"name": "cursor", "in": "query", "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "A page of pets",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "next": {"type": "string", "nullable": True},
                                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                                    },
                                }
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "pets_create",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PetInput"}}},
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    }
                },
            },
        },
        "/pets/{id}/": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {
                "operationId": "pets_retrieve",
                "responses": {
                    "200": {
                        "description": "A pet",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    }
                },
            },
            "delete": {"operationId": "pets_destroy", "responses": {"204": {"description": "Gone"}}},
        },
        "/api/token/": {"post": {"operationId": "token_obtain", "responses": {"200": {"description": "Tokens"}}}},
        "/api/token/refresh/": {
            "post": {"operationId": "token_refresh", "responses": {"200": {"description": "A new access token"}}}
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog", "bird"]},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "Owner": {"type": "object", "properties": {"username": {"type": "string"}}},
            "PetInput": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "kind": {"type": "string"}},
            },
        }
    },
}


def pets() -> dict[str, Any]:
    """A deep copy of the sample schema (callers mutate it)."""
    return copy.deepcopy(PETS)


def as_json(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()
