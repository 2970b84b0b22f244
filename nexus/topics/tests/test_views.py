"""Topic pages: the taxonomy with what the viewer may read, and one topic's page."""

from __future__ import annotations

import pytest

from nexus.core.tests.web import build_world, htmx
from nexus.knowledge.models import ProblemLink
from nexus.topics.tests.factories import TopicFactory


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    return build_world(django_capture_on_commit_callbacks)


def test_index_groups_topics_by_kind_with_visible_entry_counts(world, django_assert_num_queries):
    TopicFactory(slug="code-review", name="Code review", kind="practice")
    with django_assert_num_queries(3):  # topics, their aliases, entry counts
        html = world.client().get("/topics/").content.decode()
    assert '<h2 id="kind-technology">Technologies <span' in html
    assert '<section aria-labelledby="kind-technology">' in html and '<section aria-labelledby="kind-practice">' in html
    # Anonymous: Ada's public challenge only (Linus's and Grace's hubs are hidden).
    assert '<a class="tag" href="/topics/celery/">Celery <span class="muted">· 1</span></a>' in html
    member = world.client(world.ada).get("/topics/").content.decode()
    assert '<a class="tag" href="/topics/celery/">Celery <span class="muted">· 3</span></a>' in member


def test_index_filters_by_alias_and_kind_over_htmx(world):
    client = world.client()
    part = client.get("/topics/?q=celery beat", **htmx()).content.decode()
    assert "<html" not in part and 'href="/topics/celery/"' in part and 'href="/topics/django/"' not in part
    assert "No topic matches" in client.get("/topics/?kind=practice", **htmx()).content.decode()


def test_topic_page_shows_entries_and_problems_the_viewer_may_read(world, django_assert_max_num_queries):
    problem = ProblemLink.objects.get(entry=world.challenge).problem
    with django_assert_max_num_queries(9):
        response = world.client().get("/topics/celery/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 id="topic-title">Celery</h1>' in html and "also known as celery beat" in html
    assert f'href="/entries/{world.challenge.pk}/"' in html
    assert "Private Celery notes" not in html and "Celery beat schedules" not in html
    assert f'href="/knowledge/problems/{problem.pk}/"' in html
    assert 'href="/search/?q=Celery&amp;topic=celery"' in html


def test_unknown_topic_is_404(world):
    assert world.client().get("/topics/no-such-topic/").status_code == 404


def test_following_a_topic_from_its_page(world):
    from nexus.notifications.models import TopicFollow

    page = world.client(world.ada).get("/topics/celery/").content.decode()
    assert 'hx-get="/topics/celery/follow/" hx-trigger="load"' in page
    client = world.client(world.ada)
    button = client.get("/topics/celery/follow/", **htmx()).content.decode()
    assert 'name="follow" value="1"' in button and "0 followers" in button
    followed = client.post("/topics/celery/follow/", {"follow": "1"}, **htmx()).content.decode()
    assert 'aria-pressed="true"' in followed and "1 follower" in followed
    client.post("/topics/celery/follow/", {"follow": "1"}, **htmx())
    assert TopicFollow.objects.filter(follower=world.ada, topic__slug="celery").count() == 1
    client.post("/topics/celery/follow/", {"follow": "0"})
    assert not TopicFollow.objects.filter(follower=world.ada).exists()
    anonymous = world.client()
    assert 'name="follow"' not in anonymous.get("/topics/celery/follow/").content.decode()
    assert anonymous.post("/topics/celery/follow/", {"follow": "1"}).status_code == 302
    assert client.post("/topics/nope/follow/", {"follow": "1"}).status_code == 404
