"""The HTTP answer for a cached hub read, shared by the API and the pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from nexus.hubs.selectors import Cached


def cached_response(request: HttpRequest, found: Cached[Any], *, content_type: str) -> HttpResponse:
    """`found` with its Last-Modified and ETag (ConditionalGetMiddleware answers 304 from them).

    A body cached gzipped goes as it is to a client that accepts gzip, with a weak ETag as Django's
    GZipMiddleware would give it, and decompressed to any other client.
    """
    accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
    compressed = found.gzipped and accepts
    response = HttpResponse(found.body if compressed else found.raw, content_type=content_type)
    response["Last-Modified"] = found.last_modified
    response["ETag"] = f"W/{found.etag}" if compressed else found.etag
    if compressed:
        response["Content-Encoding"] = "gzip"
    if found.gzipped:
        patch_vary_headers(response, ["Accept-Encoding"])
    return response
