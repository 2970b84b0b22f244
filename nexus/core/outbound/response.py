"""What came back (`OutboundResponse`) and the reader that caps and decompresses its body."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import httpx

from nexus.core.outbound.errors import OutboundError, ResponseTooLarge


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
