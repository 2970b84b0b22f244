"""Programs, their cohorts, and who belongs to each cohort in which role."""

from django.conf import settings
from django.db import models

from nexus.accounts.models import Track
from nexus.core.models import TimeStampedModel


class Program(TimeStampedModel):
    """A curriculum such as "ProDev Backend Engineering"."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    track = models.CharField(max_length=20, choices=Track.choices, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cohort(TimeStampedModel):
    """One intake of a program, e.g. "ProDev BE Cohort 3"."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=160)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="cohorts_cohort_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A member's place in a cohort: learner, mentor or staff."""

    class Role(models.TextChoices):
        LEARNER = "learner", "Learner"
        MENTOR = "mentor", "Mentor"
        STAFF = "staff", "Staff"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEARNER)

    class Meta:
        ordering = ["cohort", "user"]
        constraints = [models.UniqueConstraint(fields=["cohort", "user"], name="cohorts_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort} ({self.role})"
