from django.urls import path

from nexus.cohorts.api import views

urlpatterns = [
    path("programs/", views.ProgramListApi.as_view(), name="program-list"),
    path("programs/<slug:slug>/", views.ProgramDetailApi.as_view(), name="program-detail"),
    path("cohorts/", views.CohortListApi.as_view(), name="cohort-list"),
    path("cohorts/<slug:slug>/", views.CohortDetailApi.as_view(), name="cohort-detail"),
    path("cohorts/<slug:slug>/members/", views.CohortMemberListApi.as_view(), name="cohort-members"),
]
