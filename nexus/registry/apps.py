from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "nexus.registry"
    label = "registry"
