from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "nexus.hubs"
    label = "hubs"

    def ready(self) -> None:
        from nexus.hubs import signals  # noqa: F401 - connects the receivers
