"""Cached searches: served without recomputing, never stale after a write, never wider than the reader.

These tests commit for real (`transaction=True`): searches inside a transaction are not cached,
and the index version moves only when an index write commits.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from nexus.cohorts import services as cohort_services
from nexus.cohorts.models import Membership
from nexus.hubs import services as hub_services
from nexus.search import selectors
from nexus.search.models import SearchDocument

pytestmark = pytest.mark.django_db(transaction=True)

DEAD_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.2,
            "SOCKET_TIMEOUT": 0.2,
        },
    }
}


def ids(result) -> set[int]:
    return {h.id for h in result.hits}


def test_a_repeated_search_is_served_from_the_cache(world, django_assert_num_queries):
    anonymous = AnonymousUser()
    first = selectors.search(actor=anonymous, q="kestrel signals")

    with django_assert_num_queries(1):  # the page's marks, nothing else
        again = selectors.search(actor=anonymous, q="kestrel signals")

    assert again == first
    assert ids(first) == {world.public_entry.pk}


def test_a_member_s_cached_search_is_served_from_the_cache(world, django_assert_num_queries):
    selectors.search(actor=world.classmate, q="kestrel cohort")

    with django_assert_num_queries(1):
        again = selectors.search(actor=world.classmate, q="kestrel cohort")

    assert ids(again) == {world.cohort_entry.pk}


def test_the_next_page_comes_from_the_cache(world, django_assert_num_queries):
    first = selectors.search(actor=AnonymousUser(), q="kestrel", limit=2)

    with django_assert_num_queries(1):
        second = selectors.search(actor=AnonymousUser(), q="kestrel", limit=2, cursor=first.next_cursor)

    assert len(first.hits + second.hits) == 4
    assert not ids(first) & ids(second)


def test_no_stale_read_after_a_write(world):
    anonymous = AnonymousUser()
    before = selectors.search(actor=anonymous, q="kestrel", limit=100)
    assert before.total == 4

    # a new entry: found, counted and faceted by the next search
    entry = hub_services.entry_create(
        actor=world.owner, hub=world.public_hub.pk, kind="practice", title="Kestrel habits", status="published"
    )
    created = selectors.search(actor=anonymous, q="kestrel", limit=100)
    assert entry.pk in ids(created)
    assert created.total == 5
    assert ("practice", 1) in created.facets["kind"]
    assert dict(created.facets["author"])["ada"] == dict(before.facets["author"])["ada"] + 1

    # a changed title
    hub_services.entry_update(actor=world.owner, entry_id=entry.pk, data={"title": "Falcon habits"})
    assert entry.pk not in ids(selectors.search(actor=anonymous, q="kestrel", limit=100))
    assert ids(selectors.search(actor=anonymous, q="falcon")) == {entry.pk}

    # a hub made private takes its entries out of everyone else's results
    hub_services.hub_update(actor=world.owner, hub=world.public_hub.pk, data={"visibility": "private"})
    assert selectors.search(actor=anonymous, q="kestrel", limit=100).total == 0
    assert selectors.search(actor=anonymous, q="falcon").total == 0

    # a deleted entry
    hub_services.entry_delete(actor=world.owner, entry_id=entry.pk)
    assert selectors.search(actor=world.owner, q="falcon").total == 0


def test_joining_or_leaving_a_cohort_changes_a_cached_search(world):
    assert ids(selectors.search(actor=world.stranger, q="kestrel cohort")) == set()

    membership = cohort_services.membership_set(cohort=world.cohort, user=world.stranger)
    assert ids(selectors.search(actor=world.stranger, q="kestrel cohort")) == {world.cohort_entry.pk}

    Membership.objects.filter(pk=membership.pk).delete()
    assert ids(selectors.search(actor=world.stranger, q="kestrel cohort")) == set()


def test_cached_hits_are_checked_against_visibility_again(world):
    """Even a cached result that no write invalidated shows nothing the reader may not read."""
    anonymous = AnonymousUser()
    assert ids(selectors.search(actor=anonymous, q="kestrel signals")) == {world.public_entry.pk}

    # behind the services' back: no index write, so the cached matches stay current
    SearchDocument.objects.filter(source="entry", object_id=world.public_entry.pk).update(visibility="private")

    assert selectors.search(actor=anonymous, q="kestrel signals").hits == []


def test_a_search_inside_a_transaction_is_not_cached(world, django_assert_num_queries):
    with transaction.atomic():
        selectors.search(actor=AnonymousUser(), q="kestrel signals")

    # typo candidates, candidates, marks: computed again
    with django_assert_num_queries(3):
        selectors.search(actor=AnonymousUser(), q="kestrel signals")


def test_nothing_is_cached_when_disabled(world, settings, django_assert_num_queries):
    settings.SEARCH_CACHE_SECONDS = 0
    selectors.search(actor=AnonymousUser(), q="kestrel signals")

    with django_assert_num_queries(3):
        selectors.search(actor=AnonymousUser(), q="kestrel signals")


def test_search_works_with_the_cache_down(world, settings):
    settings.CACHES = DEAD_REDIS  # Django's setting_changed handler rebuilds the cache handlers
    anonymous = AnonymousUser()

    assert ids(selectors.search(actor=anonymous, q="kestrel signals")) == {world.public_entry.pk}
    entry = hub_services.entry_create(
        actor=world.owner, hub=world.public_hub.pk, kind="note", title="Kestrel signals again", status="published"
    )
    assert ids(selectors.search(actor=anonymous, q="kestrel signals")) == {world.public_entry.pk, entry.pk}
