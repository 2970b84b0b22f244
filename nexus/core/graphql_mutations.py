"""GraphQL mutations as one more thin transport over the services REST calls.

Every mutation does what a REST write view does, with the same pieces:

1. its input is a GraphQL input type generated from the REST input serializer
   (`input_from_serializer`), and is validated by that serializer -- the same field rules
   (lengths, choices, required, defaults) with no second copy;
2. it calls the same service function as the REST view;
3. it answers with a payload `{node, errors}` (`payload_type`): the changed object, or field
   errors.

How failures come back (`mutate`), REST's answer in brackets:

- invalid input (the serializer), Django `ValidationError` [400 with `errors` by field] and
  `ApplicationError` with status 400, 409, 413, 415 or 422 [that status]: the payload's
  `errors: [{field, messages, code}]` (`field` is "nonFieldErrors" unless the error names fields);
- `Http404`, `ApplicationError(status=404)` [404]: a GraphQL error, `extensions.code` NOT_FOUND,
  `extensions.status` 404;
- `PermissionDenied`, `ApplicationError(status=403)` [403]: FORBIDDEN, 403;
- no credential [401]: UNAUTHENTICATED, 401;
- `Throttled` [429]: THROTTLED, 429, with `retryAfter` seconds.

So, as over REST, what the actor may not see is "not found", never a field error, and a denial
changes nothing (the services raise before writing). Field names in `errors` are the input's
GraphQL names (camelCase; nested items as `topics.0`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import strawberry
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from graphql import GraphQLError
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as DRFValidationError
from rest_framework.settings import api_settings
from strawberry.relay import GlobalID
from strawberry.scalars import JSON
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from nexus.core.errors import ApplicationError, Throttled
from nexus.core.graphql import signed_in

T = TypeVar("T")

# Statuses of ApplicationError that are about the request's content: a payload error, not a denial.
PAYLOAD_STATUSES = frozenset({400, 409, 413, 415, 422})


@strawberry.type(description="Why a mutation did not apply: one input field (or `nonFieldErrors`) and its messages.")
class FieldError:
    field: str = strawberry.field(description='The input field, camelCase; nested items as "topics.0".')
    messages: list[str]
    code: str = strawberry.field(description='A stable machine name: "invalid", or the rule that failed.')


# --- errors ----------------------------------------------------------------------------------------


def graphql_error(message: str, *, code: str, status: int, **extra: Any) -> GraphQLError:
    """A top-level GraphQL error shaped like the REST problem it stands for."""
    return GraphQLError(message, extensions={"code": code, "status": status, **extra})


def not_found(message: str = "Not found.") -> GraphQLError:
    return graphql_error(message, code="NOT_FOUND", status=404)


def _field_name(key: str) -> str:
    if key in ("__all__", api_settings.NON_FIELD_ERRORS_KEY):
        return "nonFieldErrors"
    return ".".join(part if part.isdigit() else to_camel_case(part) for part in key.split("."))


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[Any]]:
    """{"field.sub": [message, ...]} from nested serializer / Django error details (messages keep their codes)."""
    out: dict[str, list[Any]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            for k, v in _flatten(value, f"{prefix}{key}.").items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list | tuple):
        if all(not isinstance(item, dict | list | tuple) for item in detail):
            out.setdefault(prefix.rstrip(".") or api_settings.NON_FIELD_ERRORS_KEY, []).extend(detail)
        else:
            for index, item in enumerate(detail):
                for k, v in _flatten(item, f"{prefix}{index}.").items():
                    out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix.rstrip(".") or api_settings.NON_FIELD_ERRORS_KEY, []).append(detail)
    return out


def field_errors(detail: Any, *, code: str = "invalid") -> list[FieldError]:
    """FieldErrors from a DRF `serializer.errors` / `ValidationError.detail` or a Django error dict."""
    errors = []
    for key, messages in _flatten(detail).items():
        codes = [getattr(m, "code", None) for m in messages]
        first = next((c for c in codes if c), code)
        errors.append(FieldError(field=_field_name(key), messages=[str(m) for m in messages], code=str(first)))
    return errors


def _django_errors(exc: DjangoValidationError) -> list[FieldError]:
    if hasattr(exc, "error_dict"):
        return [
            FieldError(
                field=_field_name(key),
                messages=[m for e in errs for m in e.messages],
                code=next((e.code for e in errs if e.code), "invalid"),
            )
            for key, errs in exc.error_dict.items()
        ]
    return [
        FieldError(
            field="nonFieldErrors",
            messages=list(exc.messages),
            code=next((e.code for e in exc.error_list if e.code), "invalid"),
        )
    ]


def _application_errors(exc: ApplicationError) -> list[FieldError]:
    named = exc.extra.get("errors")
    if isinstance(named, dict) and named:
        return field_errors(named, code=exc.code)
    return [FieldError(field="nonFieldErrors", messages=[exc.message], code=exc.code)]


def _as_graphql_error(exc: Exception) -> GraphQLError | None:
    if isinstance(exc, Http404):
        return not_found(str(exc) or "Not found.")
    if isinstance(exc, PermissionDenied):
        return graphql_error(str(exc) or "You may not do this.", code="FORBIDDEN", status=403)
    if isinstance(exc, Throttled):
        return graphql_error(exc.message, code="THROTTLED", status=429, retryAfter=exc.wait)
    if isinstance(exc, ApplicationError):
        code = {404: "NOT_FOUND", 403: "FORBIDDEN", 401: "UNAUTHENTICATED"}.get(exc.status, exc.code.upper())
        return graphql_error(exc.message, code=code, status=exc.status, reason=exc.code)
    return None


# --- input and payload types ---------------------------------------------------------------------


def _annotation(field: serializers.Field) -> Any:
    if isinstance(field, serializers.ListField):
        return list[_annotation(field.child)]  # type: ignore[misc]
    if isinstance(field, serializers.BooleanField):
        return bool
    if isinstance(field, serializers.IntegerField):
        return int
    if isinstance(field, serializers.FloatField):
        return float
    if isinstance(field, serializers.JSONField | serializers.DictField):
        return JSON
    return str  # CharField, SlugField, ChoiceField, URLField, EmailField, RegexField ...


def _description(field: serializers.Field) -> str | None:
    parts = [str(field.help_text)] if field.help_text else []
    if isinstance(field, serializers.ChoiceField):
        parts.append("One of: " + ", ".join(f'"{value}"' for value in field.choices) + ".")
    return " ".join(parts) or None


def input_from_serializer(
    serializer_class: type[serializers.Serializer],
    name: str,
    *,
    exclude: Iterable[str] = (),
    description: str | None = None,
) -> Any:
    """A strawberry input type with the serializer's writable fields (the REST request body).

    A field is required (non-null, no default) where the serializer requires it; every other
    field may be left out, which is not the same as sending null (left-out fields are not sent
    to the serializer, exactly as a PATCH body leaves them out).
    """
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {}
    for field_name, field in serializer_class().fields.items():
        if field.read_only or field_name in exclude or isinstance(field, serializers.FileField):
            continue
        kind = _annotation(field)
        if field.required:
            annotations[field_name] = kind
            namespace[field_name] = strawberry.field(description=_description(field))
        else:
            annotations[field_name] = kind | None
            namespace[field_name] = strawberry.field(default=strawberry.UNSET, description=_description(field))
    doc = description or f"The input of {name.removesuffix('Input')}, as the REST request body."
    cls = type(name, (), {"__annotations__": annotations, "__doc__": doc, **namespace})
    return strawberry.input(cls, name=name, description=doc)


def input_data(value: Any) -> dict[str, Any]:
    """The fields the client sent (UNSET left out), by their Python (snake_case) names."""
    if value is None:
        return {}
    return {
        f.name: getattr(value, f.name)
        for f in dataclasses.fields(value)
        if getattr(value, f.name) is not strawberry.UNSET
    }


def payload_type(node: Any, name: str, *, node_name: str = "node", description: str | None = None) -> Any:
    """`<name> { node: <node>, errors: [FieldError!]! }`: what a mutation changed, or why it did not."""
    annotations = {node_name: node | None, "errors": list[FieldError]}
    namespace = {
        node_name: strawberry.field(default=None, description="The changed object; null when `errors` is not empty."),
        "errors": strawberry.field(default_factory=list, description="Empty when the mutation applied."),
    }
    cls = type(name, (), {"__annotations__": annotations, **namespace})
    return strawberry.type(cls, name=name, description=description or "What the mutation changed, or why it did not.")


# --- running ----------------------------------------------------------------------------------------


def pk_of(value: Any, *, what: str = "object") -> int:
    """A database id from an argument: the id itself, or a Relay global ID (`Type:id`, base64)."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        node_id = GlobalID.from_id(text).node_id
    except Exception:  # noqa: BLE001 - anything that does not decode is an id that names nothing
        node_id = ""
    if node_id.isdigit():
        return int(node_id)
    raise not_found(f"No {what} {text!r}.")


def ref_of(value: Any) -> int | str:
    """An "id or slug" argument (as REST paths take): a database id, a Relay global ID, else a slug."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        node_id = GlobalID.from_id(text).node_id
    except Exception:  # noqa: BLE001 - not a global ID: a slug
        return text
    return int(node_id) if node_id.isdigit() else text


@strawberry.type(description="The result of a delete: the id of what is gone, or why nothing was deleted.")
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    errors: list[FieldError] = strawberry.field(default_factory=list)


def actor_of(info: Info) -> Any:
    """The signed-in member making the request, else an UNAUTHENTICATED error (REST's 401)."""
    return signed_in(info)


def mutate(
    info: Info,
    payload: type[T],
    call: Callable[[Any, dict[str, Any]], Any],
    *,
    input: Any = None,
    raw: dict[str, Any] | None = None,
    serializer: type[serializers.Serializer] | None = None,
    partial: bool = False,
    node_name: str | None = "node",
) -> T:
    """Validate `input` with the REST `serializer`, call the service, and shape the payload.

    `call(actor, data)` receives the serializer's validated data (or the input as sent, without a
    serializer), and returns the node. `raw` replaces `input` for mutations
    whose fields are fixed (`publishEntry` is an update with `{"status": "published"}`). With
    `node_name=None`, `call` returns the whole payload (one with more than the node).
    """
    actor = actor_of(info)
    data = dict(raw) if raw is not None else input_data(input)
    if serializer is not None:
        checked = serializer(data=data, partial=partial)
        if not checked.is_valid():
            return payload(errors=field_errors(checked.errors))  # type: ignore[call-arg]
        data = dict(checked.validated_data)
    try:
        node = call(actor, data)
    except DjangoValidationError as exc:
        return payload(errors=_django_errors(exc))  # type: ignore[call-arg]
    except DRFValidationError as exc:
        return payload(errors=field_errors(exc.detail))  # type: ignore[call-arg]
    except ApplicationError as exc:
        if exc.status in PAYLOAD_STATUSES and not isinstance(exc, Throttled):
            return payload(errors=_application_errors(exc))  # type: ignore[call-arg]
        raise _as_graphql_error(exc) from exc  # type: ignore[misc]
    except (Http404, PermissionDenied) as exc:
        raise _as_graphql_error(exc) from exc  # type: ignore[misc]
    return node if node_name is None else payload(**{node_name: node})
