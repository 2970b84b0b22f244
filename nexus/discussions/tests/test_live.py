"""`ws/channels/<id>/` through the real ASGI application (Origin check, authentication, routing).

Transactional tests: the services' frames leave on commit, as in production. In services mode
the channel layer is Redis (asserted below), so these run through it.
"""

import asyncio
import logging

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from nexus.accounts import services as account_services
from nexus.accounts.authentication import revoke_access_token
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Cohort, Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.websocket import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED, SUBPROTOCOL
from nexus.discussions import services

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://localhost:8000")
TIMEOUT = 5  # seconds; generous for a shared two-core machine and a real Redis


@pytest_asyncio.fixture(autouse=True)
async def _cleanup():
    """After each test: end every application the test opened -- refused ones too, whose consumer
    still waits on the channel layer (cancelling those waits at loop close can hang the Redis
    layer) -- and close the database connection of asgiref's worker thread, where consumers and
    services ran, so PostgreSQL lets the test database be dropped at the end."""
    yield
    while _opened:
        ws = _opened.pop()
        if not ws.future.done():
            await ws.send_input({"type": "websocket.disconnect", "code": 1000})
            await ws.wait(timeout=TIMEOUT)
    await database_sync_to_async(connections.close_all)()


async def _token(user) -> str:
    return (await database_sync_to_async(account_services.token_pair_issue)(user=user))["access"]


def _world():
    """A cohort with ada, grace and a mentor, a cohort-wide channel and a thread; an outsider elsewhere."""
    cohort = CohortFactory(slug="live-cohort")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace")).user
    mentor = MembershipFactory(cohort=cohort, user=UserFactory(username="mentor"), role=Membership.Role.MENTOR).user
    outsider = MembershipFactory(user=UserFactory(username="outsider")).user
    channel = services.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    thread = services.thread_create(actor=ada, channel_id=channel.pk, title="Celery", body="Why?")
    return {"cohort": cohort, "ada": ada, "grace": grace, "mentor": mentor, "outsider": outsider,
            "channel": channel, "thread": thread}  # fmt: skip


world = database_sync_to_async(_world)


_opened: list[WebsocketCommunicator] = []


def _communicator(channel_id, *, token=None, headers=None, protocols=None):
    subprotocols = protocols if protocols is not None else [SUBPROTOCOL, *([f"bearer.{token}"] if token else [])]
    ws = WebsocketCommunicator(
        application, f"/ws/channels/{channel_id}/", headers=headers or [ORIGIN], subprotocols=subprotocols
    )
    _opened.append(ws)
    return ws


async def _connected(channel_id, user):
    ws = _communicator(channel_id, token=await _token(user))
    connected, protocol = await ws.connect(timeout=TIMEOUT)
    assert connected and protocol == SUBPROTOCOL
    hello = await ws.receive_json_from(timeout=TIMEOUT)
    assert hello["type"] == "subscribed" and hello["channel"] == channel_id
    return ws


async def test_two_members_see_each_others_messages_edits_deletes_and_reactions():
    w = await world()
    channel_id = w["channel"].pk
    ada, grace = await _connected(channel_id, w["ada"]), await _connected(channel_id, w["grace"])

    # ada posts: both receive it, exactly as REST shapes it
    message = await database_sync_to_async(services.message_post)(
        actor=w["ada"], thread_id=w["thread"].pk, body="Hi @grace, **look**"
    )
    for ws in (ada, grace):
        frame = await ws.receive_json_from(timeout=TIMEOUT)
        assert frame["type"] == "message.created" and frame["channel"] == channel_id
        data = frame["data"]
        assert (data["id"], data["author"]["username"], data["body_html"]) == (
            message.pk, "ada", "<p>Hi @grace, <strong>look</strong></p>\n",
        )  # fmt: skip
        assert data["mentions"] == ["grace"] and data["deleted"] is False
        assert (frame["thread"]["id"], frame["thread"]["message_count"]) == (w["thread"].pk, 2)

    # grace reacts, ada edits, grace's own message is deleted by her
    await database_sync_to_async(services.message_react)(actor=w["grace"], message_id=message.pk, emoji="tada")
    for ws in (ada, grace):
        frame = await ws.receive_json_from(timeout=TIMEOUT)
        assert frame["type"] == "reaction.changed"
        assert frame["data"]["reactions"] == [{"emoji": "tada", "char": "🎉", "count": 1, "users": [w["grace"].pk]}]

    await database_sync_to_async(services.message_edit)(actor=w["ada"], message_id=message.pk, body="Hi all")
    for ws in (ada, grace):
        frame = await ws.receive_json_from(timeout=TIMEOUT)
        assert frame["type"] == "message.edited"
        assert frame["data"]["body"] == "Hi all" and frame["data"]["edited_at"] is not None
        assert frame["data"]["mentions"] == []

    reply = await database_sync_to_async(services.message_post)(actor=w["grace"], thread_id=w["thread"].pk, body="ok")
    for ws in (ada, grace):
        frame = await ws.receive_json_from(timeout=TIMEOUT)
        assert frame["data"]["id"] == reply.pk and frame["thread"]["message_count"] == 3
    await database_sync_to_async(services.message_delete)(actor=w["grace"], message_id=reply.pk)
    for ws in (ada, grace):
        frame = await ws.receive_json_from(timeout=TIMEOUT)
        assert frame["type"] == "message.deleted"
        assert frame["data"]["id"] == reply.pk and frame["data"]["deleted"] is True and frame["data"]["body"] == ""
        assert frame["thread"]["message_count"] == 2

    assert await ada.receive_nothing(timeout=0.2) and await grace.receive_nothing(timeout=0.2)
    await ada.disconnect()
    await grace.disconnect()


async def test_a_non_member_cannot_connect_nor_receive():
    w = await world()
    ws = _communicator(w["channel"].pk, token=await _token(w["outsider"]))
    connected, code = await ws.connect(timeout=TIMEOUT)
    assert (connected, code) == (False, CLOSE_NOT_FOUND)

    member = await _connected(w["channel"].pk, w["ada"])
    await database_sync_to_async(services.message_post)(actor=w["grace"], thread_id=w["thread"].pk, body="secret")
    assert (await member.receive_json_from(timeout=TIMEOUT))["data"]["body"] == "secret"
    assert await ws.receive_nothing(timeout=0.3)  # the refused connection got nothing
    await member.disconnect()


async def test_a_channel_that_does_not_exist_is_refused_like_one_you_may_not_read():
    w = await world()
    connected, code = await _communicator(10**9, token=await _token(w["ada"])).connect(timeout=TIMEOUT)
    assert (connected, code) == (False, CLOSE_NOT_FOUND)


async def test_anonymous_is_refused():
    w = await world()
    connected, code = await _communicator(w["channel"].pk).connect(timeout=TIMEOUT)
    assert (connected, code) == (False, CLOSE_UNAUTHENTICATED)


@pytest.mark.parametrize(
    "headers",
    [
        [(b"origin", b"http://evil.example")],
        [(b"origin", b"null")],
        [],  # no Origin at all
    ],
    ids=["foreign", "null", "missing"],
)
async def test_a_bad_origin_is_refused_before_anything_else(headers):
    w = await world()
    ws = _communicator(w["channel"].pk, token=await _token(w["ada"]), headers=headers or [(b"host", b"localhost")])
    connected, _ = await ws.connect(timeout=TIMEOUT)
    assert connected is False


async def test_a_revoked_token_is_refused():
    w = await world()
    token = await _token(w["ada"])
    await database_sync_to_async(revoke_access_token)(AccessToken(token))
    connected, code = await _communicator(w["channel"].pk, token=token).connect(timeout=TIMEOUT)
    assert (connected, code) == (False, CLOSE_UNAUTHENTICATED)


async def test_a_forged_or_refresh_token_is_refused_and_never_logged(caplog):
    caplog.set_level(logging.DEBUG)
    w = await world()
    pair = await database_sync_to_async(account_services.token_pair_issue)(user=w["ada"])
    for token in (pair["access"][:-4] + "AAAA", pair["refresh"], "not-a-jwt"):
        connected, code = await _communicator(w["channel"].pk, token=token).connect(timeout=TIMEOUT)
        assert (connected, code) == (False, CLOSE_UNAUTHENTICATED)
    assert "websocket token refused" in caplog.text
    assert pair["refresh"] not in caplog.text and pair["access"][:-4] not in caplog.text


def _session_cookie(user) -> bytes:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


async def test_the_session_cookie_works_from_first_party_origins_only(settings):
    settings.CORS_ALLOWED_ORIGINS = ["http://frontend.example:3000"]
    w = await world()
    cookie = (b"cookie", await database_sync_to_async(_session_cookie)(w["ada"]))

    first_party = _communicator(w["channel"].pk, headers=[ORIGIN, cookie])
    assert await first_party.connect(timeout=TIMEOUT) == (True, SUBPROTOCOL)
    await first_party.disconnect()

    # a CORS origin may connect, but with a token: the cookie alone would be cross-site hijacking
    cross = [(b"origin", b"http://frontend.example:3000"), cookie]
    assert await _communicator(w["channel"].pk, headers=cross).connect(timeout=TIMEOUT) == (
        False, CLOSE_UNAUTHENTICATED,
    )  # fmt: skip
    with_token = _communicator(w["channel"].pk, token=await _token(w["ada"]), headers=cross)
    assert await with_token.connect(timeout=TIMEOUT) == (True, SUBPROTOCOL)
    await with_token.disconnect()


async def test_removal_from_a_private_channel_closes_the_live_connection():
    w = await world()
    private = await database_sync_to_async(services.channel_create)(
        actor=w["ada"], cohort="live-cohort", name="Pair", visibility="private", members=["grace"]
    )
    thread = await database_sync_to_async(services.thread_create)(
        actor=w["ada"], channel_id=private.pk, title="Pairing", body="Tonight?"
    )
    grace = await _connected(private.pk, w["grace"])

    await database_sync_to_async(services.channel_member_remove)(
        actor=w["ada"], channel_id=private.pk, username="grace"
    )
    assert (await grace.receive_output(timeout=TIMEOUT)) == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}

    ada = await _connected(private.pk, w["ada"])
    await database_sync_to_async(services.message_post)(actor=w["ada"], thread_id=thread.pk, body="after")
    assert (await ada.receive_json_from(timeout=TIMEOUT))["data"]["body"] == "after"
    await ada.disconnect()


async def test_leaving_the_cohort_closes_the_live_connection():
    w = await world()
    grace = await _connected(w["channel"].pk, w["grace"])
    await database_sync_to_async(Membership.objects.filter(user=w["grace"], cohort=w["cohort"]).delete)()
    assert (await grace.receive_output(timeout=TIMEOUT)) == {"type": "websocket.close", "code": CLOSE_FORBIDDEN}


async def test_a_stale_check_is_redone_before_delivering(settings):
    settings.DISCUSSIONS_WS_RECHECK_SECONDS = 0  # every frame re-checks
    w = await world()
    grace = await _connected(w["channel"].pk, w["grace"])

    def deactivate():
        w["grace"].is_active = False
        w["grace"].save(update_fields=["is_active"])

    await database_sync_to_async(deactivate)()
    await database_sync_to_async(services.message_post)(actor=w["ada"], thread_id=w["thread"].pk, body="private?")
    assert (await grace.receive_output(timeout=TIMEOUT)) == {
        "type": "websocket.close", "code": CLOSE_UNAUTHENTICATED,
    }  # fmt: skip


async def test_an_idle_connection_keeps_receiving():
    """Idle longer than the Redis layer's blocking receive (5 s) -- the socket must not time out first."""
    w = await world()
    ws = await _connected(w["channel"].pk, w["grace"])
    await asyncio.sleep(getattr(get_channel_layer(), "brpop_timeout", 0) + 1.5)
    await database_sync_to_async(services.message_post)(actor=w["ada"], thread_id=w["thread"].pk, body="still there?")
    assert (await ws.receive_json_from(timeout=TIMEOUT))["data"]["body"] == "still there?"
    await ws.disconnect()


async def test_ping_and_bad_frames():
    w = await world()
    ws = await _connected(w["channel"].pk, w["ada"])
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=TIMEOUT) == {"type": "pong"}
    await ws.send_to(text_data="not json")
    assert (await ws.receive_json_from(timeout=TIMEOUT))["type"] == "error"
    await ws.send_json_to({"type": "message", "body": "over ws"})
    assert (await ws.receive_json_from(timeout=TIMEOUT))["type"] == "error"
    await ws.disconnect()


async def test_subscribed_frame_names_the_last_message_to_catch_up_from():
    w = await world()
    last = await database_sync_to_async(services.message_post)(actor=w["ada"], thread_id=w["thread"].pk, body="x")
    ws = _communicator(w["channel"].pk, token=await _token(w["grace"]))
    await ws.connect(timeout=TIMEOUT)
    assert await ws.receive_json_from(timeout=TIMEOUT) == {
        "type": "subscribed", "channel": w["channel"].pk, "last_message": last.pk,
    }  # fmt: skip
    await ws.disconnect()
    assert await database_sync_to_async(Cohort.objects.count)() == 2
