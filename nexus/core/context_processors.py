"""Template context every page needs: the main sections of the navigation (no queries)."""

from __future__ import annotations

from django.http import HttpRequest

# (label, path) of each main section. Paths, not URL names: each section's app mounts itself at
# its prefix (docs/web.md), and the navigation must render even before an app is installed.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("Hubs", "/hubs/"),
    ("Knowledge", "/knowledge/"),
    ("Search", "/search/"),
    ("Topics", "/topics/"),
    ("Registry", "/registry/"),
    ("Channels", "/channels/"),
    ("Insights", "/insights/"),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    """The navigation sections, the current one marked (hub pages at /@user/ count as Hubs)."""
    path = request.path
    current = "/hubs/" if path.startswith("/@") else next((p for _, p in SECTIONS if path.startswith(p)), "")
    return {
        "nav_sections": [{"label": label, "path": p, "current": p == current} for label, p in SECTIONS],
        "nav_search_query": request.GET.get("q", "") if path.startswith("/search/") else "",
    }
