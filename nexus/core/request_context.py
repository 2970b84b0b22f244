"""The id of the request being served, for logs and problem documents."""

from contextvars import ContextVar

request_id: ContextVar[str] = ContextVar("request_id", default="-")
