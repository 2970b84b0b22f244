"""OpenAPI 3 documents: load (JSON or YAML), check, resolve local `$ref`s, list operations, diff.

Pure functions, no database: `parse_schema(raw)` returns a `ParsedSchema` or raises
`SchemaError` with what could not be understood; `diff_operations(old, new)` classifies changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import yaml

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
MAX_OPERATIONS = 1000
MAX_REF_DEPTH = 12  # nested $ref expansions on one branch; deeper ones stay as {"$ref": ...}
MAX_NODES = 5000  # dict/list nodes kept per resolved operation part; the rest is cut


class SchemaError(ValueError):
    """The document is not an OpenAPI 3 schema Nexus can read; the message says why."""


@dataclass(frozen=True)
class ParsedSchema:
    document: dict[str, Any]
    sha256: str
    title: str
    version: str
    operations: dict[str, dict[str, Any]]  # key "METHOD /path" -> operation fields


def canonical_hash(document: Any) -> str:
    """SHA-256 of the document as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def load_document(raw: bytes | str) -> Any:
    """JSON, else YAML (safe loader); SchemaError with the parser's position if neither."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    if not text.strip():
        raise SchemaError("The schema is empty.")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid JSON or YAML"
        raise SchemaError(f"The schema is neither JSON nor YAML{where}: {problem}.") from None


class _Resolver:
    def __init__(self, document: dict[str, Any]):
        self.document = document
        self.nodes = 0

    def pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise SchemaError(f"$ref {ref!r} points outside the document; only local references (#/...) are read.")
        node: Any = self.document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SchemaError(f"$ref {ref!r} points to nothing in the document.")
        return node

    def resolve(self, node: Any, seen: tuple[str, ...] = ()) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            return {"truncated": True}
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                if ref in seen or len(seen) >= MAX_REF_DEPTH:
                    return {"$ref": ref, "circular": True}
                return self.resolve(self.pointer(ref), (*seen, ref))
            return {k: self.resolve(v, seen) for k, v in node.items()}
        if isinstance(node, list):
            return [self.resolve(v, seen) for v in node]
        return node


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def parse_schema(raw: bytes | str) -> ParsedSchema:
    """Load and read an OpenAPI 3 document; SchemaError says what is wrong with it."""
    return parse_schema_document(load_document(raw))


def parse_schema_document(document: Any) -> ParsedSchema:
    """Read an already loaded OpenAPI 3 document."""
    if not isinstance(document, dict):
        raise SchemaError("The schema must be an object with `openapi`, `info` and `paths`.")
    if "swagger" in document:
        raise SchemaError("This is a Swagger 2.0 document; Nexus reads OpenAPI 3.x (convert it first).")
    version = document.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise SchemaError('`openapi` must be a 3.x version string such as "3.0.3" or "3.1.0".')
    paths = document.get("paths")
    if not isinstance(paths, dict):
        raise SchemaError("`paths` must be an object mapping paths to their operations.")
    info: dict[str, Any] = document["info"] if isinstance(document.get("info"), dict) else {}
    resolver = _Resolver(document)
    operations: dict[str, dict[str, Any]] = {}
    for path, item in paths.items():
        if not isinstance(path, str) or not path.startswith("/"):
            raise SchemaError(f"Path {path!r} must start with '/'.")
        if not isinstance(item, dict):
            raise SchemaError(f"Path {path!r} must map to an object of operations.")
        item = resolver.resolve(item) if "$ref" in item else item
        shared = item.get("parameters") or []
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            if not isinstance(op, dict):
                raise SchemaError(f"{method.upper()} {path} must be an object.")
            if len(operations) >= MAX_OPERATIONS:
                raise SchemaError(f"The schema has more than {MAX_OPERATIONS} operations.")
            resolver.nodes = 0
            params: dict[tuple[str, str], dict[str, Any]] = {}
            for raw_param in [*shared, *(op.get("parameters") or [])]:
                param = resolver.resolve(raw_param)
                if not isinstance(param, dict) or "name" not in param or "in" not in param:
                    raise SchemaError(f"A parameter of {method.upper()} {path} has no `name` or `in`.")
                params[(str(param["in"]), str(param["name"]))] = {
                    "name": str(param["name"]),
                    "in": str(param["in"]),
                    "required": bool(param.get("required", param["in"] == "path")),
                    "description": _text(param.get("description"), 1000),
                    "schema": param.get("schema") if isinstance(param.get("schema"), dict) else {},
                }
            body = resolver.resolve(op.get("requestBody")) if op.get("requestBody") is not None else None
            responses = resolver.resolve(op.get("responses") or {})
            key = f"{method.upper()} {path}"
            operations[key] = {
                "key": key,
                "method": method.upper(),
                "path": path[:500],
                "operation_id": _text(op.get("operationId"), 200),
                "summary": _text(op.get("summary"), 500),
                "description": _text(op.get("description"), 5000),
                "deprecated": bool(op.get("deprecated", False)),
                "parameters": list(params.values()),
                "request_body": _request_body(body),
                "responses": _responses(responses),
            }
    return ParsedSchema(
        document=document,
        sha256=canonical_hash(document),
        title=_text(info.get("title"), 200),
        version=_text(str(info.get("version", "")), 100),
        operations=operations,
    )


def _json_schema(content: Any) -> dict[str, Any] | None:
    """The schema of the JSON media type (or the first one) of a `content` map."""
    if not isinstance(content, dict) or not content:
        return None
    media = content.get("application/json") or next(iter(content.values()))
    if isinstance(media, dict) and isinstance(media.get("schema"), dict):
        return media["schema"]
    return {}


def _request_body(body: Any) -> dict[str, Any] | None:
    if not isinstance(body, dict):
        return None
    return {
        "required": bool(body.get("required", False)),
        "content_types": sorted(body.get("content") or {}) if isinstance(body.get("content"), dict) else [],
        "schema": _json_schema(body.get("content")),
    }


def _responses(responses: Any) -> dict[str, Any]:
    if not isinstance(responses, dict):
        return {}
    out = {}
    for status, response in responses.items():
        if isinstance(response, dict):
            out[str(status)] = {
                "description": _text(response.get("description"), 1000),
                "schema": _json_schema(response.get("content")),
            }
    return out


# --- Diff ------------------------------------------------------------------------------------


def _change(breaking: bool, kind: str, operation: str, where: str, message: str) -> dict[str, Any]:
    return {"breaking": breaking, "kind": kind, "operation": operation, "where": where, "message": message}


def _types(schema: dict[str, Any]) -> Any:
    value = schema.get("type")
    return sorted(value) if isinstance(value, list) else value


def _compare_schemas(
    old: Any, new: Any, *, op: str, where: str, request: bool, out: list[dict[str, Any]], depth: int = 0
) -> None:
    """Walk two JSON schemas side by side; request side: new requirements break; response side: removals break."""
    if not isinstance(old, dict) or not isinstance(new, dict) or depth > 20:
        return
    old_type, new_type = _types(old), _types(new)
    if old_type and new_type and old_type != new_type:
        out.append(_change(True, "type_changed", op, where, f"{where}: type changed from {old_type} to {new_type}."))
        return
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if isinstance(old_enum, list) and isinstance(new_enum, list):
        removed = [v for v in old_enum if v not in new_enum]
        if removed:
            out.append(_change(True, "enum_value_removed", op, where, f"{where}: enum values removed: {removed}."))
        added = [v for v in new_enum if v not in old_enum]
        if added:
            out.append(_change(False, "enum_value_added", op, where, f"{where}: enum values added: {added}."))
    old_props: dict[str, Any] = old["properties"] if isinstance(old.get("properties"), dict) else {}
    new_props: dict[str, Any] = new["properties"] if isinstance(new.get("properties"), dict) else {}
    old_required = set(old.get("required") or []) if isinstance(old.get("required"), list) else set()
    new_required = set(new.get("required") or []) if isinstance(new.get("required"), list) else set()
    for name in old_props:
        field = f"{where}.{name}"
        if name not in new_props:
            if request:
                out.append(_change(False, "request_field_removed", op, field, f"{field}: no longer accepted."))
            else:
                out.append(_change(True, "response_field_removed", op, field, f"{field}: removed from the response."))
            continue
        if request and name in new_required and name not in old_required:
            out.append(_change(True, "required_field_added", op, field, f"{field}: now required."))
        _compare_schemas(
            old_props[name], new_props[name], op=op, where=field, request=request, out=out, depth=depth + 1
        )
    for name in new_props:
        if name in old_props:
            continue
        field = f"{where}.{name}"
        if request and name in new_required:
            out.append(_change(True, "required_field_added", op, field, f"{field}: new required field."))
        elif request:
            out.append(_change(False, "optional_field_added", op, field, f"{field}: new optional field."))
        else:
            out.append(_change(False, "response_field_added", op, field, f"{field}: added to the response."))
    if isinstance(old.get("items"), dict) and isinstance(new.get("items"), dict):
        _compare_schemas(
            old["items"], new["items"], op=op, where=f"{where}[]", request=request, out=out, depth=depth + 1
        )
    if (
        old.get("description") != new.get("description")
        and depth == 0
        and (old.get("description") or new.get("description"))
    ):
        out.append(_change(False, "description_changed", op, where, f"{where}: description changed."))


def _compare_operation(key: str, old: dict[str, Any], new: dict[str, Any], out: list[dict[str, Any]]) -> None:
    old_params = {(p["in"], p["name"]): p for p in old.get("parameters") or []}
    new_params = {(p["in"], p["name"]): p for p in new.get("parameters") or []}
    for ident, param in new_params.items():
        where = f"{ident[0]} parameter {ident[1]}"
        before = old_params.get(ident)
        if before is None:
            if param.get("required"):
                out.append(_change(True, "required_parameter_added", key, where, f"{where}: new and required."))
            else:
                out.append(_change(False, "optional_parameter_added", key, where, f"{where}: new, optional."))
            continue
        if param.get("required") and not before.get("required"):
            out.append(_change(True, "parameter_now_required", key, where, f"{where}: now required."))
        _compare_schemas(before.get("schema"), param.get("schema"), op=key, where=where, request=True, out=out)
    for ident in old_params:
        if ident not in new_params:
            where = f"{ident[0]} parameter {ident[1]}"
            out.append(_change(False, "parameter_removed", key, where, f"{where}: removed (no longer read)."))
    old_body, new_body = old.get("request_body") or {}, new.get("request_body") or {}
    if new_body.get("required") and not old_body.get("required"):
        out.append(_change(True, "request_body_now_required", key, "body", "The request body is now required."))
    _compare_schemas(old_body.get("schema"), new_body.get("schema"), op=key, where="body", request=True, out=out)
    old_resp, new_resp = old.get("responses") or {}, new.get("responses") or {}
    for status, response in old_resp.items():
        if status not in new_resp:
            if status.startswith("2"):
                out.append(_change(True, "response_removed", key, status, f"Response {status} removed."))
            continue
        _compare_schemas(
            response.get("schema"),
            new_resp[status].get("schema"),
            op=key,
            where=f"response {status}",
            request=False,
            out=out,
        )
    for status in new_resp:
        if status not in old_resp:
            out.append(_change(False, "response_added", key, status, f"Response {status} added."))
    for field in ("summary", "description"):
        if (old.get(field) or "") != (new.get(field) or ""):
            out.append(_change(False, "description_changed", key, field, f"The operation's {field} changed."))
    if new.get("deprecated") and not old.get("deprecated"):
        out.append(_change(False, "deprecated", key, "operation", "The operation is now deprecated."))


def diff_operations(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Every change from `old` to `new` (operation maps by key), each marked breaking or not."""
    out: list[dict[str, Any]] = []
    for key in old:
        if key not in new:
            out.append(_change(True, "operation_removed", key, "operation", f"{key} was removed."))
    for key, op in new.items():
        if key not in old:
            out.append(_change(False, "operation_added", key, "operation", f"{key} was added."))
        else:
            _compare_operation(key, old[key], op, out)
    return out
