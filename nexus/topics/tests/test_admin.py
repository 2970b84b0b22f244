"""The topic admin (pytest-django's `admin_client`): lists, search, the alias inline, invalidation."""

import pytest

from nexus.topics import selectors
from nexus.topics.models import Topic
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory


@pytest.fixture
def django_topic(db):
    topic = TopicFactory(slug="django", name="Django")
    TopicAliasFactory(topic=TopicFactory(slug="drf", name="Django REST Framework", parent=topic), name="DRF")
    return topic


def form_data(**overrides) -> dict:
    data = {
        "slug": "celery",
        "name": "Celery",
        "kind": "technology",
        "parent": "",
        "description": "",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-0-name": "",
    }
    return {**data, **overrides}


def test_changelist_filters_and_searches_aliases(admin_client, django_topic):
    assert admin_client.get("/admin/topics/topic/?kind__exact=technology").status_code == 200

    response = admin_client.get("/admin/topics/topic/?q=drf")

    assert response.status_code == 200
    assert [t.slug for t in response.context["cl"].result_list] == ["drf"]


def test_add_with_an_alias_invalidates_the_recognizer(admin_client, django_topic, django_capture_on_commit_callbacks):
    assert selectors.recognizer().find("Celery and Flower") == []

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post("/admin/topics/topic/add/", form_data(**{"aliases-0-name": "Flower"}))

    assert response.status_code == 302
    assert list(Topic.objects.get(slug="celery").aliases.values_list("name", flat=True)) == ["Flower"]
    assert selectors.recognizer().find("Celery and Flower") == ["celery"]


def test_an_alias_of_another_topic_is_refused(admin_client, django_topic):
    response = admin_client.post("/admin/topics/topic/add/", form_data(**{"aliases-0-name": "drf"}))

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        'The alias "drf" is already a name or alias of "drf".'
    ]
    assert not Topic.objects.filter(slug="celery").exists()


def test_a_name_of_another_topic_is_refused(admin_client, django_topic):
    response = admin_client.post("/admin/topics/topic/add/", form_data(slug="django-2", name="DJANGO"))

    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        'The name "DJANGO" is already a name or alias of "django".'
    ]


def test_a_parent_cycle_is_refused(admin_client, django_topic):
    response = admin_client.post(
        f"/admin/topics/topic/{django_topic.pk}/change/",
        form_data(slug="django", name="Django", parent=Topic.objects.get(slug="drf").pk),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "parent": ["A topic cannot be under itself or one of the topics below it."]
    }


def test_an_alias_repeating_the_name_is_refused(admin_client, django_topic):
    response = admin_client.post("/admin/topics/topic/add/", form_data(**{"aliases-0-name": "CELERY"}))

    assert response.context["inline_admin_formsets"][0].formset.non_form_errors() == [
        'The alias "CELERY" repeats the name or another alias of this topic.'
    ]


def test_delete_invalidates_the_recognizer(admin_client, django_topic, django_capture_on_commit_callbacks):
    assert selectors.recognizer().find("Django") == ["django"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/topics/topic/{django_topic.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert selectors.recognizer().find("Django") == []
