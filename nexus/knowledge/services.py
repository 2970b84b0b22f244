"""Writes: linking challenges to problems, curating problems, confirmations and verifications.

Every published challenge belongs to exactly one problem: `challenge_link` attaches it to the
most similar problem when the score reaches `KNOWLEDGE_ATTACH_THRESHOLD`, else it gets a new
problem of its own. Each write refreshes the problems it touched (`_refresh`): hit count, topics,
title (unless curated) and the word index.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from nexus.accounts.models import User
from nexus.core import events
from nexus.hubs import services as hub_services
from nexus.hubs.access import access_entry
from nexus.hubs.models import Entry, Hub
from nexus.knowledge import selectors, similarity
from nexus.knowledge.access import access_problem, can_verify
from nexus.knowledge.models import (
    Problem,
    ProblemConfirmation,
    ProblemLink,
    ProblemTerm,
    SolutionConfirmation,
    SolutionVerification,
)
from nexus.search import services as search_services

AttachedBy = ProblemLink.AttachedBy


def _is_linkable(entry: Entry) -> bool:
    return entry.kind == Entry.Kind.CHALLENGE and entry.status == Entry.Status.PUBLISHED


def _representative(links: list[ProblemLink]) -> Entry:
    """The challenge an uncurated problem takes its words from: a public one if any, then the oldest."""
    return min(
        (link.entry for link in links),
        key=lambda e: (e.hub.visibility != Hub.Visibility.PUBLIC, e.published_at or e.created_at, e.pk),
    )


def _index_terms(problem: Problem, links: list[ProblemLink]) -> None:
    """Rebuild the words of each of the problem's texts: its own, and each challenge's."""
    texts = {0: f"{problem.title}\n{problem.description}"}
    texts.update({link.entry_id: selectors.entry_text(link.entry) for link in links})
    ProblemTerm.objects.filter(problem=problem).delete()
    ProblemTerm.objects.bulk_create(
        ProblemTerm(problem=problem, entry_id=key, term=word)
        for key, text in texts.items()
        for word in sorted(similarity.terms(text))
    )


def _touch_hubs(*, problem_ids: Iterable[int] = (), entry_ids: Iterable[int] = ()) -> None:
    """Hub pages show their challenges' problems: touch the hubs of these problems' or entries' challenges."""
    hubs = Entry.objects.filter(Q(problem_link__problem_id__in=list(problem_ids)) | Q(pk__in=list(entry_ids)))
    hub_services.hubs_touch(hub_ids=hubs.values_list("hub_id", flat=True).distinct())


def _refresh(problem_ids: Iterable[int]) -> None:
    """Recompute what problems derive from their challenges and confirmations; drop empty ones.

    A problem left with no challenge, no confirmation and no curation is deleted (it was made
    for one challenge that is gone); a merged problem keeps no words and counts nothing.
    """
    for problem in Problem.objects.filter(pk__in=set(problem_ids)).select_for_update(of=("self",)):
        links = list(
            problem.links.filter(entry__kind=Entry.Kind.CHALLENGE, entry__status=Entry.Status.PUBLISHED)
            .select_related("entry__hub")
            .prefetch_related("entry__topics")
        )
        confirmers = set(problem.confirmations.values_list("user_id", flat=True))
        if problem.merged_into_id is not None:
            ProblemTerm.objects.filter(problem=problem).delete()
            continue
        if not links and not confirmers and not problem.curated:
            problem.delete()
            search_services.schedule_remove("problem", problem.pk)
            continue
        if links and not problem.curated:
            entry = _representative(links)
            if problem.title != entry.title:
                _touch_hubs(problem_ids=[problem.pk])
            problem.title, problem.description = entry.title, entry.problem
        problem.hit_count = len({link.entry.hub.owner_id for link in links} | confirmers)
        problem.full_clean()
        problem.save()
        problem.topics.set({topic.pk for link in links for topic in link.entry.topics.all()})
        _index_terms(problem, links)
        search_services.schedule_index("problem", problem.pk)


@transaction.atomic
def problems_refresh(*, problem_ids: Iterable[int]) -> None:
    """Recount and reindex problems after their challenges changed elsewhere (a cascade delete)."""
    _refresh(problem_ids)


def _new_problem(entry: Entry) -> Problem:
    return Problem.objects.create(title=entry.title, description=entry.problem, created_by=entry.hub.owner)


@transaction.atomic
def challenge_link(*, entry_id: int) -> ProblemLink | None:
    """Put a challenge under its problem; the hook to call after a challenge is written or imported.

    Idempotent. A published challenge not yet linked goes to the most similar problem when the
    score reaches `KNOWLEDGE_ATTACH_THRESHOLD`, else to a new problem of its own. One already
    linked stays where it is (a member's or mentor's choice is never undone), except that a
    challenge alone in the problem made for it moves when a matching problem appears. An
    entry that is gone or no longer a published challenge is unlinked. Returns the link, if any.
    """
    entry = Entry.objects.select_for_update(of=("self",)).select_related("hub").filter(pk=entry_id).first()
    link = ProblemLink.objects.filter(entry_id=entry_id).select_related("problem").first()
    if entry is None or not _is_linkable(entry):
        if link is not None:
            link.delete()
            _touch_hubs(entry_ids=[entry_id])
            _refresh([link.problem_id])
        return None
    alone = link is not None and link.attached_by == AttachedBy.AUTO and link.problem.links.count() == 1
    if link is not None and not alone:
        _refresh([link.problem_id])
        return link
    threshold = settings.KNOWLEDGE_ATTACH_THRESHOLD
    exclude = [link.problem_id] if link is not None else []
    found = selectors.problem_suggest(
        text=selectors.entry_text(entry),
        topic_ids=entry.topics.values_list("pk", flat=True),
        exclude=exclude,
        limit=1,
    )
    best = found[0] if found and found[0][1] >= threshold else None
    if link is None:
        problem, confidence = best if best else (_new_problem(entry), 1.0)
        link = ProblemLink.objects.create(entry=entry, problem=problem, confidence=confidence)
        _touch_hubs(entry_ids=[entry_id])
        _refresh([problem.pk])
        return link
    previous = link.problem_id
    if best is not None:
        link.problem, link.confidence = best
        link.save(update_fields=["problem", "confidence", "updated_at"])
        _touch_hubs(entry_ids=[entry_id])
    _refresh({previous, link.problem_id})
    return link


def challenges_link(*, entry_ids: Iterable[int]) -> int:
    """`challenge_link` for several entries (an import); returns how many are linked."""
    return sum(1 for pk in entry_ids if challenge_link(entry_id=pk) is not None)


def challenges_relink() -> int:
    """Link every published challenge not linked yet, oldest first, and refresh every problem."""
    pending = (
        Entry.objects.filter(kind=Entry.Kind.CHALLENGE, status=Entry.Status.PUBLISHED, problem_link__isnull=True)
        .order_by("published_at", "pk")
        .values_list("pk", flat=True)
    )
    linked = challenges_link(entry_ids=list(pending))
    stale = ProblemLink.objects.exclude(entry__kind=Entry.Kind.CHALLENGE, entry__status=Entry.Status.PUBLISHED)
    for pk in list(stale.values_list("entry_id", flat=True)):
        challenge_link(entry_id=pk)
    with transaction.atomic():
        _refresh(Problem.objects.values_list("pk", flat=True))
    return linked


@transaction.atomic
def challenge_attach(*, actor: User, entry_id: int, problem_id: int) -> ProblemLink:
    """The author of a published challenge puts it under a problem they can see (a suggestion taken)."""
    entry = access_entry(actor, entry_id, for_update=True, must_own=True)
    if not _is_linkable(entry):
        raise ValidationError({"entry": "Only a published challenge belongs to a problem."})
    problem = _canonical(access_problem(actor, problem_id))
    link = ProblemLink.objects.filter(entry=entry).first()
    previous = link.problem_id if link else None
    link, _ = ProblemLink.objects.update_or_create(
        entry=entry, defaults={"problem": problem, "confidence": 1.0, "attached_by": AttachedBy.MEMBER}
    )
    _touch_hubs(entry_ids=[entry.pk])
    _refresh({problem.pk, *([previous] if previous else [])})
    return link


def _canonical(problem: Problem) -> Problem:
    """The live problem a (possibly merged) problem now stands for."""
    return problem.merged_into if problem.merged_into_id is not None else problem  # type: ignore[return-value]


# --- curation (mentors and staff) -------------------------------------------------------------


@transaction.atomic
def problem_merge(*, actor: User, source_id: int, target_id: int) -> Problem:
    """Merge one problem into another: its challenges and "hit this too"s move; it keeps `merged_into`."""
    source = access_problem(actor, source_id, for_update=True, to_curate=True)
    target = access_problem(actor, target_id, for_update=True)
    if source.pk == target.pk:
        raise ValidationError({"target": "A problem cannot be merged into itself."})
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise ValidationError({"target": "Merge live problems; this one was already merged."})
    _touch_hubs(problem_ids=[source.pk])
    ProblemLink.objects.filter(problem=source).update(problem=target, attached_by=AttachedBy.MENTOR)
    already = ProblemConfirmation.objects.filter(problem=target).values("user_id")
    ProblemConfirmation.objects.filter(problem=source, user_id__in=already).delete()
    ProblemConfirmation.objects.filter(problem=source).update(problem=target)
    Problem.objects.filter(merged_into=source).update(merged_into=target)  # history stays one hop deep
    source.merged_into = target
    source.hit_count = 0
    source.save(update_fields=["merged_into", "hit_count", "updated_at"])
    source.topics.clear()
    _refresh([source.pk, target.pk])
    search_services.schedule_remove("problem", source.pk)
    return Problem.objects.get(pk=target.pk)


@transaction.atomic
def problem_split(*, actor: User, problem_id: int, entry_ids: list[int], title: str) -> Problem:
    """Move some of a problem's challenges to a new problem named `title`; confirmations stay."""
    problem = access_problem(actor, problem_id, for_update=True, to_curate=True)
    if problem.merged_into_id is not None:
        raise ValidationError({"problem": "This problem was merged; split the one it was merged into."})
    if not title.strip():
        raise ValidationError({"title": "Name the new problem."})
    links = ProblemLink.objects.filter(problem=problem)
    moving = links.filter(entry_id__in=set(entry_ids))
    wanted = set(entry_ids)
    if not wanted or moving.count() != len(wanted):
        raise ValidationError({"entry_ids": "List one or more challenges of this problem."})
    if moving.count() == links.count():
        raise ValidationError({"entry_ids": "Leave at least one challenge in the problem; rename it instead."})
    new = Problem(title=title.strip(), created_by=actor, curated=True)
    new.full_clean()
    new.save()
    _touch_hubs(entry_ids=wanted)
    moving.update(problem=new, attached_by=AttachedBy.MENTOR)
    _refresh([problem.pk, new.pk])
    return Problem.objects.get(pk=new.pk)


@transaction.atomic
def problem_rename(*, actor: User, problem_id: int, title: str, description: str | None = None) -> Problem:
    """Name a problem (and describe it); from then on its title no longer follows its challenges."""
    problem = access_problem(actor, problem_id, for_update=True, to_curate=True)
    if not title.strip():
        raise ValidationError({"title": "A problem needs a title."})
    problem.title = title.strip()
    if description is not None:
        problem.description = description
    problem.curated = True
    problem.full_clean()
    problem.save()
    _touch_hubs(problem_ids=[problem.pk])
    _refresh([problem.pk])
    return Problem.objects.get(pk=problem.pk)


# --- confirmations and verification -------------------------------------------------------------


@transaction.atomic
def problem_confirm(*, actor: User, problem_id: int) -> Problem:
    """ "I hit this too" (idempotent); on a merged problem it lands on the one it was merged into."""
    problem = _canonical(access_problem(actor, problem_id))
    _, created = ProblemConfirmation.objects.get_or_create(problem=problem, user=actor)
    if created:
        _refresh([problem.pk])
    return Problem.objects.get(pk=problem.pk)


@transaction.atomic
def problem_unconfirm(*, actor: User, problem_id: int) -> Problem:
    """Take back "I hit this too" (idempotent)."""
    problem = _canonical(access_problem(actor, problem_id))
    deleted, _ = ProblemConfirmation.objects.filter(problem=problem, user=actor).delete()
    if deleted:
        _refresh([problem.pk])
    return Problem.objects.get(pk=problem.pk)


def _solution(actor: User, entry_id: int) -> Entry:
    entry = access_entry(actor, entry_id)
    if not _is_linkable(entry):
        raise ValidationError({"entry": "Only a published challenge's solution can be confirmed or verified."})
    return entry


@transaction.atomic
def solution_confirm(*, actor: User, entry_id: int) -> SolutionConfirmation:
    """ "This solution worked for me" (idempotent); not on your own challenge."""
    entry = _solution(actor, entry_id)
    if entry.hub.owner_id == actor.pk:
        raise PermissionDenied("You cannot confirm your own solution.")
    confirmation, created = SolutionConfirmation.objects.get_or_create(entry=entry, user=actor)
    if created:
        # The author hears of it once per member: taking it back and confirming again is silent.
        events.event_record(
            type="solution.confirmed",
            payload={"entry_id": entry.pk, "actor_id": actor.pk},
            key=f"solution.confirmed:{entry.pk}:{actor.pk}",
        )
    return confirmation


@transaction.atomic
def solution_unconfirm(*, actor: User, entry_id: int) -> None:
    """Take back "this solution worked for me" (idempotent)."""
    entry = access_entry(actor, entry_id)
    SolutionConfirmation.objects.filter(entry=entry, user=actor).delete()


@transaction.atomic
def solution_verify(*, actor: User, entry_id: int) -> SolutionVerification:
    """A mentor's "verified" mark (idempotent: the first verifier and time are kept)."""
    entry = _solution(actor, entry_id)
    if not can_verify(actor, entry):
        raise PermissionDenied("Only mentors and staff of the hub's cohort can verify its solutions.")
    verification, created = SolutionVerification.objects.get_or_create(entry=entry, defaults={"verified_by": actor})
    if created:
        events.event_record(
            type="solution.verified",
            payload={"entry_id": entry.pk, "actor_id": actor.pk},
            key=f"solution.verified:{entry.pk}:{actor.pk}",
        )
    return verification


@transaction.atomic
def solution_unverify(*, actor: User, entry_id: int) -> None:
    """Remove the "verified" mark (idempotent)."""
    entry = access_entry(actor, entry_id)
    if not can_verify(actor, entry):
        raise PermissionDenied("Only mentors and staff of the hub's cohort can verify its solutions.")
    SolutionVerification.objects.filter(entry=entry).delete()
