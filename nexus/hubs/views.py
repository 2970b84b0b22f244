"""Hub and entry pages: a hub read like a document, README import/export, entry editing.

Views parse input, call one selector or service and render; access rules come from
nexus.hubs.access (404 for what the actor may not see, 403 for what they see but may not change).
"""

from __future__ import annotations

import difflib
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nexus.core.errors import ApplicationError
from nexus.core.markdown import render_markdown
from nexus.core.web import form_add_service_error, is_htmx, render_page, safe_next
from nexus.hubs import access, selectors, services
from nexus.hubs.forms import EntryForm, HubForm, ReadmeImportForm
from nexus.hubs.http import cached_response
from nexus.hubs.models import Entry, Hub
from nexus.knowledge import access as knowledge_access
from nexus.knowledge import selectors as knowledge_selectors
from nexus.notifications import access as notification_access
from nexus.notifications import selectors as notification_selectors
from nexus.notifications import services as notification_services

HUBS_PER_PAGE = 12
KIND_ORDER = [kind.value for kind in Entry.Kind]


def hub_url(hub: Hub) -> str:
    """Where a hub's page is: under its owner, per program."""
    return reverse("hubs:member-program", kwargs={"username": hub.owner.username, "program": hub.program.slug})


# --- reading ---------------------------------------------------------------------------------


@require_GET
def hub_index(request: HttpRequest) -> HttpResponse:
    """Every hub the viewer may see, newest first, filterable by text."""
    q = request.GET.get("q", "").strip()[:200]
    hubs = selectors.hub_list(actor=request.user, q=q or None).order_by("-updated_at", "-id")
    page = Paginator(hubs, HUBS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request, "hubs/hub_list.html", {"page_obj": page, "q": q}, fragment="hubs/partials/hub_results.html"
    )


def _sections(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries grouped by their README section, in hub order, each section with a unique anchor."""
    sections: dict[str, dict[str, Any]] = {}
    used: set[str] = {"overview", "topics"}
    for entry in entries:
        name = entry["section"] or entry["kind"].title()
        if name not in sections:
            anchor = base = slugify(name) or "section"
            n = 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            sections[name] = {"name": name, "anchor": anchor, "entries": [], "kinds": Counter()}
        sections[name]["entries"].append(entry)
        sections[name]["kinds"][entry["kind"]] += 1
    return list(sections.values())


@require_GET
def member_hub(request: HttpRequest, username: str, program: str | None = None) -> HttpResponse:
    """A member's hub (`/@username/`: the one updated last; `/@username/<program>/`: that program's)."""
    hubs = list(selectors.hub_list(actor=request.user, owner=username).order_by("-updated_at", "-id"))
    hub = next((h for h in hubs if program is None or h.program.slug == program), None)
    if hub is None:
        if not hubs and program is None and request.user.is_authenticated and request.user.username == username:
            # The member's own address before they have a hub: say how to start one.
            return render_page(request, "hubs/hub_empty.html", {})
        raise Http404(f"No hub of {username!r}{f' for {program!r}' if program else ''}.")
    page = selectors.hub_page(actor=request.user, hub=hub)
    entries = page["entries"]
    kind = request.GET.get("kind", "")
    shown = [e for e in entries if e["kind"] == kind] if kind in KIND_ORDER else entries
    challenge_ids = [e["id"] for e in shown if e["kind"] == Entry.Kind.CHALLENGE and e["status"] == "published"]
    signals = knowledge_selectors.solution_signals(actor=request.user, entry_ids=challenge_ids)
    for entry in shown:
        entry["signals"] = signals.get(entry["id"])
    counts = Counter(e["kind"] for e in entries)
    context = {
        **page,
        "hub_obj": hub,
        "hubs": hubs,
        "sections": _sections(shown),
        "kind": kind if kind in KIND_ORDER else "",
        "kind_counts": [(k, label, counts.get(k, 0)) for k, label in Entry.Kind.choices],
        "drafts": sum(1 for e in entries if e["status"] == Entry.Status.DRAFT),
        "is_owner": request.user.is_authenticated and request.user.pk == hub.owner_id,
    }
    return render_page(request, "hubs/hub_detail.html", context)


@require_GET
def hub_by_ref(request: HttpRequest, hub: str) -> HttpResponse:
    """A hub named by id or slug (search results, API links): redirects to its page."""
    return redirect(hub_url(access.access_hub(request.user, hub)))


@require_GET
def hub_readme(request: HttpRequest, hub: str) -> HttpResponse:
    """Download the hub as a README in the Project Nexus convention (what the viewer may see of it)."""
    found = selectors.hub_readme(actor=request.user, ref=hub)
    response = cached_response(request, found, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(hub) or "hub"}-README.md"'
    return response


# --- README import ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hub_import(request: HttpRequest) -> HttpResponse:
    """Paste or upload a README, preview what it becomes (warnings included), then confirm."""
    form = ReadmeImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("action") == "confirm"
        program = form.cleaned_data.get("program")
        try:
            text = services.readme_decode(form.raw())
            result = services.hub_import_readme(
                actor=request.user, markdown=text, program=program.slug if program else None, dry_run=not confirm
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        except ApplicationError as exc:
            form.add_error("file" if form.cleaned_data.get("file") else "markdown", exc.message)
        else:
            if confirm and result.hub is not None:
                messages.success(
                    request,
                    f"README imported: {result.created} new, {result.updated} updated, "
                    f"{result.unchanged} unchanged entries.",
                )
                return redirect(hub_url(result.hub))
            kinds = Counter(entry.kind for entry in result.parsed.entries)
            preview = {
                "result": result,
                "text": text,
                "program": program.slug if program else "",
                "kinds": [(label, kinds.get(k, 0)) for k, label in Entry.Kind.choices],
                "sections": list(dict.fromkeys(entry.section for entry in result.parsed.entries)),
            }
    return render_page(
        request,
        "hubs/hub_import.html",
        {"form": form, "preview": preview},
        fragment="hubs/partials/import_preview.html",
    )


# --- hub settings -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def hub_create(request: HttpRequest) -> HttpResponse:
    """Start an empty hub for a program (importing a README creates one too)."""
    form = HubForm(request.POST or None, initial={"visibility": Hub.Visibility.PRIVATE})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hub = services.hub_create(
                actor=request.user,
                program=data["program"].slug,
                title=data["title"],
                overview=data["overview"],
                visibility=data["visibility"],
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Hub created. Add your first entry.")
            return redirect(hub_url(hub))
    return render_page(request, "hubs/hub_form.html", {"form": form, "hub": None})


@login_required
@require_http_methods(["GET", "POST"])
def hub_settings(request: HttpRequest, hub: str) -> HttpResponse:
    """Change a hub's title, overview and visibility (its owner only)."""
    obj = access.access_hub(request.user, hub, must_own=True)
    initial = {"title": obj.title, "overview": obj.overview, "visibility": obj.visibility}
    form = HubForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.hub_update(actor=request.user, hub=obj.pk, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Hub settings saved.")
            return redirect(hub_url(obj))
    return render_page(request, "hubs/hub_form.html", {"form": form, "hub": obj})


@login_required
@require_GET
def hub_manage(request: HttpRequest, hub: str) -> HttpResponse:
    """The owner's list of every entry of a hub, drafts included: reorder, publish, edit, history."""
    obj = access.access_hub(request.user, hub, must_own=True)
    entries = list(selectors.entry_queryset(actor=request.user).filter(hub=obj).order_by("position", "id"))
    return render_page(
        request, "hubs/hub_manage.html", {"hub": obj, "entries": entries}, fragment="hubs/partials/manage_list.html"
    )


# --- entries ----------------------------------------------------------------------------------


@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One entry on its own page: for a challenge, its problem, confirmations and verification."""
    found = (
        selectors.entry_queryset(actor=request.user)
        .select_related("hub__program", "problem_link__problem")
        .filter(pk=entry_id)
        .first()
    )
    if found is None:
        raise Http404(f"No entry {entry_id}.")
    signals, can_verify = None, False
    if found.kind == Entry.Kind.CHALLENGE and found.status == Entry.Status.PUBLISHED:
        signals = knowledge_selectors.solution_signals(actor=request.user, entry_ids=[found.pk]).get(found.pk)
        can_verify = knowledge_access.can_verify(request.user, found)
    link = getattr(found, "problem_link", None)
    context = {
        "entry": found,
        "signals": signals,
        "can_verify": can_verify,
        "problem": link.problem if link is not None else None,
        "is_owner": request.user.is_authenticated and request.user.pk == found.hub.owner_id,
        "hub_href": hub_url(found.hub),
    }
    return render_page(request, "hubs/entry_detail.html", context)


def _entry_form_page(request: HttpRequest, form: EntryForm, hub: Hub, entry: Entry | None) -> HttpResponse:
    return render_page(request, "hubs/entry_form.html", {"form": form, "hub": hub, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, hub: str) -> HttpResponse:
    """Write a new entry in the viewer's hub, with a live preview; drafts stay private."""
    obj = access.access_hub(request.user, hub, must_own=True)
    initial = {"kind": request.GET.get("kind", Entry.Kind.LEARNING), "status": Entry.Status.DRAFT}
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(actor=request.user, hub=obj.pk, **form.service_data(creating=True))
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"Entry “{entry.title}” saved as {entry.get_status_display().lower()}.")
            return redirect("hubs:entry-detail", entry_id=entry.pk)
    return _entry_form_page(request, form, obj, None)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Edit an entry (its author only); each saved change becomes a revision."""
    entry = access.access_entry(request.user, entry_id, must_own=True)
    form = EntryForm(request.POST or None, initial=EntryForm.initial_from(entry))
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_update(actor=request.user, entry_id=entry.pk, data=form.service_data(creating=False))
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "Entry saved.")
            return redirect("hubs:entry-detail", entry_id=entry.pk)
    return _entry_form_page(request, form, entry.hub, entry)


@login_required
@require_POST
def entry_preview(request: HttpRequest) -> HttpResponse:
    """The Markdown of one field, rendered and sanitized like a saved entry (htmx, while typing)."""
    field = request.POST.get("field", "body")
    if field not in ("body", "problem", "solution", "outcome"):
        field = "body"
    html = render_markdown(request.POST.get(field, "")[:100_000])
    return render_page(request, "hubs/partials/preview.html", {"html": html, "field": field})


@login_required
@require_POST
def entry_status(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Publish an entry or turn it back into a draft (htmx: the control re-rendered)."""
    status = request.POST.get("status", "")
    if status not in Entry.Status.values:
        return HttpResponse("Unknown status.", status=400, content_type="text/plain")
    try:
        entry = services.entry_update(actor=request.user, entry_id=entry_id, data={"status": status})
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain; charset=utf-8")
    if is_htmx(request):
        return render_page(
            request,
            "hubs/partials/entry_status.html",
            {"entry": entry, "next": safe_next(request, reverse("hubs:entry-detail", kwargs={"entry_id": entry.pk}))},
        )
    messages.success(request, f"“{entry.title}” is now {entry.get_status_display().lower()}.")
    return redirect(safe_next(request, reverse("hubs:entry-detail", kwargs={"entry_id": entry.pk})))


@login_required
@require_POST
def entry_move(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Move an entry to another place in its hub (htmx: the hub's entry list re-rendered)."""
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        return HttpResponse("The position must be a whole number.", status=400, content_type="text/plain")
    entry = services.entry_update(actor=request.user, entry_id=entry_id, data={"position": max(0, position)})
    if is_htmx(request):
        entries = list(
            selectors.entry_queryset(actor=request.user).filter(hub_id=entry.hub_id).order_by("position", "id")
        )
        return render_page(
            request, "hubs/partials/manage_list.html", {"hub": entry.hub, "entries": entries, "moved": entry.pk}
        )
    return redirect("hubs:manage", hub=entry.hub.slug)


@login_required
@require_POST
def entry_delete(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Delete an entry (its author only) and go back to the hub."""
    entry = access.access_entry(request.user, entry_id, must_own=True)
    href = hub_url(entry.hub)
    services.entry_delete(actor=request.user, entry_id=entry.pk)
    messages.success(request, f"Entry “{entry.title}” deleted.")
    return redirect(href)


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line changes between two texts, as (op, line): op is "+", "-" or " "."""
    lines = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line.startswith(("+ ", "- ", "  ")):
            lines.append((line[0], line[2:]))
    return lines


HISTORY_FIELDS = ("title", "body", "problem", "solution", "outcome", "status", "kind")


@require_GET
def entry_history(request: HttpRequest, entry_id: int) -> HttpResponse:
    """An entry's revisions, newest first, each with what changed since the one before."""
    entry = access.access_entry(request.user, entry_id)
    revisions = list(selectors.revision_list(entry=entry))
    shown = []
    for index, revision in enumerate(revisions):
        previous = revisions[index + 1] if index + 1 < len(revisions) else None
        changes = []
        for name in HISTORY_FIELDS:
            old = str(getattr(previous, name, "")) if previous is not None else ""
            new = str(getattr(revision, name))
            if old != new:
                changes.append({"field": name, "lines": _diff(old, new)})
        if previous is None or previous.topics != revision.topics:
            changes.append({"field": "topics", "lines": [("+", ", ".join(revision.topics) or "—")]})
        shown.append({"revision": revision, "changes": changes})
    return render_page(
        request,
        "hubs/entry_history.html",
        {"entry": entry, "revisions": shown, "hub_href": hub_url(entry.hub)},
    )


@require_http_methods(["GET", "POST"])
def member_follow(request: HttpRequest, username: str) -> HttpResponse:
    """The follow button of a member (GET, loaded by their hub page), or follow/unfollow (POST `follow=1|0`)."""
    member = notification_access.access_member(request.user, username)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        wanted = request.POST.get("follow")
        if wanted not in ("0", "1"):
            return HttpResponse("Send follow=1 or follow=0.", status=400, content_type="text/plain; charset=utf-8")
        try:
            if wanted == "1":
                notification_services.member_follow(actor=request.user, username=member.username)
            else:
                notification_services.member_unfollow(actor=request.user, username=member.username)
        except ApplicationError as exc:
            return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
        if not is_htmx(request):
            return redirect(safe_next(request, reverse("hubs:member", kwargs={"username": member.username})))
    state = notification_selectors.member_follow_state(actor=request.user, member=member)
    context = {
        "follow_url": reverse("hubs:follow", kwargs={"username": member.username}),
        "following": state["following"],
        "followers": state["followers"],
        "name": member.username,
        "target": "follow-member",
        "next": reverse("hubs:member", kwargs={"username": member.username}),
        "focus": request.method == "POST",
    }
    return render_page(request, "components/follow_button.html", context)
