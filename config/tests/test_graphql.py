"""The GraphQL endpoint's wiring: authentication, limits, errors, introspection, GraphiQL, schema file."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
import strawberry
from django.contrib.staticfiles import finders
from django.test import override_settings
from rest_framework.test import APIClient

from config import schema as root
from config.tests.test_settings import _manage
from nexus.accounts import services as account_services
from nexus.core.graphql import NexusErrors
from nexus.core.management.commands.graphql_schema import schema_sdl

ROOT = Path(__file__).resolve().parents[2]
ME = "query { me { username email } }"


def _post(client: APIClient, query: str, **extra):
    return client.post("/graphql/", {"query": query}, format="json", **extra)


# --- authentication: the same credentials as REST ---------------------------------------------


@pytest.mark.django_db
def test_bearer_token_authenticates(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {account_services.token_pair_issue(user=user)['access']}")

    response = _post(client, ME)

    assert response.json() == {"data": {"me": {"username": user.username, "email": user.email}}}


@pytest.mark.django_db
def test_anonymous_is_nobody():
    assert _post(APIClient(), ME).json() == {"data": {"me": None}}


@pytest.mark.django_db
def test_refused_token_is_a_401_problem_like_rest():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    graphql = _post(client, ME)
    rest = client.get("/api/v1/me/")

    assert graphql.status_code == rest.status_code == 401
    assert graphql["Content-Type"] == "application/problem+json"
    assert graphql.json()["code"] == rest.json()["code"] == "token_not_valid"
    assert graphql["WWW-Authenticate"] == rest["WWW-Authenticate"]


@pytest.mark.django_db
def test_revoked_token_is_refused(user):
    access = account_services.token_pair_issue(user=user)["access"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    refresh = account_services.token_pair_issue(user=user)["refresh"]
    assert client.post("/api/v1/auth/logout/", {"refresh": refresh}, format="json").status_code == 204

    assert _post(client, ME).status_code == 401


@pytest.mark.django_db
def test_session_needs_the_csrf_token_like_rest(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    refused = _post(client, ME)
    client.get("/graphql/", HTTP_ACCEPT="text/html")  # GraphiQL sets the csrftoken cookie it sends back
    accepted = _post(client, ME, HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)

    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("CSRF Failed")
    assert accepted.json() == {"data": {"me": {"username": user.username, "email": user.email}}}


# --- limits -----------------------------------------------------------------------------------


def _nested(depth: int) -> str:
    query = "slug"
    for _ in range(depth):
        query = f"entries {{ hub {{ {query} }} }}"
    return f'query {{ hub(ref: "x") {{ {query} }} }}'


@pytest.mark.django_db
def test_depth_limit(settings):
    data = _post(APIClient(), _nested(6)).json()

    assert data["data"] is None
    limit = settings.GRAPHQL_MAX_DEPTH
    assert data["errors"][0]["message"] == f"'anonymous' exceeds maximum operation depth of {limit}"


@pytest.mark.django_db
def test_alias_limit(settings):
    aliases = " ".join(f"a{i}: me {{ username }}" for i in range(settings.GRAPHQL_MAX_ALIASES + 1))

    data = _post(APIClient(), f"query {{ {aliases} }}").json()

    assert data["errors"][0]["message"] == (
        f"{settings.GRAPHQL_MAX_ALIASES + 1} aliases found. Allowed: {settings.GRAPHQL_MAX_ALIASES}"
    )


@pytest.mark.django_db
def test_token_limit(settings):
    fields = " ".join("__typename" for _ in range(settings.GRAPHQL_MAX_TOKENS))

    data = _post(APIClient(), f"query {{ {fields} }}").json()

    assert data["errors"][0]["message"] == (
        f"Syntax Error: Document contains more than {settings.GRAPHQL_MAX_TOKENS} tokens. Parsing aborted."
    )


# --- errors -----------------------------------------------------------------------------------


@strawberry.type
class _Broken:
    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("secret internals /srv/nexus/db.py line 12")


@override_settings(GRAPHQL_MASK_ERRORS=True)
def test_unexpected_errors_are_masked():
    result = strawberry.Schema(query=_Broken, extensions=[NexusErrors]).execute_sync("{ boom }")

    assert [error.formatted for error in result.errors] == [
        {
            "message": "Unexpected error.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["boom"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "request_id": "-"},  # outside a request
        }
    ]


@override_settings(GRAPHQL_MASK_ERRORS=False)
def test_unexpected_errors_show_their_message_when_masking_is_off():
    result = strawberry.Schema(query=_Broken, extensions=[NexusErrors]).execute_sync("{ boom }")

    assert result.errors[0].message == "secret internals /srv/nexus/db.py line 12"
    assert "Traceback" not in str(result.errors[0].formatted)


@pytest.mark.django_db
def test_hidden_object_is_null_with_not_found():
    data = _post(APIClient(), 'query { hub(ref: "nope") { slug } }').json()

    assert data == {
        "data": {"hub": None},
        "errors": [
            {
                "message": "No hub 'nope'.",
                "locations": [{"line": 1, "column": 9}],
                "path": ["hub"],
                "extensions": {"code": "NOT_FOUND"},
            }
        ],
    }


@pytest.mark.django_db
def test_member_only_reads_need_a_member():
    data = _post(APIClient(), "query { notificationUnreadCount }").json()

    assert data["data"] is None
    assert data["errors"][0]["message"] == "Authentication credentials were not provided."
    assert data["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- introspection ----------------------------------------------------------------------------


def test_introspection_can_be_turned_off():
    with override_settings(GRAPHQL_INTROSPECTION=False):
        closed = strawberry.Schema(query=root.Query, extensions=root.extensions())
    with override_settings(GRAPHQL_INTROSPECTION=True):
        open_ = strawberry.Schema(query=root.Query, extensions=root.extensions())
    query = "{ __schema { queryType { name } } }"

    assert closed.execute_sync(query).errors[0].message == (
        "GraphQL introspection has been disabled, but the requested query contained the field '__schema'."
    )
    assert open_.execute_sync(query).data == {"__schema": {"queryType": {"name": "Query"}}}


def test_production_settings_turn_introspection_off():
    code = (
        "from config.schema import schema;"
        "r = schema.execute_sync('{ __schema { queryType { name } } }');"
        "print('closed' if r.errors else 'open')"
    )
    result = _manage("shell", "-c", code, SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="nexus.example.com")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "closed"


# --- tooling ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_graphiql_loads_only_same_origin_assets():
    response = APIClient().get("/graphql/", HTTP_ACCEPT="text/html")

    html = response.content.decode()
    references = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert response.status_code == 200
    assert "GraphiQL" in html
    assert len(references) == 5  # GraphiQL's CSS and JS, React, React DOM, the start-up script
    for ref in references:
        assert ref.startswith("/static/vendor/graphiql/"), ref
        assert finders.find(ref.removeprefix("/static/")) is not None, ref
    assert not re.search(r"https?://|//[a-z]", html.replace("http://www.w3.org", ""))


def test_schema_file_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")

    assert committed == schema_sdl(), "schema.graphql is out of date: run `make graphql-schema` and commit it."
