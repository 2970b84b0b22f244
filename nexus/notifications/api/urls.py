from django.urls import path

from nexus.notifications.api import views

urlpatterns = [
    path("notifications/", views.NotificationListApi.as_view(), name="notification-list"),
    path("notifications/unread-count/", views.NotificationUnreadCountApi.as_view(), name="notification-unread-count"),
    path("notifications/read-all/", views.NotificationReadAllApi.as_view(), name="notification-read-all"),
    path("notifications/<int:notification_id>/read/", views.NotificationReadApi.as_view(), name="notification-read"),
    path("me/preferences/notifications/", views.NotificationPreferencesApi.as_view(), name="notification-preferences"),
    path("me/follows/members/", views.MyMemberFollowsApi.as_view(), name="me-follows-members"),
    path("me/follows/topics/", views.MyTopicFollowsApi.as_view(), name="me-follows-topics"),
    path("me/followers/", views.MyFollowersApi.as_view(), name="me-followers"),
    path("members/<str:username>/follow/", views.MemberFollowApi.as_view(), name="member-follow"),
    path("topics/<slug:slug>/follow/", views.TopicFollowApi.as_view(), name="topic-follow"),
]
