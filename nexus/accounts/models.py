"""Members of Nexus and their public profiles."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower

from nexus.core.models import TimeStampedModel


class Track(models.TextChoices):
    BACKEND = "backend", "Backend"
    FRONTEND = "frontend", "Frontend"
    FULL_STACK = "full-stack", "Full-stack"


class User(AbstractUser):
    """A member: learner, mentor or staff (roles live on cohort memberships)."""

    email = models.EmailField("email address", unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="accounts_user_username_ci_unique"),
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.username


class Profile(TimeStampedModel):
    """What a member shows others: name, bio, track and links."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    track = models.CharField(max_length=20, choices=Track.choices, blank=True)
    github_url = models.URLField(blank=True)
    linkedin_url = models.URLField(blank=True)
    website_url = models.URLField(blank=True)

    def __str__(self) -> str:
        return self.display_name or self.user.username

    @property
    def name(self) -> str:
        """The name to show: the display name, else the username."""
        return self.display_name or self.user.username
