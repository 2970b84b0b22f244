"""A member's profile shows on their hub pages: a profile change touches their hubs.

A signal because accounts, below hubs, must not know what hubs show of a profile.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from nexus.accounts.models import Profile
from nexus.hubs.models import Hub


@receiver(post_save, sender=Profile, dispatch_uid="hubs-touch-on-profile")
def touch_owner_hubs(sender: type, instance: Profile, **kwargs: Any) -> None:
    from nexus.hubs import services

    services.hubs_touch(hub_ids=Hub.objects.filter(owner_id=instance.user_id).values_list("pk", flat=True))
