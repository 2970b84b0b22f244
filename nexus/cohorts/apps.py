from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "nexus.cohorts"
    label = "cohorts"
