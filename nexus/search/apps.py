from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "nexus.search"
    label = "search"

    def ready(self) -> None:
        from nexus.search import signals  # noqa: F401 - connects the post_delete receivers
