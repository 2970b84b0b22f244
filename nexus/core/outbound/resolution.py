"""Name resolution (`resolve`, the one function tests may replace) and the vetting of every address a host leads to."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable

import anyio.to_thread

from nexus.core.outbound.addresses import (
    _is_localhost_name,
    _refuse_address,
    _refuse_localhost,
    address_refusal,
    connect_address,
)
from nexus.core.outbound.errors import OutboundConnectError, OutboundRefused
from nexus.core.outbound.policy import Policy
from nexus.core.outbound.urls import IPAddress, canonical_host


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
