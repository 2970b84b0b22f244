from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "nexus.insights"
    label = "insights"
