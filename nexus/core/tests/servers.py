"""Real HTTP servers on 127.0.0.1 (port 0) for tests of outgoing requests.

Each test scripts what the server answers (`Reply`, `Redirect`, `Hang`, `Drip`, `Endless`) and
reads what it received (`server.requests`). Use the `local_server` fixture, which stops every
server it started when the test ends.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass(frozen=True)
class Received:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow server)


@dataclass(frozen=True)
class Redirect:
    location: str
    status: int = 302


@dataclass(frozen=True)
class Hang:
    """Accept the request and answer nothing for this long (or until the server stops)."""

    seconds: float = 30.0


@dataclass(frozen=True)
class Drip:
    """Send the headers, then one byte of body every `interval` seconds, `count` times."""

    interval: float
    count: int


@dataclass(frozen=True)
class Endless:
    """A body that never ends: `chunk` bytes at a time until the client goes away."""

    chunk: bytes = b"x" * 65536
    declared_length: int | None = None  # a Content-Length to announce, if any


Answer = Reply | Redirect | Hang | Drip | Endless
Handler = Callable[[Received], Answer]


class _Server(ThreadingHTTPServer):
    request_queue_size = 256  # socketserver's default backlog of 5 drops concurrent connects


class LocalServer:
    """A threaded HTTP(S) server on 127.0.0.1 and an ephemeral port."""

    def __init__(self, handler: Handler | None = None, *, ssl_context: ssl.SSLContext | None = None):
        self.handler: Handler = handler or (lambda request: Reply(200, b"ok"))
        self.requests: list[Received] = []
        self.server_names: list[str | None] = []  # TLS SNI, per handshake
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _make_handler(self))
        self._httpd.daemon_threads = True
        self.scheme = "http"
        if ssl_context is not None:
            ssl_context.sni_callback = self._record_sni
            self._httpd.socket = ssl_context.wrap_socket(self._httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _record_sni(self, sock: ssl.SSLObject, name: str | None, context: ssl.SSLContext) -> None:
        self.server_names.append(name)

    def url(self, path: str = "/", *, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def answer(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order; the last one repeats."""
        queue = list(answers)

        def handler(request: Received) -> Answer:
            return queue.pop(0) if len(queue) > 1 else queue[0]

        self.handler = handler

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # quiet test output
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            received = Received(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            server.requests.append(received)
            answer = server.handler(received)
            # the client may give up mid-answer, which is what several tests want
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
                self._send(answer)

        def _send(self, answer: Answer) -> None:
            if isinstance(answer, Hang):
                server.stopping.wait(answer.seconds)
                return
            if isinstance(answer, Redirect):
                self.send_response(answer.status)
                self.send_header("Location", answer.location)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if isinstance(answer, Drip):
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.flush()
                for _ in range(answer.count):
                    if server.stopping.wait(answer.interval):
                        return
                    self.wfile.write(b".")
                    self.wfile.flush()
                return
            if isinstance(answer, Endless):
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                if answer.declared_length is not None:
                    self.send_header("Content-Length", str(answer.declared_length))
                self.end_headers()
                deadline = time.monotonic() + 30
                while not server.stopping.is_set() and time.monotonic() < deadline:
                    self.wfile.write(answer.chunk)
                return
            if answer.delay and server.stopping.wait(answer.delay):
                return
            self.send_response(answer.status)
            headers = {"Content-Type": "text/plain; charset=utf-8", **answer.headers}
            headers.setdefault("Content-Length", str(len(answer.body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve  # noqa: N815 - http.server names

    return _Handler


@pytest.fixture
def local_server() -> Iterable[Callable[..., LocalServer]]:
    """Start real HTTP servers on 127.0.0.1: `local_server(handler=None, ssl_context=None)`."""
    started: list[LocalServer] = []

    def start(handler: Handler | None = None, *, ssl_context: ssl.SSLContext | None = None) -> LocalServer:
        server = LocalServer(handler, ssl_context=ssl_context)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


class FakeDNS:
    """Name resolution from a table, recording every lookup (real DNS would leave the machine).

    `dns["name"] = ["1.2.3.4"]` answers the same every time; a list of lists answers each
    lookup with the next one (the last repeats), which is how a rebinding DNS server behaves.
    """

    def __init__(self) -> None:
        self.table: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def __setitem__(self, name: str, answers: list[str] | list[list[str]]) -> None:
        self.table[name] = [answers] if answers and isinstance(answers[0], str) else list(answers)  # type: ignore[list-item]

    def __call__(self, host: str, port: int) -> list[str]:
        from nexus.core.outbound import OutboundConnectError

        self.lookups.append(host)
        answers = self.table.get(host)
        if not answers:
            raise OutboundConnectError("dns", f"{host} could not be resolved (not in the test's table).")
        return list(answers.pop(0) if len(answers) > 1 else answers[0])


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    """Replace the guard's resolver with a `FakeDNS` table.

    The patch goes on `nexus.core.outbound.resolution`, the module whose `vet_host` looks `resolve`
    up; `nexus.core.outbound.resolve` is only another reference to it, and rebinding that one
    changes nothing.
    """
    from nexus.core.outbound import resolution

    dns = FakeDNS()
    monkeypatch.setattr(resolution, "resolve", dns)
    return dns
