"""WebSocket URLs of discussions (config/asgi.py mounts them behind the Origin check and authentication)."""

from django.urls import path

from nexus.discussions.consumers import ChannelConsumer

websocket_urlpatterns = [
    path("ws/channels/<int:channel_id>/", ChannelConsumer.as_asgi(), name="ws-channel"),
]
