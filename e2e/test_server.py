"""The browser-test server itself: real HTTP and WebSockets against the test database."""

from __future__ import annotations

from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.discussions import services as discussion_services
from nexus.discussions.models import Message

OPEN_SOCKET = """async (path) => {
  const frames = [];
  window.__frames = frames;
  const socket = new WebSocket(location.origin.replace("http", "ws") + path);
  socket.onmessage = (event) => frames.push(JSON.parse(event.data));
  await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onclose = reject; });
  return true;
}"""

POST_JSON = """async ([url, body]) => {
  const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  const response = await fetch(url, {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.split("=")[1] : ""},
    body: JSON.stringify(body),
  });
  return response.status;
}"""


def test_a_member_sees_a_message_another_posts_live(asgi_server, new_page):
    # given: two members of a cohort with a channel and a thread
    cohort = CohortFactory()
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace")).user
    mentor = MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user
    channel = discussion_services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    thread = discussion_services.thread_create(actor=ada, channel_id=channel.pk, title="Hello", body="First")
    reader, writer = new_page(ada), new_page(grace)
    reader.goto("/")
    writer.goto("/accounts/login/")  # any page of ours, for its CSRF cookie

    # when: ada listens on the channel's socket (session auth) and grace posts over REST
    assert reader.evaluate(OPEN_SOCKET, f"/ws/channels/{channel.pk}/") is True
    status = writer.evaluate(POST_JSON, [f"/api/v1/threads/{thread.pk}/messages/", {"body": "Live from grace"}])

    # then: the write is in the test's database and the frame reached ada's browser
    assert status == 201
    assert Message.objects.filter(thread=thread, author=grace, body="Live from grace").exists()
    reader.wait_for_function("window.__frames.some((f) => f.type === 'message.created')")
    frames = reader.evaluate("window.__frames")
    assert [f["type"] for f in frames] == ["subscribed", "message.created"]
    assert frames[1]["data"]["body"] == "Live from grace"
    assert frames[1]["data"]["author"]["username"] == "grace"


def test_a_stranger_cannot_open_a_channel_socket(asgi_server, new_page):
    cohort = CohortFactory()
    mentor = MembershipFactory(cohort=cohort, role=Membership.Role.MENTOR).user
    channel = discussion_services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    page = new_page(UserFactory())
    page.goto("/")

    refused = page.evaluate(
        """(path) => new Promise((resolve) => {
             const socket = new WebSocket(location.origin.replace("http", "ws") + path);
             socket.onopen = () => resolve("open");
             socket.onclose = (event) => resolve("closed");
           })""",
        f"/ws/channels/{channel.pk}/",
    )

    assert refused == "closed"
    page.record.errors.clear()  # Chromium logs the refused handshake as a console error
