from django.urls import path

from nexus.discussions.api import views

urlpatterns = [
    path("channels/", views.ChannelListApi.as_view(), name="channel-list"),
    path("channels/<int:channel_id>/", views.ChannelDetailApi.as_view(), name="channel-detail"),
    path("channels/<int:channel_id>/members/", views.ChannelMemberListApi.as_view(), name="channel-members"),
    path(
        "channels/<int:channel_id>/members/<str:username>/",
        views.ChannelMemberDetailApi.as_view(),
        name="channel-member",
    ),
    path("channels/<int:channel_id>/read/", views.ChannelReadApi.as_view(), name="channel-read"),
    path("channels/<int:channel_id>/threads/", views.ChannelThreadListApi.as_view(), name="channel-threads"),
    path("channels/<int:channel_id>/messages/", views.ChannelMessageListApi.as_view(), name="channel-messages"),
    path("threads/<int:thread_id>/", views.ThreadDetailApi.as_view(), name="thread-detail"),
    path("threads/<int:thread_id>/messages/", views.ThreadMessageListApi.as_view(), name="thread-messages"),
    path("threads/<int:thread_id>/resolution/", views.ThreadResolutionApi.as_view(), name="thread-resolution"),
    path("threads/<int:thread_id>/promote/", views.ThreadPromoteApi.as_view(), name="thread-promote"),
    path("messages/<int:message_id>/", views.MessageDetailApi.as_view(), name="message-detail"),
    path("messages/<int:message_id>/reactions/", views.MessageReactionToggleApi.as_view(), name="message-reactions"),
    path(
        "messages/<int:message_id>/reactions/<str:reaction>/",
        views.MessageReactionApi.as_view(),
        name="message-reaction",
    ),
    path("entries/<int:entry_id>/comments/", views.EntryCommentListApi.as_view(), name="entry-comments"),
    path("comments/<int:comment_id>/", views.CommentDetailApi.as_view(), name="comment-detail"),
    path("comments/<int:comment_id>/reactions/", views.CommentReactionToggleApi.as_view(), name="comment-reactions"),
    path(
        "comments/<int:comment_id>/reactions/<str:reaction>/",
        views.CommentReactionApi.as_view(),
        name="comment-reaction",
    ),
]
