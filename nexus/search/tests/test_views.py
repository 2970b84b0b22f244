"""The search page: highlighted results the viewer may read, facets, paging, fragments."""

from __future__ import annotations

import re

import pytest

from nexus.core.tests.web import build_world, htmx


@pytest.fixture
def world(db, django_capture_on_commit_callbacks, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    return build_world(django_capture_on_commit_callbacks)


def _text(response) -> str:
    """The page's text without tags (titles carry <mark> around the matched words)."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


def test_search_page_without_a_query_invites_one(world, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = world.client().get("/search/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="search-q" class="visually-hidden">' in html
    assert "Search everything your cohort wrote" in html


def test_results_are_highlighted_and_link_to_pages(world, django_assert_max_num_queries):
    client = world.client()
    with django_assert_max_num_queries(5):
        response = client.get("/search/?q=rabbitmq")
    html = response.content.decode()
    assert f'<a href="/entries/{world.challenge.pk}/">Celery tasks hanging behind <mark>RabbitMQ</mark></a>' in html
    assert 'href="/topics/rabbitmq/"' in html


def test_results_are_what_the_viewer_may_read(world):
    anonymous = _text(world.client().get("/search/?q=celery"))
    assert "Private Celery notes" not in anonymous and "Celery beat schedules" not in anonymous
    classmate = _text(world.client(world.ada).get("/search/?q=celery"))
    assert "Celery beat schedules" in classmate and "Private Celery notes" not in classmate
    assert "Private Celery notes" in _text(world.client(world.grace).get("/search/?q=celery"))


def test_facets_narrow_and_can_be_removed(world):
    client = world.client(world.ada)
    html = client.get("/search/?q=celery").content.decode()
    assert 'data-facet="kind" data-value="challenge"' in html
    assert 'href="/search/?q=celery&amp;kind=challenge"' in html
    narrowed = client.get("/search/?q=celery&kind=challenge").content.decode()
    assert "Celery tasks hanging behind RabbitMQ" in _text(client.get("/search/?q=celery&kind=challenge"))
    assert "beat schedules" not in narrowed
    assert 'href="/search/?q=celery" aria-current="true" data-facet="kind" data-value="challenge"' in narrowed
    assert "with the chosen filters" in narrowed


def test_topic_facets_show_topic_names(world):
    html = world.client(world.ada).get("/search/?q=celery").content.decode()
    assert 'data-facet="topic" data-value="rabbitmq"><span>RabbitMQ</span>' in html


def test_more_results_follow_a_cursor(world):
    client = world.client(world.ada)
    first = client.get("/search/?q=celery")
    cursor = first.context["result"].next_cursor
    assert cursor is None  # fewer than a page
    response = client.get("/search/?q=celery&cursor=not-a-cursor")
    assert response.status_code == 200 and "Invalid cursor." in response.content.decode()


def test_bad_filters_are_reported(world):
    html = world.client().get("/search/?q=celery&kind=spaceship").content.decode()
    assert "kind: Select a valid choice. spaceship is not one of the available choices." in html


def test_htmx_gets_the_results_fragment(world):
    response = world.client().get("/search/?q=django", **htmx())
    html = response.content.decode()
    assert "<html" not in html and 'id="results"' in html
    assert "HX-Request" in response["Vary"]


def test_each_kind_of_result_links_to_its_page():
    from nexus.search.selectors import Hit
    from nexus.search.views import page_url

    def hit(source: str, url: str, pk: int = 7) -> Hit:
        return Hit(source=source, id=pk, kind=source, title="t", title_html="t", snippet_html="", url=url, score=1.0)

    assert page_url(hit("entry", "/api/v1/entries/7/")) == "/entries/7/"
    assert page_url(hit("hub", "/api/v1/hubs/ada-be/")) == "/hubs/ada-be/"
    assert page_url(hit("topic", "/api/v1/topics/celery/")) == "/topics/celery/"
    assert page_url(hit("member", "/api/v1/members/ada/")) == "/@ada/"
    assert page_url(hit("problem", "/api/v1/problems/7/")) == "/knowledge/problems/7/"
    assert page_url(hit("api", "/api/v1/apis/weather/")) == "/registry/weather/"
