"""Registered APIs in the one search: found by name, operations and topics, by who may see them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.tests.factories import MembershipFactory
from nexus.registry import services
from nexus.registry.models import RegisteredApi
from nexus.registry.tests.conftest import as_json, pets
from nexus.search import selectors as search
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def found(actor, q, **filters) -> set[tuple[str, int]]:
    return {(h.source, h.id) for h in search.search(actor=actor, q=q, limit=100, **filters).hits}


def register(owner, *, name="Petstore", visibility="public", **fields) -> RegisteredApi:
    return services.api_create(
        actor=owner,
        name=name,
        base_url="https://pets.example.com",
        schema_text=as_json(pets()).decode(),
        visibility=visibility,
        **fields,
    )


@pytest.fixture
def owner(db):
    return MembershipFactory(user=UserFactory(username="grace")).user


def test_an_api_is_found_by_name_operation_and_topic_alias(owner, django_capture_on_commit_callbacks):
    TopicFactory(slug="jwt", name="JWT")
    with django_capture_on_commit_callbacks(execute=True):
        api = register(owner, topics=["jwt"], description="Adopt a pet, with tokens.")

    me = ("api", api.pk)
    assert me in found(AnonymousUser(), "petstore")
    assert me in found(AnonymousUser(), "token refresh")  # an operation's path and operationId
    assert me in found(AnonymousUser(), "pets_create")
    assert me in found(AnonymousUser(), "JWT")
    assert me in found(AnonymousUser(), "petstor")  # a typo
    assert found(AnonymousUser(), "petstore", kind="api") == {me}
    assert found(AnonymousUser(), "petstore", kind="hub") == set()


def test_search_shows_an_api_exactly_to_who_may_open_it(owner, django_capture_on_commit_callbacks):
    classmate = MembershipFactory(cohort=owner.memberships.get().cohort).user
    stranger = MembershipFactory().user
    with django_capture_on_commit_callbacks(execute=True):
        public = register(owner, name="Wombat public", visibility="public")
        cohort = register(owner, name="Wombat cohort", visibility="cohort")
        private = register(owner, name="Wombat private", visibility="private")

    def ids(actor):
        return {pk for source, pk in found(actor, "wombat") if source == "api"}

    assert ids(AnonymousUser()) == {public.pk}
    assert ids(stranger) == {public.pk}
    assert ids(classmate) == {public.pk, cohort.pk}
    assert ids(owner) == {public.pk, cohort.pk, private.pk}


def test_the_index_follows_updates_and_deletes(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api = register(owner, name="Narwhal feed")
    assert ("api", api.pk) in found(AnonymousUser(), "narwhal")

    with django_capture_on_commit_callbacks(execute=True):
        services.api_update(actor=owner, slug=api.slug, name="Walrus feed", visibility="private")
    assert found(AnonymousUser(), "narwhal") == set()
    assert found(AnonymousUser(), "walrus") == set()  # private now
    assert ("api", api.pk) in found(owner, "walrus")

    with django_capture_on_commit_callbacks(execute=True):
        services.api_delete(actor=owner, slug=api.slug)
    assert found(owner, "walrus") == set()
