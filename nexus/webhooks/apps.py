from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "nexus.webhooks"
    label = "webhooks"

    def ready(self) -> None:
        from nexus.webhooks import handlers  # noqa: F401 - registers the outbox handlers
