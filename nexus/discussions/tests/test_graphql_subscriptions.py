"""`subscription { channelMessages(channelId) }` over graphql-transport-ws, through the real ASGI app.

The same authorization as `ws/channels/<id>/`: anonymous handshakes are refused, a member who
may not read the channel is told NOT_FOUND, and losing access ends the subscription. Transactional:
the services' events leave on commit, as in production (Redis in services mode).
"""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from rest_framework_simplejwt.tokens import AccessToken

from nexus.accounts import services as account_services
from nexus.accounts.authentication import revoke_access_token
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.tests.graphql_ws import (
    ORIGIN,
    PROTOCOL,
    cleanup,
    communicator,
    open_socket,
    receive,
    subscribe,
    subscribed,
)
from nexus.core.websocket import CLOSE_UNAUTHENTICATED
from nexus.discussions import services
from nexus.discussions.live import channel_group

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

CHANNEL_MESSAGES = """
subscription ($channel: ID!) {
  channelMessages(channelId: $channel) {
    event channelId
    message { id threadId body bodyHtml mentions deleted author { username name } reactions { emoji count } }
  }
}
"""


@pytest_asyncio.fixture(autouse=True)
async def _cleanup():
    yield
    await cleanup()


def _world():
    cohort = CohortFactory(slug="gql-live")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace")).user
    mentor = MembershipFactory(cohort=cohort, user=UserFactory(username="mentor"), role=Membership.Role.MENTOR).user
    outsider = MembershipFactory(user=UserFactory(username="outsider")).user
    channel = services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    private = services.channel_create(
        actor=mentor, cohort=cohort.slug, name="Mentors", visibility="private", members=["grace"]
    )
    thread = services.thread_create(actor=ada, channel_id=channel.pk, title="Celery", body="Why?")
    tokens = {u.username: account_services.token_pair_issue(user=u)["access"] for u in (ada, grace, outsider)}
    return {"ada": ada, "grace": grace, "mentor": mentor, "channel": channel, "private": private,
            "thread": thread, "tokens": tokens}  # fmt: skip


world = database_sync_to_async(_world)


async def test_a_new_message_arrives_as_the_message_document():
    w = await world()
    ws = await open_socket(w["tokens"]["grace"])
    await subscribed(ws, CHANNEL_MESSAGES, {"channel": str(w["channel"].pk)}, group=channel_group(w["channel"].pk))
    assert await ws.receive_nothing(timeout=0.1)  # nothing until something happens

    message = await database_sync_to_async(services.message_post)(
        actor=w["ada"], thread_id=w["thread"].pk, body="It was **prefetch**, @grace"
    )

    frame = await receive(ws)
    assert frame == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": {
                "channelMessages": {
                    "event": "message.created",
                    "channelId": str(w["channel"].pk),
                    "message": {
                        "id": str(message.pk),
                        "threadId": str(w["thread"].pk),
                        "body": "It was **prefetch**, @grace",
                        "bodyHtml": message.body_html,
                        "mentions": ["grace"],
                        "deleted": False,
                        "author": {"username": "ada", "name": w["ada"].profile.name},
                        "reactions": [],
                    },
                }
            }
        },
    }
    await ws.disconnect()


async def test_edits_and_deletes_arrive_and_other_events_do_not():
    w = await world()
    ws = await open_socket(w["tokens"]["grace"])
    await subscribed(ws, CHANNEL_MESSAGES, {"channel": str(w["channel"].pk)}, group=channel_group(w["channel"].pk))
    first = w["thread"].first_message

    await database_sync_to_async(services.message_react)(actor=w["grace"], message_id=first.pk, emoji="+1")
    await database_sync_to_async(services.message_edit)(actor=w["ada"], message_id=first.pk, body="Why, really?")
    await database_sync_to_async(services.message_delete)(actor=w["ada"], message_id=first.pk)

    edited, deleted = await receive(ws), await receive(ws)
    assert edited["payload"]["data"]["channelMessages"]["event"] == "message.edited"
    assert edited["payload"]["data"]["channelMessages"]["message"]["body"] == "Why, really?"
    # the reaction was delivered with the edit's document, not as an event of its own
    assert edited["payload"]["data"]["channelMessages"]["message"]["reactions"] == [{"emoji": "thumbsup", "count": 1}]
    assert deleted["payload"]["data"]["channelMessages"]["event"] == "message.deleted"
    assert deleted["payload"]["data"]["channelMessages"]["message"]["deleted"] is True
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_a_member_who_may_not_read_the_channel_is_told_not_found():
    w = await world()
    ws = await open_socket(w["tokens"]["outsider"])
    await subscribe(ws, CHANNEL_MESSAGES, {"channel": str(w["channel"].pk)}, id="a")
    await subscribe(ws, CHANNEL_MESSAGES, {"channel": str(w["private"].pk)}, id="b")

    frames = [await receive(ws) for _ in range(4)]
    for op in ("a", "b"):
        mine = [f for f in frames if f["id"] == op]
        assert [f["type"] for f in mine] == ["next", "complete"]
        assert mine[0]["payload"]["data"] is None
        [error] = mine[0]["payload"]["errors"]
        assert error["extensions"] == {"code": "NOT_FOUND", "status": 404}
    # ada, a cohort member not invited to the private channel, is refused the same way
    ws2 = await open_socket(w["tokens"]["ada"])
    await subscribe(ws2, CHANNEL_MESSAGES, {"channel": str(w["private"].pk)})
    frame = await receive(ws2)
    assert frame["payload"]["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # and nothing of the channel reaches the refused subscriptions
    await database_sync_to_async(services.message_post)(actor=w["ada"], thread_id=w["thread"].pk, body="secret")
    assert await ws.receive_nothing(timeout=0.5)
    await ws.disconnect()
    await ws2.disconnect()


async def test_anonymous_handshakes_are_refused():
    await world()
    ws = communicator()
    connected, code = await ws.connect(timeout=5)
    assert not connected and code == CLOSE_UNAUTHENTICATED


async def test_a_member_removed_from_a_private_channel_loses_the_subscription():
    w = await world()
    ws = await open_socket(w["tokens"]["grace"])
    await subscribed(ws, CHANNEL_MESSAGES, {"channel": str(w["private"].pk)}, group=channel_group(w["private"].pk))
    # a first delivery: the subscription has passed its access check
    await database_sync_to_async(services.thread_create)(
        actor=w["mentor"], channel_id=w["private"].pk, title="Mentors", body="before"
    )
    assert (await receive(ws))["payload"]["data"]["channelMessages"]["message"]["body"] == "before"

    await database_sync_to_async(services.channel_member_remove)(
        actor=w["mentor"], channel_id=w["private"].pk, username="grace"
    )

    frame = await receive(ws)
    assert frame["type"] == "next" and frame["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await receive(ws) == {"id": "1", "type": "complete"}
    await ws.disconnect()


async def test_a_revoked_token_closes_the_socket_at_the_next_delivery(settings):
    settings.DISCUSSIONS_WS_RECHECK_SECONDS = 0
    w = await world()
    token = w["tokens"]["grace"]
    ws = await open_socket(token)
    await subscribed(ws, CHANNEL_MESSAGES, {"channel": str(w["channel"].pk)}, group=channel_group(w["channel"].pk))

    await database_sync_to_async(revoke_access_token)(AccessToken(token))
    await database_sync_to_async(services.message_post)(actor=w["ada"], thread_id=w["thread"].pk, body="hello")

    assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}


async def test_queries_and_mutations_go_over_http_not_the_socket():
    w = await world()
    ws = await open_socket(w["tokens"]["grace"])
    await subscribe(ws, "{ __typename }", id="q")
    await subscribe(ws, 'mutation { followMember(username: "ada") { errors { field } } }', id="m")
    for op in ("q", "m"):
        assert await receive(ws) == {
            "id": op,
            "type": "error",
            "payload": [
                {
                    "message": "Only subscriptions go over the socket; send queries and mutations with POST /graphql/.",
                    "extensions": {"code": "OPERATION_NOT_ALLOWED"},
                }
            ],
        }
    # and nothing was done: ada has no follower
    assert await database_sync_to_async(w["ada"].followers.count)() == 0
    await ws.disconnect()


async def test_the_token_is_never_echoed_and_only_graphql_transport_ws_is_spoken():
    w = await world()
    ws = communicator(protocols=[PROTOCOL, f"bearer.{w['tokens']['grace']}"])
    connected, protocol = await ws.connect(timeout=5)
    assert connected and protocol == PROTOCOL
    await ws.disconnect()
    legacy = communicator(protocols=["graphql-ws", f"bearer.{w['tokens']['grace']}"])
    connected, _ = await legacy.connect(timeout=5)
    assert connected  # accepted, then closed: subprotocol not acceptable
    closed = await legacy.receive_output(timeout=5)
    assert (closed["type"], closed["code"]) == ("websocket.close", 4406)


def _session_cookie(user) -> tuple[bytes, bytes]:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode())


async def test_origins_and_the_session_cookie_as_on_every_socket(settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://frontend.example:3000"]
    w = await world()
    cookie = await database_sync_to_async(_session_cookie)(w["grace"])
    cross = (b"origin", b"http://frontend.example:3000")

    # first party: the session is enough, and it subscribes as grace
    ws = await open_socket(headers=[ORIGIN, cookie])
    await subscribed(ws, CHANNEL_MESSAGES, {"channel": str(w["private"].pk)}, group=channel_group(w["private"].pk))
    await database_sync_to_async(services.thread_create)(
        actor=w["mentor"], channel_id=w["private"].pk, title="Mentors", body="hello"
    )
    assert (await receive(ws))["payload"]["data"]["channelMessages"]["message"]["body"] == "hello"
    await ws.disconnect()
    # a CORS origin: the cookie alone would be cross-site WebSocket hijacking -- refused ...
    refused = communicator(headers=[cross, cookie])
    assert await refused.connect(timeout=5) == (False, CLOSE_UNAUTHENTICATED)
    # ... but the same origin with a token is a client app, welcome
    ws = await open_socket(w["tokens"]["grace"], headers=[cross])
    await ws.disconnect()
    # an origin nobody allowed, or none, never reaches GraphQL
    for headers in ([(b"origin", b"https://evil.example")], [(b"user-agent", b"curl")]):
        denied = communicator(token=w["tokens"]["grace"], headers=headers)
        connected, _ = await denied.connect(timeout=5)
        assert not connected
