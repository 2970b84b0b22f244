"""GraphQL subscriptions over WebSockets: `graphql-transport-ws` at `/graphql/`, behind the same
Origin check and authentication as every other WebSocket (`nexus.core.websocket`, decision 0007).

    # config/asgi.py
    websocket_stack(URLRouter([..., path("graphql/", GraphQLSubscriptionConsumer.as_asgi(schema=schema))]))

**One way to authenticate**, the WebSocket endpoints' own, decided at the handshake: the access
token offered as a subprotocol next to the protocol, `Sec-WebSocket-Protocol:
graphql-transport-ws, bearer.<jwt>` (the server answers `graphql-transport-ws` only, so the token
is never echoed), or, from a first-party origin, the session cookie. A `connection_init`
payload is *not* read for credentials: the connection is authenticated (or refused) before
the consumer runs, by the middleware every socket shares, so there is one place where a
credential is checked and one rule for which origins may use the cookie. Anonymous handshakes
are refused (HTTP 403 on the handshake, as `ws/channels/` and `ws/notifications/` do).

**Subscriptions only.** Queries and mutations go over HTTP (`POST /graphql/`): the socket answers
any other operation with an error. Each subscription checks the member's access when it starts
(a subscription to what the member may not read ends at once with a `NOT_FOUND` error, the
others on the same socket continue) and, like the other sockets, re-checks the credential and
the access before delivering once the last check is older than `DISCUSSIONS_WS_RECHECK_SECONDS`,
or at once when told the member's access changed: a credential that expired or was revoked
closes the socket with 4401; lost access ends that subscription with a `FORBIDDEN` error.

Subscription resolvers listen with `socket(info).listen(groups=..., types=...)`: the channel-layer
messages of those types sent to those groups arrive on a queue, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings
from graphql import GraphQLError, get_operation_ast, parse
from graphql import OperationType as GraphQLOperationType
from strawberry.channels import GraphQLWSConsumer
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import BaseGraphQLTransportWSHandler
from strawberry.types import Info
from strawberry.types.graphql import OperationType

from nexus.core.graphql_mutations import graphql_error, not_found
from nexus.core.websocket import ANONYMOUS, CLOSE_UNAUTHENTICATED, Credential

logger = logging.getLogger(__name__)

MAX_SUBSCRIPTIONS_PER_CONNECTION = 20
CONNECTION_INIT_TIMEOUT = dt.timedelta(seconds=10)


ONLY_SUBSCRIPTIONS = "Only subscriptions go over the socket; send queries and mutations with POST /graphql/."


class _SubscriptionsOnly:
    """The schema as the socket runs it: subscription operations only (queries and mutations use HTTP)."""

    def __init__(self, schema: Any):
        self._schema = schema

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)

    async def stream(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["allowed_operation_types"] = (OperationType.SUBSCRIPTION,)
        return await self._schema.stream(*args, **kwargs)


class _TransportWSHandler(BaseGraphQLTransportWSHandler):
    """graphql-transport-ws, answering a query or mutation with an `error` message that says where it goes."""

    async def handle_subscribe(self, message: Any) -> None:
        payload = message.get("payload") if isinstance(message, dict) else None
        if self.connection_acknowledged and isinstance(payload, dict) and message.get("id") not in self.operations:
            try:
                operation = get_operation_ast(parse(payload.get("query") or ""), payload.get("operationName"))
            except GraphQLError:  # a syntax error: strawberry answers it (close 4400)
                operation = None
            if operation is not None and operation.operation != GraphQLOperationType.SUBSCRIPTION:
                error = {"message": ONLY_SUBSCRIPTIONS, "extensions": {"code": "OPERATION_NOT_ALLOWED"}}
                await self.send_message({"id": message["id"], "type": "error", "payload": [error]})  # type: ignore[misc, arg-type]
                return
        await super().handle_subscribe(message)


@dataclass
class SubscriptionContext:
    """`info.context` of a subscription: the member, how they authenticated, and their socket."""

    ws: GraphQLSubscriptionConsumer
    user: Any
    credential: Credential
    request: Any = None  # `request.user`, for code written for HTTP contexts
    connection_params: dict[str, Any] = field(default_factory=dict)


class GraphQLSubscriptionConsumer(GraphQLWSConsumer):
    """strawberry's Channels consumer, speaking only graphql-transport-ws, to authenticated members."""

    graphql_transport_ws_handler_class = _TransportWSHandler

    def __init__(self, schema: Any, **kwargs: Any):
        kwargs.setdefault("subscription_protocols", (GRAPHQL_TRANSPORT_WS_PROTOCOL,))
        kwargs.setdefault("connection_init_wait_timeout", CONNECTION_INIT_TIMEOUT)
        kwargs.setdefault("max_subscriptions_per_connection", MAX_SUBSCRIPTIONS_PER_CONNECTION)
        super().__init__(_SubscriptionsOnly(schema), **kwargs)  # type: ignore[arg-type]
        self._queues: defaultdict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)
        self._groups: Counter[str] = Counter()
        self._groups_lock = asyncio.Lock()

    # --- connection ---------------------------------------------------------------------------

    @property
    def credential(self) -> Credential:
        return self.scope.get("credential", ANONYMOUS)

    async def connect(self) -> None:
        if not self.credential.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)  # before accept: the handshake fails (403)
            return
        await super().connect()

    async def disconnect(self, code: int) -> None:
        if self.run_task is None:  # refused in connect(): nothing started
            return
        await super().disconnect(code)

    def is_websocket_origin_allowed(self, request: Any, origin: str) -> bool:
        # OriginCheckMiddleware (nexus.core.websocket) already refused every origin not allowed,
        # and kept cookies to first-party origins; strawberry's own check would refuse the CORS ones.
        return True

    async def get_context(self, request: Any, response: Any) -> SubscriptionContext:  # type: ignore[override]
        user = self.credential.user
        return SubscriptionContext(ws=self, user=user, credential=self.credential, request=SimpleNamespace(user=user))

    # --- channel layer ------------------------------------------------------------------------

    async def dispatch(self, message: dict[str, Any]) -> None:  # type: ignore[override]
        queues = self._queues.get(message.get("type", ""))
        if queues:
            for queue in queues:
                queue.put_nowait(message)
            return
        await super().dispatch(message)  # type: ignore[arg-type]

    @contextlib.asynccontextmanager
    async def listen(self, *, groups: Sequence[str], types: Sequence[str]) -> AsyncIterator[asyncio.Queue[dict]]:
        """Join `groups` and receive their messages of `types` on a queue, until the block ends."""
        if self.channel_layer is None:
            raise RuntimeError("GraphQL subscriptions need a channel layer (CHANNEL_LAYERS).")
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        for kind in types:
            self._queues[kind].add(queue)
        joined: list[str] = []
        try:
            for group in groups:
                async with self._groups_lock:
                    await self.channel_layer.group_add(group, self.channel_name)
                    self._groups[group] += 1
                joined.append(group)
            yield queue
        finally:
            for kind in types:
                self._queues[kind].discard(queue)
            for group in joined:
                async with self._groups_lock:
                    self._groups[group] -= 1
                    if self._groups[group] > 0:
                        continue
                    del self._groups[group]
                    try:
                        await self.channel_layer.group_discard(group, self.channel_name)
                    except Exception as exc:  # noqa: BLE001 - the stale entry expires in the layer
                        logger.warning("graphql subscription group discard failed: %s", type(exc).__name__)

    async def credential_lost(self) -> None:
        """The credential expired or was revoked: close the socket (4401), as the other sockets do."""
        await self.close(code=CLOSE_UNAUTHENTICATED)


def socket(info: Info) -> GraphQLSubscriptionConsumer:
    """The consumer a subscription runs on (subscriptions only run over the socket)."""
    return info.context.ws


async def deliveries(
    info: Info,
    *,
    groups: Sequence[str],
    types: Sequence[str],
    can_read: Callable[[Any], bool],
    not_found_message: str,
    access_types: Sequence[str] = (),
) -> AsyncIterator[dict[str, Any]]:
    """The channel-layer messages a subscription delivers, for as long as the member may read them.

    Joins `groups` first, then checks `can_read(user)` (in a thread: it queries), so nothing sent
    in between is missed; a member who may not read is told NOT_FOUND, as REST says 404. Before
    each delivery, when the last check is older than `DISCUSSIONS_WS_RECHECK_SECONDS` -- or at
    once on a message of `access_types` ("your access changed", never delivered itself) -- the
    credential and `can_read` are checked again.
    """
    ws = socket(info)
    credential = ws.credential
    async with ws.listen(groups=groups, types=[*types, *access_types]) as queue:
        if not await database_sync_to_async(can_read)(credential.user):
            raise not_found(not_found_message)
        checked_at = time.monotonic()
        while True:
            message = await queue.get()
            is_access = message.get("type") in access_types
            if is_access or time.monotonic() - checked_at >= settings.DISCUSSIONS_WS_RECHECK_SECONDS:
                valid, readable = await database_sync_to_async(_recheck)(credential, can_read)
                checked_at = time.monotonic()
                if not valid:
                    await ws.credential_lost()
                    return
                if not readable:
                    raise graphql_error("You may no longer read this.", code="FORBIDDEN", status=403)
            if not is_access:
                yield message


def _recheck(credential: Credential, can_read: Callable[[Any], bool]) -> tuple[bool, bool]:
    if not credential.still_valid():
        return False, False
    return True, can_read(credential.user)
