"""A link deleted by a cascade (an entry, a hub or a member deleted) recounts its problem; any
change to the knowledge base or to cohort memberships drops the cached problem and topic pages.

Signals because the hubs and accounts services that delete those rows must not know what the
knowledge base derives from them (explicit writes here refresh their problems themselves), and
because cache invalidation must also follow admin edits.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from nexus.cohorts.models import Membership
from nexus.core.cache import CONTENT_VERSION, versions_bump
from nexus.knowledge.models import (
    Problem,
    ProblemConfirmation,
    ProblemLink,
    SolutionConfirmation,
    SolutionVerification,
)

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


def _content_changed(sender: type, **kwargs: Any) -> None:
    versions_bump(CONTENT_VERSION)


for _model in (Problem, ProblemLink, ProblemConfirmation, SolutionConfirmation, SolutionVerification, Membership):
    post_save.connect(_content_changed, sender=_model, dispatch_uid=f"knowledge-cache-{_model.__name__}-save")
    post_delete.connect(_content_changed, sender=_model, dispatch_uid=f"knowledge-cache-{_model.__name__}-delete")
