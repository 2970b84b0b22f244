"""WSGI entry point: HTTP in production (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_wsgi_application()

# Load the URL configuration -- every view module and the GraphQL schema, seconds of imports and
# schema building -- now, in gunicorn's master (preload_app), not in each worker's first request.
get_resolver().url_patterns  # noqa: B018 - evaluated for its side effect
