"""Input of the hub and entry pages. Rules live in the services; forms only shape what is typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from nexus.cohorts.models import Program
from nexus.discussions.models import BODY_MAX_LENGTH
from nexus.hubs.models import Entry, Hub


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _slugs(text: str) -> list[str]:
    return [part.strip().lower() for part in text.replace("\n", ",").split(",") if part.strip()]


class EntryForm(forms.Form):
    """An entry's fields as typed on the page; `topics` and `references` arrive as text."""

    kind = forms.ChoiceField(choices=Entry.Kind.choices, initial=Entry.Kind.LEARNING)
    title = forms.CharField(max_length=300)
    section = forms.CharField(
        max_length=200, required=False, help_text="The README section it belongs to; empty picks one from the kind."
    )
    body = forms.CharField(
        required=False, label="Text", widget=forms.Textarea(attrs={"rows": 10, "class": "mono"}), help_text="Markdown."
    )
    problem = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5, "class": "mono"}))
    solution = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5, "class": "mono"}))
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "mono"}))
    topics = forms.CharField(
        required=False,
        help_text="Topic slugs, separated by commas (e.g. django, celery). Empty: recognised from the text.",
    )
    references = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One per line: an http(s) link or a path in your project (app/models.py).",
    )
    status = forms.ChoiceField(
        choices=Entry.Status.choices, initial=Entry.Status.DRAFT, widget=forms.RadioSelect, label="Status"
    )

    def service_data(self, *, creating: bool) -> dict[str, Any]:
        """The cleaned input as the entry services take it."""
        data = dict(self.cleaned_data)
        topics = _slugs(data.pop("topics", ""))
        data["references"] = _lines(data.get("references", ""))
        if data["kind"] != Entry.Kind.CHALLENGE:
            for name in ("problem", "solution", "outcome"):
                data[name] = ""
        if topics or not creating:
            data["topics"] = topics
        return data

    @staticmethod
    def initial_from(entry: Entry) -> dict[str, Any]:
        return {
            "kind": entry.kind,
            "title": entry.title,
            "section": entry.section,
            "body": entry.body,
            "problem": entry.problem,
            "solution": entry.solution,
            "outcome": entry.outcome,
            "topics": ", ".join(t.slug for t in entry.topics.all()),
            "references": "\n".join(entry.references),
            "status": entry.status,
        }


class ReadmeImportForm(forms.Form):
    """A README pasted or uploaded, and the program it is for."""

    markdown = forms.CharField(
        required=False,
        label="Paste your README",
        widget=forms.Textarea(attrs={"rows": 14, "class": "mono", "spellcheck": "false"}),
    )
    file = forms.FileField(required=False, label="…or upload README.md")
    program = forms.ModelChoiceField(
        queryset=Program.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label="The program of my cohort",
        help_text="Needed only if you are in several programs' cohorts, or in none yet.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload = cleaned.get("file")
        if not cleaned.get("markdown", "").strip() and upload is None:
            raise forms.ValidationError("Paste a README or choose a file to upload.", code="empty")
        return cleaned

    def raw(self) -> bytes | str:
        """What was sent: the uploaded bytes (read up to one past the limit), else the pasted text."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            return upload.read(settings.README_MAX_BYTES + 1)
        return self.cleaned_data["markdown"]


class HubForm(forms.Form):
    """A hub's settings; `program` only when creating one."""

    program = forms.ModelChoiceField(queryset=Program.objects.order_by("name"), to_field_name="slug")
    title = forms.CharField(max_length=200)
    overview = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}))
    visibility = forms.ChoiceField(choices=Hub.Visibility.choices, widget=forms.RadioSelect)

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["program"]


class CommentForm(forms.Form):
    """A comment, a reply or an edit on the entry page; ids are per form (`auto_id`), as one page holds many."""

    body = forms.CharField(
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown; @username mentions a member.",
        error_messages={"required": "A comment needs some text."},
    )

    def __init__(self, *args: Any, label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label
