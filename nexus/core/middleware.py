"""Process-level middleware: health probes, request ids and access logs, commit waits."""

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from nexus.core import cache, health
from nexus.core.request_context import request_id

logger = logging.getLogger("nexus.request")

# A client-supplied id is kept only if it is short and plain, so it cannot forge log lines.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class HealthProbeMiddleware:
    """Answers /healthz and /readyz before anything else runs, whatever the Host header says."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == "/healthz":
            return health.liveness()
        if request.path == "/readyz":
            return health.readiness()
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives every request an id (the caller's X-Request-ID if sane), echoes it, and logs the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        request.id = rid  # type: ignore[attr-defined]
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            request_id.reset(token)


class CommitWaitMiddleware:
    """Sends the answer to a write only once its cache commit wait is over (`core.cache`): the
    request's writes wait once together, not once per transaction."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with cache.commit_waits_at_exit():
            return self.get_response(request)
