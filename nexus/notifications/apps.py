from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "nexus.notifications"
    label = "notifications"

    def ready(self) -> None:
        # Registers the outbox handlers (core.events) that turn events into notifications.
        from nexus.notifications import handlers  # noqa: F401
