"""Helpers for the server-rendered pages (docs/web.md): fragments for htmx, service errors on forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from nexus.core.errors import ApplicationError


def is_htmx(request: HttpRequest) -> bool:
    """True for a request htmx made (the HX-Request header), set by django-htmx's middleware."""
    return bool(getattr(request, "htmx", False))


def render_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render the full page, or only `fragment` when htmx asked (the answer varies on HX-Request)."""
    chosen = fragment if fragment is not None and is_htmx(request) else template
    response = render(request, chosen, dict(context or {}), status=status)
    if fragment is not None:
        patch_vary_headers(response, ("HX-Request",))
    return response


def form_add_service_error(form: forms.BaseForm, exc: ValidationError | ApplicationError) -> None:
    """Put a service's error on the form: a ValidationError on its field when the form has it, else
    on top; an ApplicationError (a rule, not a field) on top."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def posted_switch(request: HttpRequest, name: str) -> bool | None:
    """The state a button asks for (`name=1` or `name=0`), never a toggle; None for anything else."""
    return {"1": True, "0": False}.get(request.POST.get(name, ""))


def plain_error(detail: str | ValidationError | ApplicationError, *, status: int = 400) -> HttpResponse:
    """A short plain-text answer to a request a page's control sent wrong (htmx shows it as a message)."""
    if isinstance(detail, ApplicationError):
        detail = detail.message
    elif isinstance(detail, ValidationError):
        detail = " ".join(detail.messages)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` the request names if it stays on this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default
