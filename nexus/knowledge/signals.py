"""A link deleted by a cascade (an entry, a hub or a member deleted) recounts its problem.

A signal because the hubs and accounts services that delete those rows must not know what the
knowledge base derives from them; explicit writes here refresh their problems themselves.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from nexus.knowledge.models import ProblemLink

logger = logging.getLogger(__name__)


def _refresh(problem_id: int) -> None:
    from nexus.knowledge import services

    try:
        services.problems_refresh(problem_ids=[problem_id])
    except Exception:  # the delete has committed; a stale count is repaired by `knowledge relink`
        logger.exception("knowledge recount failed", extra={"problem_id": problem_id})


@receiver(post_delete, sender=ProblemLink, dispatch_uid="knowledge-recount-problem")
def recount_problem(sender: type, instance: ProblemLink, **kwargs: Any) -> None:
    problem_id = instance.problem_id
    transaction.on_commit(lambda: _refresh(problem_id))
