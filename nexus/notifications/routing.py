"""WebSocket URLs of notifications (config/asgi.py mounts them behind the Origin check and authentication)."""

from django.urls import path

from nexus.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", NotificationConsumer.as_asgi(), name="ws-notifications"),
]
