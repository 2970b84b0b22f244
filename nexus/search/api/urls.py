from django.urls import path

from nexus.search.api import views

urlpatterns = [
    path("search/", views.SearchApi.as_view(), name="search"),
]
