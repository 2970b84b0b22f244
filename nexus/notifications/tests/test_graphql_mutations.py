"""Follow and notification mutations: the same services and refusals as REST."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.core.models import OutboxEvent
from nexus.core.tests.graphql_parity import assert_refused_like_rest
from nexus.notifications.models import MemberFollow, Notification, TopicFollow
from nexus.notifications.tests.factories import NotificationFactory
from nexus.topics.tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

FOLLOW = """
mutation ($u: String!) {
  followMember(username: $u) { state { member { username } following followers } errors { field messages code } }
}
"""
UNFOLLOW = "mutation ($u: String!) { unfollowMember(username: $u) { state { following followers } errors { field } } }"
FOLLOW_TOPIC = """
mutation ($s: String!) { followTopic(slug: $s) { state { topic { slug } following followers } errors { field } } }
"""
UNFOLLOW_TOPIC = "mutation ($s: String!) { unfollowTopic(slug: $s) { state { following followers } errors { field } } }"
MARK = "mutation ($id: ID!) { markNotificationRead(id: $id) { notification { databaseId readAt } errors { field } } }"
MARK_ALL = (
    "mutation ($upTo: ID) { markAllNotificationsRead(upTo: $upTo) { result { marked unread } errors { field } } }"
)
PREFERENCES = """
mutation ($email: [NotificationPreferenceInput!]!) {
  updateNotificationPreferences(email: $email) { preferences { kind email } errors { field messages } }
}
"""


def test_follow_and_unfollow_a_member(graphql):
    ada, grace = UserFactory(), UserFactory(username="grace")

    first = graphql(FOLLOW, {"u": "Grace"}, member=ada)
    again = graphql(FOLLOW, {"u": "grace"}, member=ada)
    gone = graphql(UNFOLLOW, {"u": "grace"}, member=ada)

    state = {"member": {"username": "grace"}, "following": True, "followers": 1}
    assert first["data"]["followMember"] == {"state": state, "errors": []}
    assert again["data"]["followMember"]["state"] == state
    assert gone["data"]["unfollowMember"] == {"state": {"following": False, "followers": 0}, "errors": []}
    assert not MemberFollow.objects.filter(followed=grace).exists()
    assert OutboxEvent.objects.filter(type="member.followed").count() == 1  # the same service, the same event


def test_following_yourself_nobody_or_anonymously_is_refused_like_rest(graphql, client_for):
    ada = UserFactory(username="ada")

    yourself = graphql(FOLLOW, {"u": "ada"}, member=ada)
    assert client_for(ada).post("/api/v1/members/ada/follow/").status_code == 400
    assert yourself["data"]["followMember"] == {
        "state": None,
        "errors": [{"field": "nonFieldErrors", "messages": ["You cannot follow yourself."], "code": "self_follow"}],
    }
    assert client_for(ada).post("/api/v1/members/nobody/follow/").status_code == 404
    assert_refused_like_rest(graphql(FOLLOW, {"u": "nobody"}, member=ada), 404, field="followMember")
    assert_refused_like_rest(graphql(FOLLOW, {"u": "ada"}), 401, field="followMember")
    assert not MemberFollow.objects.exists()


def test_follow_and_unfollow_a_topic(graphql):
    ada = UserFactory()
    topic = TopicFactory(slug="celery")

    followed = graphql(FOLLOW_TOPIC, {"s": "celery"}, member=ada)
    gone = graphql(UNFOLLOW_TOPIC, {"s": "celery"}, member=ada)

    assert followed["data"]["followTopic"] == {
        "state": {"topic": {"slug": "celery"}, "following": True, "followers": 1},
        "errors": [],
    }
    assert gone["data"]["unfollowTopic"]["state"] == {"following": False, "followers": 0}
    assert_refused_like_rest(graphql(FOLLOW_TOPIC, {"s": "no-such-topic"}, member=ada), 404, field="followTopic")
    assert not TopicFollow.objects.filter(topic=topic).exists()


def test_mark_read_one_and_all(graphql):
    grace = UserFactory()
    first, second, third = (NotificationFactory(recipient=grace) for _ in range(3))

    read = graphql(MARK, {"id": str(first.pk)}, member=grace)
    up_to = graphql(MARK_ALL, {"upTo": str(second.pk)}, member=grace)
    rest = graphql(MARK_ALL, {}, member=grace)

    assert read["data"]["markNotificationRead"]["notification"]["databaseId"] == first.pk
    assert read["data"]["markNotificationRead"]["notification"]["readAt"] is not None
    assert up_to["data"]["markAllNotificationsRead"] == {"result": {"marked": 1, "unread": 1}, "errors": []}
    assert rest["data"]["markAllNotificationsRead"] == {"result": {"marked": 1, "unread": 0}, "errors": []}
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert third.pk > second.pk


def test_another_members_notification_is_not_found_like_rest(graphql, client_for):
    theirs = NotificationFactory()
    other = UserFactory()

    assert client_for(other).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    result = graphql(MARK, {"id": str(theirs.pk)}, member=other)
    assert_refused_like_rest(result, 404, field="markNotificationRead")
    assert result["errors"][0]["message"] == f"No notification {theirs.pk}."
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_change_some_and_refuse_what_they_do_not_know(graphql):
    grace = UserFactory()

    changed = graphql(PREFERENCES, {"email": [{"kind": "new_follower", "email": "immediate"}]}, member=grace)
    wrong = graphql(PREFERENCES, {"email": [{"kind": "mention", "email": "hourly"}]}, member=grace)

    preferences = {p["kind"]: p["email"] for p in changed["data"]["updateNotificationPreferences"]["preferences"]}
    assert preferences["new_follower"] == "immediate" and preferences["mention"] == "immediate"
    assert len(preferences) == 8
    assert wrong["data"]["updateNotificationPreferences"] == {
        "preferences": None,
        "errors": [
            {"field": "email", "messages": ["The e-mail mode of mention must be one of off, immediate, digest."]}
        ],
    }
