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
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import re
import socket
import ssl
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import unquote, urljoin, urlsplit

import anyio
import anyio.to_thread
import httpcore
import httpx
import idna
from django.conf import settings

from nexus.core.errors import ApplicationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2048
USER_AGENT = "Nexus/1.0 (+outbound guard)"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Headers that carry credentials for one origin; dropped when a redirect leaves it.
_ORIGIN_BOUND_HEADERS = ("authorization", "cookie", "proxy-authorization")

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


# --- Errors ----------------------------------------------------------------------------------


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


# --- Configuration ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """Which non-global address ranges this process may reach (both off in production)."""

    allow_loopback: bool = False
    allow_private: bool = False

    @classmethod
    def from_settings(cls) -> Policy:
        return cls(
            allow_loopback=bool(getattr(settings, "NEXUS_OUTBOUND_ALLOW_LOOPBACK", False)),
            allow_private=bool(getattr(settings, "NEXUS_OUTBOUND_ALLOW_PRIVATE", False)),
        )


@dataclass(frozen=True)
class Limits:
    """Time and size budgets of one exchange (all of its redirects together)."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 1_000_000
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, **overrides: Any) -> Limits:
        values: dict[str, Any] = {
            "connect_timeout": getattr(settings, "NEXUS_OUTBOUND_CONNECT_TIMEOUT", cls.connect_timeout),
            "read_timeout": getattr(settings, "NEXUS_OUTBOUND_READ_TIMEOUT", cls.read_timeout),
            "total_timeout": getattr(settings, "NEXUS_OUTBOUND_TOTAL_TIMEOUT", cls.total_timeout),
            "max_bytes": getattr(settings, "NEXUS_OUTBOUND_MAX_BYTES", cls.max_bytes),
            "max_redirects": getattr(settings, "NEXUS_OUTBOUND_MAX_REDIRECTS", cls.max_redirects),
        }
        values.update(overrides)
        return cls(**values)

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout, read=self.read_timeout, write=self.read_timeout, pool=self.connect_timeout
        )


# --- URLs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A URL as the guard understood it: the request is made to `url`, built from these parts."""

    scheme: str
    host: str  # an IPv4 address, a compressed IPv6 address (no brackets) or a lower-case ASCII name
    port: int
    path: str  # path and query, never empty
    ip: IPAddress | None  # set when the host is a literal address

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if isinstance(self.ip, ipaddress.IPv6Address) else self.host
        default = {"http": 80, "https": 443}[self.scheme]
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{host}{port}{self.path}"

    @property
    def origin(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)


_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_NAME = re.compile(r"^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$")
_HEX = re.compile(r"^[0-9a-f]*$")
_DIGITS = re.compile(r"^[0-9]+$")


def _malformed(why: str) -> OutboundRefused:
    return OutboundRefused("malformed", f"The URL is not valid: {why}.")


def parse_url(url: str) -> Target:
    """Parse a URL strictly (scheme, no credentials, host, port); no DNS, no address rules."""
    if not isinstance(url, str) or not url:
        raise _malformed("it is empty")
    if len(url) > MAX_URL_LENGTH:
        raise _malformed(f"it is longer than {MAX_URL_LENGTH} characters")
    if _BAD_URL_CHARS.search(url):
        raise _malformed("it contains whitespace, a control character or a backslash")
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        raise _malformed(str(exc)) from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise OutboundRefused("scheme", f"Only http and https URLs are allowed, not {shown}.")
    netloc = parts.netloc
    if "@" in netloc:
        raise OutboundRefused("credentials", "URLs with a user name or password (user:password@host) are not allowed.")
    if not netloc:
        raise _malformed("it has no host")
    raw_host, port_text, bracketed = _split_host_port(netloc)
    if port_text:
        if not _DIGITS.match(port_text) or not 0 < int(port_text) < 65536:
            raise _malformed(f"the port {port_text!r} is not a number between 1 and 65535")
        port = int(port_text)
    else:
        port = 80 if scheme == "http" else 443
    host, ip = canonical_host(raw_host, bracketed=bracketed)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme=scheme, host=host, port=port, path=path, ip=ip)


def _split_host_port(netloc: str) -> tuple[str, str, bool]:
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise _malformed("an IPv6 address is missing its closing bracket")
        rest = netloc[end + 1 :]
        if rest and not rest.startswith(":"):
            raise _malformed("unexpected characters after the IPv6 address")
        return netloc[1:end], rest[1:], True
    host, _, port = netloc.partition(":")
    if ":" in port:
        raise _malformed("IPv6 addresses must be written in brackets")
    return host, port, False


def canonical_host(raw: str, *, bracketed: bool = False) -> tuple[str, IPAddress | None]:
    """The host as browsers read it, and the address when it is a literal one.

    Percent-escapes are decoded and names mapped by IDNA (UTS #46), so `%31%32%37.0.0.1`,
    `１２７.０.０.１` and `ⓛⓞⓒⓐⓛⓗⓞⓢⓣ` are seen for what they are; a host whose last label is a
    number is an IPv4 address in any of the forms the WHATWG URL standard accepts, or invalid.
    """
    if bracketed:
        if "%" in raw:
            raise _malformed("IPv6 zone identifiers are not allowed")
        try:
            v6 = ipaddress.IPv6Address(raw)
        except ValueError as exc:
            raise _malformed(f"{raw!r} is not an IPv6 address") from exc
        return v6.compressed, v6
    try:
        host = unquote(raw, errors="strict")
    except UnicodeDecodeError as exc:
        raise _malformed("the host has percent-escapes that are not UTF-8") from exc
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except (idna.IDNAError, UnicodeError) as exc:
            raise _malformed(f"the host is not a valid internationalised name ({exc})") from exc
    host = host.lower()
    if host.endswith("."):
        host = host[:-1]
    if not host:
        raise _malformed("it has no host")
    if not _NAME.match(host):
        raise _malformed(f"the host {host!r} has characters a host name cannot have")
    if _ends_in_number(host):
        v4 = _parse_ipv4(host)
        return str(v4), v4
    return host, None


def _ends_in_number(host: str) -> bool:
    last = host.rsplit(".", 1)[-1]
    if _DIGITS.match(last):
        return True
    return last.startswith("0x") and bool(_HEX.match(last[2:]))


def _ipv4_number(part: str) -> int:
    if part.startswith("0x"):
        digits, radix = part[2:], 16
        if not _HEX.match(digits):
            raise ValueError(part)
    elif len(part) > 1 and part.startswith("0"):
        digits, radix = part[1:], 8
        if not re.match(r"^[0-7]+$", digits):
            raise ValueError(part)
    else:
        digits, radix = part, 10
        if not _DIGITS.match(digits):
            raise ValueError(part)
    return int(digits, radix) if digits else 0


def _parse_ipv4(host: str) -> ipaddress.IPv4Address:
    """WHATWG IPv4 parsing: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x)."""
    parts = host.split(".")
    try:
        if len(parts) > 4 or "" in parts:
            raise ValueError(host)
        numbers = [_ipv4_number(p) for p in parts]
        if any(n > 255 for n in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
            raise ValueError(host)
    except ValueError as exc:
        raise _malformed(f"the host {host!r} ends in a number but is not an IPv4 address") from exc
    value = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        value += number * 256 ** (3 - index)
    return ipaddress.IPv4Address(value)


# --- Addresses -------------------------------------------------------------------------------

# The IANA special-purpose registries (IPv4 and IPv6), written out rather than taken from
# `ipaddress.is_global`: that property had wrong answers before Python 3.11.10 (CVE-2024-4032),
# and the reason for a refusal matters to the person reading it.
_V4_RANGES: tuple[tuple[str, Reason], ...] = (
    ("0.0.0.0/8", "unspecified"),  # "this network"; Linux connects 0.0.0.0 to the local host
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "shared"),  # carrier-grade NAT
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link_local"),  # cloud metadata services live here
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "reserved"),  # IETF protocol assignments
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "reserved"),  # deprecated 6to4 relay anycast
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),  # includes the limited broadcast 255.255.255.255
)
_V6_RANGES: tuple[tuple[str, Reason], ...] = (
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("64:ff9b:1::/48", "private"),  # local-use NAT64
    ("100::/64", "reserved"),  # discard-only
    ("100:0:0:1::/64", "reserved"),  # dummy prefix
    ("2001:2::/48", "benchmarking"),
    ("2001:db8::/32", "documentation"),
    ("2001::/23", "reserved"),  # IETF protocol assignments (Teredo, ORCHID, ...)
    ("3fff::/20", "documentation"),
    ("5f00::/16", "reserved"),  # SRv6 SIDs
    ("fc00::/7", "private"),  # unique local
    ("fe80::/10", "link_local"),
    ("fec0::/10", "private"),  # deprecated site-local
    ("ff00::/8", "multicast"),
)
_V4_TABLE = tuple((ipaddress.IPv4Network(net), reason) for net, reason in _V4_RANGES)
_V6_TABLE = tuple((ipaddress.IPv6Network(net), reason) for net, reason in _V6_RANGES)
_V6_GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_IPV4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")

REASON_TEXT: dict[str, str] = {
    "loopback": "a loopback address (this machine)",
    "private": "a private-network address",
    "shared": "a shared (carrier-grade NAT) address",
    "link_local": "a link-local address (where cloud metadata services answer)",
    "multicast": "a multicast address",
    "unspecified": "an unspecified address",
    "reserved": "a reserved address",
    "benchmarking": "a benchmarking address",
    "documentation": "a documentation address",
    "non_global": "an address that is not globally reachable",
}


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, translated, compatible, NAT64, 6to4, Teredo."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _IPV4_TRANSLATED or ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def _table_reason(ip: IPAddress) -> Reason | None:
    if isinstance(ip, ipaddress.IPv4Address):
        return next((reason for net, reason in _V4_TABLE if ip in net), None)
    reason = next((reason for net, reason in _V6_TABLE if ip in net), None)
    if reason is None and ip not in _V6_GLOBAL_UNICAST and ip not in _NAT64:
        return "reserved"  # outside 2000::/3 nothing is allocated for global unicast
    return reason


def _allowed(reason: Reason | None, policy: Policy) -> bool:
    return (
        reason is None
        or (reason == "loopback" and policy.allow_loopback)
        or (reason == "private" and policy.allow_private)
    )


def address_refusal(ip: IPAddress, policy: Policy | None = None) -> Reason | None:
    """Why the guard refuses to connect to this address, or None when it may."""
    policy = policy or Policy.from_settings()
    if isinstance(ip, ipaddress.IPv6Address):
        inner = embedded_ipv4(ip)
        if inner is not None:
            reason = _table_reason(inner)
            if not _allowed(reason, policy):
                return reason
            if ip.ipv4_mapped is not None or ip in _NAT64:
                return None  # the same host as the IPv4 address, reached over IPv6
            if ip.sixtofour is not None:
                return None  # 2002::/16 is global unicast; the relay reaches a public IPv4 host
            return "reserved"  # compatible, translated or Teredo: deprecated or not routable
    reason = _table_reason(ip)
    return None if _allowed(reason, policy) else reason


def connect_address(ip: IPAddress) -> IPAddress:
    """The address to open the socket to: an IPv4-mapped IPv6 address is its IPv4 address."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _is_localhost_name(host: str) -> bool:
    # RFC 6761: "localhost" and every name under it are the loopback interface.
    return host == "localhost" or host.endswith(".localhost")


def _refuse_address(host: str, ip: IPAddress, reason: Reason) -> OutboundRefused:
    what = REASON_TEXT.get(reason, "an address Nexus does not connect to")
    if host == ip.compressed or host == str(ip):
        return OutboundRefused(reason, f"{host} is {what}; Nexus does not send requests there.")
    return OutboundRefused(reason, f"{host} resolves to {ip}, {what}; Nexus does not send requests there.")


def _refuse_localhost(host: str) -> OutboundRefused:
    return OutboundRefused("loopback", f"{host} is this machine (loopback); Nexus does not send requests there.")


def check_url(url: str, policy: Policy | None = None) -> Target:
    """Everything that can be decided without DNS: the URL's shape, a literal address, `localhost`."""
    policy = policy or Policy.from_settings()
    target = parse_url(url)
    if target.ip is not None:
        reason = address_refusal(target.ip, policy)
        if reason is not None:
            raise _refuse_address(target.host, target.ip, reason)
    elif _is_localhost_name(target.host) and not policy.allow_loopback:
        raise _refuse_localhost(target.host)
    return target


def validate_url(url: str, *, field: str | None = None) -> str:
    """Registration-time check: the canonical URL, or an ApplicationError for a URL that can never pass.

    Names are not resolved here (DNS answers change; the guard checks again on every request),
    so this refuses only what no DNS answer can rescue. With `field`, the problem document also
    carries `errors: {field: [detail]}` like any validation error.
    """
    try:
        return check_url(url).url
    except OutboundRefused as exc:
        extra: dict[str, Any] = {"reason": exc.reason}
        if field:
            extra["errors"] = {field: [exc.message]}
        raise ApplicationError(exc.message, status=400, code="url_not_allowed", extra=extra) from exc


# --- Resolution and vetting ------------------------------------------------------------------


def resolve(host: str, port: int) -> list[str]:
    """The addresses DNS gives for a name, in its order (the one function tests may replace)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundConnectError("dns", f"{host} could not be resolved ({exc}).") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _literal(host: str) -> IPAddress | None:
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        return canonical_host(host, bracketed=True)[1]
    return canonical_host(host)[1]


def _vet_resolved(host: str, answers: Iterable[str], policy: Policy) -> list[IPAddress]:
    addresses: list[IPAddress] = []
    for answer in answers:
        if "%" in answer:  # a scoped (link-local) IPv6 answer
            raise OutboundRefused("link_local", f"{host} resolves to {answer}, a link-local address.")
        ip = ipaddress.ip_address(answer)
        reason = address_refusal(ip, policy)
        # One bad answer condemns the name: which answer a later lookup or a retry would use is
        # not ours to choose, and a name that mixes public and internal addresses is an attack.
        if reason is not None:
            raise _refuse_address(host, ip, reason)
        addresses.append(connect_address(ip))
    if not addresses:
        raise OutboundConnectError("dns", f"{host} has no address.")
    return addresses


def vet_host(host: str, port: int, policy: Policy) -> list[IPAddress]:
    """The addresses to connect to for a host, every one of them vetted (literal or resolved once)."""
    literal = _literal(host)
    if literal is not None:
        return _vet_resolved(host, [str(literal)], policy)
    name, _ = canonical_host(host)
    if _is_localhost_name(name) and not policy.allow_loopback:
        raise _refuse_localhost(name)
    return _vet_resolved(name, resolve(name, port), policy)


async def vet_host_async(host: str, port: int, policy: Policy) -> list[IPAddress]:
    """`vet_host` for the event loop: the lookup runs in a worker thread (getaddrinfo blocks)."""
    literal = _literal(host)
    if literal is not None:
        return _vet_resolved(host, [str(literal)], policy)
    name, _ = canonical_host(host)
    if _is_localhost_name(name) and not policy.allow_loopback:
        raise _refuse_localhost(name)
    answers = await anyio.to_thread.run_sync(lambda: resolve(name, port))
    return _vet_resolved(name, answers, policy)


# --- Deadline-aware network streams ------------------------------------------------------------

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


# --- Exchanges: redirects, body cap, error mapping ----------------------------------------------


@dataclass(frozen=True)
class OutboundResponse:
    """What came back: the final answer after redirects, with at most `max_bytes` of its body."""

    status_code: int
    headers: httpx.Headers
    content: bytes
    url: str  # the URL that answered (after redirects)
    redirects: tuple[str, ...]  # the URLs redirected to, in order
    address: str  # the IP address the final connection went to
    elapsed: float  # seconds, from the first connect to the end of the body
    truncated: bool  # the body was cut at max_bytes
    charset: str | None = None  # from Content-Type

    @property
    def text(self) -> str:
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.content.decode("utf-8", errors="replace")

    @property
    def ok(self) -> bool:
        return 200 <= self.status_code < 300


class _BodyReader:
    """Collect a raw body up to a cap, decompressing gzip/deflate under the same cap."""

    def __init__(self, response: httpx.Response, *, max_bytes: int, truncate: bool, host: str):
        self.max_bytes, self.truncate, self.host = max_bytes, truncate, host
        self.chunks: list[bytes] = []
        self.size = 0
        self.truncated = False
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            self.decoder: Any = zlib.decompressobj(wbits=47)  # gzip or zlib header, detected
        elif encoding in ("", "identity"):
            self.decoder = None
        else:
            raise OutboundError("protocol", f"{host} answered with an unsupported content encoding {encoding!r}.")
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        self.peer = str(peer[0]) if peer else ""
        declared = response.headers.get("content-length", "")
        if self.decoder is None and declared.isdigit() and int(declared) > max_bytes and not truncate:
            raise self._too_large()

    def _too_large(self) -> ResponseTooLarge:
        return ResponseTooLarge("too_large", f"{self.host} answered with more than {self.max_bytes} bytes.")

    def feed(self, raw: bytes) -> bool:
        """Take a chunk off the wire; False once the cap is reached (stop reading)."""
        room = self.max_bytes - self.size
        if self.decoder is not None:
            try:
                data = self.decoder.decompress(raw, room + 1)
            except zlib.error as exc:
                raise OutboundError("protocol", f"{self.host} sent a body that does not decompress.") from exc
        else:
            data = raw
        if len(data) > room:
            if not self.truncate:
                raise self._too_large()
            self.chunks.append(data[:room])
            self.size, self.truncated = self.max_bytes, True
            return False
        self.chunks.append(data)
        self.size += len(data)
        return True

    @property
    def content(self) -> bytes:
        return b"".join(self.chunks)


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
