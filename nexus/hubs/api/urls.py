from django.urls import path

from nexus.hubs.api import views

urlpatterns = [
    path("hubs/", views.HubListApi.as_view(), name="hub-list"),
    path("hubs/import/", views.HubImportApi.as_view(), name="hub-import"),
    path("hubs/<str:hub>/", views.HubDetailApi.as_view(), name="hub-detail"),
    path("hubs/<str:hub>/readme/", views.HubReadmeApi.as_view(), name="hub-readme"),
    path("hubs/<str:hub>/page/", views.HubPageApi.as_view(), name="hub-page"),
    path("entries/", views.EntryListApi.as_view(), name="entry-list"),
    path("entries/<int:entry_id>/", views.EntryDetailApi.as_view(), name="entry-detail"),
    path("entries/<int:entry_id>/revisions/", views.EntryRevisionListApi.as_view(), name="entry-revisions"),
]
