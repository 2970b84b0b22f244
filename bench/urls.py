"""The application's URLs plus the benchmark's references under /bench/ (never in production)."""

from django.urls import path

from bench import references
from config.urls import handler404, handler500
from config.urls import urlpatterns as app_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]

urlpatterns = [
    path("bench/plain/", references.plain_json),
    path("bench/naive-entries/", references.naive_entry_list),
    path("bench/tuned-entries/", references.tuned_entry_list),
    *app_urlpatterns,
]
