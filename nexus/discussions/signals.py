"""Leaving a cohort ends live access to its channels.

`cohorts` knows nothing of discussions, and memberships are also removed from the admin, so
the consumer side listens: when a membership goes, the member's open WebSocket connections
re-check what they may read (and close where access is gone) once the delete commits.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from nexus.cohorts.models import Membership
from nexus.discussions import live


@receiver(post_delete, sender=Membership, dispatch_uid="discussions_membership_removed")
def membership_removed(sender: type[Membership], instance: Membership, **kwargs: Any) -> None:
    live.recheck_access(instance.user_id, reason="cohort_membership_removed")
