"""The notifications, preferences and follows REST contract, with pinned query counts."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nexus.accounts.tests.factories import UserFactory
from nexus.notifications.models import EmailMode, Kind, MemberFollow, Notification, TopicFollow
from nexus.notifications.tests.factories import MemberFollowFactory, NotificationFactory, TopicFollowFactory
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def _problem(response, status: int, detail: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"] == detail


# --- notifications ---------------------------------------------------------------------------------


def test_list_shows_your_notifications_newest_first_with_the_exact_shape(client_for):
    # given
    grace = UserFactory()
    ada = UserFactory(username="ada")
    older = NotificationFactory(recipient=grace, actor=ada)
    newer = NotificationFactory(
        recipient=grace,
        kind=Kind.SOLUTION_CONFIRMED,
        actor=None,
        target_type="entry",
        target_id=42,
        text="Someone says your solution worked",
        url="/api/v1/entries/42/",
        read_at=timezone.now(),
    )
    NotificationFactory()  # someone else's

    # when
    body = client_for(grace).get("/api/v1/notifications/").json()

    # then
    assert [n["id"] for n in body["results"]] == [newer.pk, older.pk]
    assert body["results"][1] == {
        "id": older.pk,
        "kind": "new_follower",
        "text": "ada started following you",
        "url": "/api/v1/members/ada/",
        "target": {"type": "member", "id": ada.pk},
        "actor": "ada",
        "event_id": str(older.event_id),
        "created_at": older.created_at.isoformat().replace("+00:00", "Z"),
        "read_at": None,
    }
    assert body["results"][0]["actor"] is None
    assert body["results"][0]["read_at"] == newer.read_at.isoformat().replace("+00:00", "Z")


def test_list_filters_unread_and_read(client_for):
    grace = UserFactory()
    unread = NotificationFactory(recipient=grace)
    read = NotificationFactory(recipient=grace, read_at=timezone.now())
    client = client_for(grace)

    assert [n["id"] for n in client.get("/api/v1/notifications/?unread=true").json()["results"]] == [unread.pk]
    assert [n["id"] for n in client.get("/api/v1/notifications/?unread=false").json()["results"]] == [read.pk]
    assert client.get("/api/v1/notifications/?unread=maybe").status_code == 400


def test_list_pages_with_a_cursor(client_for):
    grace = UserFactory()
    made = [NotificationFactory(recipient=grace) for _ in range(5)]
    client = client_for(grace)

    first = client.get("/api/v1/notifications/?page_size=2").json()
    second = client.get(first["next"]).json()

    assert [n["id"] for n in first["results"]] == [made[4].pk, made[3].pk]
    assert [n["id"] for n in second["results"]] == [made[2].pk, made[1].pk]


@pytest.mark.parametrize("page_size", [2, 20])
def test_list_query_count_is_constant(client_for, django_assert_num_queries, page_size):
    grace = UserFactory()
    for _ in range(6):
        NotificationFactory(recipient=grace)
    client = client_for(grace)

    # the member (authentication) and one page with each actor joined in
    with django_assert_num_queries(2):
        response = client.get(f"/api/v1/notifications/?page_size={page_size}")

    assert len(response.json()["results"]) == min(page_size, 6)


def test_notifications_are_for_signed_in_members_only(api_client):
    _problem(api_client.get("/api/v1/notifications/"), 401, "Authentication credentials were not provided.")
    assert api_client.post("/api/v1/notifications/read-all/").status_code == 401


def test_unread_count_mark_read_and_mark_all_read(client_for):
    # given
    grace = UserFactory()
    first, second, third = (NotificationFactory(recipient=grace) for _ in range(3))
    client = client_for(grace)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 3}

    # when one is read
    read = client.post(f"/api/v1/notifications/{first.pk}/read/")

    # then
    assert read.status_code == 200
    assert read.json()["id"] == first.pk and read.json()["read_at"] is not None
    assert client.post(f"/api/v1/notifications/{first.pk}/read/").json()["read_at"] == read.json()["read_at"]
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}

    # and all up to the second (the third arrived after the member looked)
    assert client.post("/api/v1/notifications/read-all/", {"up_to": second.pk}).json() == {"marked": 1, "unread": 1}
    assert client.post("/api/v1/notifications/read-all/", {}).json() == {"marked": 1, "unread": 0}
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert third.pk > second.pk


def test_another_members_notification_is_a_404(client_for):
    theirs = NotificationFactory()

    _problem(
        client_for(UserFactory()).post(f"/api/v1/notifications/{theirs.pk}/read/"),
        404,
        f"No notification {theirs.pk}.",
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- preferences -------------------------------------------------------------------------------------


def test_preferences_show_every_kind_and_change_some(client_for):
    grace = UserFactory()
    client = client_for(grace)
    url = "/api/v1/me/preferences/notifications/"

    assert client.get(url).json()["email"]["new_follower"] == "digest"
    response = client.patch(url, {"email": {"new_follower": "immediate", "mention": "off"}})

    assert response.status_code == 200
    assert response.json() == {
        "email": {
            "mention": "off",
            "reply": "immediate",
            "comment": "immediate",
            "solution_confirmed": "digest",
            "solution_verified": "immediate",
            "new_follower": "immediate",
            "followed_topic_entry": "digest",
            "api_alert": "immediate",
        }
    }
    assert client.get(url).json() == response.json()


def test_preferences_refuse_what_they_do_not_know(client_for):
    grace = UserFactory()

    response = client_for(grace).patch("/api/v1/me/preferences/notifications/", {"email": {"mention": "hourly"}})

    assert response.status_code == 400
    assert response.json()["errors"] == {"email": ["The e-mail mode of mention must be one of off, immediate, digest."]}
    assert client_for(grace).get("/api/v1/me/preferences/notifications/").json()["email"]["mention"] == "immediate"


# --- follows -----------------------------------------------------------------------------------------


def test_follow_and_unfollow_a_member(client_for):
    ada = UserFactory()
    grace = UserFactory(username="grace")
    client = client_for(ada)

    first = client.post("/api/v1/members/Grace/follow/")
    again = client.post("/api/v1/members/grace/follow/")
    gone = client.delete("/api/v1/members/grace/follow/")

    assert (first.status_code, first.json()) == (201, {"username": "grace", "following": True, "followers": 1})
    assert (again.status_code, again.json()) == (200, {"username": "grace", "following": True, "followers": 1})
    assert (gone.status_code, gone.json()) == (200, {"username": "grace", "following": False, "followers": 0})
    assert client.delete("/api/v1/members/grace/follow/").status_code == 200
    assert not MemberFollow.objects.filter(followed=grace).exists()


def test_following_yourself_or_nobody_is_refused(client_for, api_client):
    ada = UserFactory(username="ada")
    client = client_for(ada)

    _problem(client.post("/api/v1/members/ada/follow/"), 400, "You cannot follow yourself.")
    assert client.post("/api/v1/members/ada/follow/").json()["code"] == "self_follow"
    _problem(client.post("/api/v1/members/nobody/follow/"), 404, "No member 'nobody'.")
    assert api_client.post("/api/v1/members/ada/follow/").status_code == 401
    assert not MemberFollow.objects.exists()


def test_follow_and_unfollow_a_topic(client_for):
    TopicFactory(slug="django")
    client = client_for(UserFactory())

    first = client.post("/api/v1/topics/django/follow/")
    gone = client.delete("/api/v1/topics/django/follow/")

    assert (first.status_code, first.json()) == (201, {"topic": "django", "following": True, "followers": 1})
    assert (gone.status_code, gone.json()) == (200, {"topic": "django", "following": False, "followers": 0})
    _problem(client.post("/api/v1/topics/nope/follow/"), 404, "No topic 'nope'.")
    assert not TopicFollow.objects.exists()


def test_my_follows_and_followers(client_for):
    # given
    ada = UserFactory(username="ada")
    grace = UserFactory(username="grace")
    linus = UserFactory(username="linus")
    MemberFollowFactory(follower=ada, followed=grace)
    MemberFollowFactory(follower=linus, followed=ada)
    django = TopicFactory(slug="django", name="Django")
    follow = TopicFollowFactory(follower=ada, topic=django)
    client = client_for(ada)

    # when
    members = client.get("/api/v1/me/follows/members/").json()["results"]
    topics = client.get("/api/v1/me/follows/topics/").json()["results"]
    followers = client.get("/api/v1/me/followers/").json()["results"]

    # then
    assert [(m["member"]["username"], m["member"]["display_name"]) for m in members] == [
        ("grace", grace.profile.display_name)
    ]
    assert topics == [
        {
            "topic": {"slug": "django", "name": "Django", "kind": "technology"},
            "since": follow.created_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    assert [m["member"]["username"] for m in followers] == ["linus"]


@pytest.mark.parametrize("page_size", [2, 20])
@pytest.mark.parametrize("path", ["/api/v1/me/follows/members/", "/api/v1/me/follows/topics/", "/api/v1/me/followers/"])
def test_follow_lists_query_count_is_constant(client_for, django_assert_num_queries, page_size, path):
    me = UserFactory()
    for _ in range(5):
        MemberFollowFactory(follower=me)
        MemberFollowFactory(followed=me)
        TopicFollowFactory(follower=me)
    client = client_for(me)

    # the member (authentication) and one page with the member or topic joined in
    with django_assert_num_queries(2):
        response = client.get(f"{path}?page_size={page_size}")

    assert len(response.json()["results"]) == min(page_size, 5)


def test_email_mode_in_notifications_follows_the_preference_at_the_time(client_for, django_capture_on_commit_callbacks):
    ada, grace = UserFactory(), UserFactory()
    client_for(grace).patch("/api/v1/me/preferences/notifications/", {"email": {"new_follower": "off"}})

    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(ada).post(f"/api/v1/members/{grace.username}/follow/").status_code == 201

    assert Notification.objects.get(recipient=grace).email == EmailMode.OFF
    assert client_for(grace).get("/api/v1/notifications/unread-count/").json() == {"unread": 1}
