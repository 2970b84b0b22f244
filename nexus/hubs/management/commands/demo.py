"""Load the demo data set: two programs and cohorts, a mentor, learners, hubs imported from
README fixtures in nexus/hubs/demo/ written by the team, and a short conversation in the
comments of Ada's first challenge.

Idempotent: running it again changes nothing that is already there (a re-import of an unchanged
README updates nothing; the comments are added once, while Grace has none on that entry).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from nexus.accounts import services as account_services
from nexus.accounts.models import User
from nexus.cohorts import services as cohort_services
from nexus.cohorts.models import Membership
from nexus.discussions import services as discussion_services
from nexus.discussions.models import Comment
from nexus.hubs import services as hub_services
from nexus.hubs.models import Entry, Hub

PASSWORD = "nexus-demo-2026"  # noqa: S105 - published demo credentials, printed by `make run`
READMES = Path(__file__).resolve().parents[2] / "demo"

PROGRAMS = {
    "prodev-backend": (
        "ProDev Backend Engineering",
        "Python, Django, REST and GraphQL APIs, PostgreSQL, Redis, Celery, Docker, CI/CD.",
        "backend",
        ("prodev-be-demo", "ProDev BE Demo Cohort"),
    ),
    "prodev-frontend": (
        "ProDev Frontend Engineering",
        "React, Next.js, TypeScript, Tailwind CSS, and consuming backend APIs.",
        "frontend",
        ("prodev-fe-demo", "ProDev FE Demo Cohort"),
    ),
}

# username, display name, track, program, role, README fixture
MEMBERS = [
    ("mentor", "Mira Mentor", "backend", "prodev-backend", Membership.Role.MENTOR, None),
    ("ada", "Ada Backend", "backend", "prodev-backend", Membership.Role.LEARNER, "ada.md"),
    ("grace", "Grace Fullstack", "full-stack", "prodev-backend", Membership.Role.LEARNER, "grace.md"),
    ("linus", "Linus Frontend", "frontend", "prodev-frontend", Membership.Role.LEARNER, "linus.md"),
]


class Command(BaseCommand):
    help = "Load the idempotent demo data set and print the demo credentials."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        cohorts = {}
        for slug, (name, description, track, (cohort_slug, cohort_name)) in PROGRAMS.items():
            program = cohort_services.program_upsert(slug=slug, name=name, description=description, track=track)
            cohorts[slug] = cohort_services.cohort_upsert(
                program=program, slug=cohort_slug, name=cohort_name, starts_on=dt.date(2026, 1, 12)
            )
        for username, name, track, program, role, fixture in MEMBERS:
            user = User.objects.filter(username=username).first() or account_services.user_register(
                username=username, email=f"{username}@nexus.local", password=PASSWORD, display_name=name, track=track
            )
            cohort_services.membership_set(cohort=cohorts[program], user=user, role=role)
            if fixture is None:
                continue
            result = hub_services.hub_import_readme(
                actor=user, markdown=(READMES / fixture).read_text(encoding="utf-8"), program=program
            )
            if result.hub_created and result.hub is not None:
                hub_services.hub_update(actor=user, hub=result.hub.pk, data={"visibility": Hub.Visibility.COHORT})
        # The mentor follows both cohorts.
        mentor = User.objects.get(username="mentor")
        cohort_services.membership_set(cohort=cohorts["prodev-frontend"], user=mentor, role=Membership.Role.MENTOR)
        _comments()
        if not User.objects.filter(username="admin").exists():
            admin = account_services.user_register(username="admin", email="admin@nexus.local", password=PASSWORD)
            User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
        self.stdout.write(
            "Demo data ready. Sign in as ada, grace or linus (learners), mentor, or admin (staff), "
            f"each with the password {PASSWORD!r}."
        )


def _comments() -> None:
    """Grace asks about Ada's first challenge, Ada answers, the mentor and Ada react (once)."""
    ada, grace, mentor = (User.objects.get(username=name) for name in ("ada", "grace", "mentor"))
    entry = Entry.objects.filter(hub__owner=ada, kind=Entry.Kind.CHALLENGE).order_by("position").first()
    if entry is None or Comment.objects.filter(entry=entry, author=grace).exists():
        return
    question = discussion_services.comment_add(
        actor=grace,
        entry_id=entry.pk,
        body="Did the retry alone fix it? Our worker still raced the broker until Compose waited for it.",
    )
    discussion_services.comment_add(
        actor=ada,
        entry_id=entry.pk,
        parent_id=question.pk,
        body=(
            "The retry fixed it; the health check makes start-up quicker. In Compose:\n\n"
            "```yaml\ndepends_on:\n  rabbitmq:\n    condition: service_healthy\n```"
        ),
    )
    discussion_services.comment_react(actor=mentor, comment_id=question.pk, emoji="thumbsup", on=True)
    discussion_services.comment_react(actor=ada, comment_id=question.pk, emoji="bulb", on=True)
