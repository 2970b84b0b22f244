"""Errors raised by services; the transports turn them into responses in one place."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business-rule failure that is not a field validation error.

    `status` is the HTTP status the REST transport answers with; `code` a stable machine
    name for clients; `extra` any additional members of the problem document.
    """

    status = 400
    code = "application_error"

    def __init__(self, message: str, *, status: int | None = None, code: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        self.extra = extra or {}


class Throttled(ApplicationError):  # noqa: N818 - named like the HTTP status, as DRF does
    """Too many attempts; `wait` is how many seconds until the next one is allowed."""

    status = 429
    code = "throttled"

    def __init__(self, message: str, *, wait: int):
        super().__init__(message, extra={"retry_after": wait})
        self.wait = wait
