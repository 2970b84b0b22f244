"""The REST contract of /api/v1/topics/: status, exact payloads, exact errors, query counts."""

import pytest
from django.urls import reverse

from nexus.topics.models import Topic
from nexus.topics.tests.factories import TopicAliasFactory, TopicFactory

LIST = "/api/v1/topics/"


@pytest.fixture
def topics(db):
    python = TopicFactory(slug="python", name="Python", description="A language.")
    django = TopicFactory(slug="django", name="Django", parent=python, description="A web framework.")
    TopicFactory(slug="django-orm", name="Django ORM", parent=django)
    drf = TopicFactory(slug="drf", name="Django REST Framework", parent=django)
    TopicFactory(slug="caching", name="Caching", kind=Topic.Kind.CONCEPT)
    TopicAliasFactory(topic=drf, name="DRF")
    TopicAliasFactory(topic=drf, name="REST framework")
    TopicAliasFactory(topic=django, name="Django framework")


def get(client, url, **headers):
    return client.get(url, HTTP_X_REQUEST_ID="req-1", **headers)


def test_routes():
    assert reverse("api:topic-list") == "/api/v1/topics/"
    assert reverse("api:topic-detail", kwargs={"slug": "drf"}) == "/api/v1/topics/drf/"


def test_list_payload(api_client, topics):
    response = get(api_client, LIST)

    assert response.status_code == 200
    assert response.json() == {
        "next": None,
        "previous": None,
        "results": [
            {
                "slug": "caching",
                "name": "Caching",
                "kind": "concept",
                "description": "",
                "parent": None,
                "aliases": [],
            },
            {
                "slug": "django",
                "name": "Django",
                "kind": "technology",
                "description": "A web framework.",
                "parent": {"slug": "python", "name": "Python"},
                "aliases": ["Django framework"],
            },
            {
                "slug": "django-orm",
                "name": "Django ORM",
                "kind": "technology",
                "description": "",
                "parent": {"slug": "django", "name": "Django"},
                "aliases": [],
            },
            {
                "slug": "drf",
                "name": "Django REST Framework",
                "kind": "technology",
                "description": "",
                "parent": {"slug": "django", "name": "Django"},
                "aliases": ["DRF", "REST framework"],
            },
            {
                "slug": "python",
                "name": "Python",
                "kind": "technology",
                "description": "A language.",
                "parent": None,
                "aliases": [],
            },
        ],
    }


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("kind=concept", ["caching"]),
        ("kind=technology&parent=django", ["django-orm", "drf"]),
        ("parent=python", ["django"]),
        ("parent=nobody", []),
        ("q=framework", ["django", "drf"]),  # by alias; drf has two matching names, listed once
        ("q=ORM", ["django-orm"]),
        ("q=drf", ["drf"]),
        ("q=", ["caching", "django", "django-orm", "drf", "python"]),
    ],
)
def test_list_filters(api_client, topics, query, slugs):
    response = get(api_client, f"{LIST}?{query}")

    assert response.status_code == 200
    assert [t["slug"] for t in response.json()["results"]] == slugs


def test_list_refuses_bad_filters(api_client, topics):
    response = get(api_client, f"{LIST}?kind=tool&parent=not%20a%20slug")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad Request",
        "status": 400,
        "detail": 'kind: "tool" is not a valid choice.; parent: Enter a valid "slug" consisting of letters, '
        "numbers, underscores or hyphens.",
        "code": "validation_error",
        "instance": "/api/v1/topics/",
        "request_id": "req-1",
        "errors": {
            "kind": ['"tool" is not a valid choice.'],
            "parent": ['Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'],
        },
    }


def test_list_pages_through_everything_by_name(api_client, topics):
    seen, url, pages = [], f"{LIST}?page_size=2", 0
    while url:
        page = get(api_client, url).json()
        seen += [t["slug"] for t in page["results"]]
        url = page["next"]
        pages += 1

    assert pages == 3
    assert seen == ["caching", "django", "django-orm", "drf", "python"]


def test_list_ties_on_name_are_broken_by_slug(api_client, db):
    for slug in ("b-tie", "a-tie", "c-tie"):
        TopicFactory(slug=slug, name="Same name")

    seen, url = [], f"{LIST}?page_size=1"
    while url:
        page = get(api_client, url).json()
        seen += [t["slug"] for t in page["results"]]
        url = page["next"]

    assert seen == ["a-tie", "b-tie", "c-tie"]


@pytest.mark.parametrize("page_size", [1, 3, 20])
def test_list_query_count_is_constant(api_client, topics, django_assert_num_queries, page_size):
    # topics with their parent, aliases of the page
    with django_assert_num_queries(2):
        response = get(api_client, f"{LIST}?page_size={page_size}")

    assert len(response.json()["results"]) == min(page_size, 5)


def test_list_is_public_and_works_signed_in(auth_client, topics):
    response = get(auth_client, LIST)

    assert response.status_code == 200
    assert len(response.json()["results"]) == 5


def test_detail_payload(api_client, topics, django_assert_num_queries):
    # topic with its parent, aliases, children
    with django_assert_num_queries(3):
        response = get(api_client, "/api/v1/topics/django/")

    assert response.status_code == 200
    assert response.json() == {
        "slug": "django",
        "name": "Django",
        "kind": "technology",
        "description": "A web framework.",
        "parent": {"slug": "python", "name": "Python"},
        "aliases": ["Django framework"],
        "children": [{"slug": "django-orm", "name": "Django ORM"}, {"slug": "drf", "name": "Django REST Framework"}],
    }


def test_detail_of_a_root_topic_without_children(api_client, topics):
    response = get(api_client, "/api/v1/topics/caching/")

    assert response.json() == {
        "slug": "caching",
        "name": "Caching",
        "kind": "concept",
        "description": "",
        "parent": None,
        "aliases": [],
        "children": [],
    }


def test_detail_of_an_unknown_topic_is_a_404_problem(api_client, db):
    response = get(api_client, "/api/v1/topics/cobol/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": 'No topic with the slug "cobol".',
        "code": "not_found",
        "instance": "/api/v1/topics/cobol/",
        "request_id": "req-1",
    }


def test_topics_are_read_only(auth_client, topics):
    assert auth_client.post(LIST, {"slug": "x", "name": "X", "kind": "concept"}).status_code == 405
    assert auth_client.delete("/api/v1/topics/django/").status_code == 405


def test_schema_documents_the_topic_endpoints(api_client, db):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    listing = schema["paths"]["/api/v1/topics/"]["get"]
    detail = schema["paths"]["/api/v1/topics/{slug}/"]["get"]
    assert listing["tags"] == detail["tags"] == ["topics"]
    assert {p["name"] for p in listing["parameters"]} == {"cursor", "page_size", "kind", "q", "parent"}
    assert listing["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginatedTopicList"
    }
    assert set(listing["responses"]) == {"200", "400"}
    assert set(detail["responses"]) == {"200", "404"}
    assert detail["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TopicDetail"
    }
