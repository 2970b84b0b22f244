"""The readiness checklist against a real local backend: what passes, and the reason for what fails."""

from __future__ import annotations

import json
import time

import pytest

from nexus.core.tests.servers import Hang, Received, Reply
from nexus.registry import services
from nexus.registry.tests.conftest import as_json, pets

pytestmark = pytest.mark.django_db

FRONTEND = "https://app.example.com"


def _backend(local_server, *, schema: dict, docs: bool, cors: bool):
    server = local_server()

    def handler(request: Received):
        if request.path == "/openapi.json":
            return Reply(200, as_json(schema), {"Content-Type": "application/json"})
        if request.path == "/api/docs/" and docs:
            return Reply(200, b"<!doctype html><title>Swagger UI</title>", {"Content-Type": "text/html"})
        if request.method == "OPTIONS" and cors and request.headers.get("origin") == FRONTEND:
            return Reply(200, b"", {"Access-Control-Allow-Origin": FRONTEND, "Access-Control-Allow-Methods": "GET"})
        return Reply(404, b"not found")

    server.handler = handler
    return server


def _register(user, server):
    return services.api_create(
        actor=user, name="Pets", base_url=server.url("/"), schema_url=server.url("/openapi.json"), visibility="public"
    )


def test_a_ready_backend_scores_100(local_server, user, client_for):
    server = _backend(local_server, schema=pets(), docs=True, cors=True)
    _register(user, server)

    response = client_for(user).post("/api/v1/apis/pets/readiness/", {"origin": FRONTEND}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["score"] == 100 and (body["passed"], body["total"]) == (5, 5), body
    assert all(item["reason"] == "" for item in body["items"])
    preflight = [r for r in server.requests if r.method == "OPTIONS"]
    assert preflight[0].path == "/pets/" and preflight[0].headers["access-control-request-method"] == "GET"


def test_every_failed_item_says_why(local_server, user, client_for):
    schema = pets()
    del schema["paths"]["/api/token/refresh/"]
    schema["paths"]["/pets/"]["get"]["parameters"] = []
    schema["paths"]["/pets/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Pet"},
    }
    server = _backend(local_server, schema=schema, docs=False, cors=False)
    _register(user, server)

    body = client_for(user).post("/api/v1/apis/pets/readiness/", {"origin": FRONTEND}, format="json").json()

    reasons = {item["name"].split(":")[0]: item["reason"] for item in body["items"]}
    assert reasons["schema"] == ""
    assert reasons["docs"].startswith("No documentation page at /api/docs/ (HTTP 404)")
    assert reasons["auth"] == "The schema lacks a POST refresh endpoint (such as /api/token/refresh/)."
    assert reasons["lists"] == "Not paginated (no page/cursor/limit parameter, no next/results): GET /pets/."
    assert reasons["cors"] == "The preflight to /pets/ answered HTTP 404 with no Access-Control-Allow-Origin."
    assert (body["passed"], body["total"], body["score"]) == (1, 5, 30)


def test_an_unreachable_schema_fails_the_schema_item(local_server, user, client_for):
    server = _backend(local_server, schema=pets(), docs=True, cors=True)
    _register(user, server)
    server.handler = lambda request: Reply(200, b"{not json") if request.path == "/openapi.json" else Reply(404)

    body = client_for(user).post("/api/v1/apis/pets/readiness/", {}, format="json").json()

    schema_item = body["items"][0]
    assert schema_item["passed"] is False
    assert schema_item["reason"].startswith("The schema is not valid OpenAPI 3: The schema is neither JSON nor YAML")
    assert body["total"] == 4  # no origin: no CORS item


def test_a_bad_origin_is_a_400(local_server, user, client_for):
    server = _backend(local_server, schema=pets(), docs=True, cors=True)
    _register(user, server)

    response = client_for(user).post("/api/v1/apis/pets/readiness/", {"origin": "javascript:alert(1)"}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "invalid_origin"
    assert json.loads(response.content)["errors"] == {"origin": ["Not an origin."]}


@pytest.mark.parametrize(
    "origin", ["https://app.example.com/path", "ftp://app.example.com", "https://u@app.example.com"]
)
def test_only_an_origin_is_an_origin(local_server, user, client_for, origin):
    server = _backend(local_server, schema=pets(), docs=True, cors=True)
    _register(user, server)

    response = client_for(user).post("/api/v1/apis/pets/readiness/", {"origin": origin}, format="json")

    assert response.status_code == 400 and response.json()["code"] == "invalid_origin"


def test_a_hanging_backend_is_given_up_on_quickly(local_server, user, client_for):
    server = _backend(local_server, schema=pets(), docs=True, cors=True)
    _register(user, server)
    server.handler = lambda request: Hang(20)

    started = time.monotonic()
    body = client_for(user).post("/api/v1/apis/pets/readiness/", {}, format="json").json()

    assert time.monotonic() - started < 6  # schema + one docs path, 1.5 s each, not all six
    reasons = [item["reason"] for item in body["items"]]
    assert reasons[0].startswith("The schema URL did not answer:")
    assert reasons[1] == "No documentation page at /api/docs/ (timeout)."
    assert body["score"] == 0
