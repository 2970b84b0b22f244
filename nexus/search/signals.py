"""Deleting an object removes its search document, however it was deleted.

A signal rather than explicit calls because deletes cascade: deleting a member deletes their
hubs, which deletes their entries, and the apps that own those rows must not have to know
what search keeps about each of them. Creates and updates are explicit
(`services.schedule_index` from the owning app's services), as the house style asks.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from nexus.accounts.models import User
from nexus.hubs.models import Entry, Hub
from nexus.search import services
from nexus.topics.models import Topic

SOURCES = {Entry: "entry", Hub: "hub", Topic: "topic", User: "member"}


@receiver(post_delete, sender=Entry, dispatch_uid="search-remove-entry")
@receiver(post_delete, sender=Hub, dispatch_uid="search-remove-hub")
@receiver(post_delete, sender=Topic, dispatch_uid="search-remove-topic")
@receiver(post_delete, sender=User, dispatch_uid="search-remove-member")
def remove_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    services.schedule_remove(SOURCES[sender], instance.pk)
