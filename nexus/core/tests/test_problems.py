import pytest


@pytest.mark.django_db
def test_unknown_api_route_is_a_problem_document(client):
    response = client.get("/api/v1/no-such-thing/", HTTP_X_REQUEST_ID="r1")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "No resource at /api/v1/no-such-thing/.",
        "code": "not_found",
        "instance": "/api/v1/no-such-thing/",
        "request_id": "r1",
    }


@pytest.mark.django_db
def test_validation_errors_list_every_field(api_client):
    response = api_client.post("/api/v1/auth/register/", {"username": "x"}, format="json")

    body = response.json()
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert body["code"] == "validation_error"
    assert set(body["errors"]) == {"username", "email", "password"}
    assert body["detail"].startswith("username: ")


@pytest.mark.django_db
def test_malformed_json_is_a_problem_document(api_client):
    response = api_client.post("/api/v1/auth/token/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "parse_error"
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.django_db
def test_wrong_method_is_a_problem_document(api_client):
    response = api_client.put("/api/v1/programs/", {}, format="json")

    assert response.status_code == 405
    assert response.json()["detail"] == 'Method "PUT" not allowed.'
    assert response.json()["code"] == "method_not_allowed"
