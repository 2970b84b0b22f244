"""Notification pages and the menu's fragments, under /notifications/ (docs/web.md)."""

from django.urls import path

from nexus.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_index, name="index"),
    path("menu/", views.notification_menu, name="menu"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
]
