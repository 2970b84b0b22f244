from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "nexus.webhooks"
    label = "webhooks"
