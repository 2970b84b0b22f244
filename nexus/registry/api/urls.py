from django.urls import path

from nexus.registry.api import views

urlpatterns = [
    path("apis/", views.ApiListApi.as_view(), name="api-list"),
    path("apis/consumed/", views.ConsumedListApi.as_view(), name="api-consumed"),
    path("apis/alerts/", views.AlertListApi.as_view(), name="api-alerts"),
    path("apis/alerts/read/", views.AlertReadApi.as_view(), name="api-alerts-read"),
    path("apis/<slug:slug>/", views.ApiDetailApi.as_view(), name="api-detail"),
    path("apis/<slug:slug>/operations/", views.OperationListApi.as_view(), name="api-operations"),
    path("apis/<slug:slug>/consumers/", views.ConsumerApi.as_view(), name="api-consumers"),
    path("apis/<slug:slug>/versions/", views.VersionListApi.as_view(), name="api-versions"),
    path("apis/<slug:slug>/versions/<int:number>/", views.VersionDetailApi.as_view(), name="api-version"),
    path("apis/<slug:slug>/diff/", views.DiffApi.as_view(), name="api-diff"),
    path("apis/<slug:slug>/refresh/", views.RefreshApi.as_view(), name="api-refresh"),
    path("apis/<slug:slug>/health/", views.HealthCheckListApi.as_view(), name="api-health"),
    path("apis/<slug:slug>/readiness/", views.ReadinessApi.as_view(), name="api-readiness"),
    path("apis/<slug:slug>/badge.svg", views.BadgeApi.as_view(), name="api-badge"),
]
