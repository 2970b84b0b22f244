from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "nexus.hubs"
    label = "hubs"
