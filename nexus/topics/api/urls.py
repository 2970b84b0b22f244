from django.urls import path

from nexus.topics.api import views

urlpatterns = [
    path("topics/", views.TopicListApi.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailApi.as_view(), name="topic-detail"),
]
