"""The strict URL parser (`parse_url`) and the host as browsers read it (`canonical_host`); no DNS, no address rules."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import idna

from nexus.core.outbound.errors import OutboundRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2048


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
