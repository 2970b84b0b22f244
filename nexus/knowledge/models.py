"""Canonical problems that group learners' challenges, and the confirmations and verifications on them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from nexus.core.models import TimeStampedModel


class Problem(TimeStampedModel):
    """A canonical problem: the challenges of many learners that are the same problem, grouped."""

    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    topics = models.ManyToManyField("topics.Topic", blank=True, related_name="problems")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when a mentor merged this problem into another; kept so old links can be followed.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )
    # A mentor or staff member named it: its title no longer follows its challenges.
    curated = models.BooleanField(default=False)
    # Distinct members who hit it (authors of its published challenges, plus "I hit this too").
    hit_count = models.PositiveIntegerField(default=0, db_index=True)

    class Meta:
        ordering = ["-hit_count", "-id"]

    def __str__(self) -> str:
        return self.title


class ProblemTerm(models.Model):
    """One normalised word of one text of a problem: the inverted index the similarity search reads.

    A problem's texts are its own title and description (`entry_id` 0) and each of its
    challenges' title and problem (`entry_id` the entry's id; a plain integer, rebuilt on refresh).
    """

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="terms")
    entry_id = models.PositiveIntegerField(default=0)
    term = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "problem", "entry_id"], name="knowledge_term_unique")]

    def __str__(self) -> str:
        return self.term


class ProblemLink(TimeStampedModel):
    """The problem a challenge entry is an instance of; its solution is a solution of the problem."""

    class AttachedBy(models.TextChoices):
        AUTO = "auto", "Automatically"
        MEMBER = "member", "By its author"
        MENTOR = "mentor", "By a mentor or staff"

    entry = models.OneToOneField("hubs.Entry", on_delete=models.CASCADE, related_name="problem_link")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    confidence = models.FloatField(default=1.0)
    attached_by = models.CharField(max_length=10, choices=AttachedBy.choices, default=AttachedBy.AUTO)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0) & models.Q(confidence__lte=1),
                name="knowledge_link_confidence_0_1",
            )
        ]

    def __str__(self) -> str:
        return f"entry {self.entry_id} -> problem {self.problem_id}"


class ProblemConfirmation(TimeStampedModel):
    """A member's "I hit this too" on a problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "user"], name="knowledge_problem_confirm_once")]

    def __str__(self) -> str:
        return f"{self.user_id} hit {self.problem_id}"


class SolutionConfirmation(TimeStampedModel):
    """A member's "this solution worked for me" on a challenge entry (never on their own)."""

    entry = models.ForeignKey("hubs.Entry", on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "user"], name="knowledge_solution_confirm_once")]

    def __str__(self) -> str:
        return f"{self.user_id} confirmed {self.entry_id}"


class SolutionVerification(TimeStampedModel):
    """A mentor's or staff member's "verified" mark on a challenge entry's solution (one per entry)."""

    entry = models.OneToOneField("hubs.Entry", on_delete=models.CASCADE, related_name="verification")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.entry_id} verified by {self.verified_by_id}"
