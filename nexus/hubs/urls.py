"""Hub and entry pages. Mounted at the site root: hubs live at /@username/ (docs/web.md)."""

from django.urls import path

from nexus.hubs import views

app_name = "hubs"

urlpatterns = [
    path("@<str:username>/", views.member_hub, name="member"),
    path("@<str:username>/<slug:program>/", views.member_hub, name="member-program"),
    path("hubs/", views.hub_index, name="index"),
    path("hubs/new/", views.hub_create, name="create"),
    path("hubs/follow/<str:username>/", views.member_follow, name="follow"),
    path("hubs/import/", views.hub_import, name="import"),
    path("hubs/<str:hub>/", views.hub_by_ref, name="detail"),
    path("hubs/<str:hub>/readme/", views.hub_readme, name="readme"),
    path("hubs/<str:hub>/settings/", views.hub_settings, name="settings"),
    path("hubs/<str:hub>/manage/", views.hub_manage, name="manage"),
    path("hubs/<str:hub>/entries/new/", views.entry_create, name="entry-create"),
    path("entries/preview/", views.entry_preview, name="entry-preview"),
    path("entries/<int:entry_id>/", views.entry_detail, name="entry-detail"),
    path("entries/<int:entry_id>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:entry_id>/history/", views.entry_history, name="entry-history"),
    path("entries/<int:entry_id>/status/", views.entry_status, name="entry-status"),
    path("entries/<int:entry_id>/move/", views.entry_move, name="entry-move"),
    path("entries/<int:entry_id>/delete/", views.entry_delete, name="entry-delete"),
    path("entries/<int:entry_id>/comments/", views.entry_comments, name="entry-comments"),
    path("entries/comments/<int:comment_id>/", views.comment_detail, name="comment"),
    path("entries/comments/<int:comment_id>/edit/", views.comment_edit, name="comment-edit"),
    path("entries/comments/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
    path("entries/comments/<int:comment_id>/reactions/", views.comment_reaction, name="comment-reaction"),
]
