"""The one guard every request Nexus makes to a user-supplied URL goes through (docs/outbound.md).

    response = outbound.request("POST", webhook.url, content=body, headers=headers, follow_redirects=False)

1. **The URL** is parsed once, strictly (`parse_url`): http or https only, no user:password@,
   no whitespace, control characters or backslashes, a port in 1..65535. The host is decoded the
   way browsers decode it (percent-decoding, IDNA/UTS #46 mapping, a trailing dot dropped) and
   every numeric form of an IPv4 address (`2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`) is read
   as the address it means. The request is then made to the canonical URL built from that parse,
   so no second parser can read the URL differently.
2. **The address** is vetted at connection time, inside the HTTP client's network backend
   (`GuardedBackend`): the host is resolved once, every address it resolves to must be globally
   reachable (`address_refusal`: loopback, private, shared, link-local, multicast, reserved,
   unspecified, benchmarking and documentation ranges are refused, IPv4 and IPv6, with IPv4
   embedded in IPv6 -- mapped, compatible, 6to4, NAT64, Teredo -- judged by the IPv4 address),
   and the socket connects to the vetted address itself. DNS is never asked twice for the same
   connection, so a rebinding answer cannot slip in between the check and the connect. The Host
   header, TLS SNI and certificate verification keep the hostname.
3. **Redirects** are followed by hand (`max_redirects`), and each new URL goes through 1 and 2.
4. **Budgets**: connect and read timeouts per operation, a total deadline over the whole exchange
   (enforced on every socket read and write, so a server dribbling bytes cannot hold a worker),
   and a cap on the response body (`max_bytes`), counted after decompression.

Loopback addresses are allowed only with `NEXUS_OUTBOUND_ALLOW_LOOPBACK` (tests and local
development), the private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) only with
`NEXUS_OUTBOUND_ALLOW_PRIVATE`. Link-local (cloud metadata at 169.254.169.254) is never allowed.

`validate_url` is for registration time: it refuses, with an `ApplicationError`, what can be
known to fail without asking DNS (a scheme, a literal address, `localhost`).

The sync `OutboundClient` (webhooks) and the async `AsyncOutboundClient` (the concurrent health
checker, one pooled client for many requests) share the parsing, the vetting and the redirect and
body rules; only the socket calls differ.

The package, by what each module holds (every public name is re-exported here, so callers keep
writing `outbound.request(...)`):

- `errors`: `Reason` and the `OutboundError` family
- `policy`: `Policy` (which ranges may be reached) and `Limits` (time and size budgets)
- `urls`: `parse_url`, `canonical_host` and `Target`
- `addresses`: the refusal tables, `address_refusal`, `check_url` and `validate_url`
- `resolution`: `resolve` and `vet_host` (a test replaces `resolution.resolve`, where it is looked up)
- `transport`: the guarded network backends, deadline-aware streams and httpx transports
- `response`: `OutboundResponse` and the reader that caps and decompresses a body
- `exchange`: one request through its redirects, and httpx's errors as the guard's
- `clients`: `OutboundClient`, `AsyncOutboundClient` and `request`
"""

from nexus.core.outbound.addresses import (
    REASON_TEXT,
    address_refusal,
    check_url,
    connect_address,
    embedded_ipv4,
    validate_url,
)
from nexus.core.outbound.clients import AsyncOutboundClient, OutboundClient, request
from nexus.core.outbound.errors import (
    OutboundConnectError,
    OutboundError,
    OutboundRefused,
    OutboundTimeout,
    Reason,
    ResponseTooLarge,
    TooManyRedirects,
)
from nexus.core.outbound.exchange import REDIRECT_STATUSES, USER_AGENT
from nexus.core.outbound.policy import Limits, Policy
from nexus.core.outbound.resolution import resolve, vet_host, vet_host_async
from nexus.core.outbound.response import OutboundResponse
from nexus.core.outbound.transport import AsyncGuardedBackend, GuardedBackend
from nexus.core.outbound.urls import MAX_URL_LENGTH, IPAddress, Target, canonical_host, parse_url

__all__ = [
    "MAX_URL_LENGTH",
    "REASON_TEXT",
    "REDIRECT_STATUSES",
    "USER_AGENT",
    "AsyncGuardedBackend",
    "AsyncOutboundClient",
    "GuardedBackend",
    "IPAddress",
    "Limits",
    "OutboundClient",
    "OutboundConnectError",
    "OutboundError",
    "OutboundRefused",
    "OutboundResponse",
    "OutboundTimeout",
    "Policy",
    "Reason",
    "ResponseTooLarge",
    "Target",
    "TooManyRedirects",
    "address_refusal",
    "canonical_host",
    "check_url",
    "connect_address",
    "embedded_ipv4",
    "parse_url",
    "request",
    "resolve",
    "validate_url",
    "vet_host",
    "vet_host_async",
]
