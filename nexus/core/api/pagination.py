"""Cursor pagination for every list: stable under inserts, O(1) per page, no COUNT query."""

from typing import Any

from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """`?cursor=` to move, `?page_size=` (1-100) to size.

    The sort comes from the view's `cursor_ordering` when it sets one (a validated `ordering`
    query parameter), else from this class's `ordering`. The id is always the last tie-breaker.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = ("-created_at", "-id")

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        field = getattr(view, "cursor_ordering", None)
        if field:
            return (field, "-id" if field.startswith("-") else "id")
        return super().get_ordering(request, queryset, view)
