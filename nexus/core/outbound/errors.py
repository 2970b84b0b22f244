"""Why a request to a user-supplied URL did not produce a response: `Reason` and the `OutboundError` family."""

from __future__ import annotations

from typing import Literal

Reason = Literal[
    "scheme",
    "credentials",
    "malformed",
    "loopback",
    "private",
    "shared",
    "link_local",
    "multicast",
    "unspecified",
    "reserved",
    "benchmarking",
    "documentation",
    "non_global",
    "dns",
    "connect",
    "tls",
    "timeout",
    "redirects",
    "too_large",
    "protocol",
]


class OutboundError(Exception):
    """A request to a user-supplied URL did not produce a response.

    `reason` is a stable machine name (see `Reason`); the message is meant for the person who
    gave the URL, so it names the host but never the path or query (they may hold a token).
    """

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason: Reason = reason
        self.message = message


class OutboundRefused(OutboundError):  # noqa: N818 - named for what happened
    """The guard refused the URL or the address it leads to: nothing was sent."""


class OutboundConnectError(OutboundError):
    """The host could not be resolved or reached, or its TLS certificate did not verify."""


class OutboundTimeout(OutboundError):  # noqa: N818 - named for what happened
    """Connecting, a read, a write or the whole exchange took longer than its limit."""


class TooManyRedirects(OutboundError):  # noqa: N818 - named for what happened
    """The server redirected more times than `max_redirects` allows."""


class ResponseTooLarge(OutboundError):  # noqa: N818 - named for what happened
    """The response body is larger than `max_bytes` (only when the caller asked not to truncate)."""
