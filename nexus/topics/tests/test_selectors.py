"""Reads: lists, one topic, recognition, and the per-process recognizer cache."""

import pytest
from django.core.cache import cache
from django.http import Http404

from nexus.topics import selectors, services, taxonomy
from nexus.topics.models import Topic
from nexus.topics.recognizer import Term
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory


@pytest.fixture
def topics(db):
    python = TopicFactory(slug="python", name="Python")
    django = TopicFactory(slug="django", name="Django", parent=python)
    orm = TopicFactory(slug="django-orm", name="Django ORM", parent=django)
    drf = TopicFactory(slug="drf", name="Django REST Framework", parent=django)
    caching = TopicFactory(slug="caching", name="Caching", kind=Topic.Kind.CONCEPT)
    go = TopicFactory(slug="go", name="Go", case_sensitive=True)
    TopicAliasFactory(topic=drf, name="DRF")
    TopicAliasFactory(topic=drf, name="REST framework")
    TopicAliasFactory(topic=go, name="Golang")
    return {t.slug: t for t in (python, django, orm, drf, caching, go)}


def slugs(qs) -> list[str]:
    return [t.slug for t in qs]


def test_list_is_ordered_by_name(topics):
    assert slugs(selectors.topic_list()) == ["caching", "django", "django-orm", "drf", "go", "python"]


def test_list_filters_by_kind_and_parent(topics):
    assert slugs(selectors.topic_list(kind="concept")) == ["caching"]
    assert slugs(selectors.topic_list(parent="django")) == ["django-orm", "drf"]
    assert slugs(selectors.topic_list(parent="nope")) == []
    assert slugs(selectors.topic_list(kind="concept", parent="django")) == []


def test_q_matches_a_name_or_an_alias_in_any_case_once(topics):
    assert slugs(selectors.topic_list(q="DJANGO")) == ["django", "django-orm", "drf"]
    assert slugs(selectors.topic_list(q="lang")) == ["go"]
    # "drf" is in the slug only; "r" is in the name and in both aliases of drf
    assert slugs(selectors.topic_list(q="drf")) == ["drf"]
    assert slugs(selectors.topic_list(q="r")) == ["django-orm", "drf"]


def test_list_loads_parents_and_aliases_in_two_queries(topics, django_assert_num_queries):
    for size in (1, 3, 6):
        with django_assert_num_queries(2):
            rows = [(t.slug, t.parent and t.parent.slug, [a.name for a in t.aliases.all()]) for t in
                    selectors.topic_list()[:size]]  # fmt: skip
        assert len(rows) == size
    assert rows[3] == ("drf", "django", ["DRF", "REST framework"])


def test_get_loads_parent_aliases_and_children_in_three_queries(topics, django_assert_num_queries):
    with django_assert_num_queries(3):
        django = selectors.topic_get(slug="django")
        loaded = (django.parent.slug, list(django.aliases.all()), [c.slug for c in django.children.all()])

    assert loaded == ("python", [], ["django-orm", "drf"])


def test_get_unknown_slug_is_404(db):
    with pytest.raises(Http404) as raised:
        selectors.topic_get(slug="cobol")

    assert str(raised.value) == 'No topic with the slug "cobol".'


def test_recognize_returns_topics_in_order_of_mention(topics):
    found = selectors.topic_recognize(text="Caching in DRF, written in Go (or golang), goes with Django REST framework")

    assert found == [topics["caching"], topics["drf"], topics["go"]]
    assert selectors.topic_recognize(text="nothing here") == []


def test_recognizer_terms_are_names_then_aliases(topics):
    assert selectors.recognizer_terms() == [
        Term("Caching", "caching", False),
        Term("Django", "django", False),
        Term("Django ORM", "django-orm", False),
        Term("Django REST Framework", "drf", False),
        Term("Go", "go", True),
        Term("Python", "python", False),
        Term("DRF", "drf", False),
        Term("REST framework", "drf", False),
        Term("Golang", "go", False),
    ]


def test_recognizer_is_built_once_per_version(topics, django_assert_num_queries):
    first = selectors.recognizer()

    with django_assert_num_queries(0):
        assert selectors.recognizer() is first

    services.recognizer_invalidate()
    with django_assert_num_queries(2):  # names, aliases
        rebuilt = selectors.recognizer()
    assert rebuilt is not first
    assert selectors.recognizer() is rebuilt


def test_recognizer_is_rebuilt_when_the_cache_loses_the_version(topics):
    first = selectors.recognizer()
    TopicFactory(slug="redis", name="Redis")
    assert first.find("Redis") == []

    cache.clear()

    assert selectors.recognizer() is not first
    assert selectors.recognizer().find("Redis") == ["redis"]


def test_another_process_sees_a_sync_through_the_shared_version(topics):
    first = selectors.recognizer()
    # Another process synced: the version in the shared cache moved on.
    cache.incr(selectors.RECOGNIZER_VERSION_KEY)

    assert selectors.recognizer() is not first


def test_without_a_working_cache_the_recognizer_is_rebuilt_each_time(topics, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    first = selectors.recognizer()

    assert selectors.recognizer() is not first
    assert first.find("DRF") == ["drf"]


@pytest.mark.usefixtures("taxonomy")
def test_synced_recognizer_has_every_term_of_the_file():
    specs = taxonomy.read(taxonomy.DEFAULT_PATH)

    assert sorted(selectors.recognizer().terms) == sorted(taxonomy.terms(specs))


def test_topic_with_descendants_walks_the_whole_subtree(taxonomy):
    from nexus.topics.models import Topic

    ids = selectors.topic_with_descendants(slug="django")
    slugs = set(Topic.objects.filter(pk__in=ids).values_list("slug", flat=True))

    assert {"django", "django-orm", "drf"} <= slugs
    assert "flask" not in slugs
    assert selectors.topic_with_descendants(slug="no-such-topic") == []
