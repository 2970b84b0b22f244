"""The real ASGI application (HTTP and WebSockets, config.asgi) on uvicorn in a thread, for browser tests.

The server runs in the test process, so it reads and writes the test database the test sees
(tests must be transactional: what they create is committed, what the server writes is
visible to them) and shares the in-memory channel layer of embedded mode:

- Every piece of synchronous server code -- each HTTP request (Django's whole sync middleware
  chain and view run in one call) and each WebSocket consumer's database work -- runs on one
  thread, asgiref's single thread executor, as in a single-threaded server. Django gives each
  HTTP request its own thread otherwise (`ThreadSensitiveContext`).
- SQLite's test database lives in memory: that thread uses the test's own connection (what
  Django's LiveServerTestCase does), so the two never lock each other out; PostgreSQL uses its
  own connection to the test database and closes it when the server stops, so the database
  can be flushed and dropped.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import uvicorn
from asgiref.sync import SyncToAsync, ThreadSensitiveContext
from django.core.handlers import asgi as django_asgi
from django.db import connections


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:<port>

    @property
    def ws_url(self) -> str:
        return "ws" + self.url.removeprefix("http")


def _one_thread_context() -> ThreadSensitiveContext:
    return ThreadSensitiveContext(executor=SyncToAsync.single_thread_executor)


def _in_server_thread(fn: Any) -> Any:
    return SyncToAsync.single_thread_executor.submit(fn).result(timeout=30)


def _shared_sqlite_connections() -> dict[str, Any]:
    shared = {}
    for conn in connections.all():
        if conn.vendor == "sqlite" and conn.is_in_memory_db():
            conn.inc_thread_sharing()
            shared[conn.alias] = conn
    return shared


@contextlib.contextmanager
def serve(*, startup_timeout: float = 20.0) -> Iterator[LiveServer]:
    """Serve config.asgi.application on 127.0.0.1 and a port the OS picks, until the block ends."""
    from config.asgi import application

    shared = _shared_sqlite_connections()

    def use_shared() -> None:
        for alias, conn in shared.items():
            connections[alias] = conn

    def release() -> None:
        for alias in shared:
            del connections[alias]
        # A PostgreSQL connection of this thread would keep the test database from being dropped.
        connections.close_all()

    original_context = django_asgi.ThreadSensitiveContext
    django_asgi.ThreadSensitiveContext = _one_thread_context  # type: ignore[assignment,misc]
    _in_server_thread(use_shared)

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        application, lifespan="off", log_level="warning", access_log=False, timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="e2e-uvicorn", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + startup_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("The ASGI test server did not start.")
            time.sleep(0.02)
        yield LiveServer(url=f"http://127.0.0.1:{port}")
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        django_asgi.ThreadSensitiveContext = original_context  # type: ignore[misc]
        _in_server_thread(release)
        for conn in shared.values():
            conn.dec_thread_sharing()
        if thread.is_alive():
            raise RuntimeError("The ASGI test server did not stop within 15 s.")
