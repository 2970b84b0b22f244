"""Discussions through GraphQL: REST's visibility (channels, threads, messages, comments), constant queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nexus.accounts.tests.factories import UserFactory
from nexus.discussions import services
from nexus.discussions.models import Channel
from nexus.hubs.models import Hub
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db

CHANNEL = "query($id: Int!) { channel(id: $id) { databaseId name visibility unread } }"
CHANNELS = "query { channels { edges { node { databaseId } } } }"
MESSAGES = """
query($id: Int!) {
  channelMessages(channelId: $id, first: 50) {
    edges { node { databaseId body bodyHtml deleted mentions author { username displayName }
      reactions { emoji char count users } thread { title } } }
  }
}
"""
THREAD = "query($id: Int!) { thread(id: $id) { title messageCount resolved createdBy { username } } }"
COMMENTS = """
query($id: Int!) {
  entryComments(entryId: $id) {
    edges { node { body author { username } reactions { emoji count } replies { body author { username } } } }
  }
}
"""


@pytest.fixture
def channels(cohort, mentor, ada):
    """A channel of each visibility; ada is invited to the private one."""
    private = services.channel_create(actor=mentor, cohort=cohort.slug, name="Mentors", visibility="private")
    services.channel_member_add(actor=mentor, channel_id=private.pk, username=ada.username)
    return {
        "global": Channel.objects.create(slug="lobby", name="Lobby", visibility=Channel.Visibility.GLOBAL),
        "cohort": services.channel_create(actor=mentor, cohort=cohort.slug, name="General"),
        "private": private,
    }


@pytest.fixture
def people(ada, grace, mentor, outsider):
    return {
        "anonymous": None,
        "invited": ada,
        "peer": grace,
        "mentor": mentor,
        "outsider": outsider,
        "staff": UserFactory(is_staff=True),
    }


@pytest.mark.parametrize("who", ["anonymous", "invited", "peer", "mentor", "outsider", "staff"])
@pytest.mark.parametrize("visibility", ["global", "cohort", "private"])
def test_channel_visibility_agrees_with_rest(channels, people, client_for, graphql, who, visibility):
    # given
    channel = channels[visibility]
    member = people[who]
    # when
    rest = client_for(member).get(f"/api/v1/channels/{channel.pk}/")
    data = graphql(CHANNEL, {"id": channel.pk}, member=member)
    # then
    if rest.status_code == 200:
        assert data == {
            "data": {"channel": {"databaseId": channel.pk, "name": channel.name, "visibility": visibility, "unread": 0}}
        }
    elif rest.status_code == 401:
        assert member is None
        assert data["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    else:
        assert rest.status_code == 404
        assert data["data"] == {"channel": None}
        assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("who", ["invited", "peer", "mentor", "outsider", "staff"])
def test_channel_list_agrees_with_rest(channels, people, client_for, graphql, who):
    member = people[who]

    rest = {c["id"] for c in client_for(member).get("/api/v1/channels/").json()["results"]}
    data = {e["node"]["databaseId"] for e in graphql(CHANNELS, member=member)["data"]["channels"]["edges"]}

    assert data == rest
    assert data  # everyone sees at least the global channel


def _thread_with_messages(channel, ada, grace, count: int):
    thread = services.thread_create(actor=ada, channel_id=channel.pk, title="Celery", body="Why @grace?")
    for index in range(count):
        message = services.message_post(actor=grace if index % 2 else ada, thread_id=thread.pk, body=f"m{index} @ada")
        services.message_react(actor=ada, message_id=message.pk, emoji="thumbsup")
    return thread


def _count(graphql, query, variables, member) -> tuple[dict, int]:
    with CaptureQueriesContext(connection) as captured:
        data = graphql(query, variables, member=member)
    return data, len(captured)


def test_messages_load_in_constant_queries(channels, ada, grace, graphql):
    # given: two channels, with 3 and 12 messages by two authors, each with mentions and reactions
    small, large = channels["cohort"], channels["global"]
    _thread_with_messages(small, ada, grace, 3)
    _thread_with_messages(large, ada, grace, 12)
    graphql("{ me { username } }", member=ada)  # ada's token is issued (a write) before counting
    # when
    _, small_queries = _count(graphql, MESSAGES, {"id": small.pk}, ada)
    large_data, large_queries = _count(graphql, MESSAGES, {"id": large.pk}, ada)
    # then: the same count whatever the number of messages -- the token's member, the channel
    # check, the messages (+author, profile), mentions, the mentioned users, reactions, and the
    # threads (visibility-checked)
    assert "errors" not in large_data, large_data
    edges = large_data["data"]["channelMessages"]["edges"]
    assert len(edges) == 13
    newest = edges[0]["node"]
    assert newest["mentions"] == ["ada"]
    assert newest["reactions"] == [{"emoji": "thumbsup", "char": "👍", "count": 1, "users": [ada.pk]}]
    assert newest["author"]["username"] == "grace"
    assert small_queries == large_queries == 7


def test_messages_agree_with_rest(channels, ada, grace, client_for, graphql):
    thread = _thread_with_messages(channels["cohort"], ada, grace, 4)

    rest = client_for(ada).get(f"/api/v1/threads/{thread.pk}/messages/").json()["results"]
    data = graphql(
        "query($id: Int!) { threadMessages(threadId: $id) { edges { node { databaseId body mentions } } } }",
        {"id": thread.pk},
        member=ada,
    )["data"]["threadMessages"]["edges"]

    assert [(e["node"]["databaseId"], e["node"]["body"], e["node"]["mentions"]) for e in data] == [
        (m["id"], m["body"], m["mentions"]) for m in rest
    ]


def test_thread_detail_counts_live_messages(channels, ada, grace, graphql, outsider):
    thread = _thread_with_messages(channels["cohort"], ada, grace, 2)

    mine = graphql(THREAD, {"id": thread.pk}, member=grace)
    hidden = graphql(THREAD, {"id": thread.pk}, member=outsider)

    assert mine == {
        "data": {"thread": {"title": "Celery", "messageCount": 3, "resolved": False, "createdBy": {"username": "ada"}}}
    }
    assert hidden["data"] == {"thread": None}
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("visibility", [Hub.Visibility.PUBLIC, Hub.Visibility.PRIVATE])
def test_comments_follow_the_entry(visibility, ada, grace, client_for, graphql):
    # given: a comment with a reply and a reaction on an entry of grace's hub
    entry = EntryFactory(hub=HubFactory(owner=grace, visibility=visibility))
    top = services.comment_add(actor=grace, entry_id=entry.pk, body="First")
    services.comment_add(actor=grace, entry_id=entry.pk, body="Reply", parent_id=top.pk)
    services.comment_react(actor=grace, comment_id=top.pk, emoji="heart")
    # when
    rest = client_for(ada).get(f"/api/v1/entries/{entry.pk}/comments/")
    data = graphql(COMMENTS, {"id": entry.pk}, member=ada)
    # then
    if rest.status_code == 200:
        assert data["data"]["entryComments"]["edges"] == [
            {
                "node": {
                    "body": "First",
                    "author": {"username": "grace"},
                    "reactions": [{"emoji": "heart", "count": 1}],
                    "replies": [{"body": "Reply", "author": {"username": "grace"}}],
                }
            }
        ]
    else:
        assert rest.status_code == 404
        assert data["data"] is None
        assert data["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert "First" not in str(data)
