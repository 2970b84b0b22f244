"""Channel pages, under /channels/ (docs/web.md)."""

from django.urls import path

from nexus.discussions import views

app_name = "discussions"

urlpatterns = [
    path("", views.channel_index, name="index"),
    path("<int:channel_id>/", views.channel_detail, name="channel"),
    path("<int:channel_id>/threads/", views.thread_start, name="thread-start"),
    path("threads/<int:thread_id>/", views.thread_detail, name="thread"),
    path("threads/<int:thread_id>/messages/", views.message_create, name="message-create"),
    path("messages/<int:message_id>/", views.message_detail, name="message"),
    path("messages/<int:message_id>/reactions/", views.message_reaction, name="message-reaction"),
]
