"""Which addresses the guard refuses and why, and what can be decided without DNS (`check_url`, `validate_url`)."""

from __future__ import annotations

import ipaddress
from typing import Any

from nexus.core.errors import ApplicationError
from nexus.core.outbound.errors import OutboundRefused, Reason
from nexus.core.outbound.policy import Policy
from nexus.core.outbound.urls import IPAddress, Target, parse_url

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
