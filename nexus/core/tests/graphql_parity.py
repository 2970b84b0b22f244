"""Test helper: a GraphQL mutation is refused exactly as the REST endpoint refuses the same request."""

from __future__ import annotations

from typing import Any

CODE_FOR_STATUS = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND"}


def assert_refused_like_rest(result: dict[str, Any], rest_status: int, *, field: str) -> None:
    """`result` (a GraphQL answer) carries one error for `field`, with the code REST's status stands for."""
    assert rest_status in CODE_FOR_STATUS, rest_status
    assert result["data"] is None, result
    [error] = result["errors"]
    assert error["path"] == [field]
    assert error["extensions"]["code"] == CODE_FOR_STATUS[rest_status], error
