"""Registry pages, under /registry/ (docs/web.md)."""

from django.urls import path

from nexus.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.api_index, name="index"),
    path("<slug:slug>/", views.api_detail, name="detail"),
    path("<slug:slug>/status/", views.api_status, name="status"),
    path("<slug:slug>/subscription/", views.api_subscription, name="subscription"),
]
