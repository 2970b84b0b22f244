"""A deleted API leaves search, however it was deleted (its owner's account deletion cascades)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from nexus.registry.documents import SOURCE
from nexus.registry.models import RegisteredApi
from nexus.search import services as search_services


@receiver(post_delete, sender=RegisteredApi, dispatch_uid="search-remove-api")
def remove_deleted(sender: type, instance: RegisteredApi, **kwargs: Any) -> None:
    search_services.schedule_remove(SOURCE, instance.pk)
