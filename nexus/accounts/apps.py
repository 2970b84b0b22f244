from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "nexus.accounts"
    label = "accounts"

    def ready(self) -> None:
        from nexus.accounts import schema  # noqa: F401 - registers the OpenAPI auth extension
