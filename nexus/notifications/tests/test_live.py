"""`ws/notifications/` through the real ASGI application: a mention in a channel reaches the
mentioned member live and (by default, "immediate") by e-mail; replies and comments notify the
thread's starter and the entry's author; anonymous connections are refused. Transactional: the
notifications are made after commit, as in production (tasks run in-process in tests)."""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from django.db import connections

from config.asgi import application
from nexus.accounts import services as account_services
from nexus.accounts.tests.factories import UserFactory
from nexus.cohorts.models import Membership
from nexus.cohorts.tests.factories import CohortFactory, MembershipFactory
from nexus.core.websocket import CLOSE_UNAUTHENTICATED, SUBPROTOCOL
from nexus.discussions import services as discussions

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

ORIGIN = (b"origin", b"http://localhost:8000")
TIMEOUT = 5


_opened: list[WebsocketCommunicator] = []


def _communicator(subprotocols):
    ws = WebsocketCommunicator(application, "/ws/notifications/", headers=[ORIGIN], subprotocols=subprotocols)
    _opened.append(ws)
    return ws


@pytest_asyncio.fixture(autouse=True)
async def _cleanup():
    """End every application a test opened (a refused consumer left waiting on the Redis layer
    can hang the loop's close), and close the database connection of asgiref's worker thread."""
    yield
    while _opened:
        ws = _opened.pop()
        if not ws.future.done():
            await ws.send_input({"type": "websocket.disconnect", "code": 1000})
            await ws.wait(timeout=TIMEOUT)
    await database_sync_to_async(connections.close_all)()


def _world():
    cohort = CohortFactory(slug="notify-cohort")
    ada = MembershipFactory(cohort=cohort, user=UserFactory(username="ada", email="ada@example.org")).user
    grace = MembershipFactory(cohort=cohort, user=UserFactory(username="grace", email="grace@example.org")).user
    mentor = MembershipFactory(cohort=cohort, user=UserFactory(username="mentor"), role=Membership.Role.MENTOR).user
    channel = discussions.channel_create(actor=mentor, cohort=cohort.slug, name="General")
    token = account_services.token_pair_issue(user=grace)["access"]
    return {"ada": ada, "grace": grace, "channel": channel, "token": token}


async def _listen(token):
    ws = _communicator([SUBPROTOCOL, f"bearer.{token}"])
    connected, protocol = await ws.connect(timeout=TIMEOUT)
    assert connected and protocol == SUBPROTOCOL
    return ws


async def test_a_mention_arrives_live_and_by_email():
    w = await database_sync_to_async(_world)()
    ws = await _listen(w["token"])
    assert await ws.receive_json_from(timeout=TIMEOUT) == {"type": "subscribed", "unread": 0}

    await database_sync_to_async(discussions.thread_create)(
        actor=w["ada"], channel_id=w["channel"].pk, title="Celery", body="@grace why does the worker idle?"
    )
    frame = await ws.receive_json_from(timeout=TIMEOUT)

    assert frame["type"] == "notification.created"
    assert frame["data"]["kind"] == "mention" and "ada mentioned you" in frame["data"]["text"]
    assert await ws.receive_nothing(timeout=0.5)  # exactly one frame
    assert [m.to for m in mail.outbox] == [["grace@example.org"]]
    await ws.disconnect()


async def test_anonymous_cannot_listen():
    ws = _communicator([SUBPROTOCOL])
    connected, code = await ws.connect(timeout=TIMEOUT)
    assert not connected and code == CLOSE_UNAUTHENTICATED
