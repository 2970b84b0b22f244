"""Hub and entry pages: a hub read like a document, README import/export, entry editing, comments.

Views parse input, call one selector or service and render; access rules come from
nexus.hubs.access (404 for what the actor may not see, 403 for what they see but may not change).
Comments on an entry go through nexus.discussions (its services, selectors and `access_comment`),
as the REST and GraphQL comments do.
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
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nexus.core.errors import ApplicationError
from nexus.core.markdown import render_markdown
from nexus.core.web import form_add_service_error, is_htmx, plain_error, posted_switch, render_page, safe_next
from nexus.discussions import access as discussion_access
from nexus.discussions import selectors as discussion_selectors
from nexus.discussions import services as discussion_services
from nexus.discussions.emoji import quick_reactions
from nexus.discussions.models import Comment
from nexus.hubs import access, selectors, services
from nexus.hubs.forms import CommentForm, EntryForm, HubForm, ReadmeImportForm
from nexus.hubs.http import cached_response
from nexus.hubs.models import Entry, Hub
from nexus.knowledge import access as knowledge_access
from nexus.knowledge import selectors as knowledge_selectors
from nexus.notifications import access as notification_access
from nexus.notifications import selectors as notification_selectors
from nexus.notifications import services as notification_services

HUBS_PER_PAGE = 12
COMMENTS_SHOWN = 200  # the newest top comments (with all their replies); the API pages through every one
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


def _entry_page(request: HttpRequest, entry_id: int, *, status: int = 200, **comments: Any) -> HttpResponse:
    """The entry page; `comments` go to `_comments_context` (a form sent back with its errors)."""
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
        **_comments_context(request, found, **comments),
    }
    return render_page(request, "hubs/entry_detail.html", context, status=status)


@require_GET
def entry_detail(request: HttpRequest, entry_id: int) -> HttpResponse:
    """One entry on its own page: for a challenge, its problem, confirmations and verification; comments."""
    return _entry_page(request, entry_id)


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
        return plain_error("Unknown status.")
    try:
        entry = services.entry_update(actor=request.user, entry_id=entry_id, data={"status": status})
    except ValidationError as exc:
        return plain_error(exc)
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
        return plain_error("The position must be a whole number.")
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
            return plain_error("Send follow=1 or follow=0.")
        try:
            if wanted == "1":
                notification_services.member_follow(actor=request.user, username=member.username)
            else:
                notification_services.member_unfollow(actor=request.user, username=member.username)
        except ApplicationError as exc:
            return plain_error(exc)
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


# --- comments on an entry ---------------------------------------------------------------------


def _comment_href(comment: Comment) -> str:
    return reverse("hubs:entry-detail", kwargs={"entry_id": comment.entry_id}) + f"#comment-{comment.pk}"


def _new_comment_form(data: Any = None) -> CommentForm:
    return CommentForm(data, auto_id="comment-new-%s", label="Add a comment")


def _reply_form(comment: Comment, data: Any = None) -> CommentForm:
    name = comment.author.profile.name if comment.author is not None else "a deleted account"
    return CommentForm(data, auto_id=f"reply-{comment.pk}-%s", label=f"Your reply to {name}")


def _edit_form(comment: Comment, data: Any = None) -> CommentForm:
    form = CommentForm(
        data, initial={"body": comment.body}, auto_id=f"comment-{comment.pk}-edit-%s", label="Your comment"
    )
    form.fields["body"].widget.attrs["data-autofocus"] = ""  # it takes the comment's place: the keyboard stays
    return form


def _sent_back(form: CommentForm, like: CommentForm) -> CommentForm:
    """A form that came back with its errors, dressed as the one it was typed in (its ids and label)."""
    form.auto_id = like.auto_id
    form["body"].label = like["body"].label  # the bound field is cached since validation
    form.fields["body"].widget.attrs["data-autofocus"] = ""
    return form


def _comments_context(
    request: HttpRequest,
    entry: Entry,
    *,
    form: CommentForm | None = None,
    reply_to: int | None = None,
    new: int | None = None,
) -> dict[str, Any]:
    """The comments of an entry the viewer reads (the caller loaded it through the hubs rules).

    `form` comes back with its errors, so nothing typed is lost: as the reply to `reply_to` when
    that comment is shown, else as the new comment. `new` is the comment just posted (it takes focus).
    """
    newest = discussion_selectors.comment_list(entry=entry, mentions=False).order_by("-id")[:COMMENTS_SHOWN]
    top = sorted(newest, key=lambda c: c.pk)
    signed_in = request.user.is_authenticated
    items = []
    for comment in top:
        reply_form = None
        if signed_in:
            reply_form = _reply_form(comment)
            if form is not None and reply_to == comment.pk:
                reply_form, form = _sent_back(form, like=reply_form), None
        items.append({"comment": comment, "reply_form": reply_form})
    comment_form = None
    if signed_in:
        comment_form = _new_comment_form() if form is None else _sent_back(form, like=_new_comment_form())
    count = sum(not c.is_deleted for c in top) + sum(not r.is_deleted for c in top for r in c.replies.all())
    return {
        "comments": items,
        "comment_count": count,
        "comments_capped": len(top) == COMMENTS_SHOWN,
        "comment_form": comment_form,
        "may_moderate": bool(top) and discussion_access.can_moderate_comments(request.user, entry),
        "reactions": quick_reactions(),
        "new_comment": new,
    }


def _comments_fragment(request: HttpRequest, entry: Entry, *, status: int = 200, **comments: Any) -> HttpResponse:
    context = {"entry": entry, **_comments_context(request, entry, **comments)}
    return render_page(request, "hubs/partials/comments.html", context, status=status)


def _comment_fragment(
    request: HttpRequest, found: Comment, template: str = "hubs/partials/comment_main.html", **extra: Any
) -> HttpResponse:
    """One comment's fragment; `found` came from `access_comment` or a service (its entry and hub loaded)."""
    context = {
        "comment": discussion_selectors.comment_get(comment_id=found.pk),
        "may_moderate": discussion_access.can_moderate_comments(request.user, found.entry),
        "reactions": quick_reactions(),
        **extra,
    }
    return render_page(request, template, context)


@require_http_methods(["GET", "POST"])
def entry_comments(request: HttpRequest, entry_id: int) -> HttpResponse:
    """An entry's comments (GET: the fragment, for htmx), or post a comment or a reply (`parent`)."""
    if request.method == "GET":
        entry = access.access_entry(request.user, entry_id)
        if not is_htmx(request):
            response = redirect(reverse("hubs:entry-detail", kwargs={"entry_id": entry.pk}) + "#comments")
        else:
            response = _comments_fragment(request, entry)
        patch_vary_headers(response, ("HX-Request",))
        return response
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("hubs:entry-detail", kwargs={"entry_id": entry_id}))
    parent = request.POST.get("parent", "")
    if parent and not parent.isdigit():
        return plain_error("The comment replied to must be a comment's id.")
    parent_id = int(parent) if parent else None
    form = CommentForm(request.POST, label="Your comment")
    if form.is_valid():
        try:
            comment = discussion_services.comment_add(
                actor=request.user, entry_id=entry_id, body=form.cleaned_data["body"], parent_id=parent_id
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            if is_htmx(request):
                return _comments_fragment(request, comment.entry, new=comment.pk, status=201)
            messages.success(request, "Your reply is posted." if parent_id else "Your comment is posted.")
            return redirect(_comment_href(comment))
    if is_htmx(request):
        entry = access.access_entry(request.user, entry_id)
        return _comments_fragment(request, entry, form=form, reply_to=parent_id, status=400)
    return _entry_page(request, entry_id, form=form, reply_to=parent_id, status=400)


@require_GET
def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """One comment (htmx: its fragment, what "Cancel" puts back after editing; else the entry page)."""
    found = discussion_access.access_comment(request.user, comment_id)
    response = _comment_fragment(request, found) if is_htmx(request) else redirect(_comment_href(found))
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Edit one's own comment: a page of its own, or with htmx the form in the comment's place."""
    found = discussion_access.access_comment(request.user, comment_id, to_edit=True)
    if found.is_deleted:
        return plain_error("This comment was deleted.", status=409)
    form = _edit_form(found, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                discussion_services.comment_edit(
                    actor=request.user, comment_id=found.pk, body=form.cleaned_data["body"]
                )
            except (ValidationError, ApplicationError) as exc:
                form_add_service_error(form, exc)
            else:
                if is_htmx(request):
                    return _comment_fragment(request, found, focus=True)
                messages.success(request, "Your comment is saved.")
                return redirect(_comment_href(found))
        status = 400
    context = {"form": form, "comment": found, "entry": found.entry, "comment_href": _comment_href(found)}
    return render_page(
        request, "hubs/comment_edit.html", context, fragment="hubs/partials/comment_edit.html", status=status
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Delete a comment (its author, the entry's owner, mentors and staff); a tombstone keeps its replies."""
    comment = discussion_services.comment_delete(actor=request.user, comment_id=comment_id)
    if is_htmx(request):
        return _comment_fragment(request, comment, focus=True)
    messages.success(request, "The comment is deleted.")
    return redirect(_comment_href(comment))


@login_required
@require_POST
def comment_reaction(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Add (`on=1`) or remove (`on=0`) one's reaction with `emoji` (htmx: the comment's reactions again)."""
    wanted = posted_switch(request, "on")
    if wanted is None:
        return plain_error("Send on=1 or on=0.")
    emoji = request.POST.get("emoji", "")
    try:
        comment, _ = discussion_services.comment_react(
            actor=request.user, comment_id=comment_id, emoji=emoji, on=wanted
        )
    except (ValidationError, ApplicationError) as exc:
        return plain_error(exc)
    if is_htmx(request):
        # Focus returns to the button of that emoji, or to "Add a reaction" when the last one went.
        return _comment_fragment(request, comment, "hubs/partials/comment_reactions.html", focus=emoji)
    return redirect(_comment_href(comment))
