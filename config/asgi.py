"""ASGI entry point: HTTP through Django, WebSockets through Channels.

In production HTTP is served by gunicorn's WSGI workers (config.wsgi) and this application
runs in its own ASGI server process for the WebSockets (README "Running in production");
`make run` serves both from this one application.

    websocket -> Origin check -> authentication (token subprotocol or session) -> URLRouter
                 (ws/channels/<id>/, ws/notifications/, and graphql/ for GraphQL subscriptions)
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

# Django is set up (apps loaded) before anything imports models.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from config.schema import schema  # noqa: E402
from nexus.accounts.authentication import websocket_token_user  # noqa: E402
from nexus.core.graphql_ws import GraphQLSubscriptionConsumer  # noqa: E402
from nexus.core.websocket import websocket_stack  # noqa: E402
from nexus.discussions.routing import websocket_urlpatterns as discussions_ws  # noqa: E402
from nexus.notifications.routing import websocket_urlpatterns as notifications_ws  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": websocket_stack(
            URLRouter(
                [
                    *discussions_ws,
                    *notifications_ws,
                    # GraphQL subscriptions (graphql-transport-ws); queries and mutations are POST /graphql/.
                    path("graphql/", GraphQLSubscriptionConsumer.as_asgi(schema=schema), name="ws-graphql"),
                ]
            ),
            authenticate_token=websocket_token_user,
        ),
    }
)
