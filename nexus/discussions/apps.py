from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "nexus.discussions"
    label = "discussions"

    def ready(self) -> None:
        from nexus.discussions import signals  # noqa: F401 - leaving a cohort closes its live channels
