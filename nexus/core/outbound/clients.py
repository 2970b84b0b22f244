"""The guarded clients: `OutboundClient` (sync), `AsyncOutboundClient` (one pool, many requests) and `request`."""

from __future__ import annotations

import ssl
import time
from collections.abc import Mapping

import anyio
import httpx

from nexus.core.outbound.addresses import check_url
from nexus.core.outbound.exchange import _Exchange, _headers, _translated
from nexus.core.outbound.policy import Limits, Policy
from nexus.core.outbound.response import OutboundResponse, _BodyReader
from nexus.core.outbound.transport import _AsyncTransport, _deadline, _ssl_context, _Transport


class OutboundClient:
    """A guarded sync HTTP client; reuse one for several requests to keep connections."""

    def __init__(
        self,
        *,
        policy: Policy | None = None,
        limits: Limits | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 10,
    ):
        self.policy = policy or Policy.from_settings()
        self.limits = limits or Limits.from_settings()
        transport = _Transport(
            policy=self.policy, ssl_context=_ssl_context(ssl_context), max_connections=max_connections
        )
        self._http = httpx.Client(transport=transport, trust_env=False, follow_redirects=False)

    def __enter__(self) -> OutboundClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
        truncate: bool = False,
        limits: Limits | None = None,
    ) -> OutboundResponse:
        """Send one request through the guard; raise an OutboundError subclass if no answer came."""
        limits = limits or self.limits
        exchange = _Exchange(
            method.upper(),
            check_url(url, self.policy),
            _headers(headers),
            content,
            follow_redirects,
            limits,
            self.policy,
        )
        token = _deadline.set(time.monotonic() + limits.total_timeout)
        try:
            while True:
                with (
                    _translated(exchange),
                    self._http.stream(exchange.method, exchange.target.url, **exchange.request_kwargs()) as response,
                ):
                    if exchange.location(response) is not None:
                        continue
                    body = _BodyReader(
                        response, max_bytes=limits.max_bytes, truncate=truncate, host=exchange.target.host
                    )
                    for chunk in response.iter_raw():
                        if not body.feed(chunk):
                            break
                    return exchange.response(response, body)
        finally:
            _deadline.reset(token)


class AsyncOutboundClient:
    """The guarded async client: one pool for many concurrent requests (the health checker)."""

    def __init__(
        self,
        *,
        policy: Policy | None = None,
        limits: Limits | None = None,
        ssl_context: ssl.SSLContext | None = None,
        max_connections: int = 100,
    ):
        self.policy = policy or Policy.from_settings()
        self.limits = limits or Limits.from_settings()
        transport = _AsyncTransport(
            policy=self.policy, ssl_context=_ssl_context(ssl_context), max_connections=max_connections
        )
        self._http = httpx.AsyncClient(transport=transport, trust_env=False, follow_redirects=False)
        # A request waits for a free connection before its total deadline starts, so gathering a
        # thousand requests on a pool of a hundred does not spend their time budgets in the queue.
        self._slots = anyio.Semaphore(max_connections)

    async def __aenter__(self) -> AsyncOutboundClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        follow_redirects: bool = True,
        truncate: bool = False,
        limits: Limits | None = None,
    ) -> OutboundResponse:
        """The async twin of `OutboundClient.request`."""
        limits = limits or self.limits
        exchange = _Exchange(
            method.upper(),
            check_url(url, self.policy),
            _headers(headers),
            content,
            follow_redirects,
            limits,
            self.policy,
        )
        async with self._slots:
            return await self._exchange(exchange, limits=limits, truncate=truncate)

    async def _exchange(self, exchange: _Exchange, *, limits: Limits, truncate: bool) -> OutboundResponse:
        exchange.started = time.monotonic()
        token = _deadline.set(exchange.started + limits.total_timeout)
        try:
            while True:
                with _translated(exchange):
                    async with self._http.stream(
                        exchange.method, exchange.target.url, **exchange.request_kwargs()
                    ) as response:
                        if exchange.location(response) is not None:
                            continue
                        body = _BodyReader(
                            response, max_bytes=limits.max_bytes, truncate=truncate, host=exchange.target.host
                        )
                        async for chunk in response.aiter_raw():
                            if not body.feed(chunk):
                                break
                        return exchange.response(response, body)
        finally:
            _deadline.reset(token)


def request(
    method: str,
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    content: bytes | None = None,
    follow_redirects: bool = True,
    truncate: bool = False,
    limits: Limits | None = None,
    policy: Policy | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> OutboundResponse:
    """One guarded request with a fresh client (see `OutboundClient.request`)."""
    with OutboundClient(policy=policy, limits=limits, ssl_context=ssl_context, max_connections=2) as client:
        return client.request(
            method, url, headers=headers, content=content, follow_redirects=follow_redirects, truncate=truncate
        )
