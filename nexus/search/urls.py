"""The search page, at /search/ (the box in every page's header sends its query here)."""

from django.urls import path

from nexus.search import views

app_name = "search"

urlpatterns = [path("", views.search_page, name="index")]
