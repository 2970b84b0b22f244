"""One request through its redirects, shared by the sync and async clients, and httpx errors as the guard's."""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import httpx

from nexus.core.outbound.addresses import check_url
from nexus.core.outbound.errors import OutboundConnectError, OutboundError, OutboundTimeout, TooManyRedirects
from nexus.core.outbound.policy import Limits, Policy
from nexus.core.outbound.response import OutboundResponse, _BodyReader
from nexus.core.outbound.transport import _deadline
from nexus.core.outbound.urls import Target

USER_AGENT = "Nexus/1.0 (+outbound guard)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that carry credentials for one origin; dropped when a redirect leaves it.
_ORIGIN_BOUND_HEADERS = ("authorization", "cookie", "proxy-authorization")


@dataclass
class _Exchange:
    """The state of one request through its redirects; shared by the sync and async clients."""

    method: str
    target: Target
    headers: dict[str, str]
    content: bytes | None
    follow_redirects: bool
    limits: Limits
    policy: Policy
    redirects: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def request_kwargs(self) -> dict[str, Any]:
        return {"headers": self.headers, "content": self.content, "timeout": self.limits.timeout}

    def location(self, response: httpx.Response) -> str | None:
        """The next URL when this answer is a redirect to follow, after vetting it."""
        if not self.follow_redirects or response.status_code not in REDIRECT_STATUSES:
            return None
        location = response.headers.get("location")
        if not location:
            return None
        if len(self.redirects) >= self.limits.max_redirects:
            raise TooManyRedirects(
                "redirects", f"{self.target.host} redirected more than {self.limits.max_redirects} times."
            )
        target = check_url(urljoin(self.target.url, location), self.policy)
        if response.status_code == 303 or (response.status_code in (301, 302) and self.method == "POST"):
            self.method, self.content = ("HEAD" if self.method == "HEAD" else "GET"), None
            self.headers = {
                k: v for k, v in self.headers.items() if k.lower() not in ("content-type", "content-length")
            }
        if target.origin != self.target.origin:
            self.headers = {k: v for k, v in self.headers.items() if k.lower() not in _ORIGIN_BOUND_HEADERS}
        self.target = target
        self.redirects.append(target.url)
        return target.url

    def response(self, response: httpx.Response, body: _BodyReader) -> OutboundResponse:
        return OutboundResponse(
            status_code=response.status_code,
            headers=response.headers,
            content=body.content,
            url=self.target.url,
            redirects=tuple(self.redirects),
            address=body.peer,
            elapsed=time.monotonic() - self.started,
            truncated=body.truncated,
            charset=response.charset_encoding,
        )


@contextlib.contextmanager
def _translated(exchange: _Exchange) -> Iterator[None]:
    """httpx's exceptions as the guard's, naming the host only."""
    host = exchange.target.host
    try:
        yield
    except OutboundError:
        raise
    except httpx.TimeoutException as exc:
        deadline = _deadline.get()
        if deadline is not None and time.monotonic() >= deadline - 0.01:
            message = f"{host} did not answer within the total limit of {exchange.limits.total_timeout:g} s."
        else:
            message = f"{host} timed out ({type(exc).__name__})."
        raise OutboundTimeout("timeout", message) from exc
    except httpx.ConnectError as exc:
        if "CERTIFICATE_VERIFY_FAILED" in str(exc) or isinstance(exc.__cause__, ssl.SSLError):
            raise OutboundConnectError("tls", f"The TLS connection to {host} failed: {exc}") from exc
        raise OutboundConnectError("connect", f"Could not connect to {host}: {exc or type(exc).__name__}.") from exc
    except httpx.HTTPError as exc:
        raise OutboundError("protocol", f"{host} broke the HTTP exchange: {exc or type(exc).__name__}.") from exc


def _headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    # identity: a compressed body could not be capped before it is inflated (see _BodyReader).
    merged = {"user-agent": USER_AGENT, "accept-encoding": "identity"}
    merged.update({k.lower(): v for k, v in (headers or {}).items()})
    return merged
