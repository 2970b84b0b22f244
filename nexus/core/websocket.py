"""WebSocket plumbing every consumer shares: the Origin check and authentication on connect.

    OriginCheckMiddleware(WebSocketAuthMiddleware(URLRouter([...]), authenticate_token=...))

**Origin.** A handshake without an `Origin` header, or from an origin not allowed, is refused
(HTTP 403, the consumer never runs). First-party origins are those whose host is in
`ALLOWED_HOSTS` (any scheme and port, as Django's own host check) or that are listed in
`CSRF_TRUSTED_ORIGINS`; `CORS_ALLOWED_ORIGINS` (frontends on other origins) are allowed too,
but may only authenticate with a token: a browser attaches the session cookie to any
handshake, so honouring it from another origin would be cross-site WebSocket hijacking.

**Credentials**, checked once per connection:
1. An access token offered as a subprotocol, `Sec-WebSocket-Protocol: nexus.v1, bearer.<jwt>`
   (browsers: `new WebSocket(url, ["nexus.v1", "bearer." + access])`). The consumer answers
   with `nexus.v1` only, so the token is never echoed. A token is never taken from the query
   string: URLs end up in access logs, headers do not. A token that does not validate makes
   the connection anonymous (consumers refuse anonymous connections).
2. Else, from a first-party origin, the Django session cookie.

`scope["user"]` is the member (or AnonymousUser) and `scope["credential"]` a `Credential`
whose `still_valid()` a consumer calls (in a thread) to re-check later: the token again
(expiry, logout revocation, user still active) or the session (still there, same password).

`core` imports no domain app: the token check is injected (config/asgi.py passes
`nexus.accounts.authentication.websocket_token_user`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlparse

from channels.db import database_sync_to_async
from channels.security.websocket import OriginValidator, WebsocketDenier
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

logger = logging.getLogger(__name__)

SUBPROTOCOL = "nexus.v1"
TOKEN_SUBPROTOCOL_PREFIX = "bearer."  # noqa: S105 - a prefix, not a secret

# Close codes (4000-4999 are the application's): sent before accept they become an HTTP 403
# handshake failure; after accept the client sees them.
CLOSE_UNAUTHENTICATED = 4401  # no credential, or it expired or was revoked: sign in / refresh and reconnect
CLOSE_FORBIDDEN = 4403  # signed in, but no longer allowed to read this
CLOSE_NOT_FOUND = 4404  # nothing there the member may read

# A token check: the raw access token in, (user, expiry as a Unix time) out, or None if refused.
TokenAuthenticator = Callable[[str], "tuple[Any, float] | None"]


@dataclass
class Credential:
    """How a connection authenticated, and how to check that it still stands."""

    method: str  # "token", "session" or "none"
    user: Any = field(default_factory=AnonymousUser)
    expires_at: float | None = None
    _recheck: Callable[[], Any] | None = field(default=None, repr=False)

    def still_valid(self) -> bool:
        """Re-check the credential (call from a thread: it may read the database and cache)."""
        if self._recheck is None or not self.user.is_authenticated:
            return False
        if self.expires_at is not None and time.time() >= self.expires_at:
            return False
        current = self._recheck()
        return current is not None and getattr(current, "pk", None) == self.user.pk and current.is_active


ANONYMOUS = Credential(method="none")


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin1")
    return None


def _hosts_validator() -> OriginValidator:
    hosts = settings.ALLOWED_HOSTS or (["localhost", "127.0.0.1", "[::1]"] if settings.DEBUG else [])
    return OriginValidator(None, hosts)


def _origins_validator(origins: list[str]) -> OriginValidator:
    # CSRF_TRUSTED_ORIGINS may use "https://*.example.com"; OriginValidator spells that ".example.com".
    return OriginValidator(None, [o.replace("://*.", "://.") for o in origins])


def origin_kind(origin: str | None) -> str | None:
    """ "first-party", "cross-origin" (allowed, tokens only) or None (refused)."""
    if not origin:
        return None
    parsed = urlparse(origin)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return None
    if _hosts_validator().valid_origin(parsed) or _origins_validator(settings.CSRF_TRUSTED_ORIGINS).valid_origin(
        parsed
    ):
        return "first-party"
    if _origins_validator(list(getattr(settings, "CORS_ALLOWED_ORIGINS", []))).valid_origin(parsed):
        return "cross-origin"
    return None


class OriginCheckMiddleware:
    """Refuse handshakes whose Origin is missing or not allowed; note the origin's kind in the scope."""

    def __init__(self, inner: Any):
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            raise ValueError("OriginCheckMiddleware only handles WebSocket connections.")
        kind = origin_kind(_header(scope, b"origin"))
        if kind is None:
            logger.info("websocket refused: origin not allowed", extra={"path": scope.get("path", "")})
            return await WebsocketDenier()(scope, receive, send)
        return await self.inner({**scope, "origin_kind": kind}, receive, send)


def offered_token(scope: dict[str, Any]) -> str | None:
    """The access token offered as a `bearer.<token>` subprotocol, if any."""
    for protocol in scope.get("subprotocols") or []:
        if protocol.startswith(TOKEN_SUBPROTOCOL_PREFIX):
            return protocol[len(TOKEN_SUBPROTOCOL_PREFIX) :]
    return None


def _session_user(session_key: str) -> Any:
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore(session_key)
    # Django's own check: the session's user, the backend, and the password hash still matching.
    return auth.get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]


def _session_credential(scope: dict[str, Any]) -> Credential:
    cookies = parse_cookie(_header(scope, b"cookie") or "")
    session_key = cookies.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return ANONYMOUS
    user = _session_user(session_key)
    if not user.is_authenticated:
        return ANONYMOUS
    return Credential(method="session", user=user, _recheck=lambda: _session_user(session_key))


def _token_credential(token: str, authenticate_token: TokenAuthenticator) -> Credential:
    found = authenticate_token(token)
    if found is None:
        logger.info("websocket token refused")  # never the token itself
        return ANONYMOUS
    user, expires_at = found

    def recheck() -> Any:
        again = authenticate_token(token)
        return again[0] if again else None

    return Credential(method="token", user=user, expires_at=expires_at, _recheck=recheck)


class WebSocketAuthMiddleware:
    """Put `user` and `credential` in the scope: a subprotocol token, else (first-party) the session."""

    def __init__(self, inner: Any, *, authenticate_token: TokenAuthenticator):
        self.inner = inner
        self.authenticate_token = authenticate_token

    def _credential(self, scope: dict[str, Any]) -> Credential:
        token = offered_token(scope)
        if token is not None:
            return _token_credential(token, self.authenticate_token)
        if scope.get("origin_kind") == "first-party":
            return _session_credential(scope)
        return ANONYMOUS

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        credential = await database_sync_to_async(self._credential)(scope)
        return await self.inner({**scope, "user": credential.user, "credential": credential}, receive, send)


def websocket_stack(inner: Any, *, authenticate_token: TokenAuthenticator) -> Any:
    """The full stack for a WebSocket router: Origin check, then authentication."""
    return OriginCheckMiddleware(WebSocketAuthMiddleware(inner, authenticate_token=authenticate_token))


def accept_subprotocol(scope: dict[str, Any]) -> str | None:
    """The subprotocol to answer with: `nexus.v1` when offered (a browser that offered any needs one)."""
    return SUBPROTOCOL if SUBPROTOCOL in (scope.get("subprotocols") or []) else None
