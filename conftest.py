"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os

import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

# CI explores the same examples on every run, so a red build is reproducible, never a dice roll;
# local runs keep drawing new examples to find new failures.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test gets its own media folder and an empty cache (throttles, denylist)."""
    from nexus.core.cache import local_clear

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    local_clear()
    yield
    cache.clear()
    local_clear()


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def user(db):
    from nexus.accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def auth_client(user) -> APIClient:
    """An API client signed in as `user` with a bearer access token."""
    from nexus.accounts import services

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.token_pair_issue(user=user)['access']}")
    return client


@pytest.fixture
def client_for():
    """Build an API client authenticated as any given member (or anonymous for None)."""
    from nexus.accounts import services

    def make(member) -> APIClient:
        client = APIClient()
        if member is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {services.token_pair_issue(user=member)['access']}")
        return client

    return make


@pytest.fixture
def taxonomy(db):
    """The topic taxonomy from the repo's data file, as `make run` loads it."""
    from nexus.topics import services

    services.topics_sync()


@pytest.fixture
def graphql():
    """Run a GraphQL operation over HTTP as a member (bearer token) or anonymously; the JSON answer."""
    from nexus.accounts import services

    tokens: dict[int, str] = {}  # one per member: issuing writes a row, which query counts would see

    def run(query: str, variables: dict | None = None, *, member=None, status: int = 200) -> dict:
        client = APIClient()
        if member is not None:
            if member.pk not in tokens:
                tokens[member.pk] = services.token_pair_issue(user=member)["access"]
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[member.pk]}")
        response = client.post("/graphql/", {"query": query, "variables": variables or {}}, format="json")
        assert response.status_code == status, response.content
        return response.json()

    return run
