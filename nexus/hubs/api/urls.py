from django.urls import path

from nexus.hubs.api import views

urlpatterns = [
    path("hubs/", views.HubListApi.as_view(), name="hub-list"),
    path("hubs/<str:hub>/", views.HubDetailApi.as_view(), name="hub-detail"),
    path("entries/", views.EntryListApi.as_view(), name="entry-list"),
    path("entries/<int:entry_id>/", views.EntryDetailApi.as_view(), name="entry-detail"),
    path("entries/<int:entry_id>/revisions/", views.EntryRevisionListApi.as_view(), name="entry-revisions"),
]
