"""Test helpers for the broker: point this process's relay at a broker URL, and a TCP proxy to cut it.

Outages are simulated in front of the shared RabbitMQ, never by stopping it: `TcpProxy` listens
on 127.0.0.1 port 0 and forwards to the broker while up; while down it refuses every connection
(accepts and closes at once) and has cut the open ones, as a broker that died would.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

from config.celery import app as celery_app


def _reset_pools() -> None:
    # Dropped, not closed: kombu keeps pools per broker URL process-wide and would hand a
    # closed one back for the same URL later.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextlib.contextmanager
def publishing_to(url: str, *, queue: str | None = None, confirm: bool = True) -> Iterator[None]:
    """Publish tasks for real (not in-process) from this process to `url`, on `queue` if given.

    `broker_write_url` is what producers use (the CELERY_BROKER_URL environment variable would
    override `broker_url`); the connection pools are dropped so the next publish connects anew.
    """
    conf = celery_app.conf
    saved = {
        key: conf.get(key)
        for key in ("broker_write_url", "task_always_eager", "task_default_queue", "broker_transport_options")
    }
    conf["broker_write_url"] = url
    conf["task_always_eager"] = False
    conf["broker_transport_options"] = {"confirm_publish": True} if confirm and url.startswith("amqp") else {}
    if queue is not None:
        conf["task_default_queue"] = queue
    _reset_pools()
    try:
        yield
    finally:
        for key, value in saved.items():
            conf[key] = value
        _reset_pools()


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TcpProxy:
    """A TCP forwarder on 127.0.0.1:<free port> to `target` that can be taken down and back up."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.up = True
        self.accepted = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tcp-proxy", daemon=True)
        self._thread.start()

    def url(self, scheme: str = "amqp", credentials: str = "guest:guest", vhost: str = "/") -> str:
        return f"{scheme}://{credentials}@127.0.0.1:{self.port}/{vhost.lstrip('/')}"

    def down(self) -> None:
        """Refuse new connections and cut every open one."""
        self.up = False
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def restore(self) -> None:
        self.up = True

    def close(self) -> None:
        self._closed.set()
        self.down()
        self._thread.join(timeout=2)
        self._listener.close()

    def _serve(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=2)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self.accepted += 1
            with self._lock:
                self._open.update({client, upstream})
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
                with self._lock:
                    self._open.discard(sock)
