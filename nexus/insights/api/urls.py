from django.urls import path

from nexus.insights.api import views

urlpatterns = [
    path("cohorts/<slug:slug>/insights/", views.CohortInsightsApi.as_view(), name="cohort-insights"),
]
