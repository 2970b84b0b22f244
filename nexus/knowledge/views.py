"""Knowledge base pages: problems ranked by how many learners hit them, ranked solutions,
"I hit this too" / "worked for me" / "verified" buttons (htmx, idempotent, undoable) and
similar problems while a challenge is being written.

The buttons send the state wanted (`hit=1` or `hit=0`), never "toggle": sending it twice
changes nothing, and the button then offers the opposite to undo it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from nexus.core.web import is_htmx, render_page, safe_next
from nexus.hubs import access as hub_access
from nexus.knowledge import access, selectors, services
from nexus.knowledge.models import ProblemLink
from nexus.topics.models import Topic

PROBLEMS_PER_PAGE = 20
SIMILAR_LIMIT = 5


def _wanted(request: HttpRequest, name: str) -> bool | None:
    value = request.POST.get(name, "")
    return {"1": True, "0": False}.get(value)


def _bad(detail: str) -> HttpResponse:
    return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")


@require_GET
def problem_index(request: HttpRequest) -> HttpResponse:
    """Live problems the viewer may read, the most hit first; filter by topic or text."""
    q = request.GET.get("q", "").strip()[:200]
    topic = request.GET.get("topic", "").strip()[:80]
    problems = selectors.problem_list(actor=request.user, topic=topic or None, q=q or None).order_by(
        "-hit_count", "-id"
    )
    page = Paginator(problems, PROBLEMS_PER_PAGE).get_page(request.GET.get("page"))
    hit = selectors.problems_hit_by(actor=request.user, problem_ids=[p.pk for p in page.object_list])
    context = {"page_obj": page, "q": q, "topic": topic, "hit": hit}
    return render_page(
        request, "knowledge/problem_list.html", context, fragment="knowledge/partials/problem_results.html"
    )


@require_GET
def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    """A problem with the solutions the viewer may read, best first (confirmations, verification, recency)."""
    problem = access.access_problem(request.user, problem_id)
    if problem.merged_into_id is not None:
        return redirect("knowledge:problem", problem_id=problem.merged_into_id)
    solutions = selectors.problem_solutions(actor=request.user, problem=problem)
    verifiers = access.verifier_cohort_ids(request.user)
    context = {
        "problem": problem,
        "topics": list(problem.topics.order_by("name")),
        "hit_by_me": selectors.problem_hit_by(actor=request.user, problem=problem),
        "solutions": [
            {"ranked": ranked, "can_verify": access.may_verify(verifiers, ranked.entry)} for ranked in solutions
        ],
    }
    return render_page(request, "knowledge/problem_detail.html", context)


@login_required
@require_POST
def problem_hit(request: HttpRequest, problem_id: int) -> HttpResponse:
    """ "I hit this too" (`hit=1`) or take it back (`hit=0`)."""
    wanted = _wanted(request, "hit")
    if wanted is None:
        return _bad("Send hit=1 or hit=0.")
    change = services.problem_confirm if wanted else services.problem_unconfirm
    problem = change(actor=request.user, problem_id=problem_id)
    if is_htmx(request):
        return render_page(
            request, "knowledge/partials/hit_button.html", {"problem": problem, "hit_by_me": wanted, "focus": True}
        )
    return redirect(safe_next(request, reverse("knowledge:problem", kwargs={"problem_id": problem.pk})))


def _solution_state(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = hub_access.access_entry(request.user, entry_id)
    signals = selectors.solution_signals(actor=request.user, entry_ids=[entry.pk])[entry.pk]
    verifiers = access.verifier_cohort_ids(request.user)
    context = {
        "signals": signals,
        "entry_id": entry.pk,
        "own": request.user.pk == entry.hub.owner_id,
        "can_verify": access.may_verify(verifiers, entry),
        "focus": True,
    }
    return render_page(request, "knowledge/partials/worked_button.html", context)


@login_required
@require_POST
def solution_worked(request: HttpRequest, entry_id: int) -> HttpResponse:
    """ "This solution worked for me" (`worked=1`) or take it back (`worked=0`)."""
    wanted = _wanted(request, "worked")
    if wanted is None:
        return _bad("Send worked=1 or worked=0.")
    try:
        if wanted:
            services.solution_confirm(actor=request.user, entry_id=entry_id)
        else:
            services.solution_unconfirm(actor=request.user, entry_id=entry_id)
    except ValidationError as exc:
        return _bad(" ".join(exc.messages))
    if is_htmx(request):
        return _solution_state(request, entry_id)
    return redirect(safe_next(request, reverse("hubs:entry-detail", kwargs={"entry_id": entry_id})))


@login_required
@require_POST
def solution_verified(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A mentor marks a solution verified (`verified=1`) or removes the mark (`verified=0`)."""
    wanted = _wanted(request, "verified")
    if wanted is None:
        return _bad("Send verified=1 or verified=0.")
    try:
        if wanted:
            services.solution_verify(actor=request.user, entry_id=entry_id)
        else:
            services.solution_unverify(actor=request.user, entry_id=entry_id)
    except ValidationError as exc:
        return _bad(" ".join(exc.messages))
    if is_htmx(request):
        return _solution_state(request, entry_id)
    return redirect(safe_next(request, reverse("hubs:entry-detail", kwargs={"entry_id": entry_id})))


@require_POST
def similar(request: HttpRequest) -> HttpResponse:
    """Problems similar to the challenge being written (its title and problem), for the editor (htmx)."""
    text = f"{request.POST.get('title', '')}\n{request.POST.get('problem', '')}".strip()[:5000]
    exclude: list[int] = []
    exclude_entry = request.POST.get("exclude_entry", "")
    if exclude_entry.isdigit() and request.user.is_authenticated:
        visible = hub_access.entries_visible_to(request.user).filter(pk=int(exclude_entry))
        exclude = list(ProblemLink.objects.filter(entry__in=visible).values_list("problem_id", flat=True))
    slugs = [s.strip() for s in request.POST.get("topics", "").split(",") if s.strip()]
    topic_ids = list(Topic.objects.filter(slug__in=slugs).values_list("pk", flat=True)) if slugs else []
    found = (
        selectors.problem_similar(
            actor=request.user, text=text, topic_ids=topic_ids, exclude=exclude, limit=SIMILAR_LIMIT
        )
        if len(text) >= 3
        else []
    )
    return render_page(request, "knowledge/partials/similar.html", {"results": found, "text": text})
