"""Knowledge base pages: problems ranked by how many learners hit them, ranked solutions,
"I hit this too" / "worked for me" / "verified" buttons (htmx, idempotent, undoable),
similar problems while a challenge is being written, and curation for mentors and staff:
rename (in the problem's header), merge into another problem, split challenges off.

The buttons send the state wanted (`hit=1` or `hit=0`), never "toggle": sending it twice
changes nothing, and the button then offers the opposite to undo it.

Curation goes through `access_problem(to_curate=True)` and the services the API uses: a problem
the viewer may not see is a 404, one they see but may not curate a 403. Merge and split take two
steps (choose, then confirm naming what changes); the choosing is a GET, only the confirmation
writes. With htmx each step swaps in place and the result is a full page load (HX-Redirect).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from nexus.core.errors import ApplicationError
from nexus.core.web import form_add_service_error, is_htmx, plain_error, posted_switch, render_page, safe_next
from nexus.hubs import access as hub_access
from nexus.knowledge import access, selectors, services
from nexus.knowledge.forms import ProblemMergeForm, ProblemRenameForm, ProblemSplitForm
from nexus.knowledge.models import Problem, ProblemLink
from nexus.topics.models import Topic

PROBLEMS_PER_PAGE = 20
SIMILAR_LIMIT = 5
MERGE_TARGETS = 10


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
    may_curate = access.may_curate(verifiers)  # the same memberships: no query of its own
    context = {
        "problem": problem,
        "topics": list(problem.topics.order_by("name")),
        "hit_by_me": selectors.problem_hit_by(actor=request.user, problem=problem),
        "solutions": [
            {"ranked": ranked, "can_verify": access.may_verify(verifiers, ranked.entry)} for ranked in solutions
        ],
        "may_curate": may_curate,
    }
    if may_curate:
        context["rename_form"] = _rename_form(problem)
        context["split_form"] = ProblemSplitForm(challenges=_challenges(solutions))
    return render_page(request, "knowledge/problem_detail.html", context)


@login_required
@require_POST
def problem_hit(request: HttpRequest, problem_id: int) -> HttpResponse:
    """ "I hit this too" (`hit=1`) or take it back (`hit=0`)."""
    wanted = posted_switch(request, "hit")
    if wanted is None:
        return plain_error("Send hit=1 or hit=0.")
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
    wanted = posted_switch(request, "worked")
    if wanted is None:
        return plain_error("Send worked=1 or worked=0.")
    try:
        if wanted:
            services.solution_confirm(actor=request.user, entry_id=entry_id)
        else:
            services.solution_unconfirm(actor=request.user, entry_id=entry_id)
    except ValidationError as exc:
        return plain_error(exc)
    if is_htmx(request):
        return _solution_state(request, entry_id)
    return redirect(safe_next(request, reverse("hubs:entry-detail", kwargs={"entry_id": entry_id})))


@login_required
@require_POST
def solution_verified(request: HttpRequest, entry_id: int) -> HttpResponse:
    """A mentor marks a solution verified (`verified=1`) or removes the mark (`verified=0`)."""
    wanted = posted_switch(request, "verified")
    if wanted is None:
        return plain_error("Send verified=1 or verified=0.")
    try:
        if wanted:
            services.solution_verify(actor=request.user, entry_id=entry_id)
        else:
            services.solution_unverify(actor=request.user, entry_id=entry_id)
    except ValidationError as exc:
        return plain_error(exc)
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


# --- curation (mentors and staff) -------------------------------------------------------------


def _problem_href(problem_id: int) -> str:
    return reverse("knowledge:problem", kwargs={"problem_id": problem_id})


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """Where a finished merge or split leads: htmx loads it as a whole page (HX-Redirect), a browser follows a 302."""
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)


def _focus_error(form: forms.Form) -> None:
    """A form sent back with errors puts the keyboard on its first field in error."""
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["data-autofocus"] = ""
            return


def _rename_form(problem: Problem, data: Any = None) -> ProblemRenameForm:
    return ProblemRenameForm(data, initial={"title": problem.title, "description": problem.description})


def _challenges(solutions: list[selectors.RankedSolution]) -> list[tuple[int, str]]:
    """The split form's choices: the problem's challenges the curator may read, as the page ranks them."""
    return [(r.entry.pk, f"{r.entry.title} — by {r.entry.hub.owner.profile.name}") for r in solutions]


def _header(request: HttpRequest, problem: Problem, form: ProblemRenameForm, **extra: Any) -> HttpResponse:
    """The problem's header (title, topics, description, the rename form): what renaming swaps with htmx."""
    _focus_error(form)
    context = {"problem": problem, "topics": list(problem.topics.order_by("name")), "rename_form": form, **extra}
    return render(request, "knowledge/partials/problem_header.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def problem_rename(request: HttpRequest, problem_id: int) -> HttpResponse:
    """Rename a problem and describe it (curators): in its header with htmx, a page of its own without."""
    problem = access.access_problem(request.user, problem_id, to_curate=True)
    form = _rename_form(problem, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                renamed = services.problem_rename(actor=request.user, problem_id=problem.pk, **form.cleaned_data)
            except (ValidationError, ApplicationError) as exc:
                form_add_service_error(form, exc)
            else:
                if is_htmx(request):
                    return _header(request, renamed, _rename_form(renamed), focus=True, retitle=True)
                messages.success(request, f"The problem is now called “{renamed.title}”.")
                return redirect(_problem_href(renamed.pk))
        if is_htmx(request):
            return _header(request, problem, form)
    _focus_error(form)
    context = {"problem": problem, "rename_form": form}
    return render(request, "knowledge/problem_rename.html", context, status=400 if form.errors else 200)


def _merge_step(
    request: HttpRequest, problem: Problem, form: ProblemMergeForm, q: str, target: Problem | None
) -> HttpResponse:
    """Choosing the target (`target` None: the problems matching `q`, or like this one) or confirming it."""
    context: dict[str, Any] = {"problem": problem, "form": form, "q": q, "target": target}
    if target is None:
        context["targets"] = selectors.problem_merge_targets(
            actor=request.user, problem=problem, q=q or None, limit=MERGE_TARGETS
        )
    fragment = "knowledge/partials/merge_choose.html" if target is None else "knowledge/partials/merge_confirm.html"
    status = 400 if form.errors else 200
    return render_page(request, "knowledge/problem_merge.html", context, fragment=fragment, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def problem_merge(request: HttpRequest, problem_id: int) -> HttpResponse:
    """Merge a problem into another (curators). GET `q`: find the target; GET `target`: confirm,
    naming both; POST `target`: merge, then go to the target with a message."""
    problem = access.access_problem(request.user, problem_id, to_curate=True)
    data = request.POST if request.method == "POST" else request.GET
    q = data.get("q", "").strip()[:200]
    form = ProblemMergeForm(data if request.method == "POST" or "target" in data else None)
    if not form.is_bound or not form.is_valid():
        return _merge_step(request, problem, form, q, None)
    target_id = form.cleaned_data["target"]
    if request.method == "POST":
        try:
            target = services.problem_merge(actor=request.user, source_id=problem.pk, target_id=target_id)
        except (ValidationError, ApplicationError) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"“{problem.title}” is merged into this problem: its challenges are here now.")
            return _done(request, _problem_href(target.pk))
    return _merge_step(request, problem, form, q, access.access_problem(request.user, target_id))


@login_required
@require_http_methods(["GET", "POST"])
def problem_split(request: HttpRequest, problem_id: int) -> HttpResponse:
    """Move some of a problem's challenges to a new problem (curators). GET: choose them and name the
    new problem (`step=confirm` to confirm, naming them); POST: split, then go to the new problem."""
    problem = access.access_problem(request.user, problem_id, to_curate=True)
    challenges = _challenges(selectors.problem_solutions(actor=request.user, problem=problem))
    posted = request.method == "POST"
    confirming = posted or request.GET.get("step") == "confirm"
    if confirming:
        form = ProblemSplitForm(request.POST if posted else request.GET, challenges=challenges)
    else:  # the choice comes back as it was ("Back" from the confirmation)
        initial = {"entry_ids": request.GET.getlist("entry_ids"), "title": request.GET.get("title", "")}
        form = ProblemSplitForm(initial=initial, challenges=challenges)
    if confirming and form.is_valid():
        if not posted:
            return _split_step(request, problem, form, confirm=True)
        try:
            new = services.problem_split(actor=request.user, problem_id=problem.pk, **form.cleaned_data)
        except (ValidationError, ApplicationError) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"“{new.title}” is a problem of its own now, split from “{problem.title}”.")
            return _done(request, _problem_href(new.pk))
    return _split_step(request, problem, form, confirm=False)


def _split_step(request: HttpRequest, problem: Problem, form: ProblemSplitForm, *, confirm: bool) -> HttpResponse:
    context: dict[str, Any] = {"problem": problem, "split_form": form, "confirm": confirm}
    if confirm:
        chosen = form.cleaned_data["entry_ids"]
        context["moving"] = [label for pk, label in form.challenges if pk in chosen]
        context["back_query"] = urlencode({"entry_ids": chosen, "title": form.cleaned_data["title"]}, doseq=True)
    _focus_error(form)
    fragment = "knowledge/partials/split_confirm.html" if confirm else "knowledge/partials/split_choose.html"
    status = 400 if form.errors else 200
    return render_page(request, "knowledge/problem_split.html", context, fragment=fragment, status=status)
