"""Browser tests: Playwright drives Debian's Chromium against the real ASGI app (e2e/server.py).

Fixtures:
- `asgi_server`: the app on uvicorn (HTTP + WebSockets) against the test database; transactional.
- `browser`: a headless Chromium (`/usr/bin/chromium`, or `NEXUS_CHROMIUM`); fails loudly if missing.
- `new_page(user=None, width=1280)`: a page in a fresh browser context (its own cookies), signed
  in as `user` if given. Every request each page makes is recorded, and a test fails if a page
  requested anything outside the server or raised a JavaScript error.

Playwright's sync API keeps an event loop running in the test's thread while it is started, so
Chromium starts with the test's first `new_page()` and stops when the test ends; from then on
Django's async-safety check is off for the test (the ORM there only reads the test database),
and services called from the test cannot send live events (async_to_sync refuses a thread with
a running loop; they log "live event not delivered"). Create data before the first page, and
write through the browser after it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from e2e.server import LiveServer, serve

DESKTOP, MOBILE = 1280, 390


def chromium_path() -> str:
    path = os.environ.get("NEXUS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail(
            "Browser tests need Debian's Chromium: `apt-get install -y chromium` (make test installs it).",
            pytrace=False,
        )
    return path


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[LiveServer]:
    with serve() as server:
        yield server


class LazyBrowser:
    """Chromium, started on first use: a test's ORM set-up before it runs outside Playwright's loop."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.monkeypatch = monkeypatch
        self._playwright: Any = None
        self._chromium: Any = None
        self._connections: dict[str, Any] = {}

    def get(self) -> Any:
        if self._chromium is None:
            from playwright.sync_api import sync_playwright

            self.monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
            self._connections = {conn.alias: conn for conn in connections.all()}
            self._playwright = sync_playwright().start()
            # With a running loop in this thread, Django's connection storage turns into a context
            # variable: without this, the test's queries would open (and leak) a second connection.
            for alias, conn in self._connections.items():
                connections[alias] = conn
            self._chromium = self._playwright.chromium.launch(executable_path=chromium_path(), args=["--disable-gpu"])
        return self._chromium

    def close(self) -> None:
        for alias in self._connections:
            with contextlib.suppress(AttributeError):
                del connections[alias]
        self._connections = {}
        if self._chromium is not None:
            self._chromium.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._chromium = self._playwright = None


@pytest.fixture
def browser(asgi_server, monkeypatch) -> Iterator[LazyBrowser]:
    lazy = LazyBrowser(monkeypatch)
    try:
        yield lazy
    finally:
        lazy.close()


@dataclass
class PageRecord:
    """What a page asked the network for, and what went wrong in it."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def foreign(self, origin: str) -> list[str]:
        """Requests that left the server (data: and blob: URLs stay in the page)."""
        own = urlsplit(origin)
        out = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.hostname, parts.port) != (own.hostname, own.port):
                out.append(url)
        return out


def session_cookie(user: Any, asgi_server: LiveServer) -> dict[str, Any]:
    """A signed-in session for `user`, as the cookie a browser would hold."""
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": asgi_server.url,
        "httpOnly": True,
        "sameSite": "Lax",
    }


@pytest.fixture
def new_page(browser, asgi_server) -> Iterator[Callable[..., Any]]:
    records: list[tuple[Any, PageRecord]] = []
    contexts: list[Any] = []

    def make(user: Any = None, *, width: int = DESKTOP, height: int = 900, color_scheme: str = "light") -> Any:
        context = browser.get().new_context(
            base_url=asgi_server.url,
            viewport={"width": width, "height": height},
            color_scheme=color_scheme,
            device_scale_factor=1,
            is_mobile=width < 600,
            has_touch=width < 600,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            context.add_cookies([session_cookie(user, asgi_server)])
        page = context.new_page()
        record = PageRecord()
        page.on("request", lambda request: record.requests.append(request.url))
        page.on("pageerror", lambda error: record.errors.append(str(error)))
        page.on("console", lambda message: _console(record, message))
        page.on(
            "response",
            lambda response: (
                record.server_errors.append(f"{response.status} {response.url}") if response.status >= 500 else None
            ),
        )
        page.record = record
        records.append((page, record))
        return page

    yield make
    for context in contexts:
        context.close()
    foreign = [url for _, record in records for url in record.foreign(asgi_server.url)]
    errors = [error for _, record in records for error in record.errors]
    server_errors = [error for _, record in records for error in record.server_errors]
    assert foreign == [], f"pages loaded something from outside the server: {foreign}"
    assert errors == [], f"pages raised JavaScript errors: {errors}"
    assert server_errors == [], f"the server failed: {server_errors}"


def _console(record: PageRecord, message: Any) -> None:
    # A 4xx answer is logged as "Failed to load resource"; tests assert statuses themselves.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        record.errors.append(message.text)
