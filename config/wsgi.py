"""WSGI entry point: HTTP in production (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_wsgi_application()


def warm() -> None:
    """Load now what Django would load on each worker's first request: the URL configuration (every
    view module and the GraphQL schema: seconds of imports and schema building), DRF's configured
    classes and the database backend's SQL compiler. gunicorn imports this module in its master
    (preload_app), so workers -- including the ones `max_requests` recycles in the middle of a
    load -- fork warm. Nothing here opens a database connection, which a fork must not share."""
    from django.db import connections
    from django.urls import get_resolver
    from rest_framework.settings import api_settings

    get_resolver().reverse_dict  # noqa: B018 - imports every urls module and its views
    for name in ("DEFAULT_RENDERER_CLASSES", "DEFAULT_PARSER_CLASSES", "DEFAULT_AUTHENTICATION_CLASSES",
                 "DEFAULT_PERMISSION_CLASSES", "DEFAULT_THROTTLE_CLASSES", "DEFAULT_PAGINATION_CLASS"):  # fmt: skip
        getattr(api_settings, name)
    for connection in connections.all():
        connection.ops.compiler("SQLCompiler")


warm()
