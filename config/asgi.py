"""ASGI entry point: HTTP through Django, WebSockets through Channels.

In production HTTP is served by gunicorn's WSGI workers (config.wsgi) and this application
runs in its own ASGI server process for the WebSockets (README "Running in production");
`make run` serves both from this one application.

    websocket -> Origin check -> authentication (token subprotocol or session) -> URLRouter

GraphQL subscriptions join the same router at /graphql/ (`config.schema.websocket_urlpatterns`).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

# Django is set up (apps loaded) before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.schema import websocket_urlpatterns as graphql_ws  # noqa: E402
from nexus.accounts.authentication import websocket_token_user  # noqa: E402
from nexus.core.websocket import websocket_stack  # noqa: E402
from nexus.discussions.routing import websocket_urlpatterns as discussions_ws  # noqa: E402
from nexus.notifications.routing import websocket_urlpatterns as notifications_ws  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_stack(
            URLRouter([*discussions_ws, *notifications_ws, *graphql_ws]), authenticate_token=websocket_token_user
        ),
    }
)
