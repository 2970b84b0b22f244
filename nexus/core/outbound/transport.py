"""Pinned connections: the guarded httpcore backends, deadline-aware streams and the httpx transports built on them."""

from __future__ import annotations

import functools
import ssl
import time
from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

import httpcore
import httpx

from nexus.core.outbound.errors import OutboundRefused
from nexus.core.outbound.policy import Policy
from nexus.core.outbound.resolution import vet_host, vet_host_async

# The monotonic time by which the current exchange must end; every socket read and write waits
# at most until then. A context variable, so that concurrent async requests each have their own.
_deadline: ContextVar[float | None] = ContextVar("nexus_outbound_deadline", default=None)
_MAX_ADDRESSES_TRIED = 3


def _budget(timeout: float | None, exc: type[Exception]) -> float | None:
    deadline = _deadline.get()
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc("The exchange used up its total time limit.")
    return left if timeout is None else min(timeout, left)


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream):
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _budget(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _budget(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # server_hostname is the URL's host: SNI and certificate checks use the name, not the IP.
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, _budget(timeout, httpcore.ConnectTimeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class _AsyncStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream):
        self._inner = inner

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _budget(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, _budget(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.start_tls(ssl_context, server_hostname, _budget(timeout, httpcore.ConnectTimeout))
        return _AsyncStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """An httpcore network backend that vets the host and connects to the vetted address only."""

    def __init__(self, policy: Policy, inner: httpcore.NetworkBackend | None = None):
        self.policy = policy
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = vet_host(host, port, self.policy)
        error: Exception | None = None
        for ip in addresses[:_MAX_ADDRESSES_TRIED]:
            try:
                stream = self.inner.connect_tcp(
                    str(ip), port, _budget(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _Stream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise OutboundRefused("scheme", "Unix sockets are not reachable through the outbound guard.")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    """`GuardedBackend` for asyncio (anyio): the same vetting, an async lookup and connect."""

    def __init__(self, policy: Policy, inner: httpcore.AsyncNetworkBackend | None = None):
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await vet_host_async(host, port, self.policy)
        error: Exception | None = None
        for ip in addresses[:_MAX_ADDRESSES_TRIED]:
            try:
                stream = await self.inner.connect_tcp(
                    str(ip), port, _budget(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return _AsyncStream(stream)
        assert error is not None
        raise error

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise OutboundRefused("scheme", "Unix sockets are not reachable through the outbound guard.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@functools.cache
def _default_ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes about 0.1 s; one context serves every client.
    return httpx.create_ssl_context(trust_env=False)


def _ssl_context(ssl_context: ssl.SSLContext | None) -> ssl.SSLContext:
    # Certificates are always verified; a caller may only bring its own trust store (tests' CA).
    return ssl_context or _default_ssl_context()


class _Transport(httpx.HTTPTransport):
    def __init__(self, *, policy: Policy, ssl_context: ssl.SSLContext, max_connections: int):
        super().__init__(verify=ssl_context, trust_env=False)
        # httpx builds its connection pool without a way to pass a network backend; this pool is
        # the same one with the guarded backend (pinned by httpx<0.29 in pyproject.toml).
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=max_connections, network_backend=GuardedBackend(policy)
        )


class _AsyncTransport(httpx.AsyncHTTPTransport):
    def __init__(self, *, policy: Policy, ssl_context: ssl.SSLContext, max_connections: int):
        super().__init__(verify=ssl_context, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context, max_connections=max_connections, network_backend=AsyncGuardedBackend(policy)
        )
