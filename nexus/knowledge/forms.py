"""Input of the curation pages. Rules live in the services; forms only shape what is typed."""

from __future__ import annotations

from typing import Any

from django import forms

from nexus.knowledge.models import Problem

TITLE_MAX = Problem._meta.get_field("title").max_length


class ProblemRenameForm(forms.Form):
    """A problem's name and description, as a curator types them."""

    title = forms.CharField(max_length=TITLE_MAX)
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the problem is, in a sentence or two; shown under the title.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "rename-%s")
        super().__init__(*args, **kwargs)


class ProblemMergeForm(forms.Form):
    """The problem to merge into (chosen on the step before)."""

    target = forms.IntegerField(min_value=1, error_messages={"required": "Choose the problem to merge into."})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "merge-%s")
        super().__init__(*args, **kwargs)


class ProblemSplitForm(forms.Form):
    """The challenges that move to a new problem, and its title; `challenges` are (entry id, label) pairs."""

    entry_ids = forms.TypedMultipleChoiceField(
        coerce=int,
        label="Challenges to move",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose the challenges that move to the new problem."},
    )
    title = forms.CharField(max_length=TITLE_MAX, label="Title of the new problem")

    def __init__(self, *args: Any, challenges: list[tuple[int, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "split-%s")
        super().__init__(*args, **kwargs)
        self.challenges = challenges
        self.fields["entry_ids"].choices = challenges  # type: ignore[attr-defined]
