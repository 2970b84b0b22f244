"""One exception handler: every API error is an RFC 9457 problem document.

    {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "...",
     "instance": "/api/v1/entries/7/", "code": "not_found", "request_id": "...",
     "errors": {"field": ["message", ...]}}   # validation errors only

Services raise Django's ValidationError, PermissionDenied, Http404 or core.ApplicationError;
DRF raises its own APIException subclasses. All of them end up here.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings

from nexus.core.errors import ApplicationError, Throttled
from nexus.core.request_context import request_id

PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(
    *, status_code: int, detail: str, code: str, instance: str = "", extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Build a problem document."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": HTTPStatus(status_code).phrase,
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    body["request_id"] = request_id.get()
    if extra:
        body.update(extra)
    return body


def _field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into {"field.sub": ["message"]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = api_settings.NON_FIELD_ERRORS_KEY if key == "__all__" else str(key)
            for k, v in _field_errors(value, f"{prefix}{name}.").items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix.rstrip(".") or api_settings.NON_FIELD_ERRORS_KEY] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for k, v in _field_errors(item, f"{prefix}{index}.").items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix.rstrip(".") or api_settings.NON_FIELD_ERRORS_KEY] = [str(detail)]
    return out


def _summary(errors: dict[str, list[str]]) -> str:
    parts = []
    for field, messages in errors.items():
        label = "" if field == api_settings.NON_FIELD_ERRORS_KEY else f"{field}: "
        parts.append(label + " ".join(messages))
    return "; ".join(parts) or "The request is not valid."


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is larger than the server accepts."
    default_code = "payload_too_large"


def _as_drf(exc: Exception) -> Exception:
    """Translate the exceptions services raise into DRF's."""
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return exceptions.ValidationError(detail=detail)
    if isinstance(exc, Http404):
        return exceptions.NotFound(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    return exc


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF EXCEPTION_HANDLER: render any known error as problem+json; let the rest become a 500."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    exc = _as_drf(exc)
    headers: dict[str, str] = {}

    if isinstance(exc, Throttled):
        body = problem(status_code=429, detail=exc.message, code=exc.code, instance=instance, extra=exc.extra)
        headers["Retry-After"] = str(exc.wait)
        return Response(body, status=429, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, ApplicationError):
        body = problem(status_code=exc.status, detail=exc.message, code=exc.code, instance=instance, extra=exc.extra)
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if not isinstance(exc, exceptions.APIException):
        return None

    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        body = problem(
            status_code=exc.status_code,
            detail=_summary(errors),
            code="validation_error",
            instance=instance,
            extra={"errors": errors},
        )
    else:
        detail = exc.detail
        code = exc.get_codes() if not isinstance(detail, dict | list) else exc.default_code
        body = problem(status_code=exc.status_code, detail=str(detail), code=str(code), instance=instance)

    auth_header = getattr(exc, "auth_header", None)
    if auth_header:
        headers["WWW-Authenticate"] = auth_header
    wait = getattr(exc, "wait", None)
    if wait is not None:
        headers["Retry-After"] = str(int(wait))
        body["retry_after"] = int(wait)
    return Response(body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request: HttpRequest, *, status_code: int, detail: str, code: str) -> JsonResponse:
    """A problem document outside DRF (URL-level 404, 500, CSRF failure)."""
    return JsonResponse(
        problem(status_code=status_code, detail=detail, code=code, instance=request.path),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
