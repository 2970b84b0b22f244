from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nexus.registry"
    label = "registry"

    def ready(self) -> None:
        from nexus.registry import signals  # noqa: F401 - deleted APIs leave search
        from nexus.registry.documents import register

        register()
