"""Channel pages: lists with pinned query counts, posting and reacting through the services, 404s."""

import pytest
from django.test import Client

from nexus.discussions import services
from nexus.discussions.models import Message, MessageReaction


@pytest.fixture
def signed_in():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def test_the_channel_list_shows_unread_counts(signed_in, channel, thread, grace, django_assert_num_queries):
    client = signed_in(grace)

    with django_assert_num_queries(3):  # session, user, channels with unread counts
        response = client.get("/channels/")

    html = response.content.decode()
    assert f'href="/channels/{channel.pk}/">#general</a>' in html
    assert "1 new" in html


def test_a_thread_page_is_a_fixed_number_of_queries(signed_in, thread, ada, grace, django_assert_num_queries):
    for i in range(5):
        message = services.message_post(actor=grace, thread_id=thread.pk, body=f"Reply {i} @ada")
        services.message_react(actor=ada, message_id=message.pk, emoji="tada", on=True)
    client = signed_in(ada)

    # session, user, thread access, thread, messages, authors' mentions, reactions
    with django_assert_num_queries(7):
        response = client.get(f"/channels/threads/{thread.pk}/")

    html = response.content.decode()
    assert html.count('<li class="chat-message') == 6
    assert html.count("chat-message--mentions-me") == 5
    assert 'aria-label="tada: 1"' in html


def test_posting_a_reply_with_htmx_answers_its_fragment(signed_in, thread, grace):
    response = signed_in(grace).post(
        f"/channels/threads/{thread.pk}/messages/", {"body": "Try **acks_late**"}, headers={"HX-Request": "true"}
    )

    message = Message.objects.get(thread=thread, author=grace)
    assert response.status_code == 201
    assert (
        response.content.decode()
        .strip()
        .startswith(f'<li class="chat-message chat-message--mine" id="message-{message.pk}">')
    )
    assert "<strong>acks_late</strong>" in response.content.decode()


def test_an_empty_reply_is_refused_with_a_reason(signed_in, thread, grace):
    response = signed_in(grace).post(
        f"/channels/threads/{thread.pk}/messages/", {"body": ""}, headers={"HX-Request": "true"}
    )

    assert (response.status_code, response.content.decode()) == (400, "This field is required.")
    assert Message.objects.filter(author=grace).count() == 0


def test_starting_a_thread_goes_to_it(signed_in, channel, grace):
    response = signed_in(grace).post(f"/channels/{channel.pk}/threads/", {"title": "Docker", "body": "Compose?"})

    thread = channel.threads.get(title="Docker")
    assert response.status_code == 302
    assert response["Location"] == f"/channels/threads/{thread.pk}/"


def test_reacting_sets_the_state_wanted(signed_in, thread, grace):
    message = thread.messages.get()
    client = signed_in(grace)

    client.post(
        f"/channels/messages/{message.pk}/reactions/", {"emoji": "rocket", "on": "1"}, headers={"HX-Request": "true"}
    )
    again = client.post(
        f"/channels/messages/{message.pk}/reactions/", {"emoji": "rocket", "on": "1"}, headers={"HX-Request": "true"}
    )
    bad = client.post(f"/channels/messages/{message.pk}/reactions/", {"emoji": "pizza", "on": "1"})

    assert again.status_code == 200
    assert 'aria-label="rocket: 1"' in again.content.decode()
    assert MessageReaction.objects.filter(message=message, user=grace, emoji="rocket").count() == 1
    assert bad.status_code == 400
    assert "'pizza' is not an allowed reaction" in bad.content.decode()


def test_outsiders_get_404s_and_nothing_changes(signed_in, channel, thread, outsider):
    client = signed_in(outsider)
    message = thread.messages.get()

    assert client.get(f"/channels/{channel.pk}/").status_code == 404
    assert client.get(f"/channels/threads/{thread.pk}/").status_code == 404
    assert client.get(f"/channels/messages/{message.pk}/").status_code == 404
    assert client.post(f"/channels/threads/{thread.pk}/messages/", {"body": "hi"}).status_code == 404
    assert client.post(f"/channels/messages/{message.pk}/reactions/", {"emoji": "tada", "on": "1"}).status_code == 404
    assert Message.objects.count() == 1
    assert MessageReaction.objects.count() == 0
