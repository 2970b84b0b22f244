"""Discussion mutations: channels, members, read markers, threads, messages, reactions, comments
and promotion -- the same services, rules and refusals as REST."""

from __future__ import annotations

import pytest

from nexus.core.tests.graphql_parity import assert_refused_like_rest
from nexus.discussions import services
from nexus.discussions.models import Channel, ChannelMember, Comment, Message, ReadMarker, Thread
from nexus.hubs.models import Hub
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"
ERRORS = "errors { field messages code }"
CREATE_CHANNEL = f"""
mutation ($input: ChannelCreateInput!) {{
  createChannel(input: $input) {{ channel {{ databaseId name visibility cohort {{ slug }} }} {ERRORS} }}
}}
"""
UPDATE_CHANNEL = f"""
mutation ($id: ID!, $input: ChannelUpdateInput!) {{
  updateChannel(id: $id, input: $input) {{ channel {{ name topic }} {ERRORS} }}
}}
"""
ADD_MEMBER = f"""
mutation ($channel: ID!, $username: String!) {{
  addChannelMember(channelId: $channel, username: $username) {{
    membership {{ user {{ username }} channel {{ databaseId }} addedAt }} {ERRORS}
  }}
}}
"""
REMOVE_MEMBER = f"""
mutation ($channel: ID!, $username: String!) {{
  removeChannelMember(channelId: $channel, username: $username) {{ deletedId {ERRORS} }}
}}
"""
MARK_READ = f"""
mutation ($channel: ID!, $message: ID) {{
  markChannelRead(channelId: $channel, message: $message) {{ channel {{ databaseId }} {ERRORS} }}
}}
"""
CREATE_THREAD = f"""
mutation ($channel: ID!, $input: ThreadCreateInput!) {{
  createThread(channelId: $channel, input: $input) {{ thread {{ databaseId title createdBy {{ username }} }} {ERRORS} }}
}}
"""
POST = f"""
mutation ($thread: ID!, $body: String!) {{
  postMessage(threadId: $thread, body: $body) {{ message {{ databaseId bodyHtml author {{ username }} }} {ERRORS} }}
}}
"""
EDIT = f"""
mutation ($id: ID!, $body: String!) {{ editMessage(id: $id, body: $body) {{ message {{ body editedAt }} {ERRORS} }} }}
"""
DELETE = (
    f"mutation ($id: ID!) {{ deleteMessage(id: $id) {{ message {{ deleted body reactions {{ emoji }} }} {ERRORS} }} }}"
)
REACT = f"""
mutation ($id: ID!, $emoji: String!, $on: Boolean) {{
  reactToMessage(id: $id, emoji: $emoji, on: $on) {{
    state {{ reacted emoji message {{ reactions {{ emoji char count users }} }} }} {ERRORS}
  }}
}}
"""
RESOLVE = f"""
mutation ($id: ID!, $accepted: ID) {{
  resolveThread(id: $id, acceptedMessage: $accepted) {{
    thread {{ resolved acceptedMessage {{ databaseId }} }} {ERRORS}
  }}
}}
"""
REOPEN = f"mutation ($id: ID!) {{ reopenThread(id: $id) {{ thread {{ resolved }} {ERRORS} }} }}"
PROMOTE = f"""
mutation ($id: ID!) {{
  promoteThread(id: $id) {{ entry {{ kind title status problem solution hub {{ slug }} }} {ERRORS} }}
}}
"""
ADD_COMMENT = f"""
mutation ($entry: ID!, $input: CommentCreateInput!) {{
  addComment(entryId: $entry, input: $input) {{ comment {{ databaseId mentions parent {{ databaseId }} }} {ERRORS} }}
}}
"""
EDIT_COMMENT = f"""
mutation ($id: ID!, $body: String!) {{ editComment(id: $id, body: $body) {{ comment {{ body }} {ERRORS} }} }}
"""
DELETE_COMMENT = f"mutation ($id: ID!) {{ deleteComment(id: $id) {{ comment {{ deleted }} {ERRORS} }} }}"
REACT_COMMENT = f"""
mutation ($id: ID!, $emoji: String!, $on: Boolean) {{
  reactToComment(id: $id, emoji: $emoji, on: $on) {{
    state {{ reacted emoji comment {{ reactions {{ count }} }} }} {ERRORS}
  }}
}}
"""


def test_create_and_update_a_channel(graphql, cohort, mentor, ada):
    created = graphql(CREATE_CHANNEL, {"input": {"name": "Backend", "cohort": cohort.slug}}, member=mentor)
    channel = created["data"]["createChannel"]["channel"]
    no_cohort = graphql(CREATE_CHANNEL, {"input": {"name": "Lost"}}, member=mentor)
    too_long = graphql(CREATE_CHANNEL, {"input": {"name": "x" * 81, "cohort": cohort.slug}}, member=mentor)
    updated = graphql(UPDATE_CHANNEL, {"id": str(channel["databaseId"]), "input": {"topic": "APIs"}}, member=mentor)

    assert channel | {"databaseId": 0} == {
        "databaseId": 0, "name": "Backend", "visibility": "cohort", "cohort": {"slug": cohort.slug}
    }  # fmt: skip
    assert no_cohort["data"]["createChannel"]["channel"] is None
    assert [e["field"] for e in no_cohort["data"]["createChannel"]["errors"]] == ["cohort"]
    assert too_long["data"]["createChannel"]["errors"][0]["code"] == "max_length"
    assert updated["data"]["updateChannel"] == {"channel": {"name": "Backend", "topic": "APIs"}, "errors": []}
    assert Channel.objects.filter(name="Lost").count() == 0


def test_channels_you_may_not_read_are_not_found_like_rest(graphql, client_for, channel, outsider, ada):
    rest = client_for(outsider).patch(f"{API}/channels/{channel.pk}/", {"topic": "mine"}, format="json")
    assert rest.status_code == 404
    for query, field, variables in (
        (UPDATE_CHANNEL, "updateChannel", {"id": str(channel.pk), "input": {"topic": "mine"}}),
        (MARK_READ, "markChannelRead", {"channel": str(channel.pk)}),
        (CREATE_THREAD, "createThread", {"channel": str(channel.pk), "input": {"title": "Hi", "body": "there"}}),
        (ADD_MEMBER, "addChannelMember", {"channel": str(channel.pk), "username": "ada"}),
    ):
        assert_refused_like_rest(graphql(query, variables, member=outsider), 404, field=field)
    assert Thread.objects.filter(title="Hi").count() == 0
    assert not ReadMarker.objects.filter(user=outsider).exists()
    # a learner of the cohort may read but not rename it: 403 both ways
    rest = client_for(ada).patch(f"{API}/channels/{channel.pk}/", {"topic": "mine"}, format="json")
    assert rest.status_code == 403
    refused = graphql(UPDATE_CHANNEL, {"id": str(channel.pk), "input": {"topic": "mine"}}, member=ada)
    assert_refused_like_rest(refused, 403, field="updateChannel")
    channel.refresh_from_db()
    assert channel.topic != "mine"


def test_private_channel_members(graphql, cohort, ada, grace):
    channel = services.channel_create(actor=ada, cohort=cohort.slug, name="Pair", visibility="private")

    added = graphql(ADD_MEMBER, {"channel": str(channel.pk), "username": "grace"}, member=ada)
    removed = graphql(REMOVE_MEMBER, {"channel": str(channel.pk), "username": "grace"}, member=grace)
    again = graphql(REMOVE_MEMBER, {"channel": str(channel.pk), "username": "grace"}, member=grace)

    membership = added["data"]["addChannelMember"]["membership"]
    assert (membership["user"], membership["channel"]) == ({"username": "grace"}, {"databaseId": channel.pk})
    assert removed["data"]["removeChannelMember"] == {"deletedId": "grace", "errors": []}
    assert_refused_like_rest(again, 404, field="removeChannelMember")  # grace no longer reads it
    assert list(ChannelMember.objects.filter(channel=channel).values_list("user__username", flat=True)) == ["ada"]


def test_thread_and_message_lifecycle(graphql, channel, ada, grace, mentor):
    created = graphql(
        CREATE_THREAD, {"channel": str(channel.pk), "input": {"title": "CORS", "body": "Why?"}}, member=ada
    )
    thread = created["data"]["createThread"]["thread"]
    assert (thread["title"], thread["createdBy"]) == ("CORS", {"username": "ada"})
    empty = graphql(CREATE_THREAD, {"channel": str(channel.pk), "input": {"title": "", "body": "x"}}, member=ada)
    assert empty["data"]["createThread"]["errors"] == [
        {"field": "title", "messages": ["This field may not be blank."], "code": "blank"}
    ]

    posted = graphql(POST, {"thread": str(thread["databaseId"]), "body": "Use `django-cors-headers`."}, member=grace)
    reply = posted["data"]["postMessage"]["message"]
    assert reply["bodyHtml"] == "<p>Use <code>django-cors-headers</code>.</p>\n"
    assert reply["author"] == {"username": "grace"}

    not_yours = graphql(EDIT, {"id": str(reply["databaseId"]), "body": "mine now"}, member=ada)
    assert_refused_like_rest(not_yours, 403, field="editMessage")
    assert not_yours["errors"][0]["message"] == "Only the author can edit a message."
    edited = graphql(EDIT, {"id": str(reply["databaseId"]), "body": "Use django-cors-headers."}, member=grace)
    assert edited["data"]["editMessage"]["message"]["editedAt"] is not None

    resolved = graphql(RESOLVE, {"id": str(thread["databaseId"]), "accepted": str(reply["databaseId"])}, member=ada)
    assert resolved["data"]["resolveThread"] == {
        "thread": {"resolved": True, "acceptedMessage": {"databaseId": reply["databaseId"]}},
        "errors": [],
    }
    marked = graphql(MARK_READ, {"channel": str(channel.pk)}, member=ada)
    assert marked["data"]["markChannelRead"] == {"channel": {"databaseId": channel.pk}, "errors": []}
    assert ReadMarker.objects.get(user=ada, channel=channel).last_read_message_id == reply["databaseId"]

    deleted = graphql(DELETE, {"id": str(reply["databaseId"])}, member=mentor)
    assert deleted["data"]["deleteMessage"] == {"message": {"deleted": True, "body": "", "reactions": []}, "errors": []}
    reopened = graphql(REOPEN, {"id": str(thread["databaseId"])}, member=ada)
    assert reopened["data"]["reopenThread"] == {"thread": {"resolved": False}, "errors": []}
    too_long = graphql(POST, {"thread": str(thread["databaseId"]), "body": "x" * 20_001}, member=grace)
    assert too_long["data"]["postMessage"]["errors"][0]["field"] == "body"
    assert Message.objects.filter(body__startswith="xxx").count() == 0


def test_reactions_toggle_add_and_remove(graphql, thread, ada, grace):
    message = services.message_post(actor=ada, thread_id=thread.pk, body="shipped")

    toggled = graphql(REACT, {"id": str(message.pk), "emoji": "🎉"}, member=grace)
    again = graphql(REACT, {"id": str(message.pk), "emoji": "tada", "on": True}, member=grace)
    removed = graphql(REACT, {"id": str(message.pk), "emoji": ":tada:", "on": False}, member=grace)
    bad = graphql(REACT, {"id": str(message.pk), "emoji": "nope"}, member=grace)

    tada = {"emoji": "tada", "char": "🎉", "count": 1, "users": [grace.pk]}
    assert toggled["data"]["reactToMessage"] == {
        "state": {"reacted": True, "emoji": "tada", "message": {"reactions": [tada]}},
        "errors": [],
    }
    assert again["data"]["reactToMessage"]["state"]["message"]["reactions"] == [tada]
    assert removed["data"]["reactToMessage"]["state"] == {
        "reacted": False,
        "emoji": "tada",
        "message": {"reactions": []},
    }
    assert bad["data"]["reactToMessage"]["state"] is None
    assert [e["field"] for e in bad["data"]["reactToMessage"]["errors"]] == ["emoji"]


def test_promote_a_resolved_thread(graphql, cohort, thread, ada, grace):
    hub = HubFactory(owner=ada, program=cohort.program)
    answer = services.message_post(actor=grace, thread_id=thread.pk, body="Start the worker.")

    early = graphql(PROMOTE, {"id": str(thread.pk)}, member=ada)
    services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)
    promoted = graphql(PROMOTE, {"id": str(thread.pk)}, member=ada)

    assert early["data"]["promoteThread"] == {
        "entry": None,
        "errors": [
            {"field": "nonFieldErrors", "messages": [early["data"]["promoteThread"]["errors"][0]["messages"][0]],
             "code": "thread_not_resolved"}
        ],
    }  # fmt: skip
    assert promoted["data"]["promoteThread"]["entry"] == {
        "kind": "challenge", "title": thread.title, "status": "draft", "problem": "Why @grace?",
        "solution": "Start the worker.", "hub": {"slug": hub.slug},
    }  # fmt: skip


def test_comments_edit_delete_react_and_refusals(graphql, client_for, cohort, ada, grace, outsider):
    entry = EntryFactory(hub=HubFactory(owner=ada, visibility=Hub.Visibility.PUBLIC))
    top = graphql(ADD_COMMENT, {"entry": str(entry.pk), "input": {"body": "Great, @ada"}}, member=grace)
    comment = top["data"]["addComment"]["comment"]
    reply = graphql(ADD_COMMENT, {"entry": str(entry.pk), "input": {"body": "Thanks", "parent": comment["databaseId"]}},
                    member=ada)  # fmt: skip
    assert comment["mentions"] == ["ada"] and comment["parent"] is None
    assert reply["data"]["addComment"]["comment"]["parent"] == {"databaseId": comment["databaseId"]}

    cid = str(comment["databaseId"])
    forbidden = graphql(EDIT_COMMENT, {"id": cid, "body": "changed"}, member=ada)
    assert client_for(ada).patch(f"{API}/comments/{cid}/", {"body": "changed"}).status_code == 403
    assert_refused_like_rest(forbidden, 403, field="editComment")
    edited = graphql(EDIT_COMMENT, {"id": cid, "body": "First, edited"}, member=grace)
    assert edited["data"]["editComment"] == {"comment": {"body": "First, edited"}, "errors": []}
    reacted = graphql(REACT_COMMENT, {"id": cid, "emoji": "heart", "on": True}, member=ada)
    assert reacted["data"]["reactToComment"]["state"] == {
        "reacted": True,
        "emoji": "heart",
        "comment": {"reactions": [{"count": 1}]},
    }
    deleted = graphql(DELETE_COMMENT, {"id": cid}, member=ada)  # the entry's owner moderates
    assert deleted["data"]["deleteComment"] == {"comment": {"deleted": True}, "errors": []}

    cohort_only = EntryFactory(hub=HubFactory(owner=ada, program=cohort.program, cohort=cohort,
                                              visibility=Hub.Visibility.COHORT))  # fmt: skip
    assert client_for(outsider).post(f"{API}/entries/{cohort_only.pk}/comments/", {"body": "hi"}).status_code == 404
    hidden = graphql(ADD_COMMENT, {"entry": str(cohort_only.pk), "input": {"body": "hi"}}, member=outsider)
    assert_refused_like_rest(hidden, 404, field="addComment")
    assert_refused_like_rest(
        graphql(ADD_COMMENT, {"entry": str(entry.pk), "input": {"body": "hi"}}), 401, field="addComment"
    )
    assert Comment.objects.filter(body="hi").count() == 0
