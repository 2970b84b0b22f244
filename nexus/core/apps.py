from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "nexus.core"
    label = "core"

    def ready(self) -> None:
        from nexus.core import checks  # noqa: F401 - registers the deploy checks
