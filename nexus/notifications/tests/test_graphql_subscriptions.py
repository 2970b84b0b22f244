"""`subscription { myNotifications }` over graphql-transport-ws, through the real ASGI app: a member
receives their own notifications as they are made, nobody else's; anonymous sockets are refused."""

import pytest
import pytest_asyncio
from channels.db import database_sync_to_async

from nexus.accounts import services as account_services
from nexus.accounts.tests.factories import UserFactory
from nexus.core.tests.graphql_ws import cleanup, communicator, open_socket, receive, subscribed
from nexus.core.websocket import CLOSE_UNAUTHENTICATED
from nexus.notifications import services
from nexus.notifications.selectors import user_group

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

MY_NOTIFICATIONS = "subscription { myNotifications { id kind text url actor target { type id } readAt } }"


@pytest_asyncio.fixture(autouse=True)
async def _cleanup():
    yield
    await cleanup()


def _world():
    ada, grace, linus = (UserFactory(username=name) for name in ("ada", "grace", "linus"))
    tokens = {u.username: account_services.token_pair_issue(user=u)["access"] for u in (ada, grace, linus)}
    return {"ada": ada, "grace": grace, "linus": linus, "tokens": tokens}


async def test_a_member_receives_their_own_notifications_as_they_are_made():
    w = await database_sync_to_async(_world)()
    grace_ws = await open_socket(w["tokens"]["grace"])
    linus_ws = await open_socket(w["tokens"]["linus"])
    await subscribed(grace_ws, MY_NOTIFICATIONS, group=user_group(w["grace"].pk))
    await subscribed(linus_ws, MY_NOTIFICATIONS, group=user_group(w["linus"].pk))

    await database_sync_to_async(services.member_follow)(actor=w["ada"], username="grace")

    frame = await receive(grace_ws)
    notification = await database_sync_to_async(lambda: w["grace"].notifications.get())()
    assert frame == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": {
                "myNotifications": {
                    "id": str(notification.pk),
                    "kind": "new_follower",
                    "text": notification.text,
                    "url": "/api/v1/members/ada/",
                    "actor": "ada",
                    "target": {"type": "member", "id": str(w["ada"].pk)},
                    "readAt": None,
                }
            }
        },
    }
    assert await linus_ws.receive_nothing(timeout=0.5)  # not linus's
    await grace_ws.disconnect()
    await linus_ws.disconnect()


async def test_anonymous_cannot_subscribe():
    ws = communicator()
    connected, code = await ws.connect(timeout=5)
    assert not connected and code == CLOSE_UNAUTHENTICATED
