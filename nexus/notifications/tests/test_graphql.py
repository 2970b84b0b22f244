"""Notifications and follows through GraphQL: your own only, as in REST."""

from __future__ import annotations

import pytest

from nexus.accounts.tests.factories import UserFactory
from nexus.notifications.tests.factories import MemberFollowFactory, NotificationFactory

pytestmark = pytest.mark.django_db

NOTIFICATIONS = """
query($unread: Boolean) {
  notifications(unread: $unread) { edges { node { databaseId kind text url readAt actor { username } } } }
  notificationUnreadCount
}
"""


def test_only_your_own_notifications_like_rest(client_for, graphql):
    # given
    me, other = UserFactory(), UserFactory()
    mine = NotificationFactory.create_batch(2, recipient=me)
    NotificationFactory(recipient=other, text="not yours")
    # when
    rest = client_for(me).get("/api/v1/notifications/").json()["results"]
    data = graphql(NOTIFICATIONS, member=me)["data"]
    # then
    assert [e["node"]["databaseId"] for e in data["notifications"]["edges"]] == [n["id"] for n in rest]
    assert {e["node"]["databaseId"] for e in data["notifications"]["edges"]} == {n.pk for n in mine}
    assert data["notificationUnreadCount"] == 2
    assert data["notifications"]["edges"][0]["node"]["actor"]["username"] == rest[0]["actor"]


def test_visitors_get_unauthenticated(client_for, graphql):
    data = graphql(NOTIFICATIONS)

    assert client_for(None).get("/api/v1/notifications/").status_code == 401
    assert data["data"] is None
    assert data["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_follows_and_follow_state(graphql):
    me, ada = UserFactory(), UserFactory()
    MemberFollowFactory(follower=me, followed=ada)

    data = graphql(
        "query($u: String!) { myMemberFollows { edges { node { followed { username } } } }"
        " memberFollowState(username: $u) { key following followers } }",
        {"u": ada.username},
        member=me,
    )["data"]

    assert data["myMemberFollows"]["edges"] == [{"node": {"followed": {"username": ada.username}}}]
    assert data["memberFollowState"] == {"key": ada.username, "following": True, "followers": 1}
