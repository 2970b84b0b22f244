from django.apps import AppConfig


class TopicsConfig(AppConfig):
    name = "nexus.topics"
    label = "topics"
