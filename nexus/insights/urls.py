"""Cohort insights pages, under /insights/ (docs/web.md)."""

from django.urls import path

from nexus.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.insights_index, name="index"),
    path("<slug:slug>/", views.cohort_insights, name="cohort"),
]
