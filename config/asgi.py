"""ASGI entry point: HTTP now; WebSocket routing joins here when channels arrive."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_asgi_application()
