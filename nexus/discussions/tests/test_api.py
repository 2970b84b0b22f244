"""REST contract of discussions: status codes, payloads, problem documents, pagination, query counts."""

import pytest

from nexus.cohorts.tests.factories import MembershipFactory
from nexus.discussions import services
from nexus.discussions.api import serializers
from nexus.discussions.models import Message
from nexus.hubs.models import Hub
from nexus.hubs.tests.factories import EntryFactory, HubFactory

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _posts(thread, author, n):
    return [services.message_post(actor=author, thread_id=thread.pk, body=f"message {i} @ada").pk for i in range(n)]


# --- Channels ---------------------------------------------------------------------------------


def test_channel_create_and_list_with_unread_counts(client_for, cohort, mentor, ada, grace):
    created = client_for(mentor).post(f"{API}/channels/", {"name": "Help desk", "cohort": cohort.slug, "topic": "Ask"})
    assert created.status_code == 201
    body = created.json()
    assert {k: body[k] for k in ("slug", "name", "topic", "visibility", "cohort", "unread")} == {
        "slug": "help-desk", "name": "Help desk", "topic": "Ask", "visibility": "cohort", "cohort": cohort.slug,
        "unread": 0,
    }  # fmt: skip
    thread = services.thread_create(actor=grace, channel_id=body["id"], title="Hello", body="first")
    _posts(thread, grace, 2)

    listed = client_for(ada).get(f"{API}/channels/")
    assert listed.status_code == 200
    assert [(c["slug"], c["unread"], c["last_read_message"]) for c in listed.json()["results"]] == [("help-desk", 3, 0)]
    read = client_for(ada).put(f"{API}/channels/{body['id']}/read/", {})
    assert read.status_code == 200 and read.json()["unread"] == 0
    assert read.json()["last_read_message"] == Message.objects.latest("pk").pk


def test_channel_create_errors_are_problems(client_for, cohort, ada):
    forbidden = client_for(ada).post(f"{API}/channels/", {"name": "Mine", "cohort": cohort.slug})
    invalid = client_for(ada).post(f"{API}/channels/", {"name": "Mine", "cohort": "nope"})
    anonymous = client_for(None).post(f"{API}/channels/", {"name": "Mine", "cohort": cohort.slug})

    assert forbidden.status_code == 403 and forbidden["Content-Type"] == "application/problem+json"
    assert "mentors and staff" in forbidden.json()["detail"]
    assert invalid.status_code == 400 and invalid.json()["errors"] == {"cohort": ["No cohort 'nope'."]}
    assert anonymous.status_code == 401


def test_channels_you_may_not_read_are_404(client_for, channel, outsider):
    client = client_for(outsider)
    for url in (f"channels/{channel.pk}/", f"channels/{channel.pk}/threads/", f"channels/{channel.pk}/messages/"):
        response = client.get(f"{API}/{url}")
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


def test_channel_list_query_count_is_constant(client_for, cohort, mentor, ada, django_assert_num_queries):
    for n in range(6):
        channel = services.channel_create(actor=mentor, cohort=cohort.slug, name=f"Room {n}")
        services.thread_create(actor=mentor, channel_id=channel.pk, title="t", body="b")
    client = client_for(ada)

    # user (token), channels with cohort and the unread/marker subqueries
    with django_assert_num_queries(2):
        small = client.get(f"{API}/channels/?page_size=2")
    with django_assert_num_queries(2):
        large = client.get(f"{API}/channels/?page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 6
    assert all(c["unread"] == 1 for c in large.json()["results"])


def test_private_channel_members_endpoints(client_for, cohort, ada, grace):
    channel = services.channel_create(actor=ada, cohort=cohort.slug, name="Pair", visibility="private")
    added = client_for(ada).post(f"{API}/channels/{channel.pk}/members/", {"username": "grace"})
    listed = client_for(grace).get(f"{API}/channels/{channel.pk}/members/")
    removed = client_for(grace).delete(f"{API}/channels/{channel.pk}/members/grace/")
    after = client_for(grace).get(f"{API}/channels/{channel.pk}/members/")

    assert added.status_code == 201 and added.json()["user"]["username"] == "grace"
    assert [m["user"]["username"] for m in listed.json()["results"]] == ["ada", "grace"]
    assert removed.status_code == 204
    assert after.status_code == 404


# --- Threads and messages ---------------------------------------------------------------------


def test_thread_and_message_lifecycle(client_for, channel, ada, grace, mentor):
    created = client_for(ada).post(
        f"{API}/channels/{channel.pk}/threads/", {"title": "CORS", "body": "Blocked by CORS, @grace?"}
    )
    assert created.status_code == 201
    thread = created.json()
    assert (thread["title"], thread["message_count"], thread["resolved"], thread["created_by"]["username"]) == (
        "CORS", 1, False, "ada",
    )  # fmt: skip

    posted = client_for(grace).post(f"{API}/threads/{thread['id']}/messages/", {"body": "Use `django-cors-headers`."})
    assert posted.status_code == 201
    reply = posted.json()
    assert reply["body_html"] == "<p>Use <code>django-cors-headers</code>.</p>\n"
    assert (reply["thread"], reply["channel"], reply["author"]["username"]) == (thread["id"], channel.pk, "grace")

    not_yours = client_for(ada).patch(f"{API}/messages/{reply['id']}/", {"body": "mine now"})
    assert not_yours.status_code == 403 and not_yours.json()["detail"] == "Only the author can edit a message."
    edited = client_for(grace).patch(f"{API}/messages/{reply['id']}/", {"body": "Use django-cors-headers."})
    assert edited.status_code == 200 and edited.json()["edited_at"] is not None

    resolved = client_for(ada).put(f"{API}/threads/{thread['id']}/resolution/", {"accepted_message": reply["id"]})
    assert resolved.status_code == 200
    assert (resolved.json()["resolved"], resolved.json()["accepted_message"]) == (True, reply["id"])

    deleted = client_for(mentor).delete(f"{API}/messages/{reply['id']}/")
    assert deleted.status_code == 200
    tombstone = deleted.json()
    assert (tombstone["deleted"], tombstone["body"], tombstone["body_html"], tombstone["reactions"]) == (
        True, "", "", [],
    )  # fmt: skip
    after = client_for(ada).get(f"{API}/threads/{thread['id']}/")
    assert (after.json()["message_count"], after.json()["accepted_message"]) == (1, None)
    reopened = client_for(ada).delete(f"{API}/threads/{thread['id']}/resolution/")
    assert reopened.status_code == 200 and reopened.json()["resolved"] is False


def test_message_history_newest_first_and_since(client_for, channel, thread, ada, grace):
    ids = _posts(thread, grace, 5)
    client = client_for(ada)

    first = client.get(f"{API}/channels/{channel.pk}/messages/?page_size=2")
    second = client.get(first.json()["next"])
    since = client.get(f"{API}/channels/{channel.pk}/messages/?since={ids[1]}&page_size=2")
    rest = client.get(since.json()["next"])
    in_thread = client.get(f"{API}/threads/{thread.pk}/messages/?since={ids[3]}")

    assert [m["id"] for m in first.json()["results"]] == [ids[4], ids[3]]
    assert [m["id"] for m in second.json()["results"]] == [ids[2], ids[1]]
    assert [m["id"] for m in since.json()["results"]] == [ids[2], ids[3]]
    assert [m["id"] for m in rest.json()["results"]] == [ids[4]] and rest.json()["next"] is None
    assert [m["id"] for m in in_thread.json()["results"]] == [ids[4]]


def test_thread_filter_must_be_in_the_channel(client_for, cohort, channel, thread, mentor, ada):
    other = services.channel_create(actor=mentor, cohort=cohort.slug, name="Other")
    response = client_for(ada).get(f"{API}/channels/{other.pk}/messages/?thread={thread.pk}")
    assert response.status_code == 404


def test_message_list_query_count_is_constant(client_for, channel, thread, ada, grace, django_assert_num_queries):
    ids = _posts(thread, grace, 8)
    for message_id in ids:
        services.message_react(actor=ada, message_id=message_id, emoji="eyes")
    client = client_for(ada)

    # user (token), channel access, messages with author/profile, mentions with users, reactions
    with django_assert_num_queries(5):
        small = client.get(f"{API}/channels/{channel.pk}/messages/?page_size=2")
    with django_assert_num_queries(5):
        large = client.get(f"{API}/channels/{channel.pk}/messages/?page_size=50")
    # the same plus the thread's access check
    with django_assert_num_queries(6):
        threaded = client.get(f"{API}/channels/{channel.pk}/messages/?thread={thread.pk}&page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 9
    assert len(threaded.json()["results"]) == 9
    newest = large.json()["results"][0]
    assert newest["mentions"] == ["ada"] and newest["reactions"][0]["users"] == [ada.pk]


def test_thread_list_query_count_is_constant(client_for, channel, ada, grace, django_assert_num_queries):
    for n in range(5):
        t = services.thread_create(actor=grace, channel_id=channel.pk, title=f"T{n}", body="?")
        _posts(t, ada, 2)
    client = client_for(ada)

    # user (token), channel access, threads with starter/resolver profiles and message counts
    with django_assert_num_queries(3):
        small = client.get(f"{API}/channels/{channel.pk}/threads/?page_size=2")
    with django_assert_num_queries(3):
        large = client.get(f"{API}/channels/{channel.pk}/threads/?page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 5
    assert [t["title"] for t in large.json()["results"]] == ["T4", "T3", "T2", "T1", "T0"]
    assert {t["message_count"] for t in large.json()["results"]} == {3}


def test_resolved_filter(client_for, channel, thread, ada, grace):
    answer = services.message_post(actor=grace, thread_id=thread.pk, body="answer")
    services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)
    services.thread_create(actor=ada, channel_id=channel.pk, title="Open one", body="?")
    client = client_for(ada)
    resolved = client.get(f"{API}/channels/{channel.pk}/threads/?resolved=true")
    still_open = client.get(f"{API}/channels/{channel.pk}/threads/?resolved=false")
    assert [t["title"] for t in resolved.json()["results"]] == [thread.title]
    assert [t["title"] for t in still_open.json()["results"]] == ["Open one"]


# --- Reactions --------------------------------------------------------------------------------


def test_reaction_endpoints(client_for, thread, ada, grace):
    message = services.message_post(actor=ada, thread_id=thread.pk, body="shipped")
    client = client_for(grace)

    toggled = client.post(f"{API}/messages/{message.pk}/reactions/", {"emoji": "🎉"})
    again = client.put(f"{API}/messages/{message.pk}/reactions/tada/")
    removed = client.delete(f"{API}/messages/{message.pk}/reactions/:tada:/")
    bad = client.post(f"{API}/messages/{message.pk}/reactions/", {"emoji": "nope"})

    assert toggled.status_code == 200
    tada = {"emoji": "tada", "char": "🎉", "count": 1, "users": [grace.pk]}
    assert toggled.json() == {"reacted": True, "emoji": "tada", "reactions": [tada]}
    assert again.json()["reacted"] is True and again.json()["reactions"][0]["count"] == 1
    assert removed.json() == {"reacted": False, "emoji": "tada", "reactions": []}
    assert bad.status_code == 400 and "emoji" in bad.json()["errors"]


# --- Promotion --------------------------------------------------------------------------------


def test_promote_endpoint(client_for, cohort, thread, ada, grace):
    hub = HubFactory(owner=ada, program=cohort.program)
    answer = services.message_post(actor=grace, thread_id=thread.pk, body="Start the worker.")
    early = client_for(ada).post(f"{API}/threads/{thread.pk}/promote/", {})
    services.thread_resolve(actor=ada, thread_id=thread.pk, accepted_message_id=answer.pk)

    promoted = client_for(ada).post(f"{API}/threads/{thread.pk}/promote/", {})
    twice = client_for(ada).post(f"{API}/threads/{thread.pk}/promote/", {})

    assert early.status_code == 409 and early.json()["code"] == "thread_not_resolved"
    assert promoted.status_code == 201
    body = promoted.json()
    assert (body["hub"], body["title"], body["status"]) == (hub.slug, thread.title, "draft")
    assert body["url"] == f"{API}/entries/{body['entry']}/"
    entry = client_for(ada).get(body["url"]).json()
    assert (entry["kind"], entry["problem"], entry["solution"]) == ("challenge", "Why @grace?", "Start the worker.")
    assert twice.status_code == 409 and twice.json()["entry"] == body["entry"]


# --- Comments ---------------------------------------------------------------------------------


def test_comments_on_a_public_entry(client_for, ada, grace):
    entry = EntryFactory(hub=HubFactory(owner=ada, visibility=Hub.Visibility.PUBLIC))

    anonymous_post = client_for(None).post(f"{API}/entries/{entry.pk}/comments/", {"body": "hi"})
    top = client_for(grace).post(f"{API}/entries/{entry.pk}/comments/", {"body": "Great, @ada"})
    reply = client_for(ada).post(f"{API}/entries/{entry.pk}/comments/", {"body": "Thanks", "parent": top.json()["id"]})
    nested = client_for(grace).post(
        f"{API}/entries/{entry.pk}/comments/", {"body": "You're welcome", "parent": reply.json()["id"]}
    )
    listed = client_for(None).get(f"{API}/entries/{entry.pk}/comments/")

    assert anonymous_post.status_code == 401
    assert top.status_code == 201 and top.json()["mentions"] == ["ada"] and top.json()["replies"] == []
    assert reply.json()["parent"] == top.json()["id"] and "replies" not in reply.json()
    assert nested.json()["parent"] == top.json()["id"]
    (only,) = listed.json()["results"]
    assert [r["body"] for r in only["replies"]] == ["Thanks", "You're welcome"]


def test_comments_on_an_entry_you_may_not_read_are_404(client_for, cohort, ada, outsider):
    hub = HubFactory(owner=ada, program=cohort.program, cohort=cohort, visibility=Hub.Visibility.COHORT)
    entry = EntryFactory(hub=hub)
    comment = services.comment_add(actor=ada, entry_id=entry.pk, body="note to the cohort")
    for response in (
        client_for(outsider).get(f"{API}/entries/{entry.pk}/comments/"),
        client_for(outsider).post(f"{API}/entries/{entry.pk}/comments/", {"body": "hi"}),
        client_for(None).get(f"{API}/comments/{comment.pk}/"),
        client_for(outsider).post(f"{API}/comments/{comment.pk}/reactions/", {"emoji": "eyes"}),
    ):
        assert response.status_code == 404


def test_comment_edit_delete_and_react(client_for, ada, grace):
    entry = EntryFactory(hub=HubFactory(owner=ada))
    comment = services.comment_add(actor=grace, entry_id=entry.pk, body="First")

    forbidden = client_for(ada).patch(f"{API}/comments/{comment.pk}/", {"body": "changed"})
    edited = client_for(grace).patch(f"{API}/comments/{comment.pk}/", {"body": "First, edited"})
    reacted = client_for(ada).put(f"{API}/comments/{comment.pk}/reactions/heart/")
    deleted = client_for(ada).delete(f"{API}/comments/{comment.pk}/")  # the entry's owner moderates

    assert forbidden.status_code == 403
    assert edited.status_code == 200 and edited.json()["body"] == "First, edited"
    assert reacted.json()["reactions"] == [{"emoji": "heart", "char": "❤️", "count": 1, "users": [ada.pk]}]
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True and deleted.json()["reactions"] == []


def test_comment_list_query_count_is_constant(client_for, ada, grace, django_assert_num_queries):
    entry = EntryFactory(hub=HubFactory(owner=ada))
    for n in range(4):
        top = services.comment_add(actor=grace, entry_id=entry.pk, body=f"top {n} @ada")
        services.comment_react(actor=ada, comment_id=top.pk, emoji="eyes")
        for _ in range(2):
            reply = services.comment_add(actor=ada, entry_id=entry.pk, body="reply @grace", parent_id=top.pk)
            services.comment_react(actor=grace, comment_id=reply.pk, emoji="+1")
    client = client_for(grace)

    # user (token), entry access, comments with authors, their mentions, reactions, replies with
    # authors, the replies' mentions and reactions
    with django_assert_num_queries(8):
        small = client.get(f"{API}/entries/{entry.pk}/comments/?page_size=2")
    with django_assert_num_queries(8):
        large = client.get(f"{API}/entries/{entry.pk}/comments/?page_size=50")
    assert len(small.json()["results"]) == 2 and len(large.json()["results"]) == 4
    assert all(len(c["replies"]) == 2 for c in large.json()["results"])
    assert large.json()["results"][0]["replies"][0]["mentions"] == ["grace"]


# --- One shape for REST and live frames -------------------------------------------------------


@pytest.mark.parametrize(
    ("serializer", "make"),
    [
        (serializers.MessageSerializer, "message"),
        (serializers.ThreadSerializer, "thread"),
        (serializers.ChannelSerializer, "channel"),
        (serializers.CommentSerializer, "comment"),
    ],
)
def test_declared_fields_are_exactly_the_payload(serializer, make, channel, thread, ada):
    from nexus.discussions import selectors

    objects = {
        "message": lambda: selectors.message_get(message_id=Message.objects.filter(thread=thread).first().pk),
        "thread": lambda: selectors.thread_get(thread_id=thread.pk),
        "channel": lambda: selectors.channel_get(actor=ada, channel_id=channel.pk),
        "comment": lambda: services.comment_add(
            actor=ada, entry_id=EntryFactory(hub=HubFactory(owner=ada)).pk, body="x"
        ),
    }
    data = serializer(objects[make]()).data
    assert set(data) == set(serializer().fields)


def test_only_authenticated_members_use_channels(client_for, channel):
    assert client_for(None).get(f"{API}/channels/").status_code == 401
    assert client_for(None).get(f"{API}/channels/{channel.pk}/").status_code == 401
    member = MembershipFactory(cohort=channel.cohort).user
    assert client_for(member).get(f"{API}/channels/{channel.pk}/").status_code == 200
