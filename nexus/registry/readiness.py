"""The readiness check: what a frontend cohort's deliverables expect of a backend API.

Items (weight): the schema is reachable and valid OpenAPI 3 (3), a documentation page answers
(1), token and refresh endpoints are in the schema (2), list endpoints are paginated (2), CORS
answers for the frontend origin (2; skipped without an origin). Every request goes through the
outbound guard with the health-check budgets. Reads only: nothing is stored.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from nexus.core import outbound
from nexus.core.errors import ApplicationError
from nexus.registry import openapi, selectors
from nexus.registry.models import RegisteredApi

DOC_PATHS = ("/api/docs/", "/docs/", "/api/schema/swagger-ui/", "/swagger/", "/redoc/", "/api/redoc/")
_TOKEN = re.compile(r"/(token|login|jwt|auth)(/|$)", re.I)
_REFRESH = re.compile(r"refresh", re.I)
_HOST_DOWN = {"dns", "connect", "tls", "timeout"}
_PAGE_PARAMS = {"page", "cursor", "limit", "offset", "page_size", "per_page", "size"}
_PAGE_FIELDS = {"next", "cursor", "next_cursor", "results", "count", "page", "total", "has_more"}


def _item(name: str, weight: int, reason: str = "") -> dict[str, Any]:
    return {"name": name, "weight": weight, "passed": not reason, "reason": reason}


def _limits() -> outbound.Limits:
    return outbound.Limits.from_settings(
        connect_timeout=settings.REGISTRY_HEALTH_CONNECT_TIMEOUT,
        read_timeout=settings.REGISTRY_HEALTH_READ_TIMEOUT,
        total_timeout=settings.REGISTRY_HEALTH_TOTAL_TIMEOUT,
        max_bytes=settings.REGISTRY_SCHEMA_MAX_BYTES,
        max_redirects=settings.REGISTRY_HEALTH_MAX_REDIRECTS,
    )


def _schema_item(api: RegisteredApi, client: outbound.OutboundClient) -> tuple[dict[str, Any], dict[str, Any]]:
    name = "schema: reachable and valid OpenAPI 3"
    if not api.schema_url:
        latest = selectors.version_latest(api=api)
        if latest is None:
            return _item(name, 3, "No schema URL and no uploaded schema."), {}
        return _item(name, 3), selectors.operation_map(api=api)
    try:
        response = client.request("GET", api.schema_url)
    except outbound.OutboundError as exc:
        return _item(name, 3, f"The schema URL did not answer: {exc}"), {}
    if not response.ok:
        return _item(name, 3, f"The schema URL answered HTTP {response.status_code}."), {}
    try:
        parsed = openapi.parse_schema(response.content)
    except openapi.SchemaError as exc:
        return _item(name, 3, f"The schema is not valid OpenAPI 3: {exc}"), {}
    return _item(name, 3), parsed.operations


def _docs_item(api: RegisteredApi, client: outbound.OutboundClient) -> dict[str, Any]:
    name = "docs: a documentation page answers"
    tried = []
    for path in DOC_PATHS:
        url = urljoin(api.base_url.rstrip("/") + "/", path.lstrip("/"))
        try:
            response = client.request("GET", url, truncate=True)
        except outbound.OutboundError as exc:
            tried.append(f"{path} ({exc.reason})")
            if exc.reason in _HOST_DOWN:  # the next paths are on the same host: do not wait again
                break
            continue
        if response.ok and b"<" in response.content[:2048]:
            return _item(name, 1)
        tried.append(f"{path} (HTTP {response.status_code})")
    return _item(name, 1, "No documentation page at " + ", ".join(tried) + ".")


def _auth_item(operations: dict[str, dict[str, Any]]) -> dict[str, Any]:
    name = "auth: token and refresh endpoints"
    posts = [op["path"] for op in operations.values() if op["method"] == "POST"]
    token = [p for p in posts if _TOKEN.search(p) and not _REFRESH.search(p)]
    refresh = [p for p in posts if _REFRESH.search(p)]
    missing = []
    if not token:
        missing.append("a POST token/login endpoint (such as /api/token/)")
    if not refresh:
        missing.append("a POST refresh endpoint (such as /api/token/refresh/)")
    return _item(name, 2, ("The schema lacks " + " and ".join(missing) + ".") if missing else "")


def _paginated(op: dict[str, Any]) -> bool:
    if any(p["in"] == "query" and p["name"].lower() in _PAGE_PARAMS for p in op["parameters"]):
        return True
    schema = ((op["responses"].get("200") or {}).get("schema")) or {}
    props = schema.get("properties") if isinstance(schema, dict) else None
    return isinstance(props, dict) and bool(_PAGE_FIELDS.intersection(props))


def _is_list(op: dict[str, Any]) -> bool:
    if op["method"] != "GET" or op["path"].rstrip("/").endswith("}"):
        return False
    schema = ((op["responses"].get("200") or {}).get("schema")) or {}
    if not isinstance(schema, dict):
        return False
    props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
    return schema.get("type") == "array" or any(
        isinstance(v, dict) and v.get("type") == "array" for v in props.values()
    )


def _pagination_item(operations: dict[str, dict[str, Any]]) -> dict[str, Any]:
    name = "lists: list endpoints are paginated"
    lists = [op for op in operations.values() if _is_list(op)]
    if not lists:
        return _item(name, 2, "No list endpoint (a GET answering an array) in the schema.")
    bare = sorted(op["key"] for op in lists if not _paginated(op))
    if bare:
        shown = ", ".join(bare[:10])
        return _item(name, 2, f"Not paginated (no page/cursor/limit parameter, no next/results): {shown}.")
    return _item(name, 2)


def _cors_item(api: RegisteredApi, client: outbound.OutboundClient, origin: str, path: str) -> dict[str, Any]:
    name = f"cors: answers for {origin}"
    url = urljoin(api.base_url.rstrip("/") + "/", path.lstrip("/"))
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    try:
        response = client.request("OPTIONS", url, headers=headers, follow_redirects=False, truncate=True)
    except outbound.OutboundError as exc:
        return _item(name, 2, f"The preflight request to {path} failed: {exc}")
    allowed = response.headers.get("access-control-allow-origin")
    if allowed not in (origin, "*"):
        got = f"Access-Control-Allow-Origin: {allowed}" if allowed else "no Access-Control-Allow-Origin"
        return _item(name, 2, f"The preflight to {path} answered HTTP {response.status_code} with {got}.")
    return _item(name, 2)


def readiness_check(*, api: RegisteredApi, origin: str | None = None) -> dict[str, Any]:
    """The scored checklist for one API (score: passed weight over total, 0-100)."""
    if origin is not None:
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.hostname
            or parts.username
            or parts.path not in ("", "/")
            or parts.query
            or parts.fragment
        ):
            raise ApplicationError(
                "origin must be a scheme, host and optional port, such as https://app.example.com.",
                status=400,
                code="invalid_origin",
                extra={"errors": {"origin": ["Not an origin."]}},
            )
        origin = origin.rstrip("/")
    with outbound.OutboundClient(limits=_limits(), max_connections=4) as client:
        schema, operations = _schema_item(api, client)
        items = [schema, _docs_item(api, client), _auth_item(operations), _pagination_item(operations)]
        if origin:
            first_list = next((op["path"] for op in operations.values() if _is_list(op)), "/")
            items.append(_cors_item(api, client, origin, first_list))
    total = sum(i["weight"] for i in items)
    passed_weight = sum(i["weight"] for i in items if i["passed"])
    return {
        "score": round(100 * passed_weight / total) if total else 0,
        "passed": sum(1 for i in items if i["passed"]),
        "total": len(items),
        "items": items,
    }
