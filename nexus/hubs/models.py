"""Hubs (a member's documentation per program) and their typed entries, with revisions."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

from nexus.core.models import TimeStampedModel

# A reference is a web link or a path inside the learner's project ("app/models.py").
_PROJECT_PATH = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[\w.@+~-]+(?:/[\w.@+~-]+)*/?$")


def validate_references(value: object) -> None:
    """References are a list of http(s) URLs or relative project paths, each at most 500 chars."""
    if not isinstance(value, list):
        raise ValidationError("References must be a list of URLs or project paths.")
    url = URLValidator(schemes=["http", "https"])
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item) > 500:
            raise ValidationError(f"Reference {index + 1} must be a non-empty string of at most 500 characters.")
        if "://" in item:
            try:
                url(item)
            except ValidationError:
                raise ValidationError(f"Reference {index + 1} is not a valid http(s) URL: {item!r}.") from None
        elif not _PROJECT_PATH.match(item):
            raise ValidationError(f"Reference {index + 1} is neither a URL nor a relative project path: {item!r}.")


class Hub(TimeStampedModel):
    """A member's knowledge hub for one program: an overview plus ordered entries."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private (only you)"
        COHORT = "cohort", "Your cohort"
        PUBLIC = "public", "Everyone"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hubs")
    program = models.ForeignKey("cohorts.Program", on_delete=models.PROTECT, related_name="hubs")
    # The cohort whose members see a cohort-visible hub; one the owner belongs to, in `program`.
    cohort = models.ForeignKey("cohorts.Cohort", null=True, blank=True, on_delete=models.SET_NULL, related_name="hubs")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    overview = models.TextField(blank=True)
    overview_html = models.TextField(blank=True, editable=False)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["owner", "program"], name="hubs_hub_one_per_program")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.cohort is not None and self.program_id is not None and self.cohort.program_id != self.program_id:
            raise ValidationError({"cohort": "The cohort must belong to the hub's program."})
        if self.visibility == self.Visibility.COHORT and self.cohort_id is None:
            raise ValidationError({"visibility": "A cohort-visible hub needs a cohort; join one of the program first."})


class Entry(TimeStampedModel):
    """One piece of knowledge in a hub: a learning, a challenge, a practice or a note."""

    class Kind(models.TextChoices):
        LEARNING = "learning", "Learning"
        CHALLENGE = "challenge", "Challenge"
        PRACTICE = "practice", "Practice"
        NOTE = "note", "Note"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=10, choices=Kind.choices, db_index=True)
    # The README section the entry belongs to ("Key Technologies", "Collaboration"), if any.
    section = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    body_html = models.TextField(blank=True, editable=False)
    problem = models.TextField(blank=True)
    problem_html = models.TextField(blank=True, editable=False)
    solution = models.TextField(blank=True)
    solution_html = models.TextField(blank=True, editable=False)
    outcome = models.TextField(blank=True)
    outcome_html = models.TextField(blank=True, editable=False)
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="entries")
    references = models.JSONField(default=list, blank=True, validators=[validate_references])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    position = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["hub", "position", "id"]
        verbose_name_plural = "entries"
        indexes = [
            models.Index(fields=["hub", "position"], name="hubs_entry_hub_position"),
            # `?ordering=updated_at` reads one page of this index (created_at has its own).
            models.Index(fields=["updated_at"], name="hubs_entry_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="challenge") | models.Q(problem="", solution="", outcome=""),
                name="hubs_entry_problem_only_on_challenges",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(published_at__isnull=False),
                name="hubs_entry_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.kind == self.Kind.CHALLENGE:
            if not self.problem.strip():
                raise ValidationError({"problem": "A challenge needs a problem."})
        else:
            extra = [f for f in ("problem", "solution", "outcome") if getattr(self, f).strip()]
            if extra:
                raise ValidationError(dict.fromkeys(extra, "Only challenges have a problem, solution and outcome."))


def default_section(kind: str, title: str) -> str:
    """The README section an entry goes in when it names none; a note is its own section."""
    sections: dict[str, str] = {
        Entry.Kind.LEARNING: "Key Learnings",
        Entry.Kind.CHALLENGE: "Challenges and Solutions",
        Entry.Kind.PRACTICE: "Best Practices",
    }
    return sections.get(kind, title)


class EntryRevision(models.Model):
    """A snapshot of an entry's content after each change, numbered from 1."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=10, choices=Entry.Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    problem = models.TextField(blank=True)
    solution = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Entry.Status.choices)
    topics = models.JSONField(default=list, help_text="Topic slugs at the time of the revision.")
    references = models.JSONField(default=list)

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="hubs_revision_unique_number")]

    def __str__(self) -> str:
        return f"{self.entry_id} r{self.number}"
