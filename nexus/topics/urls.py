"""Topic pages, under /topics/ (docs/web.md)."""

from django.urls import path

from nexus.topics import views

app_name = "topics"

urlpatterns = [
    path("", views.topic_index, name="index"),
    path("<slug:slug>/", views.topic_detail, name="detail"),
    path("<slug:slug>/follow/", views.topic_follow, name="follow"),
]
