"""Reads for members."""

from django.db.models import QuerySet

from nexus.accounts.models import User


def member_queryset() -> QuerySet[User]:
    """Active members with their profile joined in."""
    return User.objects.filter(is_active=True).select_related("profile")
