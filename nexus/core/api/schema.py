"""OpenAPI pieces shared by every app: the problem document and its responses."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

_DESCRIPTIONS = {
    400: "Validation error: `errors` maps each field to its messages.",
    401: "Not authenticated, or the credentials/token are not valid.",
    403: "Authenticated, but not allowed to do this to an object you can see.",
    404: "No such object, or not one you may see.",
    409: "Conflict with the current state.",
    413: "The request body is too large.",
    415: "The upload is not a Markdown text file.",
    429: "Too many attempts; see `Retry-After`.",
}


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="Stable machine-readable error code.")
    instance = serializers.CharField(required=False)
    request_id = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment] # a field, not Serializer.errors
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Field name to messages (validation errors only).",
    )


def problems(*statuses: int) -> dict[int, OpenApiResponse]:
    """The problem responses an operation can return, for `extend_schema(responses=...)`."""
    return {s: OpenApiResponse(ProblemSerializer, description=_DESCRIPTIONS[s]) for s in statuses}
