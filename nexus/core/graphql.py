"""GraphQL plumbing shared by every app: the HTTP view, authentication, error shaping, limits.

The schema itself is assembled in `config/schema.py` from each app's `graphql.py`. Resolvers
stay thin: they read the actor with `actor(info)` and call the app's selectors and `access_*`
functions, which raise Django's `Http404` / `PermissionDenied` / `ValidationError` or
`core.ApplicationError`; `NexusErrors` turns those into GraphQL errors with a stable
`extensions.code`, and masks anything else (a bug) as "Unexpected error." unless
`GRAPHQL_MASK_ERRORS` is off. A stack trace never reaches a client.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphql.error import GraphQLError
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings
from strawberry.django.views import GraphQLView
from strawberry.extensions import MaskErrors
from strawberry.types import Info
from strawberry_django.optimizer import optimize

from nexus.core.api.exceptions import _field_errors as _rest_field_errors
from nexus.core.api.exceptions import problem_response
from nexus.core.errors import ApplicationError
from nexus.core.request_context import request_id

logger = logging.getLogger(__name__)
_M = TypeVar("_M", bound=Model)
_V = TypeVar("_V")


def actor(info: Info) -> Any:
    """The member making the request (or AnonymousUser), as the view authenticated them."""
    request = info.context.request
    user = getattr(request, "user", None)
    if user is None:  # a websocket consumer's context carries a scope, not a request
        user = (getattr(request, "scope", None) or {}).get("user")
    return user if user is not None else AnonymousUser()


def _field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {("non_field_errors" if k == "__all__" else k): v for k, v in error.message_dict.items()}
    return {"non_field_errors": list(error.messages)}


class NexusErrors(MaskErrors):
    """Give every error a machine-readable `extensions.code`; mask unexpected ones.

    Http404 -> NOT_FOUND, PermissionDenied -> FORBIDDEN, ValidationError -> BAD_USER_INPUT (with
    `extensions.errors` per field, like REST's problem documents), ApplicationError -> its code.
    GraphQL's own errors (syntax, validation, limits) keep their message. Anything else is a bug:
    logged (by strawberry) with its traceback, and shown as "Unexpected error." when masking is on.
    """

    def __init__(self) -> None:
        super().__init__(error_message="Unexpected error.")

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._shaped(error) for error in errors]

    def _shaped(self, error: GraphQLError) -> GraphQLError:
        original = error.original_error
        extensions: dict[str, Any] = dict(error.extensions or {})
        message = error.message
        if original is None or isinstance(original, GraphQLError):
            extensions.setdefault("code", "GRAPHQL_VALIDATION_FAILED" if error.path is None else "BAD_REQUEST")
        elif isinstance(original, Http404):
            extensions["code"] = "NOT_FOUND"
            message = str(original) or "Not found."
        elif isinstance(original, PermissionDenied):
            extensions["code"] = "FORBIDDEN"
            message = str(original) or "You do not have permission to do this."
        elif isinstance(original, ValidationError):
            errors = _field_errors(original)
            extensions.update(code="BAD_USER_INPUT", errors=errors)
            message = "; ".join(
                ("" if field == "non_field_errors" else f"{field}: ") + " ".join(messages)
                for field, messages in errors.items()
            )
        elif isinstance(original, ApplicationError):
            extensions.update(code=original.code.upper(), **original.extra)
            message = original.message
        elif getattr(settings, "GRAPHQL_MASK_ERRORS", True):
            return GraphQLError(
                self.error_message,
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR", "request_id": request_id.get()},
            )
        else:
            extensions.setdefault("code", "INTERNAL_SERVER_ERROR")
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            original_error=original,
            extensions=extensions,
        )


class _BodyLeftAlone(BaseParser):
    """Lets the CSRF check look for a form token without consuming the body strawberry reads
    (the token then comes from the X-CSRFToken header, as for any JSON request)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> dict[str, Any]:
        return {}


@method_decorator(csrf_exempt, name="dispatch")
class NexusGraphQLView(GraphQLView):
    """strawberry's Django view, authenticated exactly like the REST API.

    The request goes through DRF's configured authenticators (a bearer access token -- with the
    logout denylist -- then the session). A session-authenticated POST must carry the CSRF
    token, as in REST (DRF's SessionAuthentication enforces it); a bearer token needs none. A
    refused token or a failed CSRF check is answered with a problem document, as REST does.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        classes: list[type[BaseAuthentication]] = api_settings.DEFAULT_AUTHENTICATION_CLASSES  # type: ignore[assignment]
        authenticators = [cls() for cls in classes]
        drf_request = Request(request, authenticators=authenticators, parsers=[_BodyLeftAlone()])
        try:
            request.user = drf_request.user  # the setter also sets it on the Django request
        except APIException as exc:
            detail = exc.detail.get("detail", exc.detail) if isinstance(exc.detail, dict) else exc.detail
            code = exc.get_codes()
            # DRF answers 403 when the first authenticator names no scheme, 401 (with it) otherwise.
            header = authenticators[0].authenticate_header(drf_request) if authenticators else None
            status_code = exc.status_code if exc.status_code != 401 or header else 403
            response = problem_response(
                request,
                status_code=status_code,
                detail=str(detail),
                code=code if isinstance(code, str) else str(getattr(detail, "code", exc.default_code)),
            )
            if status_code == 401 and header:
                response["WWW-Authenticate"] = header
            return response
        return super().dispatch(request, *args, **kwargs)

    def render_graphql_ide(self, request: HttpRequest) -> HttpResponse:
        get_token(request)  # the CSRF cookie GraphiQL sends back with a session
        return super().render_graphql_ide(request)


def bare(qs: QuerySet[_M]) -> QuerySet[_M]:
    """A selector's queryset without its own `select_related`/`prefetch_related`.

    Selectors load what their REST output needs; over GraphQL the optimizer loads what the query
    selects instead (two loaders of the same relation would clash or load it twice). Filters,
    ordering and annotations -- the rules -- are kept.
    """
    return qs.select_related(None).prefetch_related(None)


def signed_in(info: Info) -> Any:
    """The signed-in member; UNAUTHENTICATED error for a visitor (REST answers 401 there)."""
    user = actor(info)
    if not user.is_authenticated:
        raise ApplicationError("Authentication credentials were not provided.", status=401, code="unauthenticated")
    return user


def validated(serializer_class: type[Serializer], **arguments: Any) -> dict[str, Any]:
    """Arguments checked by the REST endpoint's own filter serializer: the same rules, the same
    messages; a failure is a ValidationError (BAD_USER_INPUT with `extensions.errors`)."""
    serializer = serializer_class(data={name: value for name, value in arguments.items() if value is not None})
    if not serializer.is_valid():
        raise ValidationError(_rest_field_errors(serializer.errors))  # "field.sub": [...], as REST reports them
    return dict(serializer.validated_data)


def optimized(obj: Model, info: Info) -> Any:
    """`obj` read again through the optimizer, so its nested fields load in batched queries.

    A single object comes from its `access_*` function (the rule); this reload costs one query
    and makes what the request selects below it -- lists, relations -- prefetched, not N+1.
    """
    return optimize(type(obj)._default_manager.filter(pk=obj.pk), info).get()


def narrowed(queryset: QuerySet[_M], visible: QuerySet[_M]) -> QuerySet[_M]:
    """`queryset` keeping only the rows of `visible` (an `access.*_visible_to` queryset).

    A type's `get_queryset` narrows every queryset of it this way -- a root list or a nested
    relation the optimizer prefetches. ANDing the two filters keeps one query with the same
    joins; a DISTINCT query (a selector's multi-valued filter) cannot be ANDed with one that is
    not, so it gets the rule as a subquery instead.
    """
    if queryset.query.distinct != visible.query.distinct or queryset.query.is_sliced:
        return queryset.filter(pk__in=visible.values("pk"))
    return queryset & visible


# --- Per-request batch loading -------------------------------------------------------------
#
# A computed field (a selector call per object: "did I hit this problem", an API's uptime) would
# cost one query per object of a list. strawberry's DataLoader batches such calls, but only in
# async execution, and this schema runs synchronously (Django's ORM, the sync view). So the
# batching is done the other way round: every queryset of a type that has such fields is
# `noted` (its `get_queryset`), which records the ids of the objects it loads -- a root list, a
# page of a connection, a relation the optimizer prefetches -- on the request's context. The
# first time a field asks a `BatchLoader` for one object, the loader calls the app's batch
# selector once for that object and every other noted object of the model not loaded yet;
# the other objects' answers are then already there. The rules stay in the selector.


def _per_request(info: Info, name: str, make: Callable[[], Any]) -> Any:
    """A value stored on the HTTP request's context (made afresh in a subscription, whose context
    spans every event of a long-lived operation: a cached answer would go stale)."""
    context = info.context
    if getattr(context, "ws", None) is not None:
        return make()
    store: dict[str, Any] | None = getattr(context, "_nexus_batches", None)
    if store is None:
        store = {}
        setattr(context, "_nexus_batches", store)  # noqa: B010 -- contexts are plain objects
    if name not in store:
        store[name] = make()
    return store[name]


def _noted_ids(info: Info, model: type[Model]) -> dict[int, None]:
    """The ids of the `model` objects this request loaded so far (an ordered set)."""
    return _per_request(info, f"noted:{model._meta.label}", dict)


def noted(queryset: QuerySet[_M], info: Info) -> QuerySet[_M]:
    """`queryset`, recording the ids of the objects it loads for this request's `BatchLoader`s."""
    if queryset._iterable_class is not ModelIterable:  # values(), values_list()
        return queryset
    ids = _noted_ids(info, queryset.model)

    class _Noting(ModelIterable):
        def __iter__(self) -> Iterator[Any]:
            for obj in super().__iter__():
                ids[obj.pk] = None
                yield obj

    queryset = queryset._chain()  # type: ignore[attr-defined]
    queryset._iterable_class = _Noting
    return queryset


class BatchLoader(Generic[_V]):
    """One computed value per object id, loaded for all noted objects at once (see above)."""

    def __init__(self, noted_ids: dict[int, None], load_many: Callable[[list[int]], Mapping[int, _V]]) -> None:
        self._noted = noted_ids
        self._load_many = load_many
        self._values: dict[int, _V] = {}

    def load(self, pk: int) -> _V:
        if pk not in self._values:
            pending = [key for key in self._noted if key not in self._values]
            if pk not in self._noted:
                pending.append(pk)
            self._values.update(self._load_many(pending))
        return self._values[pk]


def batch_loader(
    info: Info, model: type[Model], name: str, load_many: Callable[[Iterable[int]], Mapping[int, _V]]
) -> BatchLoader[_V]:
    """This request's loader `name` of `model` objects (created on first use), calling `load_many(ids)`."""
    return _per_request(
        info, f"loader:{model._meta.label}:{name}", lambda: BatchLoader(_noted_ids(info, model), load_many)
    )
