"""Channel pages for people, under /channels/ (docs/web.md): the channels a member reads, a
channel's threads, and a thread's messages as a live chat.

Writes go through the same services as the REST API (`thread_create`, `message_post`,
`message_react`); the pages listen on `ws/channels/<id>/` (static/js/live.js) and, for each
frame, fetch the server-rendered fragment of the message or the thread list, so the markup of
a live message is the markup of a loaded one.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from nexus.core.errors import ApplicationError
from nexus.core.web import form_add_service_error, is_htmx, plain_error, posted_switch, render_page
from nexus.discussions import access, selectors, services
from nexus.discussions.emoji import quick_reactions
from nexus.discussions.models import BODY_MAX_LENGTH, Message

THREADS_SHOWN = 50
MESSAGES_SHOWN = 200


class ThreadForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    body = forms.CharField(max_length=BODY_MAX_LENGTH, label="First message", widget=forms.Textarea(attrs={"rows": 3}))


class MessageForm(forms.Form):
    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Write a reply — Markdown, @mentions"}),
    )


@login_required
@require_GET
def channel_index(request: HttpRequest) -> HttpResponse:
    """The channels the member reads, with their unread counts (one query)."""
    channels = list(selectors.channel_list(actor=request.user).order_by("cohort__name", "name"))
    return render_page(request, "discussions/channel_list.html", {"channels": channels})


def _channel_context(request: HttpRequest, channel_id: int) -> dict[str, object]:
    channel = selectors.channel_get(actor=request.user, channel_id=access.access_channel(request.user, channel_id).pk)
    threads = list(selectors.thread_list(channel=channel)[:THREADS_SHOWN])
    return {"channel": channel, "threads": threads}


@login_required
@require_GET
def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    """A channel: its threads, most recent first, and a form to start one."""
    context = _channel_context(request, channel_id)
    context["form"] = ThreadForm()
    return render_page(
        request, "discussions/channel_detail.html", context, fragment="discussions/partials/thread_list.html"
    )


@login_required
@require_POST
def thread_start(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Start a thread (its first message) and go to it."""
    form = ThreadForm(request.POST)
    if form.is_valid():
        try:
            thread = services.thread_create(
                actor=request.user,
                channel_id=channel_id,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            return redirect("discussions:thread", thread_id=thread.pk)
    context = _channel_context(request, channel_id)
    context["form"] = form
    return render_page(request, "discussions/channel_detail.html", context, status=400)


def _thread_page(request: HttpRequest, thread_id: int, form: MessageForm, status: int = 200) -> HttpResponse:
    channel = access.access_thread(request.user, thread_id).channel  # loaded with its cohort
    thread = selectors.thread_get(thread_id=thread_id)
    newest = selectors.message_list(channel=channel, thread=thread).order_by("-id")[:MESSAGES_SHOWN]
    context = {
        "channel": channel,
        "thread": thread,
        "chat_messages": sorted(newest, key=lambda m: m.pk),
        "form": form,
        "reactions": quick_reactions(),
    }
    return render_page(request, "discussions/thread_detail.html", context, status=status)


@login_required
@require_GET
def thread_detail(request: HttpRequest, thread_id: int) -> HttpResponse:
    """A thread's messages, oldest first, live, with a reply box."""
    return _thread_page(request, thread_id, MessageForm())


def _message_fragment(request: HttpRequest, message: Message, *, status: int = 200) -> HttpResponse:
    context = {"message": message, "reactions": quick_reactions()}
    return render_page(request, "discussions/partials/message.html", context, status=status)


@login_required
@require_POST
def message_create(request: HttpRequest, thread_id: int) -> HttpResponse:
    """Post a reply; htmx gets the new message's fragment, a form post goes back to the thread."""
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = services.message_post(actor=request.user, thread_id=thread_id, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_add_service_error(form, exc)
        else:
            if is_htmx(request):
                return _message_fragment(request, selectors.message_get(message_id=message.pk), status=201)
            return redirect(reverse("discussions:thread", kwargs={"thread_id": thread_id}) + f"#message-{message.pk}")
    if is_htmx(request):
        return plain_error("; ".join(str(e) for errors in form.errors.values() for e in errors))
    return _thread_page(request, thread_id, form, status=400)


@login_required
@require_GET
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    """One message's fragment (what a live frame makes the page fetch)."""
    message = selectors.message_get(message_id=access.access_message(request.user, message_id).pk)
    return _message_fragment(request, message)


@login_required
@require_POST
def message_reaction(request: HttpRequest, message_id: int) -> HttpResponse:
    """Add (`on=1`) or remove (`on=0`) one's reaction with `emoji`; answers the message's fragment."""
    wanted = posted_switch(request, "on")
    if wanted is None:
        return plain_error("Send on=1 or on=0.")
    try:
        message, _ = services.message_react(
            actor=request.user, message_id=message_id, emoji=request.POST.get("emoji", ""), on=wanted
        )
    except (ValidationError, ApplicationError) as exc:
        return plain_error(exc)
    loaded = selectors.message_get(message_id=message.pk)
    if is_htmx(request):
        return _message_fragment(request, loaded)
    return redirect(reverse("discussions:thread", kwargs={"thread_id": loaded.thread_id}) + f"#message-{loaded.pk}")
