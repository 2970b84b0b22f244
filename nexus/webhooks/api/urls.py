from django.urls import path

from nexus.webhooks.api import views

urlpatterns = [
    path("webhooks/", views.WebhookListApi.as_view(), name="webhook-list"),
    path("webhooks/<int:webhook_id>/", views.WebhookDetailApi.as_view(), name="webhook-detail"),
    path("webhooks/<int:webhook_id>/secret/", views.WebhookSecretApi.as_view(), name="webhook-secret"),
    path("webhooks/<int:webhook_id>/ping/", views.WebhookPingApi.as_view(), name="webhook-ping"),
    path("webhooks/<int:webhook_id>/deliveries/", views.WebhookDeliveryListApi.as_view(), name="webhook-deliveries"),
    path(
        "webhooks/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver/",
        views.WebhookRedeliverApi.as_view(),
        name="webhook-redeliver",
    ),
]
