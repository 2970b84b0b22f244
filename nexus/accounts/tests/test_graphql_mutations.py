"""`updateProfile`: `PATCH /api/v1/me/` over GraphQL -- the same serializer, service and errors."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.core.tests.graphql_parity import assert_refused_like_rest

pytestmark = pytest.mark.django_db

UPDATE = """
mutation ($input: ProfileUpdateInput!) {
  updateProfile(input: $input) {
    me { username email profile { displayName bio track githubUrl } }
    errors { field messages code }
  }
}
"""


def test_update_only_the_given_fields(graphql):
    ada = UserFactory(username="ada", email="ada@example.org")

    result = graphql(UPDATE, {"input": {"bio": "Backend learner", "track": "backend"}}, member=ada)

    me = result["data"]["updateProfile"]["me"]
    assert result["data"]["updateProfile"]["errors"] == []
    assert (me["username"], me["email"]) == ("ada", "ada@example.org")
    assert (me["profile"]["bio"], me["profile"]["track"]) == ("Backend learner", "backend")
    ada.profile.refresh_from_db()
    assert ada.profile.bio == "Backend learner"


def test_field_errors_from_the_serializer_and_the_service(graphql):
    UserFactory(email="taken@example.org")
    ada = UserFactory(email="ada@example.org")

    bad = graphql(UPDATE, {"input": {"githubUrl": "not a url", "track": "astronaut"}}, member=ada)
    taken = graphql(UPDATE, {"input": {"email": "TAKEN@example.org"}}, member=ada)

    assert bad["data"]["updateProfile"] == {
        "me": None,
        "errors": [
            {"field": "track", "messages": ['"astronaut" is not a valid choice.'], "code": "invalid_choice"},
            {"field": "githubUrl", "messages": ["Enter a valid URL."], "code": "invalid"},
        ],
    }
    assert taken["data"]["updateProfile"] == {
        "me": None,
        "errors": [{"field": "email", "messages": ["A member with that email already exists."], "code": "invalid"}],
    }
    ada.refresh_from_db()
    assert ada.email == "ada@example.org"


def test_anonymous_is_refused_like_rest(graphql, api_client):
    assert api_client.patch("/api/v1/me/", {"bio": "x"}, format="json").status_code == 401
    assert_refused_like_rest(graphql(UPDATE, {"input": {"bio": "x"}}), 401, field="updateProfile")
