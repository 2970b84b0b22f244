from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "nexus.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        from nexus.knowledge import signals  # noqa: F401 - recounts problems when links cascade away
        from nexus.knowledge.documents import register

        register()
