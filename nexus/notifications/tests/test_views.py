"""The notifications menu and page: no query in the layout, the list on demand, mark read with the new count."""

import json

import pytest
from django.test import Client

from nexus.accounts.tests.factories import UserFactory
from nexus.notifications.models import Notification
from nexus.notifications.views import page_url


@pytest.fixture
def member(db):
    return UserFactory(username="ada")


def _notify(recipient, text, url="/api/v1/threads/7/"):
    import uuid

    return Notification.objects.create(recipient=recipient, kind="mention", text=text, url=url, event_id=uuid.uuid4())


@pytest.fixture
def client(member):
    client = Client()
    client.force_login(member)
    return client


def test_the_menu_lists_the_newest_with_page_links(client, member, django_assert_num_queries):
    for i in range(10):
        _notify(member, f"note {i}")

    with django_assert_num_queries(3):  # session, user, notifications
        response = client.get("/notifications/menu/", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert html.count('class="notif notif--unread"') == 8
    assert html.index("note 9") < html.index("note 2")
    assert 'href="/channels/threads/7/"' in html


def test_marking_one_read_answers_the_item_and_the_unread_count(client, member):
    first, _ = _notify(member, "a"), _notify(member, "b")

    response = client.post(f"/notifications/{first.pk}/read/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"nexus:unread": 1}
    assert 'class="notif"' in response.content.decode()
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_all_read(client, member):
    _notify(member, "a")
    _notify(member, "b")

    response = client.post("/notifications/read-all/", headers={"HX-Request": "true"})

    assert json.loads(response["HX-Trigger"]) == {"nexus:unread": 0}
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


def test_another_members_notification_is_a_404(client):
    theirs = _notify(UserFactory(), "not yours")

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_page_without_javascript(client, member):
    _notify(member, "hello")

    response = client.get("/notifications/")

    assert response.status_code == 200
    assert "hello" in response.content.decode()


@pytest.mark.parametrize(
    ("api", "page"),
    [
        ("/api/v1/threads/3/", "/channels/threads/3/"),
        ("/api/v1/entries/4/", "/entries/4/"),
        ("/api/v1/entries/4/comments/", "/entries/4/#comments"),
        ("/api/v1/members/ada/", "/@ada/"),
        ("/api/v1/apis/pets/", "/registry/pets/"),
        ("/api/v1/problems/5/", "/knowledge/problems/5/"),
        ("/elsewhere/", "/elsewhere/"),
    ],
)
def test_page_urls(api, page):
    assert page_url(api) == page
